package io.elanus.proxy;

import io.elanus.common.MilvusException;
import io.elanus.api.DataCoordClient;
import io.elanus.expr.FilterCompiler;
import io.elanus.expr.FilterPlan;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.DeleteBody;
import io.elanus.proto.InsertBody;
import io.elanus.proto.PartitionInfo;
import io.elanus.proto.WalMessage;
import io.elanus.proto.WalMsgType;
import io.elanus.proxy.validation.InsertValidator;
import io.elanus.api.RootCoordClient;
import io.elanus.segment.Column;
import io.elanus.segment.FieldSchemas;
import io.elanus.segment.LongColumn;
import io.elanus.segment.StringColumn;
import io.elanus.storage.wal.Wal;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.DeleteRequest;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.IDs;
import io.milvus.grpc.InsertRequest;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.MutationResult;
import io.milvus.grpc.StringArray;
import io.milvus.grpc.UpsertRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Insert, upsert and delete. Rows are validated, given auto IDs if needed, routed to a shard by
 * primary key (and to a partition by partition key), assigned a growing segment by datacoord and
 * appended to the WAL; the client is answered only after every append is durable.
 */
final class DmlHandler {
    private final RootCoordClient rootCoord;
    private final MetaCache meta;
    private final DataCoordClient dataCoord;
    private final Wal wal;
    private final QueryHandler queries;
    private final String defaultPartition;
    private final long sourceId;

    DmlHandler(RootCoordClient rootCoord, MetaCache meta, DataCoordClient dataCoord, Wal wal, QueryHandler queries,
               String defaultPartition, long sourceId) {
        this.rootCoord = rootCoord;
        this.meta = meta;
        this.dataCoord = dataCoord;
        this.wal = wal;
        this.queries = queries;
        this.defaultPartition = defaultPartition;
        this.sourceId = sourceId;
    }

    MutationResult insert(String db, InsertRequest req, long ts) {
        CollectionInfo c = meta.collection(db, req.getCollectionName());
        CollectionSchema schema = c.getSchema();
        int rows = req.getNumRows();
        boolean allowAutoId = "true".equalsIgnoreCase(TypeParams.get(c.getPropertiesList(), "allow_insert_auto_id").orElse("false"));
        List<FieldData> fields = InsertValidator.validateInsert(schema, req.getFieldsDataList(), rows, allowAutoId);
        FieldSchema pk = FieldSchemas.primaryKey(schema);
        if (!InsertValidator.hasField(fields, pk.getFieldID())) {
            fields = InsertValidator.withAutoIds(fields, pk, rootCoord.allocIds(rows), rows);
        }
        InsertRows decoded = InsertRows.decode(schema, fields, rows);
        append(c, route(c, req.getPartitionName(), decoded), decoded, ts);
        IDs ids = idsOf(decoded.column(pk.getFieldID()));
        return MutationResult.newBuilder().setIDs(ids).setInsertCnt(rows).addAllSuccIndex(range(rows))
                .setTimestamp(ts).build();
    }

    MutationResult upsert(String db, UpsertRequest req, long ts) {
        CollectionInfo c = meta.collection(db, req.getCollectionName());
        CollectionSchema schema = c.getSchema();
        int rows = req.getNumRows();
        List<FieldData> fields = InsertValidator.validateUpsert(schema, req.getFieldsDataList(), rows, req.getPartialUpdate());
        if (req.getPartialUpdate()) {
            fields = queries.mergeWithStored(c, fields, rows, ts);
        }
        // Decoded and routed before anything is appended: a row that cannot be written must not delete its key either.
        InsertRows decoded = InsertRows.decode(schema, fields, rows);
        List<RowGroup> groups = route(c, req.getPartitionName(), decoded);
        Column keys = decoded.column(FieldSchemas.primaryKey(schema).getFieldID());
        // Milvus's upsert: a delete of the keys and an insert of the new rows at the same timestamp
        // (a delete hits only rows inserted strictly before it, so the new rows survive).
        deleteKeys(c, keys, ts);
        append(c, groups, decoded, ts);
        IDs ids = idsOf(keys);
        return MutationResult.newBuilder().setIDs(ids).setUpsertCnt(rows).addAllSuccIndex(range(rows))
                .setTimestamp(ts).build();
    }

    MutationResult delete(String db, DeleteRequest req, long ts) {
        CollectionInfo c = meta.collection(db, req.getCollectionName());
        if (!req.getPartitionName().isEmpty()) {
            DdlHandler.partition(c, req.getPartitionName());
        }
        if (req.getExpr().isBlank()) {
            throw MilvusException.invalidParameter("expr cannot be empty");
        }
        FilterPlan plan = FilterCompiler.compile(req.getExpr(), c.getSchema(), req.getExprTemplateValuesMap());
        FieldSchema pk = FieldSchemas.primaryKey(c.getSchema());
        Column keys = plan.primaryKeyTerms()
                .map(terms -> keysColumn(pk, terms))
                .orElseGet(() -> queries.matchingKeys(c, plan, req.getPartitionName(), ts));
        deleteKeys(c, keys, ts);
        return MutationResult.newBuilder().setIDs(idsOf(keys)).setDeleteCnt(keys.size()).setTimestamp(ts).build();
    }

    // ------------------------------------------------------------------ routing

    /** Rows of one shard and partition: one WAL message. */
    private record RowGroup(int shard, PartitionInfo partition, List<Integer> rows) {
    }

    /**
     * Routes every row to its shard (by primary key) and partition (named, default, or by partition
     * key). Throws before anything is appended when the partition is wrong.
     */
    private List<RowGroup> route(CollectionInfo c, String partitionName, InsertRows decoded) {
        CollectionSchema schema = c.getSchema();
        int rows = decoded.rowCount();
        Column keys = decoded.column(FieldSchemas.primaryKey(schema).getFieldID());
        FieldSchema partitionKey = schema.getFieldsList().stream().filter(FieldSchema::getIsPartitionKey).findFirst().orElse(null);
        long fixedPartition = -1;
        Column partitionValues = null;
        if (partitionKey != null) {
            if (!partitionName.isEmpty()) {
                throw MilvusException.invalidParameter("not support manually specifying the partition names if partition key mode is used");
            }
            partitionValues = decoded.column(partitionKey.getFieldID());
        } else {
            fixedPartition = DdlHandler.partition(c, partitionName.isEmpty() ? defaultPartition : partitionName).getId();
        }
        int shards = c.getVchannelsCount();
        Map<Long, List<Integer>> groups = new LinkedHashMap<>();
        for (int row = 0; row < rows; row++) {
            int shard = KeyHasher.bucket(keyAt(keys, row), shards);
            long partition = partitionValues == null ? fixedPartition
                    : c.getPartitions(KeyHasher.bucket(keyAt(partitionValues, row), c.getPartitionsCount())).getId();
            int partitionIndex = indexOfPartition(c, partition);
            groups.computeIfAbsent(((long) shard << 32) | partitionIndex, k -> new ArrayList<>()).add(row);
        }
        List<RowGroup> out = new ArrayList<>(groups.size());
        groups.forEach((key, rowsOfGroup) -> out.add(new RowGroup((int) (key >>> 32), c.getPartitions((int) (long) key), rowsOfGroup)));
        return out;
    }

    private void append(CollectionInfo c, List<RowGroup> groups, InsertRows decoded, long ts) {
        for (RowGroup g : groups) {
            String vchannel = c.getVchannels(g.shard());
            long segment = dataCoord.assignSegment(c.getId(), g.partition().getId(), vchannel, g.rows().size());
            WalMessage msg = WalMessage.newBuilder().setType(WalMsgType.INSERT).setTimestamp(ts).setVchannel(vchannel)
                    .setCollectionId(c.getId()).setPartitionId(g.partition().getId()).setSegmentId(segment).setSourceId(sourceId)
                    .setInsert(InsertBody.newBuilder().setNumRows(g.rows().size()).addAllFieldsData(decoded.encode(g.rows())))
                    .build();
            wal.append(c.getPchannels(g.shard()), msg.toByteArray());
        }
    }

    private void deleteKeys(CollectionInfo c, Column keys, long ts) {
        int shards = c.getVchannelsCount();
        Map<Integer, List<Integer>> byShard = new LinkedHashMap<>();
        for (int row = 0; row < keys.size(); row++) {
            byShard.computeIfAbsent(KeyHasher.bucket(keyAt(keys, row), shards), k -> new ArrayList<>()).add(row);
        }
        for (Map.Entry<Integer, List<Integer>> e : byShard.entrySet()) {
            IDs.Builder ids = IDs.newBuilder();
            if (keys instanceof LongColumn lc) {
                LongArray.Builder a = LongArray.newBuilder();
                e.getValue().forEach(r -> a.addData(lc.values()[r]));
                ids.setIntId(a);
            } else {
                StringArray.Builder a = StringArray.newBuilder();
                e.getValue().forEach(r -> a.addData(((StringColumn) keys).values()[r]));
                ids.setStrId(a);
            }
            String vchannel = c.getVchannels(e.getKey());
            WalMessage msg = WalMessage.newBuilder().setType(WalMsgType.DELETE).setTimestamp(ts).setVchannel(vchannel)
                    .setCollectionId(c.getId()).setPartitionId(-1).setSourceId(sourceId)
                    .setDelete(DeleteBody.newBuilder().setPrimaryKeys(ids).setNumRows(e.getValue().size())).build();
            wal.append(c.getPchannels(e.getKey()), msg.toByteArray());
        }
    }

    private static int indexOfPartition(CollectionInfo c, long partitionId) {
        for (int i = 0; i < c.getPartitionsCount(); i++) {
            if (c.getPartitions(i).getId() == partitionId) {
                return i;
            }
        }
        throw new IllegalStateException("partition " + partitionId + " vanished");
    }

    static FieldData fieldById(List<FieldData> fields, long id) {
        for (FieldData fd : fields) {
            if (fd.getFieldId() == id) {
                return fd;
            }
        }
        throw new IllegalStateException("validated insert lacks field " + id);
    }

    static Object keyAt(Column keys, int row) {
        return keys instanceof LongColumn lc ? (Object) lc.values()[row] : ((StringColumn) keys).values()[row];
    }

    static IDs idsOf(Column keys) {
        if (keys instanceof LongColumn lc) {
            LongArray.Builder a = LongArray.newBuilder();
            for (long v : lc.values()) {
                a.addData(v);
            }
            return IDs.newBuilder().setIntId(a).build();
        }
        return IDs.newBuilder().setStrId(StringArray.newBuilder().addAllData(List.of(((StringColumn) keys).values()))).build();
    }

    static Column keysColumn(FieldSchema pk, List<Object> terms) {
        if (pk.getDataType() == io.milvus.grpc.DataType.Int64) {
            long[] v = new long[terms.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = ((Number) terms.get(i)).longValue();
            }
            return new LongColumn(io.milvus.grpc.DataType.Int64, v, new java.util.BitSet());
        }
        return new StringColumn(terms.stream().map(String::valueOf).toArray(String[]::new), new java.util.BitSet());
    }

    private static List<Integer> range(int n) {
        List<Integer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }
}
