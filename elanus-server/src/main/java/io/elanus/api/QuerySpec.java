package io.elanus.api;

import io.elanus.expr.FilterPlan;

import java.util.Set;

/**
 * A scalar query: rows matching {@code filter} (all rows if null) in the partitions; at most
 * {@code limit} (-1: all). {@code outputFieldIds} are the fields the caller reads from the hits'
 * chunks; a remote node sends only those (the primary key always travels in {@link Hit#pk()}).
 */
public record QuerySpec(FilterPlan filter, Set<Long> partitionIds, long limit, long guaranteeTs, Set<Long> outputFieldIds) {
}
