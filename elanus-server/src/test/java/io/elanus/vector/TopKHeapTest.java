package io.elanus.vector;

import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Seeds.class)
class TopKHeapTest {
    @Test
    void keepsTheKSmallestCostsBestFirst(Seed seed) {
        Random rnd = seed.random(7);
        float[] costs = new float[1000];
        for (int i = 0; i < costs.length; i++) {
            costs[i] = rnd.nextInt(200);
        }
        TopKHeap heap = new TopKHeap();
        heap.reset(10);
        for (int i = 0; i < costs.length; i++) {
            heap.offer(costs[i], i);
        }
        int[] rows = new int[10];
        float[] scores = new float[10];
        heap.drainInto(MetricType.L2, rows, scores, 0, 10);

        Integer[] order = new Integer[costs.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (x, y) -> costs[x] != costs[y] ? Float.compare(costs[x], costs[y]) : Integer.compare(x, y));
        for (int i = 0; i < 10; i++) {
            assertEquals(order[i], rows[i]);
            assertEquals(costs[order[i]], scores[i]);
        }
    }

    @Test
    void ordersNegativeFractionalAndInfiniteCostsLikeFloats(Seed seed) {
        Random rnd = seed.random(11);
        float[] costs = new float[500];
        for (int i = 0; i < costs.length; i++) {
            costs[i] = switch (i % 50) {
                case 0 -> Float.NEGATIVE_INFINITY;
                case 1 -> Float.POSITIVE_INFINITY;
                case 2 -> -Float.MIN_VALUE;
                default -> (float) rnd.nextGaussian() * (i % 3 == 0 ? 1e-3f : 1e3f);
            };
        }
        TopKHeap heap = new TopKHeap();
        heap.reset(40);
        for (int i = 0; i < costs.length; i++) {
            heap.offer(costs[i], i);
        }
        int[] rows = new int[40];
        float[] out = new float[40];
        assertEquals(40, heap.drainSorted(rows, out));
        float[] sorted = costs.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 40; i++) {
            assertEquals(sorted[i], out[i]);
            assertEquals(costs[rows[i]], out[i]);
        }
    }

    @Test
    void padsWithMinusOneAndNegatesLargerIsBetterScores() {
        TopKHeap heap = new TopKHeap();
        heap.reset(4);
        heap.offer(TopKHeap.cost(MetricType.IP, 0.5f), 3);
        heap.offer(TopKHeap.cost(MetricType.IP, 0.9f), 8);
        int[] rows = new int[5];
        float[] scores = new float[5];
        heap.drainInto(MetricType.IP, rows, scores, 1, 4);
        assertArrayEquals(new int[]{0, 8, 3, -1, -1}, rows);
        assertArrayEquals(new float[]{0, 0.9f, 0.5f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, scores);
    }
}
