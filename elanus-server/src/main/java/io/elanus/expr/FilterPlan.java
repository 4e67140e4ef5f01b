package io.elanus.expr;

import io.elanus.expr.plan.IndexablePredicate;
import io.elanus.segment.Chunk;
import io.milvus.grpc.TemplateValue;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A compiled, type-checked filter expression. Immutable; evaluate it from any number of threads. */
public interface FilterPlan {

    /**
     * The rows of the chunk that match (bit i set = row i matches). A comparison on a null value is
     * neither true nor false, and stays so under {@code not}: null rows only match {@code is null}
     * (or an {@code or} whose other side is true), as in Milvus.
     */
    BitSet evaluate(Chunk chunk);

    /**
     * When the whole expression is {@code pk == v}, {@code pk in [..]} or an OR of those on the
     * primary key, the keys (Long or String) so callers can look rows up directly; otherwise empty.
     */
    Optional<List<Object>> primaryKeyTerms();

    /**
     * The top-level conjuncts that a scalar index on one field could answer alone; the rows
     * matching the whole filter are a subset of the intersection of theirs.
     */
    List<IndexablePredicate> indexablePredicates();

    /** The factor of a top-level {@code random_sample(p)}, if the filter has one. */
    Optional<Double> sampleFactor();

    /** The expression text the plan was compiled from: another process compiles the same plan from it. */
    String expression();

    /** The template values bound into {@link #expression()} (empty when it has none). */
    Map<String, TemplateValue> templateValues();
}
