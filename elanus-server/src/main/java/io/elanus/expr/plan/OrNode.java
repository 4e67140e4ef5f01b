package io.elanus.expr.plan;

import io.elanus.segment.Chunk;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** Disjunction. */
public record OrNode(List<PlanNode> children) implements PlanNode {

    public OrNode {
        children = List.copyOf(children);
    }

    @Override
    public Truth evaluate(Chunk chunk) {
        Truth acc = children.getFirst().evaluate(chunk);
        for (int i = 1; i < children.size(); i++) {
            acc = acc.or(children.get(i).evaluate(chunk));
        }
        return acc;
    }

    /** {@code pk == 1 or pk in [2, 3]}: the union of the children's keys when every child has some. */
    @Override
    public Optional<List<Object>> primaryKeyTerms(long pkFieldId) {
        LinkedHashSet<Object> keys = new LinkedHashSet<>();
        for (PlanNode child : children) {
            Optional<List<Object>> k = child.primaryKeyTerms(pkFieldId);
            if (k.isEmpty()) {
                return Optional.empty();
            }
            keys.addAll(k.get());
        }
        return Optional.of(new ArrayList<>(keys));
    }
}
