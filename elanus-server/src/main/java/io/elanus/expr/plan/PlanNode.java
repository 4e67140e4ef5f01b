package io.elanus.expr.plan;

import io.elanus.segment.Chunk;

import java.util.List;
import java.util.Optional;

/** One node of a compiled filter: evaluated over a whole chunk at once. Immutable and thread-safe. */
public interface PlanNode {

    Truth evaluate(Chunk chunk);

    /** The primary-key values this node selects when it is a pure equality/membership test on {@code pkFieldId}. */
    default Optional<List<Object>> primaryKeyTerms(long pkFieldId) {
        return Optional.empty();
    }

    /** What a scalar index on one field could answer for this node, if anything. */
    default Optional<IndexablePredicate> indexable() {
        return Optional.empty();
    }
}
