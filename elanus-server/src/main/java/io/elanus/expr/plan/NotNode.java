package io.elanus.expr.plan;

import io.elanus.segment.Chunk;

/** Negation; unknown rows stay unknown. */
public record NotNode(PlanNode child) implements PlanNode {

    @Override
    public Truth evaluate(Chunk chunk) {
        return child.evaluate(chunk).not();
    }
}
