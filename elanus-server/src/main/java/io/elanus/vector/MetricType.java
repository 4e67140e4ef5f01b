package io.elanus.vector;

import io.elanus.common.MilvusException;

import java.util.Locale;

/**
 * Milvus's similarity metrics. Scores are reported the way Milvus reports its "distance": L2 is the
 * squared Euclidean distance, IP the dot product, COSINE the cosine similarity, HAMMING the number
 * of differing bits and JACCARD the distance {@code 1 - |a & b| / |a | b|}.
 */
public enum MetricType {
    L2, IP, COSINE, HAMMING, JACCARD;

    /** Case-insensitive parse of a Milvus metric name; an unknown name is an invalid parameter. */
    public static MetricType parse(String s) {
        if (s == null || s.isBlank()) {
            throw MilvusException.invalidParameter("metric type not found or not supported, supported: [L2 IP COSINE HAMMING JACCARD]");
        }
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw MilvusException.invalidParameter("metric type not found or not supported, supported: [L2 IP COSINE HAMMING JACCARD], got: " + s);
        }
    }

    public boolean largerIsBetter() {
        return this == IP || this == COSINE;
    }

    /** Whether score {@code a} ranks strictly before score {@code b} under this metric. */
    public boolean better(float a, float b) {
        return largerIsBetter() ? a > b : a < b;
    }

    /** The score that ranks after every real score; used to pad missing hits. */
    public float worstScore() {
        return largerIsBetter() ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
    }
}
