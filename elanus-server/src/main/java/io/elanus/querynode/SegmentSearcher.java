package io.elanus.querynode;

import io.elanus.api.Hit;
import io.elanus.api.QuerySpec;
import io.elanus.api.SearchSpec;

import io.elanus.common.MilvusException;
import io.elanus.expr.FilterPlan;
import io.elanus.segment.Chunk;
import io.elanus.segment.Column;
import io.elanus.segment.LongColumn;
import io.elanus.segment.RowValues;
import io.elanus.segment.StringColumn;
import io.elanus.vector.FlatSearch;
import io.elanus.vector.SearchHits;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a search or query over the segments of one shard at an MVCC timestamp: per chunk, the rows
 * visible at that time and matching the filter form a bitset; vectors are then searched exactly
 * (growing data, or sealed segments without an index) or through the segment's index. Runs under
 * the delegator's read lock: the rows that make the result are turned into {@link Hit}s holding
 * copies of their output values, so nothing returned points into a segment.
 */
final class SegmentSearcher {
    private SegmentSearcher() {
    }

    /** A row found while searching, not yet copied out: only the ones that make the top-k are. */
    private record Candidate(Object pk, float score, Chunk chunk, int row) {
    }

    static List<List<Hit>> search(List<LoadedSegment> segments, long mvccTs, SearchSpec spec, FilterPlan filter,
                                  long pkFieldId, Map<Long, SegmentIndex> indexes) {
        int nq = spec.queries().count();
        List<List<Candidate>> perQuery = new ArrayList<>(nq);
        for (int q = 0; q < nq; q++) {
            perQuery.add(new ArrayList<>());
        }
        for (LoadedSegment seg : segments) {
            if (!inScope(seg, spec.partitionIds()) || (spec.ignoreGrowing() && !seg.sealed)) {
                continue;
            }
            for (LoadedChunk lc : seg.chunks()) {
                BitSet allowed = allowedRows(lc, mvccTs, filter);
                if (allowed != null && allowed.isEmpty()) {
                    continue;
                }
                SegmentIndex index = seg.sealed ? indexes.get(seg.id) : null;
                // A bad search parameter (e.g. ef smaller than k) is the engine's own "invalid parameter" error.
                SearchHits hits = index != null && index.fieldId() == spec.annsFieldId()
                        ? index.index().search(spec.queries(), spec.topK(), allowed, spec.params())
                        : FlatSearch.search(lc.chunk.column(spec.annsFieldId()), spec.metric(), spec.queries(),
                        spec.topK(), allowed, spec.params());
                Column pk = lc.chunk.column(pkFieldId);
                for (int q = 0; q < nq; q++) {
                    for (int i = 0; i < hits.k(); i++) {
                        int row = hits.rows()[q * hits.k() + i];
                        if (row >= 0) {
                            perQuery.get(q).add(new Candidate(pkAt(pk, row), hits.scores()[q * hits.k() + i], lc.chunk, row));
                        }
                    }
                }
            }
        }
        Comparator<Candidate> order = spec.metric().largerIsBetter()
                ? Comparator.comparingDouble((Candidate c) -> c.score()).reversed()
                : Comparator.comparingDouble((Candidate c) -> c.score());
        List<List<Hit>> out = new ArrayList<>(nq);
        for (List<Candidate> candidates : perQuery) {
            candidates.sort(order);
            out.add(copyOut(candidates.subList(0, Math.min(candidates.size(), spec.topK())), spec.outputFieldIds()));
        }
        return out;
    }

    /** Matching rows; with a limit, the smallest primary keys first (Milvus reduces query results in key order). */
    static List<Hit> query(List<LoadedSegment> segments, long mvccTs, QuerySpec spec, FilterPlan filter, long pkFieldId) {
        List<Candidate> out = new ArrayList<>();
        for (LoadedSegment seg : segments) {
            if (!inScope(seg, spec.partitionIds())) {
                continue;
            }
            for (LoadedChunk lc : seg.chunks()) {
                BitSet allowed = allowedRows(lc, mvccTs, filter);
                Column pk = lc.chunk.column(pkFieldId);
                if (allowed == null) {
                    for (int row = 0; row < lc.chunk.rowCount(); row++) {
                        out.add(new Candidate(pkAt(pk, row), 0f, lc.chunk, row));
                    }
                    continue;
                }
                for (int row = allowed.nextSetBit(0); row >= 0; row = allowed.nextSetBit(row + 1)) {
                    out.add(new Candidate(pkAt(pk, row), 0f, lc.chunk, row));
                }
            }
        }
        List<Candidate> kept = out;
        if (spec.limit() >= 0) {
            out.sort((a, b) -> Hit.comparePks(a.pk(), b.pk()));
            kept = out.subList(0, (int) Math.min(out.size(), spec.limit()));
        }
        return copyOut(kept, spec.outputFieldIds());
    }

    static long count(List<LoadedSegment> segments, long mvccTs, QuerySpec spec, FilterPlan filter) {
        long n = 0;
        for (LoadedSegment seg : segments) {
            if (inScope(seg, spec.partitionIds())) {
                for (LoadedChunk lc : seg.chunks()) {
                    n += cardinality(allowedRows(lc, mvccTs, filter), lc);
                }
            }
        }
        return n;
    }

    private static List<Hit> copyOut(List<Candidate> candidates, Set<Long> fieldIds) {
        List<Hit> hits = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            hits.add(new Hit(c.pk(), c.score(), values(c.chunk(), c.row(), fieldIds)));
        }
        return hits;
    }

    private static Map<Long, Object> values(Chunk chunk, int row, Set<Long> fieldIds) {
        if (fieldIds.isEmpty()) {
            return Map.of();
        }
        Map<Long, Object> values = HashMap.newHashMap(fieldIds.size());
        for (long id : fieldIds) {
            values.put(id, RowValues.copy(chunk.column(id), row));
        }
        return values;
    }

    private static boolean inScope(LoadedSegment seg, Set<Long> partitions) {
        return partitions.isEmpty() || partitions.contains(seg.partitionId);
    }

    /**
     * The rows a search or query may return: visible at the MVCC time and matching the filter.
     * {@code null} means every row, which lets exact search skip the bitset entirely.
     */
    private static BitSet allowedRows(LoadedChunk lc, long mvccTs, FilterPlan filter) {
        if (lc.allVisible(mvccTs)) {
            return filter == null ? null : filter.evaluate(lc.chunk);
        }
        BitSet allowed = lc.visible(mvccTs);
        if (filter != null && !allowed.isEmpty()) {
            allowed.and(filter.evaluate(lc.chunk));
        }
        return allowed;
    }

    private static int cardinality(BitSet rows, LoadedChunk lc) {
        return rows == null ? lc.chunk.rowCount() : rows.cardinality();
    }

    static Object pkAt(Column pk, int row) {
        return pk instanceof LongColumn lc ? (Object) lc.values()[row] : ((StringColumn) pk).values()[row];
    }

}
