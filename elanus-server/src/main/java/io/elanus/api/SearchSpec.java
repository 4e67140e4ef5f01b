package io.elanus.api;

import io.elanus.vector.MetricType;
import io.elanus.vector.QueryVectors;

import java.util.Map;
import java.util.Set;

/**
 * A search as the proxy hands it to each shard: the vector field, metric, query vectors, how many
 * hits per query to return ({@code topK} = offset + limit), an optional filter (null: none), the
 * partitions to look at, the index search parameters, the MVCC/consistency timestamps, and the
 * output fields whose values each {@link Hit} carries.
 */
public record SearchSpec(long annsFieldId, MetricType metric, QueryVectors queries, int topK, FilterText filter,
                         Set<Long> partitionIds, Map<String, String> params, boolean ignoreGrowing,
                         long guaranteeTs, Set<Long> outputFieldIds) {
}
