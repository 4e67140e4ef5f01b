package io.elanus.querynode;

import io.elanus.expr.FilterPlan;

import java.util.Set;

/** A scalar query: rows matching {@code filter} (all rows if null) in the partitions; at most {@code limit} (-1: all). */
public record QuerySpec(FilterPlan filter, Set<Long> partitionIds, long limit, long guaranteeTs) {
}
