package io.elanus.vector;

import io.elanus.common.MilvusException;

import java.util.Locale;
import java.util.Map;

/**
 * Milvus range search ("radius" and optional "range_filter") as an interval of costs
 * ({@code low <= cost < high}), where cost is the score made smaller-is-better. For L2, HAMMING and
 * JACCARD Milvus keeps {@code range_filter <= distance < radius}; for IP and COSINE
 * {@code radius < score <= range_filter}.
 */
record CostRange(float low, float high) {
    static final CostRange ALL = new CostRange(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);

    static CostRange parse(MetricType metric, Map<String, String> params) {
        float radius = Params.floatParam(params, "radius");
        float rangeFilter = Params.floatParam(params, "range_filter");
        if (Float.isNaN(radius)) {
            if (!Float.isNaN(rangeFilter)) {
                throw MilvusException.invalidParameter("range_filter requires radius to be set");
            }
            return ALL;
        }
        if (metric.largerIsBetter()) {
            if (!Float.isNaN(rangeFilter) && rangeFilter <= radius) {
                throw MilvusException.invalidParameter("range_filter must be greater than radius for IP/COSINE, "
                        + bounds(radius, rangeFilter));
            }
            return new CostRange(Float.isNaN(rangeFilter) ? Float.NEGATIVE_INFINITY : -rangeFilter, -radius);
        }
        if (!Float.isNaN(rangeFilter) && rangeFilter >= radius) {
            throw MilvusException.invalidParameter("range_filter must be less than radius for L2/HAMMING/JACCARD, "
                    + bounds(radius, rangeFilter));
        }
        return new CostRange(Float.isNaN(rangeFilter) ? Float.NEGATIVE_INFINITY : rangeFilter, radius);
    }

    /** Milvus's proxy words the values this way ({@code %f}). */
    private static String bounds(float radius, float rangeFilter) {
        return String.format(Locale.ROOT, "range_filter:%f, radius:%f", rangeFilter, radius);
    }

    boolean isAll() {
        return this == ALL || (low == Float.NEGATIVE_INFINITY && high == Float.POSITIVE_INFINITY);
    }

    boolean contains(float cost) {
        return cost >= low && cost < high;
    }
}
