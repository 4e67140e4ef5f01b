package io.elanus.expr.plan;

import io.elanus.segment.Chunk;
import io.elanus.segment.LongColumn;

import java.util.List;
import java.util.Optional;

/**
 * {@code lo <= x <= hi} (or its negation) on an integer column. Every integer comparison, also
 * against a float constant ({@code x > 1.5} is {@code x >= 2}), compiles to this closed range.
 */
public record LongRangeNode(long fieldId, long lo, long hi, boolean negate) implements PlanNode {

    @Override
    public Truth evaluate(Chunk chunk) {
        int n = chunk.rowCount();
        if (!(ColumnAccess.column(chunk, fieldId) instanceof LongColumn col)) {
            return Truth.unknown();
        }
        long[] v = col.values();
        Bits bits = new Bits(n);
        for (int i = 0; i < n; i++) {
            long x = v[i];
            if ((x >= lo && x <= hi) != negate) {
                bits.set(i);
            }
        }
        return Truth.of(bits.toBitSet(), col.nulls(), n);
    }

    boolean isEquality() {
        return lo == hi;
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
                java.util.Arrays.asList(lo == Long.MIN_VALUE ? null : lo, true, hi == Long.MAX_VALUE ? null : hi, true)));
    }
}
