package io.elanus.api;

import java.util.Set;

/**
 * A scalar query: rows matching {@code filter} (all rows if null) in the partitions; at most
 * {@code limit} (-1: all). {@code outputFieldIds} are the fields whose values each {@link Hit}
 * carries (the primary key always travels in {@link Hit#pk()}).
 */
public record QuerySpec(FilterText filter, Set<Long> partitionIds, long limit, long guaranteeTs, Set<Long> outputFieldIds) {
}
