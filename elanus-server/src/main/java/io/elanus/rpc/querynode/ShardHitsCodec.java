package io.elanus.rpc.querynode;

import io.elanus.api.Hit;

import com.google.protobuf.ByteString;
import io.elanus.proto.HitFieldValues;
import io.elanus.proto.HitValue;
import io.elanus.proto.ShardHits;
import io.elanus.proto.ShardSearchResponse;
import io.milvus.grpc.BoolArray;
import io.milvus.grpc.DoubleArray;
import io.milvus.grpc.FloatArray;
import io.milvus.grpc.IDs;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.StringArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hits on the wire: primary keys, scores and, per requested field, the hits' values. A value
 * travels in the Java form it has in the {@link Hit} (see {@link io.elanus.segment.RowValues}), so
 * the receiving side gets back equal values without knowing the schema.
 */
final class ShardHitsCodec {
    private ShardHitsCodec() {
    }

    static ShardSearchResponse encodeSearch(List<List<Hit>> perQuery, Collection<Long> fieldIds) {
        List<Hit> all = new ArrayList<>();
        ShardSearchResponse.Builder b = ShardSearchResponse.newBuilder();
        for (List<Hit> hits : perQuery) {
            all.addAll(hits);
            b.addHitsPerQuery(hits.size());
        }
        return b.setHits(encode(all, fieldIds)).build();
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

    static ShardHits encode(List<Hit> hits, Collection<Long> fieldIds) {
        ShardHits.Builder b = ShardHits.newBuilder().setIds(ids(hits));
        hits.forEach(h -> b.addScores(h.score()));
        for (long id : fieldIds) {
            HitFieldValues.Builder field = HitFieldValues.newBuilder().setFieldId(id);
            hits.forEach(h -> field.addValues(encodeValue(h.value(id))));
            b.addFields(field);
        }
        return b.build();
    }

    static List<Hit> decode(ShardHits wire) {
        int n = wire.getScoresCount();
        List<Map<Long, Object>> values = new ArrayList<>(n);
        for (int row = 0; row < n; row++) {
            values.add(wire.getFieldsCount() == 0 ? Map.of() : HashMap.newHashMap(wire.getFieldsCount()));
        }
        for (HitFieldValues field : wire.getFieldsList()) {
            for (int row = 0; row < n; row++) {
                values.get(row).put(field.getFieldId(), decodeValue(field.getValues(row)));
            }
        }
        IDs ids = wire.getIds();
        List<Hit> hits = new ArrayList<>(n);
        for (int row = 0; row < n; row++) {
            Object pk = ids.hasIntId() ? (Object) ids.getIntId().getData(row) : ids.getStrId().getData(row);
            hits.add(new Hit(pk, wire.getScores(row), values.get(row)));
        }
        return hits;
    }

    /** Int64 keys as int ids, VarChar keys as string ids (no hits: neither). */
    private static IDs ids(List<Hit> hits) {
        if (hits.isEmpty()) {
            return IDs.getDefaultInstance();
        }
        if (hits.getFirst().pk() instanceof Long) {
            LongArray.Builder a = LongArray.newBuilder();
            hits.forEach(h -> a.addData((Long) h.pk()));
            return IDs.newBuilder().setIntId(a).build();
        }
        StringArray.Builder a = StringArray.newBuilder();
        hits.forEach(h -> a.addData((String) h.pk()));
        return IDs.newBuilder().setStrId(a).build();
    }

    static HitValue encodeValue(Object value) {
        HitValue.Builder b = HitValue.newBuilder();
        switch (value) {
            case null -> {
            }
            case Boolean v -> b.setBoolValue(v);
            case Long v -> b.setLongValue(v);
            case Double v -> b.setDoubleValue(v);
            case String v -> b.setStringValue(v);
            case byte[] v -> b.setBytesValue(ByteString.copyFrom(v));
            case float[] v -> {
                FloatArray.Builder a = FloatArray.newBuilder();
                for (float x : v) {
                    a.addData(x);
                }
                b.setFloats(a);
            }
            case boolean[] v -> {
                BoolArray.Builder a = BoolArray.newBuilder();
                for (boolean x : v) {
                    a.addData(x);
                }
                b.setBools(a);
            }
            case long[] v -> b.setLongs(LongArray.newBuilder().addAllData(Arrays.stream(v).boxed().toList()));
            case double[] v -> b.setDoubles(DoubleArray.newBuilder().addAllData(Arrays.stream(v).boxed().toList()));
            case String[] v -> b.setStrings(StringArray.newBuilder().addAllData(Arrays.asList(v)));
            default -> throw new IllegalArgumentException("not a hit value: " + value.getClass().getName());
        }
        return b.build();
    }

    static Object decodeValue(HitValue v) {
        return switch (v.getValueCase()) {
            case VALUE_NOT_SET -> null;
            case BOOL_VALUE -> v.getBoolValue();
            case LONG_VALUE -> v.getLongValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case STRING_VALUE -> v.getStringValue();
            case BYTES_VALUE -> v.getBytesValue().toByteArray();
            case FLOATS -> {
                float[] a = new float[v.getFloats().getDataCount()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = v.getFloats().getData(i);
                }
                yield a;
            }
            case BOOLS -> {
                boolean[] a = new boolean[v.getBools().getDataCount()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = v.getBools().getData(i);
                }
                yield a;
            }
            case LONGS -> v.getLongs().getDataList().stream().mapToLong(Long::longValue).toArray();
            case DOUBLES -> v.getDoubles().getDataList().stream().mapToDouble(Double::doubleValue).toArray();
            case STRINGS -> v.getStrings().getDataList().toArray(new String[0]);
        };
    }
}
