package io.elanus.proxy;

import io.elanus.common.Config;
import io.elanus.common.MilvusException;
import io.elanus.common.Params;
import io.elanus.proxy.validation.FilterLimits;
import io.elanus.expr.FilterPlan;
import io.elanus.proto.CollectionInfo;
import io.elanus.proxy.validation.DefaultValues;
import io.elanus.api.FilterText;
import io.elanus.api.Hit;
import io.elanus.api.QuerySpec;
import io.elanus.api.RootCoordClient;
import io.elanus.segment.Column;
import io.elanus.segment.FieldDataBuilder;
import io.elanus.segment.FieldDataCodec;
import io.elanus.segment.FieldSchemas;
import io.milvus.grpc.ConsistencyLevel;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.QueryRequest;
import io.milvus.grpc.QueryResults;
import io.milvus.grpc.ScalarField;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** Query, get and count(*): fan out to every shard, then merge in primary-key order and apply offset/limit. */
final class QueryHandler {
    static final long READ_TIMEOUT_MS = 60_000;
    private static final String COUNT = "count(*)";

    private final RootCoordClient rootCoord;
    private final MetaCache meta;
    private final ShardFanOut shards;
    private final Config config;
    private final TimeTickSender.ReadTick tickNow;
    private final FilterLimits filterLimits;

    QueryHandler(RootCoordClient rootCoord, MetaCache meta, ShardFanOut shards, Config config, TimeTickSender.ReadTick tickNow) {
        this.rootCoord = rootCoord;
        this.meta = meta;
        this.shards = shards;
        this.config = config;
        this.tickNow = tickNow;
        this.filterLimits = new FilterLimits(config);
    }

    QueryResults query(String db, QueryRequest req) {
        CollectionInfo c = meta.collection(db, req.getCollectionName());
        // Milvus: without a limit the query is unbounded (and the offset ignored); with one, both are checked.
        Long givenLimit = intParam(req, "limit");
        long limit = givenLimit == null ? -1 : givenLimit;
        long offset = givenLimit == null ? 0 : Objects.requireNonNullElse(intParam(req, "offset"), 0L);
        boolean count = req.getOutputFieldsList().stream().anyMatch(f -> f.trim().equalsIgnoreCase(COUNT));
        if (count && req.getOutputFieldsCount() > 1) {
            throw MilvusException.invalidParameter("count entities with pagination is not allowed");
        }
        if (req.getExpr().isBlank() && givenLimit == null && !count) {
            throw MilvusException.invalidParameter("empty expression should be used with limit");
        }
        if (givenLimit != null) {
            checkResultWindow(offset, limit);
        }
        filterLimits.check(req.getExpr(), req.getExprTemplateValuesMap());
        FilterText filter = req.getExpr().isBlank() ? null
                : Filters.checked(req.getExpr(), c.getSchema(), req.getExprTemplateValuesMap());
        ReadScope scope = ReadScope.resolve(c, req.getPartitionNamesList(), meta, req.getConsistencyLevel(),
                req.getUseDefaultConsistency(), req.getGuaranteeTimestamp(), rootCoord::allocTimestamp, config, tickNow);
        OutputFields out = count ? null : OutputFields.resolve(c.getSchema(), req.getOutputFieldsList(), true);
        QuerySpec spec = new QuerySpec(filter, scope.partitionIds(), limit < 0 ? -1 : limit + offset, scope.guaranteeTs(),
                count ? Set.of() : out.fieldIds());
        if (count) {
            long total = 0;
            for (long shardCount : shards.onEveryShard(scope, (leader, vchannel) -> leader.count(vchannel, spec, READ_TIMEOUT_MS))) {
                total += shardCount;
            }
            FieldData countField = FieldData.newBuilder().setFieldName(COUNT).setType(DataType.Int64)
                    .setScalars(ScalarField.newBuilder().setLongData(LongArray.newBuilder().addData(total))).build();
            return QueryResults.newBuilder().setCollectionName(c.getSchema().getName()).addFieldsData(countField)
                    .addOutputFields(COUNT).setPrimaryFieldName(FieldSchemas.primaryKey(c.getSchema()).getName()).build();
        }
        List<Hit> hits = collect(scope, spec);
        if (limit >= 0) {
            hits.sort(Hit.BY_PK);
            int from = (int) Math.min(offset, hits.size());
            int to = (int) Math.min(offset + limit, hits.size());
            hits = hits.subList(from, to);
        }
        return QueryResults.newBuilder().setCollectionName(c.getSchema().getName()).addAllFieldsData(out.build(hits))
                .addAllOutputFields(out.names(hits)).setPrimaryFieldName(FieldSchemas.primaryKey(c.getSchema()).getName()).build();
    }

    /** Every shard's rows, shard after shard in the scope's order. */
    private List<Hit> collect(ReadScope scope, QuerySpec spec) {
        List<Hit> hits = new ArrayList<>();
        for (List<Hit> shardHits : shards.onEveryShard(scope, (leader, vchannel) -> leader.query(vchannel, spec, READ_TIMEOUT_MS))) {
            hits.addAll(shardHits);
        }
        return hits;
    }

    /**
     * Primary keys of the rows a delete-by-filter removes: every matching row written before the
     * delete. The read waits for {@code ts - 1}, not {@code ts}: the time tick cannot pass the
     * delete's own timestamp while the delete is still in flight.
     */
    Column matchingKeys(CollectionInfo c, FilterPlan filter, String partitionName, long ts) {
        ReadScope scope = ReadScope.resolve(c, partitionName.isEmpty() ? List.of() : List.of(partitionName), meta,
                ConsistencyLevel.Strong, false, 0, () -> ts - 1, config, tickNow);
        List<Hit> hits = collect(scope, new QuerySpec(Filters.text(filter), scope.partitionIds(), -1, ts - 1, Set.of()));
        FieldSchema pk = FieldSchemas.primaryKey(c.getSchema());
        return DmlHandler.keysColumn(pk, hits.stream().map(Hit::pk).toList());
    }

    /**
     * Partial upsert: completes each row with the stored values of the fields the request left out.
     * A key that is not stored yet gets nulls for the missing fields (they must be nullable).
     */
    List<FieldData> mergeWithStored(CollectionInfo c, List<FieldData> given, int rows, long ts) {
        FieldSchema pk = FieldSchemas.primaryKey(c.getSchema());
        Column keys = FieldDataCodec.toColumn(pk, DmlHandler.fieldById(given, pk.getFieldID()), rows);
        long now = ts - 1; // as for deletes: the upsert's own timestamp is still in flight
        ReadScope scope = ReadScope.resolve(c, List.of(), meta, ConsistencyLevel.Strong, false, 0, () -> now, config, tickNow);
        FilterText byKeys = new FilterText(pk.getName() + " in " + keyList(keys), Map.of());
        List<FieldSchema> missing = c.getSchema().getFieldsList().stream()
                .filter(f -> given.stream().noneMatch(fd -> fd.getFieldId() == f.getFieldID())).toList();
        Set<Long> missingIds = missing.stream().map(FieldSchema::getFieldID).collect(Collectors.toSet());
        Map<Object, Hit> stored = new HashMap<>();
        collect(scope, new QuerySpec(byKeys, Set.of(), -1, now, missingIds)).forEach(h -> stored.put(h.pk(), h));
        List<FieldData> out = new ArrayList<>(given);
        for (FieldSchema f : missing) {
            FieldDataBuilder b = new FieldDataBuilder(f, null, rows);
            Column absent = null;
            for (int row = 0; row < rows; row++) {
                Hit h = stored.get(DmlHandler.keyAt(keys, row));
                if (h != null) {
                    b.appendValue(h.value(f.getFieldID()));
                } else if (f.hasDefaultValue() || f.getNullable() || f.getIsDynamic()) {
                    // A new row gets what an insert without the field gets: its default value, else null (Milvus 2.6).
                    if (absent == null) {
                        absent = f.hasDefaultValue() ? FieldDataCodec.toColumn(f, DefaultValues.fill(f, null, 1), 1) : nullColumn(f);
                    }
                    b.append(absent, 0);
                } else {
                    throw MilvusException.invalidParameter("fieldSchema(" + f.getName()
                            + ") has no corresponding fieldData pass in for a new row in partial update");
                }
            }
            out.add(b.build());
        }
        return out;
    }

    private static Column nullColumn(FieldSchema f) {
        if (f.getIsDynamic()) {
            return FieldDataCodec.toColumn(f, FieldData.newBuilder().setFieldId(f.getFieldID()).setType(DataType.JSON)
                    .setScalars(ScalarField.newBuilder().setJsonData(io.milvus.grpc.JSONArray.newBuilder()
                            .addData(com.google.protobuf.ByteString.copyFromUtf8("{}")))).build(), 1);
        }
        return FieldDataCodec.toColumn(f, FieldData.newBuilder().setFieldId(f.getFieldID()).setType(f.getDataType())
                .addValidData(false).build(), 1);
    }

    private static String keyList(Column keys) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object k = DmlHandler.keyAt(keys, i);
            sb.append(k instanceof Long ? k.toString() : '"' + k.toString().replace("\\", "\\\\").replace("\"", "\\\"") + '"');
        }
        return sb.append(']').toString();
    }


    /** Milvus's validateMaxQueryResultWindow, with its messages behind "invalid max query result window, ". */
    private void checkResultWindow(long offset, long limit) {
        String prefix = "invalid max query result window, ";
        if (offset < 0) {
            throw MilvusException.invalidParameter(prefix + "offset [" + offset + "] is invalid, should be gte than 0");
        }
        if (limit <= 0) {
            throw MilvusException.invalidParameter(prefix + "limit [" + limit + "] is invalid, should be greater than 0");
        }
        int topkLimit = config.getInt(Params.TOPK_LIMIT);
        if (limit + offset > topkLimit) {
            throw MilvusException.invalidParameter(prefix + "(offset+limit) should be in range [1, " + topkLimit
                    + "], but got " + (limit + offset));
        }
    }

    /** Checks a filter's size before it is parsed (see {@link FilterLimits}); used by delete too. */
    void checkFilterSize(String expr, Map<String, io.milvus.grpc.TemplateValue> templates) {
        filterLimits.check(expr, templates);
    }

    /** The query parameter's value, or null when it is absent. */
    private static Long intParam(QueryRequest req, String key) {
        String v = TypeParams.get(req.getQueryParamsList(), key).orElse(null);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw MilvusException.invalidParameter(key + " [" + v + "] is invalid");
        }
    }

}
