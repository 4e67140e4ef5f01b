package io.elanus.proxy;

import io.elanus.api.Hit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one reduce of a search: per query, the best {@code k} distinct rows of the whole collection from
 * the shards' own top-k lists, best first. It is a merge of the shards' lists, and gives exactly what a
 * stable sort of the shards' lists laid end to end (in shard order) would: rows of equal score keep the
 * shard order, then their order within the shard; of rows with the same primary key the first is kept.
 */
final class SearchReduce {
    private SearchReduce() {
    }

    /** @param perShard each shard's answer: per query, its hits (best first, as the query nodes return them) */
    static List<List<Hit>> merge(List<List<List<Hit>>> perShard, int nq, int k, boolean largerIsBetter) {
        Comparator<Hit> order = order(largerIsBetter);
        List<List<Hit>> out = new ArrayList<>(nq);
        for (int q = 0; q < nq; q++) {
            List<List<Hit>> lists = new ArrayList<>(perShard.size());
            for (List<List<Hit>> shard : perShard) {
                lists.add(sorted(shard.get(q), order));
            }
            out.add(mergeOne(lists, k, order));
        }
        return out;
    }

    /** Best first: by score, larger or smaller first as the metric says. */
    static Comparator<Hit> order(boolean largerIsBetter) {
        return largerIsBetter ? (a, b) -> Float.compare(b.score(), a.score()) : (a, b) -> Float.compare(a.score(), b.score());
    }

    private static List<Hit> mergeOne(List<List<Hit>> lists, int k, Comparator<Hit> order) {
        int[] next = new int[lists.size()];
        Set<Object> seen = new HashSet<>();
        List<Hit> out = new ArrayList<>(k);
        while (out.size() < k) {
            int best = -1;
            for (int s = 0; s < lists.size(); s++) {
                // Strictly better only: a tie goes to the earlier shard.
                if (next[s] < lists.get(s).size()
                        && (best < 0 || order.compare(lists.get(s).get(next[s]), lists.get(best).get(next[best])) < 0)) {
                    best = s;
                }
            }
            if (best < 0) {
                break;
            }
            Hit h = lists.get(best).get(next[best]++);
            if (seen.add(h.pk())) {
                out.add(h);
            }
        }
        return out;
    }

    /** The shard's list as it is when already in order (query nodes sort theirs), else a stably sorted copy. */
    private static List<Hit> sorted(List<Hit> hits, Comparator<Hit> order) {
        for (int i = 1; i < hits.size(); i++) {
            if (order.compare(hits.get(i - 1), hits.get(i)) > 0) {
                List<Hit> copy = new ArrayList<>(hits);
                copy.sort(order);
                return copy;
            }
        }
        return hits;
    }
}
