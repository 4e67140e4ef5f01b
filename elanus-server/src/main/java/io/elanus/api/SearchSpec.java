package io.elanus.api;

import io.elanus.expr.FilterPlan;
import io.elanus.vector.MetricType;
import io.elanus.vector.QueryVectors;

import java.util.Map;
import java.util.Set;

/**
 * A search as the proxy hands it to each shard: the vector field, metric, query vectors, how many
 * hits per query to return ({@code topK} = offset + limit), an optional filter, the partitions to
 * look at, the index search parameters, the MVCC/consistency timestamps, and the fields the
 * caller reads from the hits' chunks (a remote node sends only those).
 */
public record SearchSpec(long annsFieldId, MetricType metric, QueryVectors queries, int topK, FilterPlan filter,
                         Set<Long> partitionIds, Map<String, String> params, boolean ignoreGrowing,
                         long guaranteeTs, Set<Long> outputFieldIds) {
}
