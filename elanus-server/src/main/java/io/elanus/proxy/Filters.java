package io.elanus.proxy;

import io.elanus.expr.FilterCompiler;
import io.elanus.expr.FilterPlan;
import io.elanus.api.FilterText;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.TemplateValue;

import java.util.Map;

/**
 * Filters on their way to the query nodes. The proxy compiles a client's filter only to check it:
 * a bad one fails here, before any shard is asked (as Milvus's proxy builds the plan), with the
 * compiler's message. The shards get the text and compile it against their schema.
 */
final class Filters {
    private Filters() {
    }

    /** The filter as shards take it, once it is known to compile against {@code schema}. */
    static FilterText checked(String expression, CollectionSchema schema, Map<String, TemplateValue> templateValues) {
        return text(FilterCompiler.compile(expression, schema, templateValues));
    }

    static FilterText text(FilterPlan plan) {
        return new FilterText(plan.expression(), plan.templateValues());
    }
}
