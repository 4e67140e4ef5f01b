package io.elanus.api;

import io.milvus.grpc.TemplateValue;

import java.util.Map;

/**
 * A filter as a search or query carries it to a query node: Milvus's boolean expression text and
 * the values of its {@code {name}} templates. The query node compiles it against the schema of the
 * collection it serves; the proxy has already checked that it compiles.
 */
public record FilterText(String expression, Map<String, TemplateValue> templateValues) {
    public FilterText {
        templateValues = Map.copyOf(templateValues);
    }
}
