package io.elanus.api;

import io.elanus.segment.Chunk;

import java.util.Comparator;

/** One result row: its primary key (Long or String), score (searches only), and where its values are. */
public record Hit(Object pk, float score, Chunk chunk, int row) {

    /** Primary-key order, the order in which Milvus reduces query results. */
    public static final Comparator<Hit> BY_PK = (a, b) -> a.pk() instanceof Long x && b.pk() instanceof Long y
            ? Long.compare(x, y)
            : String.valueOf(a.pk()).compareTo(String.valueOf(b.pk()));
}
