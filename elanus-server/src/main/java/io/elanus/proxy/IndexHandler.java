package io.elanus.proxy;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.api.DataCoordClient;
import io.elanus.vector.IndexSpecs;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.IndexMeta;
import io.elanus.proto.SegmentIndexMeta;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.SegmentStateInternal;
import io.elanus.api.QueryCoordClient;
import io.elanus.api.RootCoordClient;
import io.elanus.segment.FieldSchemas;
import io.milvus.grpc.CreateIndexRequest;
import io.milvus.grpc.DescribeIndexResponse;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.IndexDescription;
import io.milvus.grpc.IndexState;
import io.milvus.grpc.KeyValuePair;

import java.util.List;
import java.util.Map;

/**
 * CreateIndex / DescribeIndex / DropIndex. One index per field (Milvus's rule); the parameters are
 * checked by {@link IndexParamsValidator}; index metadata lives in datacoord, which schedules the
 * builds of sealed segments.
 */
final class IndexHandler {
    private final RootCoordClient rootCoord;
    private final DataCoordClient dataCoord;
    private final QueryCoordClient queryCoord;
    private final MetaExpiry expiry;

    IndexHandler(RootCoordClient rootCoord, DataCoordClient dataCoord, QueryCoordClient queryCoord, MetaExpiry expiry) {
        this.rootCoord = rootCoord;
        this.dataCoord = dataCoord;
        this.queryCoord = queryCoord;
        this.expiry = expiry;
    }

    void createIndex(String db, CreateIndexRequest req) {
        CollectionInfo c = rootCoord.describeCollection(db, req.getCollectionName());
        try {
            createIndex(c, req);
        } finally {
            expiry.collection(db, req.getCollectionName(), c.getId());
        }
    }

    private void createIndex(CollectionInfo c, CreateIndexRequest req) {
        FieldSchema field = c.getSchema().getFieldsList().stream().filter(f -> f.getName().equals(req.getFieldName()))
                .findFirst().orElseThrow(() -> new MilvusException(MilvusError.FIELD_NOT_FOUND,
                        "cannot create index on non-exist field: " + req.getFieldName()));
        Map<String, String> userParams = IndexParamsValidator.flatten(req.getExtraParamsList());
        List<KeyValuePair> normalized = IndexParamsValidator.validate(field, userParams);
        String name = req.getIndexName().isEmpty() ? field.getName() : req.getIndexName();
        for (IndexMeta existing : dataCoord.indexes(c.getId())) {
            boolean sameField = existing.getFieldId() == field.getFieldID();
            if (sameField && existing.getIndexParamsList().equals(normalized) && existing.getIndexName().equals(name)) {
                return; // Milvus: re-creating an identical index succeeds
            }
            if (sameField) {
                throw new MilvusException(MilvusError.INDEX_DUPLICATE, "at most one distinct index is allowed per field");
            }
            if (existing.getIndexName().equals(name)) {
                throw new MilvusException(MilvusError.INDEX_DUPLICATE, "index name " + name + " is already used by field "
                        + c.getSchema().getFieldsList().stream().filter(f -> f.getFieldID() == existing.getFieldId())
                        .map(FieldSchema::getName).findFirst().orElse(""));
            }
        }
        IndexMeta index = IndexMeta.newBuilder().setIndexId(rootCoord.allocIds(1)).setCollectionId(c.getId())
                .setFieldId(field.getFieldID()).setIndexName(name).addAllTypeParams(field.getTypeParamsList())
                .addAllIndexParams(normalized).addAllUserIndexParams(req.getExtraParamsList())
                .setCreateTs(rootCoord.allocTimestamp()).build();
        dataCoord.createIndex(index);
    }

    DescribeIndexResponse describeIndex(String db, String collection, String fieldName, String indexName) {
        CollectionInfo c = rootCoord.describeCollection(db, collection);
        DescribeIndexResponse.Builder b = DescribeIndexResponse.newBuilder();
        List<SegmentMeta> segments = dataCoord.segments(c.getId());
        List<SegmentIndexMeta> built = dataCoord.segmentIndexes(c.getId());
        for (IndexMeta i : dataCoord.indexes(c.getId())) {
            String field = fieldName(c, i.getFieldId());
            if ((!indexName.isEmpty() && !indexName.equals(i.getIndexName())) || (!fieldName.isEmpty() && !fieldName.equals(field))) {
                continue;
            }
            long total = 0;
            long indexed = 0;
            for (SegmentMeta s : segments) {
                if (s.getLevel() == 0) {
                    continue;
                }
                long rows = s.getState() == SegmentStateInternal.FLUSHED ? s.getNumRows() : dataCoord.bufferedRows(s.getId());
                total += rows;
                if (s.getState() == SegmentStateInternal.FLUSHED && isBuilt(i, s, built)) {
                    indexed += rows;
                }
            }
            long pending = segments.stream().filter(s -> s.getLevel() != 0 && s.getState() == SegmentStateInternal.FLUSHED
                    && !isBuilt(i, s, built)).mapToLong(SegmentMeta::getNumRows).sum();
            b.addIndexDescriptions(IndexDescription.newBuilder().setIndexName(i.getIndexName()).setIndexID(i.getIndexId())
                    .addAllParams(i.getUserIndexParamsList()).setFieldName(field).setIndexedRows(indexed)
                    .setTotalRows(total).setPendingIndexRows(pending)
                    .setState(pending == 0 ? IndexState.Finished : IndexState.InProgress));
        }
        if (b.getIndexDescriptionsCount() == 0) {
            throw new MilvusException(MilvusError.INDEX_NOT_FOUND, "index not found[collection=" + c.getSchema().getName() + "]");
        }
        return b.build();
    }

    /** Exact (FLAT-family) indexes need no build: the raw vectors are the index. */
    private static boolean isBuilt(IndexMeta i, SegmentMeta s, List<SegmentIndexMeta> built) {
        if (!IndexSpecs.needsBuild(i)) {
            return true;
        }
        return built.stream().anyMatch(b -> b.getIndexId() == i.getIndexId() && b.getSegmentId() == s.getId()
                && b.getState() == IndexState.Finished);
    }

    void dropIndex(String db, String collection, String fieldName, String indexName) {
        CollectionInfo c = rootCoord.describeCollection(db, collection);
        try {
            dropIndex(c, fieldName, indexName);
        } finally {
            expiry.collection(db, collection, c.getId());
        }
    }

    private void dropIndex(CollectionInfo c, String fieldName, String indexName) {
        List<IndexMeta> matching = dataCoord.indexes(c.getId()).stream()
                .filter(i -> (indexName.isEmpty() || indexName.equals(i.getIndexName()))
                        && (fieldName.isEmpty() || fieldName.equals(fieldName(c, i.getFieldId()))))
                .toList();
        if (matching.size() > 1 && indexName.isEmpty()) {
            throw MilvusException.invalidParameter("there are multiple indexes, please specify the index_name");
        }
        for (IndexMeta i : matching) {
            FieldSchema f = c.getSchema().getFieldsList().stream().filter(x -> x.getFieldID() == i.getFieldId()).findFirst().orElseThrow();
            if (FieldSchemas.isVector(f.getDataType()) && queryCoord.loadingProgress(c.getId(), List.of()) >= 0) {
                throw MilvusException.invalidParameter("index cannot be dropped, collection is loaded, please release it first");
            }
            dataCoord.dropIndex(c.getId(), i.getIndexId());
        }
    }

    /** Milvus refuses to load a collection whose vector fields lack an index. */
    void checkLoadable(CollectionInfo c) {
        List<IndexMeta> indexes = dataCoord.indexes(c.getId());
        for (FieldSchema f : c.getSchema().getFieldsList()) {
            if (FieldSchemas.isVector(f.getDataType()) && indexes.stream().noneMatch(i -> i.getFieldId() == f.getFieldID())) {
                throw new MilvusException(MilvusError.INDEX_NOT_FOUND, "there is no vector index on field: [" + f.getName()
                        + "], please create index firstly: collection=" + c.getSchema().getName() + ": index not found");
            }
        }
    }

    private static String fieldName(CollectionInfo c, long fieldId) {
        return c.getSchema().getFieldsList().stream().filter(f -> f.getFieldID() == fieldId).map(FieldSchema::getName)
                .findFirst().orElse("");
    }
}
