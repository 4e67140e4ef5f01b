package io.elanus.rpc.querynode;

import io.elanus.api.Hit;

import io.elanus.proto.ShardHits;
import io.elanus.proto.ShardSearchResponse;
import io.elanus.segment.Chunk;
import io.elanus.segment.Column;
import io.elanus.segment.FieldDataBuilder;
import io.elanus.segment.FieldDataCodec;
import io.elanus.segment.FieldSchemas;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.IDs;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.StringArray;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hits on the wire: primary keys, scores and the requested fields' values of the hit rows, as
 * Milvus field data. The receiving side rebuilds one small chunk holding just those rows (row i =
 * hit i), so a {@link Hit} reads the same through {@code chunk().column(fieldId)} as in-process.
 * Rebuilt chunks carry no insert timestamps (they are results, not segment data).
 */
final class ShardHitsCodec {
    private ShardHitsCodec() {
    }

    static ShardSearchResponse encodeSearch(List<List<Hit>> perQuery, CollectionSchema schema, Collection<Long> fieldIds) {
        List<Hit> all = new ArrayList<>();
        ShardSearchResponse.Builder b = ShardSearchResponse.newBuilder();
        for (List<Hit> hits : perQuery) {
            all.addAll(hits);
            b.addHitsPerQuery(hits.size());
        }
        return b.setHits(encode(all, schema, fieldIds)).build();
    }

    static List<List<Hit>> decodeSearch(ShardSearchResponse response) {
        List<Hit> all = decode(response.getHits());
        List<List<Hit>> perQuery = new ArrayList<>(response.getHitsPerQueryCount());
        int from = 0;
        for (int n : response.getHitsPerQueryList()) {
            perQuery.add(new ArrayList<>(all.subList(from, from + n)));
            from += n;
        }
        return perQuery;
    }

    static ShardHits encode(List<Hit> hits, CollectionSchema schema, Collection<Long> fieldIds) {
        ShardHits.Builder b = ShardHits.newBuilder().setIds(ids(hits, FieldSchemas.primaryKey(schema)));
        hits.forEach(h -> b.addScores(h.score()));
        for (long id : fieldIds) {
            FieldSchema field = schema.getFieldsList().stream().filter(f -> f.getFieldID() == id).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("collection " + schema.getName() + " has no field " + id));
            FieldDataBuilder data = new FieldDataBuilder(field, null, hits.size());
            hits.forEach(h -> data.append(h.chunk().column(id), h.row()));
            b.addFields(field).addFieldsData(data.build());
        }
        return b.build();
    }

    static List<Hit> decode(ShardHits wire) {
        int n = wire.getScoresCount();
        Map<Long, Column> columns = new HashMap<>();
        for (int i = 0; i < wire.getFieldsCount(); i++) {
            FieldSchema field = wire.getFields(i);
            columns.put(field.getFieldID(), FieldDataCodec.toColumn(field, wire.getFieldsData(i), n));
        }
        Chunk chunk = new Chunk(n, new long[n], Map.copyOf(columns));
        IDs ids = wire.getIds();
        List<Hit> hits = new ArrayList<>(n);
        for (int row = 0; row < n; row++) {
            Object pk = ids.hasIntId() ? (Object) ids.getIntId().getData(row) : ids.getStrId().getData(row);
            hits.add(new Hit(pk, wire.getScores(row), chunk, row));
        }
        return hits;
    }

    private static IDs ids(List<Hit> hits, FieldSchema pk) {
        if (pk.getDataType() == DataType.Int64) {
            LongArray.Builder a = LongArray.newBuilder();
            hits.forEach(h -> a.addData((Long) h.pk()));
            return IDs.newBuilder().setIntId(a).build();
        }
        StringArray.Builder a = StringArray.newBuilder();
        hits.forEach(h -> a.addData((String) h.pk()));
        return IDs.newBuilder().setStrId(a).build();
    }
}
