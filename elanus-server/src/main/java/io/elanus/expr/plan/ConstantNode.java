package io.elanus.expr.plan;

import io.elanus.segment.Chunk;

/** A literal {@code true} / {@code false} filter. */
public record ConstantNode(boolean value) implements PlanNode {

    @Override
    public Truth evaluate(Chunk chunk) {
        return Truth.constant(value, chunk.rowCount());
    }
}
