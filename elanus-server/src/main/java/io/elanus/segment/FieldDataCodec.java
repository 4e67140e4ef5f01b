package io.elanus.segment;

import com.google.protobuf.ByteString;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.ScalarField;
import io.milvus.grpc.VectorField;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts Milvus insert payloads ({@link FieldData}) into columns. Inputs are expected to be
 * validated already (see {@code InsertValidator}); malformed input raises
 * {@link IllegalArgumentException}. Null rows come from {@code valid_data}; values may be sent
 * for valid rows only or padded to every row (see {@link RowCursor}).
 */
public final class FieldDataCodec {
    private static final int[] NO_INDICES = new int[0];
    private static final float[] NO_VALUES = new float[0];

    private FieldDataCodec() {
    }

    /**
     * Converts one insert's columns (every schema field present, the dynamic field included when
     * enabled, {@code numRows} rows) into a chunk keyed by field id; every row stamped {@code ts}.
     * Fields are matched by {@code field_id}, or by name when the id is unset.
     */
    public static Chunk toChunk(CollectionSchema schema, List<FieldData> fields, int numRows, long ts) {
        Map<Long, Column> columns = new HashMap<>(schema.getFieldsCount() * 2);
        for (FieldSchema field : schema.getFieldsList()) {
            columns.put(field.getFieldID(), toColumn(field, find(fields, field), numRows));
        }
        long[] timestamps = new long[numRows];
        Arrays.fill(timestamps, ts);
        return new Chunk(numRows, timestamps, Map.copyOf(columns));
    }

    private static FieldData find(List<FieldData> fields, FieldSchema field) {
        for (FieldData d : fields) {
            if (d.getFieldId() != 0 ? d.getFieldId() == field.getFieldID() : d.getFieldName().equals(field.getName())) {
                return d;
            }
        }
        throw new IllegalArgumentException("insert has no data for field " + field.getName());
    }

    /** One column from the data of a known field. */
    public static Column toColumn(FieldSchema field, FieldData data, int numRows) {
        BitSet nulls = RowCursor.nullsOf(data, numRows);
        DataType type = field.getDataType();
        return switch (type) {
            case Bool -> toBool(data, numRows, nulls);
            case Int8, Int16, Int32, Int64 -> toLong(type, data, numRows, nulls);
            case Float, Double -> toDouble(type, data, numRows, nulls);
            case VarChar, String, Text -> toString(data, numRows, nulls);
            case JSON -> toJson(field, data, numRows, nulls);
            case Array -> toArray(field, data, numRows, nulls);
            case FloatVector, Float16Vector, BFloat16Vector -> toFloatVector(field, data, numRows, nulls);
            case BinaryVector, Int8Vector -> toByteVector(field, data, numRows, nulls);
            case SparseFloatVector -> toSparse(data, numRows, nulls);
            default -> throw new IllegalArgumentException("unsupported data type " + type + " of field " + field.getName());
        };
    }

    private static RowCursor cursor(BitSet nulls, int numRows, int dataRows, FieldData data) {
        return RowCursor.of(nulls, numRows, dataRows, data.getFieldName());
    }

    private static BoolColumn toBool(FieldData data, int numRows, BitSet nulls) {
        var src = data.getScalars().getBoolData();
        RowCursor c = cursor(nulls, numRows, src.getDataCount(), data);
        boolean[] values = new boolean[numRows];
        for (int r = 0; r < numRows; r++) {
            int d = c.advance(r);
            if (d >= 0) {
                values[r] = src.getData(d);
            }
        }
        return new BoolColumn(values, nulls);
    }

    private static LongColumn toLong(DataType type, FieldData data, int numRows, BitSet nulls) {
        ScalarField s = data.getScalars();
        long[] values = new long[numRows];
        if (type == DataType.Int64) {
            var src = s.getLongData();
            RowCursor c = cursor(nulls, numRows, src.getDataCount(), data);
            for (int r = 0; r < numRows; r++) {
                int d = c.advance(r);
                if (d >= 0) {
                    values[r] = src.getData(d);
                }
            }
        } else {
            var src = s.getIntData();
            RowCursor c = cursor(nulls, numRows, src.getDataCount(), data);
            for (int r = 0; r < numRows; r++) {
                int d = c.advance(r);
                if (d >= 0) {
                    values[r] = src.getData(d);
                }
            }
        }
        return new LongColumn(type, values, nulls);
    }

    private static DoubleColumn toDouble(DataType type, FieldData data, int numRows, BitSet nulls) {
        ScalarField s = data.getScalars();
        double[] values = new double[numRows];
        if (type == DataType.Float) {
            var src = s.getFloatData();
            RowCursor c = cursor(nulls, numRows, src.getDataCount(), data);
            for (int r = 0; r < numRows; r++) {
                int d = c.advance(r);
                if (d >= 0) {
                    values[r] = src.getData(d);
                }
            }
        } else {
            var src = s.getDoubleData();
            RowCursor c = cursor(nulls, numRows, src.getDataCount(), data);
            for (int r = 0; r < numRows; r++) {
                int d = c.advance(r);
                if (d >= 0) {
                    values[r] = src.getData(d);
                }
            }
        }
        return new DoubleColumn(type, values, nulls);
    }

    private static StringColumn toString(FieldData data, int numRows, BitSet nulls) {
        var src = data.getScalars().getStringData();
        RowCursor c = cursor(nulls, numRows, src.getDataCount(), data);
        String[] values = new String[numRows];
        for (int r = 0; r < numRows; r++) {
            int d = c.advance(r);
            if (d >= 0) {
                values[r] = src.getData(d);
            }
        }
        return new StringColumn(values, nulls);
    }

    private static JsonColumn toJson(FieldSchema field, FieldData data, int numRows, BitSet nulls) {
        var src = data.getScalars().getJsonData();
        RowCursor c = cursor(nulls, numRows, src.getDataCount(), data);
        byte[][] raw = new byte[numRows][];
        for (int r = 0; r < numRows; r++) {
            int d = c.advance(r);
            if (d >= 0) {
                raw[r] = src.getData(d).toByteArray();
            }
        }
        return new JsonColumn(raw, nulls, field.getIsDynamic() || data.getIsDynamic());
    }

    private static ArrayColumn toArray(FieldSchema field, FieldData data, int numRows, BitSet nulls) {
        var src = data.getScalars().getArrayData();
        RowCursor c = cursor(nulls, numRows, src.getDataCount(), data);
        DataType elementType = field.getElementType();
        Object[] rows = new Object[numRows];
        for (int r = 0; r < numRows; r++) {
            int d = c.advance(r);
            if (d >= 0) {
                rows[r] = ArrayRows.fromScalarField(src.getData(d), elementType);
            }
        }
        return new ArrayColumn(elementType, rows, nulls);
    }

    private static int dimOf(FieldSchema field, VectorField v) {
        int dim = FieldSchemas.dim(field);
        if (dim == 0) {
            dim = (int) v.getDim();
        }
        if (dim <= 0) {
            throw new IllegalArgumentException("vector field " + field.getName() + " has no dim");
        }
        return dim;
    }

    private static FloatVectorColumn toFloatVector(FieldSchema field, FieldData data, int numRows, BitSet nulls) {
        VectorField v = data.getVectors();
        DataType type = field.getDataType();
        int dim = dimOf(field, v);
        float[] out = new float[numRows * dim];
        if (type == DataType.FloatVector) {
            var src = v.getFloatVector();
            RowCursor c = cursor(nulls, numRows, src.getDataCount() / dim, data);
            for (int r = 0; r < numRows; r++) {
                int d = c.advance(r);
                if (d >= 0) {
                    int from = d * dim;
                    int to = r * dim;
                    for (int j = 0; j < dim; j++) {
                        out[to + j] = src.getData(from + j);
                    }
                }
            }
        } else {
            boolean fp16 = type == DataType.Float16Vector;
            ByteString bytes = fp16 ? v.getFloat16Vector() : v.getBfloat16Vector();
            ByteBuffer buf = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            RowCursor c = cursor(nulls, numRows, bytes.size() / (2 * dim), data);
            for (int r = 0; r < numRows; r++) {
                int d = c.advance(r);
                if (d >= 0) {
                    int from = d * dim * 2;
                    int to = r * dim;
                    for (int j = 0; j < dim; j++) {
                        short h = buf.getShort(from + 2 * j);
                        out[to + j] = fp16 ? HalfFloats.fp16ToFloat(h) : HalfFloats.bf16ToFloat(h);
                    }
                }
            }
        }
        return new FloatVectorColumn(type, dim, out, nulls);
    }

    private static ByteVectorColumn toByteVector(FieldSchema field, FieldData data, int numRows, BitSet nulls) {
        VectorField v = data.getVectors();
        DataType type = field.getDataType();
        int dim = dimOf(field, v);
        int rowBytes = type == DataType.BinaryVector ? dim / 8 : dim;
        ByteString src = type == DataType.BinaryVector ? v.getBinaryVector() : v.getInt8Vector();
        RowCursor c = cursor(nulls, numRows, src.size() / rowBytes, data);
        byte[] out = new byte[numRows * rowBytes];
        for (int r = 0; r < numRows; r++) {
            int d = c.advance(r);
            if (d >= 0) {
                src.copyTo(out, d * rowBytes, r * rowBytes, rowBytes);
            }
        }
        return new ByteVectorColumn(type, dim, out, nulls);
    }

    private static SparseVectorColumn toSparse(FieldData data, int numRows, BitSet nulls) {
        var src = data.getVectors().getSparseFloatVector();
        RowCursor c = cursor(nulls, numRows, src.getContentsCount(), data);
        int[][] indices = new int[numRows][];
        float[][] values = new float[numRows][];
        for (int r = 0; r < numRows; r++) {
            int d = c.advance(r);
            if (d >= 0) {
                SparseRows.parse(src.getContents(d), indices, values, r);
            } else {
                indices[r] = NO_INDICES;
                values[r] = NO_VALUES;
            }
        }
        return new SparseVectorColumn(indices, values, nulls);
    }
}
