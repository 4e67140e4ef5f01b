package io.elanus.expr.plan;

import io.elanus.segment.Chunk;
import io.elanus.segment.StringColumn;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A range (or its negation) on a VarChar column, in lexicographic order; a null bound is an open
 * end, and equality is the range [v, v].
 */
public record StringRangeNode(long fieldId, String lo, boolean loInclusive, String hi, boolean hiInclusive,
                              boolean negate) implements PlanNode {

    @Override
    public Truth evaluate(Chunk chunk) {
        int n = chunk.rowCount();
        if (!(ColumnAccess.column(chunk, fieldId) instanceof StringColumn col)) {
            return Truth.unknown();
        }
        String[] v = col.values();
        Bits bits = new Bits(n);
        if (isEquality()) {
            for (int i = 0; i < n; i++) {
                if (lo.equals(v[i]) != negate && v[i] != null) {
                    bits.set(i);
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                String x = v[i];
                if (x != null && inRange(x) != negate) {
                    bits.set(i);
                }
            }
        }
        return Truth.of(bits.toBitSet(), col.nulls(), n);
    }

    private boolean inRange(String x) {
        if (lo != null) {
            int c = x.compareTo(lo);
            if (c < 0 || (c == 0 && !loInclusive)) {
                return false;
            }
        }
        if (hi != null) {
            int c = x.compareTo(hi);
            return c < 0 || (c == 0 && hiInclusive);
        }
        return true;
    }

    private boolean isEquality() {
        return lo != null && lo.equals(hi) && loInclusive && hiInclusive;
    }

    @Override
    public Optional<List<Object>> primaryKeyTerms(long pkFieldId) {
        return pkFieldId == fieldId && isEquality() && !negate ? Optional.of(List.of(lo)) : Optional.empty();
    }

    @Override
    public Optional<IndexablePredicate> indexable() {
        if (isEquality()) {
            return Optional.of(new IndexablePredicate(fieldId, List.of(),
                    negate ? IndexablePredicate.Kind.NOT_IN : IndexablePredicate.Kind.IN, List.of(lo)));
        }
        if (negate) {
            return Optional.empty();
        }
        return Optional.of(new IndexablePredicate(fieldId, List.of(), IndexablePredicate.Kind.RANGE,
                Arrays.asList(lo, loInclusive, hi, hiInclusive)));
    }
}
