package io.elanus.expr.plan;

import io.elanus.segment.Chunk;

import java.util.List;

/** Conjunction; stops evaluating once no row can still be true. */
public record AndNode(List<PlanNode> children) implements PlanNode {

    public AndNode {
        children = List.copyOf(children);
    }

    @Override
    public Truth evaluate(Chunk chunk) {
        Truth acc = children.getFirst().evaluate(chunk);
        for (int i = 1; i < children.size(); i++) {
            if (acc.trueRows().isEmpty() && acc.falseRows().cardinality() == chunk.rowCount()) {
                return acc;
            }
            acc = acc.and(children.get(i).evaluate(chunk));
        }
        return acc;
    }
}
