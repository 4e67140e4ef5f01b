package io.elanus.vector;

import io.milvus.grpc.DataType;

import java.util.Map;

/**
 * A validated index definition: the concrete index type (AUTOINDEX already resolved), its metric, the
 * field it indexes and its build parameters with Milvus's defaults filled in.
 */
public record IndexSpec(String indexType, MetricType metric, DataType fieldType, int dim, Map<String, String> buildParams) {
    public IndexSpec {
        buildParams = Map.copyOf(buildParams);
    }

    public int intParam(String name) {
        return Integer.parseInt(buildParams.get(name));
    }

    public String param(String name) {
        return buildParams.get(name);
    }
}
