package io.elanus.proxy;

import io.elanus.api.Hit;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The merge of the shards' top-k gives what the proxy gave before it merged: a stable sort of all
 * shards' hits laid end to end in shard order, first of each primary key kept, cut at k; ties in
 * score included. Randomized through {@link Seeds}.
 */
@ExtendWith(Seeds.class)
class SearchReduceTest {

    @Test
    void theMergeEqualsAStableSortOfAllShardsHitsInShardOrder(Seed seed) {
        Random random = seed.random(0);
        for (int round = 0; round < 2_000; round++) {
            int shards = 1 + random.nextInt(4);
            int nq = 1 + random.nextInt(3);
            int k = 1 + random.nextInt(12);
            boolean largerIsBetter = random.nextBoolean();
            List<List<List<Hit>>> perShard = new ArrayList<>();
            for (int s = 0; s < shards; s++) {
                List<List<Hit>> queries = new ArrayList<>();
                for (int q = 0; q < nq; q++) {
                    List<Hit> hits = new ArrayList<>();
                    int n = random.nextInt(k + 3);
                    for (int i = 0; i < n; i++) {
                        // Few distinct scores and keys: ties and duplicate keys (a row in a growing and a sealed segment) are common.
                        Object pk = random.nextBoolean() ? (Object) (long) random.nextInt(20) : "k" + random.nextInt(20);
                        hits.add(hit(pk, random.nextInt(6) / 2f));
                    }
                    // Query nodes return their hits best first; now and then one does not, which must not matter.
                    if (random.nextInt(8) != 0) {
                        hits.sort(SearchReduce.order(largerIsBetter));
                    }
                    queries.add(hits);
                }
                perShard.add(queries);
            }
            List<List<Hit>> merged = SearchReduce.merge(perShard, nq, k, largerIsBetter);
            for (int q = 0; q < nq; q++) {
                assertEquals(reference(perShard, q, k, largerIsBetter), merged.get(q), "seed " + seed + ", round " + round + ", query " + q);
            }
        }
    }

    @Test
    void equalScoresKeepShardOrderThenTheOrderWithinTheShard() {
        List<List<List<Hit>>> perShard = List.of(
                List.of(List.of(hit(1L, 0.5f), hit(2L, 0.5f), hit(3L, 0.1f))),
                List.of(List.of(hit(4L, 0.9f), hit(5L, 0.5f), hit(1L, 0.5f))));
        List<Hit> best = SearchReduce.merge(perShard, 1, 4, true).getFirst();
        assertEquals(List.of(4L, 1L, 2L, 5L), best.stream().map(Hit::pk).toList());
    }

    /** What the proxy did before: all hits end to end, a stable sort, the first of each key, at most k. */
    private static List<Hit> reference(List<List<List<Hit>>> perShard, int q, int k, boolean largerIsBetter) {
        List<Hit> all = new ArrayList<>();
        perShard.forEach(shard -> all.addAll(shard.get(q)));
        all.sort(SearchReduce.order(largerIsBetter));
        Set<Object> seen = new HashSet<>();
        List<Hit> out = new ArrayList<>();
        for (Hit h : all) {
            if (out.size() < k && seen.add(h.pk())) {
                out.add(h);
            }
        }
        return out;
    }

    private static Hit hit(Object pk, float score) {
        return new Hit(pk, score, Map.of());
    }
}
