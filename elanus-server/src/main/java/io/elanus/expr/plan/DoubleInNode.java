package io.elanus.expr.plan;

import io.elanus.segment.Chunk;
import io.elanus.segment.DoubleColumn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@code x in [..]} / {@code not in} on a Float/Double column: binary search over the sorted values. */
public final class DoubleInNode implements PlanNode {
    private final long fieldId;
    private final double[] sorted;
    private final boolean negate;

    public DoubleInNode(long fieldId, double[] values, boolean negate) {
        this.fieldId = fieldId;
        this.sorted = values.clone();
        Arrays.sort(sorted);
        this.negate = negate;
    }

    @Override
    public Truth evaluate(Chunk chunk) {
        int n = chunk.rowCount();
        if (!(ColumnAccess.column(chunk, fieldId) instanceof DoubleColumn col)) {
            return Truth.unknown();
        }
        double[] v = col.values();
        Bits bits = new Bits(n);
        for (int i = 0; i < n; i++) {
            if ((Arrays.binarySearch(sorted, v[i]) >= 0) != negate) {
                bits.set(i);
            }
        }
        return Truth.of(bits.toBitSet(), col.nulls(), n);
    }

    @Override
    public Optional<IndexablePredicate> indexable() {
        List<Object> vals = new ArrayList<>();
        Arrays.stream(sorted).distinct().forEach(vals::add);
        return Optional.of(new IndexablePredicate(fieldId, List.of(),
                negate ? IndexablePredicate.Kind.NOT_IN : IndexablePredicate.Kind.IN, vals));
    }
}
