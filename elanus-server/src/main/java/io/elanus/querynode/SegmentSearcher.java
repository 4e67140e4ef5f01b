package io.elanus.querynode;

import io.elanus.segment.Column;
import io.elanus.segment.LongColumn;
import io.elanus.segment.StringColumn;
import io.elanus.vector.FlatSearch;
import io.elanus.vector.SearchHits;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Runs a search or query over the segments of one shard at an MVCC timestamp: per chunk, the rows
 * visible at that time and matching the filter form a bitset; vectors are then searched exactly
 * (growing data, or sealed segments without an index) or through the segment's index.
 */
final class SegmentSearcher {
    private SegmentSearcher() {
    }

    static List<List<Hit>> search(List<LoadedSegment> segments, long mvccTs, SearchSpec spec, long pkFieldId,
                                  Map<Long, SegmentIndex> indexes) {
        int nq = spec.queries().count();
        List<List<Hit>> perQuery = new ArrayList<>(nq);
        for (int q = 0; q < nq; q++) {
            perQuery.add(new ArrayList<>());
        }
        for (LoadedSegment seg : segments) {
            if (!inScope(seg, spec.partitionIds()) || (spec.ignoreGrowing() && !seg.sealed)) {
                continue;
            }
            for (LoadedChunk lc : seg.chunks()) {
                BitSet allowed = allowedRows(lc, mvccTs, spec.filter());
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
                            perQuery.get(q).add(new Hit(pkAt(pk, row), hits.scores()[q * hits.k() + i], lc.chunk, row));
                        }
                    }
                }
            }
        }
        Comparator<Hit> order = spec.metric().largerIsBetter()
                ? Comparator.comparingDouble((Hit h) -> h.score()).reversed()
                : Comparator.comparingDouble((Hit h) -> h.score());
        for (int q = 0; q < nq; q++) {
            List<Hit> hits = perQuery.get(q);
            hits.sort(order);
            if (hits.size() > spec.topK()) {
                perQuery.set(q, new ArrayList<>(hits.subList(0, spec.topK())));
            }
        }
        return perQuery;
    }

    /** Matching rows; with a limit, the smallest primary keys first (Milvus reduces query results in key order). */
    static List<Hit> query(List<LoadedSegment> segments, long mvccTs, QuerySpec spec, long pkFieldId) {
        List<Hit> out = new ArrayList<>();
        for (LoadedSegment seg : segments) {
            if (!inScope(seg, spec.partitionIds())) {
                continue;
            }
            for (LoadedChunk lc : seg.chunks()) {
                BitSet allowed = allowedRows(lc, mvccTs, spec.filter());
                Column pk = lc.chunk.column(pkFieldId);
                if (allowed == null) {
                    for (int row = 0; row < lc.chunk.rowCount(); row++) {
                        out.add(new Hit(pkAt(pk, row), 0f, lc.chunk, row));
                    }
                    continue;
                }
                for (int row = allowed.nextSetBit(0); row >= 0; row = allowed.nextSetBit(row + 1)) {
                    out.add(new Hit(pkAt(pk, row), 0f, lc.chunk, row));
                }
            }
        }
        if (spec.limit() >= 0) {
            out.sort(Hit.BY_PK);
            if (out.size() > spec.limit()) {
                return new ArrayList<>(out.subList(0, (int) spec.limit()));
            }
        }
        return out;
    }

    static long count(List<LoadedSegment> segments, long mvccTs, QuerySpec spec) {
        long n = 0;
        for (LoadedSegment seg : segments) {
            if (inScope(seg, spec.partitionIds())) {
                for (LoadedChunk lc : seg.chunks()) {
                    n += cardinality(allowedRows(lc, mvccTs, spec.filter()), lc);
                }
            }
        }
        return n;
    }


    private static boolean inScope(LoadedSegment seg, java.util.Set<Long> partitions) {
        return partitions.isEmpty() || partitions.contains(seg.partitionId);
    }

    /**
     * The rows a search or query may return: visible at the MVCC time and matching the filter.
     * {@code null} means every row, which lets exact search skip the bitset entirely.
     */
    private static BitSet allowedRows(LoadedChunk lc, long mvccTs, io.elanus.expr.FilterPlan filter) {
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
