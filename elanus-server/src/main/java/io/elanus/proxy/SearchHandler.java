package io.elanus.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.elanus.common.Config;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.common.Params;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.IndexMeta;
import io.elanus.proxy.validation.FilterLimits;
import io.elanus.proxy.validation.SearchParamChecks;
import io.elanus.api.FilterText;
import io.elanus.api.Hit;
import io.elanus.api.SearchSpec;
import io.elanus.api.RootCoordClient;
import io.elanus.segment.FieldSchemas;
import io.elanus.vector.MetricType;
import io.elanus.vector.VectorIndexes;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.HybridSearchRequest;
import io.milvus.grpc.IDs;
import io.milvus.grpc.KeyValuePair;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.PlaceholderGroup;
import io.milvus.grpc.PlaceholderValue;
import io.milvus.grpc.SearchRequest;
import io.milvus.grpc.SearchResultData;
import io.milvus.grpc.SearchResults;
import io.milvus.grpc.StringArray;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Vector search: parses Milvus's search parameters and placeholder group, fans the search out to
 * every shard delegator, merges their per-shard top-k by score, applies offset/limit and
 * round_decimal, and gathers output fields.
 */
final class SearchHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int AUTOINDEX_MIN_EF = 100;

    private final RootCoordClient rootCoord;
    private final MetaCache meta;
    private final ShardFanOut shards;
    private final Config config;
    private final TimeTickSender.ReadTick tickNow;
    private final FilterLimits filterLimits;

    SearchHandler(RootCoordClient rootCoord, MetaCache meta, ShardFanOut shards, Config config, TimeTickSender.ReadTick tickNow) {
        this.rootCoord = rootCoord;
        this.meta = meta;
        this.shards = shards;
        this.config = config;
        this.tickNow = tickNow;
        this.filterLimits = new FilterLimits(config);
    }

    SearchResults search(String db, SearchRequest req) {
        if (req.getSubReqsCount() > 0) {
            throw new MilvusException(MilvusError.SERVICE_UNIMPLEMENTED, "sub-requests in Search are not supported; use HybridSearch");
        }
        CollectionInfo c = meta.collection(db, req.getCollectionName());
        List<KeyValuePair> sp = req.getSearchParamsList();
        Map<String, String> params = parseParams(TypeParams.get(sp, "params").orElse("{}"));
        long limit = limit(TypeParams.get(sp, "topk").orElse(params.getOrDefault("topk", params.get("limit"))));
        long offset = offset(TypeParams.get(sp, "offset").orElse(params.get("offset")), limit);
        int roundDecimal = roundDecimal(TypeParams.get(sp, "round_decimal").orElse("-1"));
        OutputFields out = OutputFields.resolve(c.getSchema(), req.getOutputFieldsList(), false);
        Ranked ranked = run(c, req, req.getPartitionNamesList(), (int) (offset + limit), out.fieldIds());
        return toResults(c, ranked.perQuery(), offset, limit, roundDecimal, out);
    }

    /**
     * Hybrid search: runs every sub-request (one vector field each) over the same partitions and
     * consistency, then fuses their rankings with RRF (score = sum of 1 / (k + rank)) or a weighted
     * sum of normalised scores, as Milvus's RRFRanker and WeightedRanker do.
     */
    SearchResults hybridSearch(String db, HybridSearchRequest req) {
        CollectionInfo c = meta.collection(db, req.getCollectionName());
        if (req.getRequestsCount() == 0) {
            throw MilvusException.invalidParameter("hybrid search needs at least one sub-request");
        }
        if (req.hasFunctionScore() && req.getFunctionScore().getFunctionsCount() > 0) {
            throw new MilvusException(MilvusError.SERVICE_UNIMPLEMENTED,
                    "function rerankers (decay, model, boost) are not supported yet; use RRFRanker or WeightedRanker");
        }
        List<KeyValuePair> rp = req.getRankParamsList();
        long limit = limit(TypeParams.get(rp, "limit").orElse(null));
        long offset = offset(TypeParams.get(rp, "offset").orElse(null), limit);
        int roundDecimal = roundDecimal(TypeParams.get(rp, "round_decimal").orElse("-1"));
        Reranker ranker = Reranker.of(TypeParams.get(rp, "strategy").orElse("rrf"),
                parseParams(TypeParams.get(rp, "params").orElse("{}")), req.getRequestsCount());
        OutputFields out = OutputFields.resolve(c.getSchema(), req.getOutputFieldsList(), false);
        List<Ranked> runs = new ArrayList<>();
        for (SearchRequest sub : req.getRequestsList()) {
            SearchRequest full = sub.toBuilder().setCollectionName(req.getCollectionName())
                    .clearPartitionNames().addAllPartitionNames(req.getPartitionNamesList())
                    .setConsistencyLevel(req.getConsistencyLevel()).setUseDefaultConsistency(req.getUseDefaultConsistency())
                    .setGuaranteeTimestamp(req.getGuaranteeTimestamp()).build();
            Map<String, String> params = parseParams(TypeParams.get(full.getSearchParamsList(), "params").orElse("{}"));
            long subLimit = limit(TypeParams.get(full.getSearchParamsList(), "topk").orElse(params.getOrDefault("limit", Long.toString(limit + offset))));
            runs.add(run(c, full, full.getPartitionNamesList(), (int) subLimit, out.fieldIds()));
        }
        int nq = runs.getFirst().perQuery().size();
        if (runs.stream().anyMatch(r -> r.perQuery().size() != nq)) {
            throw MilvusException.invalidParameter("all sub-requests of a hybrid search must have the same nq");
        }
        List<List<Hit>> fused = new ArrayList<>(nq);
        for (List<Hit> hits : ranker.fuse(runs, nq)) {
            fused.add(bestDistinct(new ArrayList<>(hits), true, offset + limit));
        }
        return toResults(c, fused, offset, limit, roundDecimal, out);
    }

    /** Per query, the best {@code k} distinct rows of the whole collection, best first. */
    record Ranked(List<List<Hit>> perQuery, MetricType metric) {
    }

    private Ranked run(CollectionInfo c, SearchRequest req, List<String> partitionNames, int k, Set<Long> outputFieldIds) {
        if (!req.hasPlaceholderGroup() || req.getPlaceholderGroup().isEmpty()) {
            throw MilvusException.invalidParameter("search by primary keys is not supported yet; pass query vectors");
        }
        CollectionSchema schema = c.getSchema();
        List<KeyValuePair> sp = req.getSearchParamsList();
        Map<String, String> params = parseParams(TypeParams.get(sp, "params").orElse("{}"));
        if (TypeParams.get(sp, "group_by_field").filter(s -> !s.isBlank()).isPresent()) {
            throw new MilvusException(MilvusError.SERVICE_UNIMPLEMENTED, "grouping search is not supported yet");
        }
        boolean ignoreGrowing = Boolean.parseBoolean(TypeParams.get(sp, "ignore_growing").orElse("false"));
        FieldSchema anns = annsField(schema, TypeParams.get(sp, "anns_field").orElse(""));
        List<IndexMeta> fieldIndexes = meta.indexes(c.getId()).stream().filter(i -> i.getFieldId() == anns.getFieldID()).toList();
        MetricType metric = metric(fieldIndexes, anns, TypeParams.get(sp, "metric_type").orElse(""));
        int topkLimit = config.getInt(Params.TOPK_LIMIT);
        io.elanus.vector.QueryVectors queries = QueryVectorParser.parse(placeholders(req.getPlaceholderGroup()), anns);
        int nq = queries.count();
        if (nq > topkLimit) {
            throw MilvusException.invalidParameter("nq [" + nq + "] is invalid, nq (number of search vector per search request) should be in range [1, " + topkLimit + "]");
        }
        long maxEntries = config.getLong(Params.MAX_RESULT_ENTRIES);
        if (maxEntries > 0 && (long) nq * k > maxEntries) {
            throw MilvusException.invalidParameter("nq * (offset + limit) = " + ((long) nq * k)
                    + " exceeds proxy.maxResultEntries (" + maxEntries + ")");
        }
        filterLimits.check(req.getDsl(), req.getExprTemplateValuesMap());
        FilterText filter = req.getDsl().isBlank() ? null : Filters.checked(req.getDsl(), schema, req.getExprTemplateValuesMap());
        ReadScope scope = ReadScope.resolve(c, partitionNames, meta, req.getConsistencyLevel(),
                req.getUseDefaultConsistency(), req.getGuaranteeTimestamp(), rootCoord::allocTimestamp, config, tickNow);
        if (isAutoIndex(fieldIndexes) && !params.containsKey("ef")) {
            // AUTOINDEX picks its own search effort (Milvus's "level" 1 aims at ~90% recall): HNSW ef of at least 100.
            params.put("ef", Integer.toString(Math.max(k, AUTOINDEX_MIN_EF)));
        }
        SearchParamChecks.check(indexType(fieldIndexes), params, k);
        VectorIndexes.checkRangeSearch(metric, params);
        SearchSpec spec = new SearchSpec(anns.getFieldID(), metric, queries, k, filter, scope.partitionIds(), params,
                ignoreGrowing, scope.guaranteeTs(), outputFieldIds);
        List<List<List<Hit>>> perShard = shards.onEveryShard(scope,
                (leader, vchannel) -> leader.search(vchannel, spec, QueryHandler.READ_TIMEOUT_MS));
        return new Ranked(SearchReduce.merge(perShard, nq, k, metric.largerIsBetter()), metric);
    }

    /** Sorts {@code hits} (stably) and keeps the best {@code max} of distinct primary keys. */
    private static List<Hit> bestDistinct(List<Hit> hits, boolean largerIsBetter, long max) {
        hits.sort(SearchReduce.order(largerIsBetter));
        Set<Object> seen = new HashSet<>();
        List<Hit> out = new ArrayList<>();
        for (Iterator<Hit> it = hits.iterator(); it.hasNext() && out.size() < max; ) {
            Hit h = it.next();
            if (seen.add(h.pk())) {
                out.add(h);
            }
        }
        return out;
    }

    private long limit(String raw) {
        int topkLimit = config.getInt(Params.TOPK_LIMIT);
        long limit = longParam(raw, "topk", -1);
        if (limit <= 0 || limit > topkLimit) {
            throw MilvusException.invalidParameter("topk [" + limit + "] is invalid, it should be in range [1, " + topkLimit
                    + "], but got " + limit);
        }
        return limit;
    }

    private long offset(String raw, long limit) {
        int topkLimit = config.getInt(Params.TOPK_LIMIT);
        long offset = longParam(raw, "offset", 0);
        if (offset < 0 || offset + limit > topkLimit) {
            throw MilvusException.invalidParameter("(offset+limit) should be in range [1, " + topkLimit + "], but got " + (offset + limit));
        }
        return offset;
    }

    private static int roundDecimal(String raw) {
        int roundDecimal = (int) longParam(raw, "round_decimal", -1);
        if (roundDecimal != -1 && (roundDecimal < 0 || roundDecimal > 6)) {
            throw MilvusException.invalidParameter("round_decimal [" + roundDecimal + "] is invalid, should be -1 or an integer in range [0, 6]");
        }
        return roundDecimal;
    }

    /** @param perQuery per query, the best {@code offset + limit} distinct hits, best first */
    private SearchResults toResults(CollectionInfo c, List<List<Hit>> perQuery, long offset,
                                    long limit, int roundDecimal, OutputFields out) {
        FieldSchema pk = FieldSchemas.primaryKey(c.getSchema());
        SearchResultData.Builder data = SearchResultData.newBuilder().setNumQueries(perQuery.size()).setTopK(limit)
                .setPrimaryFieldName(pk.getName());
        List<Hit> all = new ArrayList<>();
        for (List<Hit> best : perQuery) {
            List<Hit> page = best.subList((int) Math.min(offset, best.size()), best.size());
            for (Hit h : page) {
                all.add(h);
                data.addScores(round(h.score(), roundDecimal));
            }
            data.addTopks(page.size());
        }
        data.setIds(ids(pk, all));
        data.addAllFieldsData(out.build(all)).addAllOutputFields(out.names(all));
        return SearchResults.newBuilder().setResults(data).setCollectionName(c.getSchema().getName()).build();
    }

    private static float round(float score, int decimals) {
        if (decimals < 0) {
            return score;
        }
        double scale = Math.pow(10, decimals);
        return (float) (Math.round(score * scale) / scale);
    }

    private static IDs ids(FieldSchema pk, List<Hit> hits) {
        if (pk.getDataType() == io.milvus.grpc.DataType.Int64) {
            LongArray.Builder a = LongArray.newBuilder();
            hits.forEach(h -> a.addData((Long) h.pk()));
            return IDs.newBuilder().setIntId(a).build();
        }
        StringArray.Builder a = StringArray.newBuilder();
        hits.forEach(h -> a.addData((String) h.pk()));
        return IDs.newBuilder().setStrId(a).build();
    }

    private static FieldSchema annsField(CollectionSchema schema, String name) {
        List<FieldSchema> vectors = schema.getFieldsList().stream().filter(f -> FieldSchemas.isVector(f.getDataType())).toList();
        if (name.isBlank()) {
            if (vectors.size() == 1) {
                return vectors.getFirst();
            }
            throw MilvusException.invalidParameter("multiple anns_fields exist, please specify a anns_field in search_params");
        }
        return vectors.stream().filter(f -> f.getName().equals(name)).findFirst()
                .orElseThrow(() -> MilvusException.invalidParameter("failed to get field schema by name: fieldName(" + name + ") not found"));
    }

    /** The index's metric; a metric given in the request must match it (Milvus's "metric type not match"). */
    private static MetricType metric(List<IndexMeta> fieldIndexes, FieldSchema anns, String requested) {
        String indexed = null;
        for (IndexMeta i : fieldIndexes) {
            indexed = TypeParams.get(i.getIndexParamsList(), "metric_type").orElse(null);
        }
        if (indexed == null) {
            throw new MilvusException(MilvusError.INDEX_NOT_FOUND, "index not found[field=" + anns.getName() + "]");
        }
        if (!requested.isBlank() && !requested.equalsIgnoreCase(indexed)) {
            throw MilvusException.invalidParameter("metric type not match: invalid parameter[expected=" + indexed + "][actual=" + requested + "]");
        }
        return MetricType.parse(indexed);
    }

    /** The resolved index type of the field's index (AUTOINDEX already mapped to a concrete type), or "" if none. */
    private static String indexType(List<IndexMeta> fieldIndexes) {
        return fieldIndexes.stream().map(i -> TypeParams.get(i.getIndexParamsList(), "index_type").orElse("")).findFirst().orElse("");
    }

    private static boolean isAutoIndex(List<IndexMeta> fieldIndexes) {
        return fieldIndexes.stream().anyMatch(i -> "AUTOINDEX".equalsIgnoreCase(IndexParamsValidator.flatten(i.getUserIndexParamsList())
                        .getOrDefault("index_type", "AUTOINDEX")));
    }

    private static PlaceholderValue placeholders(ByteString bytes) {
        try {
            PlaceholderGroup g = PlaceholderGroup.parseFrom(bytes);
            if (g.getPlaceholdersCount() != 1) {
                throw MilvusException.invalidParameter("placeholder group should contain exactly one placeholder");
            }
            return g.getPlaceholders(0);
        } catch (InvalidProtocolBufferException e) {
            throw MilvusException.invalidParameter("failed to parse the placeholder group");
        }
    }

    static Map<String, String> parseParams(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        try {
            JsonNode node = JSON.readTree(json);
            if (node != null && node.isObject()) {
                node.properties().forEach(e -> out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
            }
        } catch (java.io.IOException e) {
            throw MilvusException.invalidParameter("search params is not a valid json: " + json);
        }
        return out;
    }

    private static long longParam(String v, String key, long dflt) {
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw MilvusException.invalidParameter(key + " [" + v + "] is invalid, should be an integer");
        }
    }
}
