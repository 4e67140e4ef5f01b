package io.elanus.expr.plan;

import io.elanus.segment.BoolColumn;
import io.elanus.segment.Chunk;

import java.util.List;
import java.util.Optional;

/** {@code b == value} on a Bool column ({@code b != v} compiles to {@code b == !v}). */
public record BoolEqualsNode(long fieldId, boolean value) implements PlanNode {

    @Override
    public Truth evaluate(Chunk chunk) {
        int n = chunk.rowCount();
        if (!(ColumnAccess.column(chunk, fieldId) instanceof BoolColumn col)) {
            return Truth.unknown();
        }
        boolean[] v = col.values();
        Bits bits = new Bits(n);
        for (int i = 0; i < n; i++) {
            if (v[i] == value) {
                bits.set(i);
            }
        }
        return Truth.of(bits.toBitSet(), col.nulls(), n);
    }

    @Override
    public Optional<IndexablePredicate> indexable() {
        return Optional.of(new IndexablePredicate(fieldId, List.of(), IndexablePredicate.Kind.IN, List.of(value)));
    }
}
