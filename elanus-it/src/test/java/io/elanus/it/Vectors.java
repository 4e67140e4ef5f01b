package io.elanus.it;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/** Test data and exact (brute-force) reference distances, computed the way Milvus reports them. */
public final class Vectors {

    public enum Metric {
        /** Squared Euclidean distance (Milvus reports L2 without the square root); smaller is closer. */
        L2(false),
        IP(true),
        COSINE(true),
        HAMMING(false);

        final boolean largerIsCloser;

        Metric(boolean largerIsCloser) {
            this.largerIsCloser = largerIsCloser;
        }
    }

    /** One expected hit: row index into the data set and its exact score. */
    public record Hit(int row, double score) {
    }

    private Vectors() {
    }

    public static float[][] randomFloats(Random random, int count, int dim) {
        float[][] vectors = new float[count][dim];
        for (float[] vector : vectors) {
            for (int d = 0; d < dim; d++) {
                vector[d] = random.nextFloat() * 2 - 1;
            }
        }
        return vectors;
    }

    /** Values on a 1/256 grid in [-1, 1): exactly representable in float16 and bfloat16, so no rounding muddles expectations. */
    public static float[][] halfPrecisionExactFloats(Random random, int count, int dim) {
        float[][] vectors = new float[count][dim];
        for (float[] vector : vectors) {
            for (int d = 0; d < dim; d++) {
                vector[d] = (random.nextInt(512) - 256) / 256f;
            }
        }
        return vectors;
    }

    public static byte[][] randomBits(Random random, int count, int dimBits) {
        byte[][] vectors = new byte[count][dimBits / 8];
        for (byte[] vector : vectors) {
            random.nextBytes(vector);
        }
        return vectors;
    }

    public static List<SortedMap<Long, Float>> randomSparse(Random random, int count, int maxIndex, int nonZeros) {
        List<SortedMap<Long, Float>> vectors = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SortedMap<Long, Float> vector = new TreeMap<>();
            while (vector.size() < nonZeros) {
                vector.put((long) random.nextInt(maxIndex), 0.05f + random.nextFloat());
            }
            vectors.add(vector);
        }
        return vectors;
    }

    public static List<Float> boxed(float[] vector) {
        List<Float> list = new ArrayList<>(vector.length);
        for (float v : vector) {
            list.add(v);
        }
        return list;
    }

    public static double score(Metric metric, float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        double l2 = 0;
        for (int d = 0; d < a.length; d++) {
            dot += (double) a[d] * b[d];
            normA += (double) a[d] * a[d];
            normB += (double) b[d] * b[d];
            double diff = (double) a[d] - b[d];
            l2 += diff * diff;
        }
        return switch (metric) {
            case L2 -> l2;
            case IP -> dot;
            case COSINE -> dot / (Math.sqrt(normA) * Math.sqrt(normB));
            case HAMMING -> throw new IllegalArgumentException("HAMMING needs binary vectors");
        };
    }

    public static double hamming(byte[] a, byte[] b) {
        int bits = 0;
        for (int i = 0; i < a.length; i++) {
            bits += Integer.bitCount((a[i] ^ b[i]) & 0xff);
        }
        return bits;
    }

    public static double sparseDot(SortedMap<Long, Float> a, SortedMap<Long, Float> b) {
        double dot = 0;
        for (var entry : a.entrySet()) {
            Float other = b.get(entry.getKey());
            if (other != null) {
                dot += (double) entry.getValue() * other;
            }
        }
        return dot;
    }

    /** Exact top-k over the given per-row scores, best first. */
    public static List<Hit> topK(double[] scores, Metric metric, int k) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> metric.largerIsCloser
                ? Double.compare(scores[y], scores[x])
                : Double.compare(scores[x], scores[y]));
        List<Hit> hits = new ArrayList<>(Math.min(k, scores.length));
        for (int i = 0; i < Math.min(k, scores.length); i++) {
            hits.add(new Hit(order[i], scores[order[i]]));
        }
        return hits;
    }

    public static double[] scoresAgainst(Metric metric, float[] query, float[][] data) {
        double[] scores = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            scores[i] = score(metric, query, data[i]);
        }
        return scores;
    }
}
