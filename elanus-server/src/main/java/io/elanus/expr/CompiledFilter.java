package io.elanus.expr;

import io.elanus.expr.plan.AndNode;
import io.elanus.expr.plan.IndexablePredicate;
import io.elanus.expr.plan.PlanNode;
import io.elanus.segment.Chunk;
import io.milvus.grpc.TemplateValue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The plan behind {@link FilterPlan}: a predicate tree plus an optional random sample over its result. */
final class CompiledFilter implements FilterPlan {
    private final PlanNode root;
    private final Long primaryKeyFieldId;
    private final double sampleFactor;
    private final String expression;
    private final Map<String, TemplateValue> templateValues;

    CompiledFilter(PlanNode root, Long primaryKeyFieldId, double sampleFactor, String expression,
                   Map<String, TemplateValue> templateValues) {
        this.root = root;
        this.primaryKeyFieldId = primaryKeyFieldId;
        this.sampleFactor = sampleFactor;
        this.expression = expression;
        this.templateValues = Map.copyOf(templateValues);
    }

    @Override
    public String expression() {
        return expression;
    }

    @Override
    public Map<String, TemplateValue> templateValues() {
        return templateValues;
    }

    @Override
    public BitSet evaluate(Chunk chunk) {
        BitSet rows;
        if (root == null) {
            rows = new BitSet(chunk.rowCount());
            rows.set(0, chunk.rowCount());
        } else {
            rows = root.evaluate(chunk).trueRows();
        }
        return Double.isNaN(sampleFactor) ? rows : RandomSample.sample(rows, sampleFactor);
    }

    @Override
    public Optional<List<Object>> primaryKeyTerms() {
        if (root == null || primaryKeyFieldId == null || !Double.isNaN(sampleFactor)) {
            return Optional.empty();
        }
        return root.primaryKeyTerms(primaryKeyFieldId);
    }

    @Override
    public List<IndexablePredicate> indexablePredicates() {
        if (root == null) {
            return List.of();
        }
        List<PlanNode> conjuncts = root instanceof AndNode and ? and.children() : List.of(root);
        List<IndexablePredicate> out = new ArrayList<>();
        for (PlanNode c : conjuncts) {
            c.indexable().ifPresent(out::add);
        }
        return out;
    }

    @Override
    public Optional<Double> sampleFactor() {
        return Double.isNaN(sampleFactor) ? Optional.empty() : Optional.of(sampleFactor);
    }
}
