package io.elanus.expr.plan;

import io.elanus.segment.Chunk;
import io.elanus.segment.DoubleColumn;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A range (or its negation, for {@code !=}) on a Float/Double column; infinite bounds are open ends. */
public record DoubleRangeNode(long fieldId, double lo, boolean loInclusive, double hi, boolean hiInclusive,
                              boolean negate) implements PlanNode {

    @Override
    public Truth evaluate(Chunk chunk) {
        int n = chunk.rowCount();
        if (!(ColumnAccess.column(chunk, fieldId) instanceof DoubleColumn col)) {
            return Truth.unknown();
        }
        double[] v = col.values();
        Bits bits = new Bits(n);
        for (int i = 0; i < n; i++) {
            double x = v[i];
            boolean above = loInclusive ? x >= lo : x > lo;
            boolean below = hiInclusive ? x <= hi : x < hi;
            if ((above && below) != negate) {
                bits.set(i);
            }
        }
        return Truth.of(bits.toBitSet(), col.nulls(), n);
    }

    @Override
    public Optional<IndexablePredicate> indexable() {
        if (lo == hi && loInclusive && hiInclusive) {
            return Optional.of(new IndexablePredicate(fieldId, List.of(),
                    negate ? IndexablePredicate.Kind.NOT_IN : IndexablePredicate.Kind.IN, List.of(lo)));
        }
        if (negate) {
            return Optional.empty();
        }
        return Optional.of(new IndexablePredicate(fieldId, List.of(), IndexablePredicate.Kind.RANGE, Arrays.asList(
                lo == Double.NEGATIVE_INFINITY ? null : lo, loInclusive,
                hi == Double.POSITIVE_INFINITY ? null : hi, hiInclusive)));
    }
}
