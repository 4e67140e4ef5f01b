package io.elanus.proxy;

import io.elanus.common.MilvusException;
import io.elanus.segment.Chunk;
import io.elanus.segment.Column;
import io.elanus.segment.FieldDataBuilder;
import io.elanus.segment.FieldDataCodec;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows of an accepted insert or upsert, decoded into columns by field id with the very code the
 * data node and the query node use on the WAL message. Decoding here, before the write is
 * acknowledged, is what makes every acknowledged write applicable: a request the consumers could
 * not read is refused instead. The WAL message is then encoded from these columns in schema order,
 * one entry per schema field, nullable fields with one {@code valid_data} flag per row, so its
 * form never depends on how the client ordered or shaped its columns.
 */
final class InsertRows {
    private final CollectionSchema schema;
    private final Chunk chunk;

    private InsertRows(CollectionSchema schema, Chunk chunk) {
        this.schema = schema;
        this.chunk = chunk;
    }

    /**
     * @param fields validated columns, one per schema field (any order)
     * @throws MilvusException (invalid parameter) when a column does not decode for {@code numRows} rows
     */
    static InsertRows decode(CollectionSchema schema, List<FieldData> fields, int numRows) {
        try {
            return new InsertRows(schema, FieldDataCodec.toChunk(schema, fields, numRows, 0));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw MilvusException.invalidParameter(e.getMessage());
        }
    }

    int rowCount() {
        return chunk.rowCount();
    }

    Column column(long fieldId) {
        return chunk.column(fieldId);
    }

    /** The WAL form of the given rows: one FieldData per schema field, in schema order. */
    List<FieldData> encode(List<Integer> rows) {
        List<FieldData> out = new ArrayList<>(schema.getFieldsCount());
        for (FieldSchema field : schema.getFieldsList()) {
            Column column = chunk.column(field.getFieldID());
            FieldDataBuilder b = new FieldDataBuilder(field, null, rows.size());
            for (int row : rows) {
                b.append(column, row);
            }
            out.add(b.build());
        }
        return out;
    }
}
