package io.elanus.vector;

import io.elanus.common.MilvusException;
import io.milvus.grpc.DataType;

import java.util.EnumSet;
import java.util.Set;

/** Which metrics each vector type accepts, and the Milvus default metric of each. */
public final class MetricSupport {
    private MetricSupport() {
    }

    public static Set<MetricType> allowed(DataType type) {
        return switch (type) {
            case FloatVector, Float16Vector, BFloat16Vector, Int8Vector -> EnumSet.of(MetricType.L2, MetricType.IP, MetricType.COSINE);
            case BinaryVector -> EnumSet.of(MetricType.HAMMING, MetricType.JACCARD);
            case SparseFloatVector -> EnumSet.of(MetricType.IP);
            default -> throw new IllegalArgumentException("data type " + type + " is not a vector type");
        };
    }

    public static MetricType defaultMetric(DataType type) {
        return switch (type) {
            case BinaryVector -> MetricType.HAMMING;
            case SparseFloatVector -> MetricType.IP;
            default -> MetricType.COSINE;
        };
    }

    public static void check(DataType type, MetricType metric) {
        if (!allowed(type).contains(metric)) {
            throw MilvusException.invalidParameter("metric type " + metric + " is not supported for data type " + type
                    + ", supported: " + allowed(type));
        }
    }
}
