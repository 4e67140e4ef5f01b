package io.elanus.api;

import java.util.Collections;
import java.util.Comparator;
import java.util.Map;

/**
 * One result row as a plain value: its primary key (Long or String), its score (searches only), and
 * the values of the requested output fields by field id, copied out of the segment while the query
 * node held its read lock, in the forms {@link io.elanus.segment.RowValues} gives (null for a null
 * row). A hit shares no memory with a segment; its arrays belong to it and are never mutated.
 */
public record Hit(Object pk, float score, Map<Long, Object> values) {

    /** Primary-key order, the order in which Milvus reduces query results. */
    public static final Comparator<Hit> BY_PK = (a, b) -> comparePks(a.pk(), b.pk());

    public Hit {
        values = Collections.unmodifiableMap(values);
    }

    /** Orders primary keys as {@link #BY_PK} does: numerically for Int64 keys, lexicographically otherwise. */
    public static int comparePks(Object a, Object b) {
        return a instanceof Long x && b instanceof Long y ? Long.compare(x, y) : String.valueOf(a).compareTo(String.valueOf(b));
    }

    /** The value of an output field the hit was asked to carry (null for a null row). */
    public Object value(long fieldId) {
        if (!values.containsKey(fieldId)) {
            throw new IllegalArgumentException("hit carries no field " + fieldId);
        }
        return values.get(fieldId);
    }

    /** The same row with another score (a hybrid search's fused score). */
    public Hit withScore(float newScore) {
        return new Hit(pk, newScore, values);
    }
}
