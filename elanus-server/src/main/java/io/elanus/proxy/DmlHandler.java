package io.elanus.proxy;

import io.elanus.common.MilvusException;
import io.elanus.datacoord.DataCoordClient;
import io.elanus.expr.FilterCompiler;
import io.elanus.expr.FilterPlan;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.DeleteBody;
import io.elanus.proto.InsertBody;
import io.elanus.proto.PartitionInfo;
import io.elanus.proto.WalMessage;
import io.elanus.proto.WalMsgType;
import io.elanus.proxy.validation.InsertValidator;
import io.elanus.rootcoord.RootCoordClient;
import io.elanus.segment.Column;
import io.elanus.segment.FieldDataBuilder;
import io.elanus.segment.FieldDataCodec;
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
    private final DataCoordClient dataCoord;
    private final Wal wal;
    private final QueryHandler queries;
    private final String defaultPartition;
    private final long sourceId;

    DmlHandler(RootCoordClient rootCoord, DataCoordClient dataCoord, Wal wal, QueryHandler queries,
               String defaultPartition, long sourceId) {
        this.rootCoord = rootCoord;
        this.dataCoord = dataCoord;
        this.wal = wal;
        this.queries = queries;
        this.defaultPartition = defaultPartition;
        this.sourceId = sourceId;
    }

    MutationResult insert(String db, InsertRequest req, long ts) {
        CollectionInfo c = rootCoord.describeCollection(db, req.getCollectionName());
        CollectionSchema schema = c.getSchema();
        int rows = req.getNumRows();
        boolean allowAutoId = "true".equalsIgnoreCase(TypeParams.get(c.getPropertiesList(), "allow_insert_auto_id").orElse("false"));
        List<FieldData> fields = InsertValidator.validateInsert(schema, req.getFieldsDataList(), rows, allowAutoId);
        FieldSchema pk = FieldSchemas.primaryKey(schema);
        if (!InsertValidator.hasField(fields, pk.getFieldID())) {
            fields = InsertValidator.withAutoIds(fields, pk, rootCoord.allocIds(rows), rows);
        }
        IDs ids = write(c, req.getPartitionName(), fields, rows, ts);
        return MutationResult.newBuilder().setIDs(ids).setInsertCnt(rows).addAllSuccIndex(range(rows))
                .setTimestamp(ts).build();
    }

    MutationResult upsert(String db, UpsertRequest req, long ts) {
        CollectionInfo c = rootCoord.describeCollection(db, req.getCollectionName());
        CollectionSchema schema = c.getSchema();
        int rows = req.getNumRows();
        List<FieldData> fields = InsertValidator.validateUpsert(schema, req.getFieldsDataList(), rows, req.getPartialUpdate());
        if (req.getPartialUpdate()) {
            fields = queries.mergeWithStored(c, fields, rows, ts);
        }
        FieldSchema pk = FieldSchemas.primaryKey(schema);
        Column keys = FieldDataCodec.toColumn(pk, fieldById(fields, pk.getFieldID()), rows);
        // Milvus's upsert: a delete of the keys and an insert of the new rows at the same timestamp
        // (a delete hits only rows inserted strictly before it, so the new rows survive).
        deleteKeys(c, keys, ts);
        IDs ids = write(c, req.getPartitionName(), fields, rows, ts);
        return MutationResult.newBuilder().setIDs(ids).setUpsertCnt(rows).addAllSuccIndex(range(rows))
                .setTimestamp(ts).build();
    }

    MutationResult delete(String db, DeleteRequest req, long ts) {
        CollectionInfo c = rootCoord.describeCollection(db, req.getCollectionName());
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

    private IDs write(CollectionInfo c, String partitionName, List<FieldData> fields, int rows, long ts) {
        CollectionSchema schema = c.getSchema();
        FieldSchema pk = FieldSchemas.primaryKey(schema);
        Column keys = FieldDataCodec.toColumn(pk, fieldById(fields, pk.getFieldID()), rows);
        FieldSchema partitionKey = schema.getFieldsList().stream().filter(FieldSchema::getIsPartitionKey).findFirst().orElse(null);
        long fixedPartition = -1;
        Column partitionValues = null;
        if (partitionKey != null) {
            if (!partitionName.isEmpty()) {
                throw MilvusException.invalidParameter("not support manually specifying the partition names if partition key mode is used");
            }
            partitionValues = FieldDataCodec.toColumn(partitionKey, fieldById(fields, partitionKey.getFieldID()), rows);
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
        for (Map.Entry<Long, List<Integer>> g : groups.entrySet()) {
            int shard = (int) (g.getKey() >>> 32);
            PartitionInfo partition = c.getPartitions((int) (long) g.getKey());
            List<Integer> rowsOfGroup = g.getValue();
            List<FieldData> groupFields = groups.size() == 1 ? fields : select(schema, fields, rows, rowsOfGroup);
            String vchannel = c.getVchannels(shard);
            long segment = dataCoord.assignSegment(c.getId(), partition.getId(), vchannel, rowsOfGroup.size());
            WalMessage msg = WalMessage.newBuilder().setType(WalMsgType.INSERT).setTimestamp(ts).setVchannel(vchannel)
                    .setCollectionId(c.getId()).setPartitionId(partition.getId()).setSegmentId(segment).setSourceId(sourceId)
                    .setInsert(InsertBody.newBuilder().setNumRows(rowsOfGroup.size()).addAllFieldsData(groupFields))
                    .build();
            wal.append(c.getPchannels(shard), msg.toByteArray());
        }
        return idsOf(keys);
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

    private static List<FieldData> select(CollectionSchema schema, List<FieldData> fields, int rows, List<Integer> picked) {
        List<FieldData> out = new ArrayList<>(fields.size());
        for (FieldData fd : fields) {
            FieldSchema f = schema.getFieldsList().stream().filter(x -> x.getFieldID() == fd.getFieldId()).findFirst().orElseThrow();
            Column col = FieldDataCodec.toColumn(f, fd, rows);
            FieldDataBuilder b = new FieldDataBuilder(f, null, picked.size());
            picked.forEach(r -> b.append(col, r));
            out.add(b.build());
        }
        return out;
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
