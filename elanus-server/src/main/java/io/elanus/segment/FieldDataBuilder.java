package io.elanus.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.milvus.grpc.ArrayArray;
import io.milvus.grpc.BoolArray;
import io.milvus.grpc.DataType;
import io.milvus.grpc.DoubleArray;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.FloatArray;
import io.milvus.grpc.IntArray;
import io.milvus.grpc.JSONArray;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.ScalarField;
import io.milvus.grpc.SparseFloatArray;
import io.milvus.grpc.StringArray;
import io.milvus.grpc.VectorField;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Gathers rows of one field, taken from any number of columns (chunks, segments), into the
 * {@link FieldData} Milvus returns from query and search. Nullable fields get one
 * {@code valid_data} entry per row; scalar values are padded with a zero value for null rows
 * (what pymilvus and the Java SDK index by row), vector values are sent for valid rows only
 * (the form the SDKs send on insert). Half-precision vectors narrow back to their exact bytes.
 * For the dynamic field, a non-null key set keeps only those keys of each row's object.
 */
public final class FieldDataBuilder {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ByteString EMPTY_OBJECT = ByteString.copyFromUtf8("{}");

    private final FieldSchema field;
    private final DataType type;
    private final Set<String> dynamicKeys;
    private final boolean nullable;
    private final FieldData.Builder out = FieldData.newBuilder();
    private int rows;

    private BoolArray.Builder bools;
    private IntArray.Builder ints;
    private LongArray.Builder longs;
    private FloatArray.Builder floats;
    private DoubleArray.Builder doubles;
    private StringArray.Builder strings;
    private JSONArray.Builder jsons;
    private ArrayArray.Builder arrays;
    private ByteString.Output bytes;
    private byte[] halfScratch;
    private SparseFloatArray.Builder sparse;
    private long sparseDim;

    public FieldDataBuilder(FieldSchema field, Set<String> dynamicKeysOrNullForAll, int expectedRows) {
        this.field = field;
        this.type = field.getDataType();
        this.dynamicKeys = field.getIsDynamic() ? dynamicKeysOrNullForAll : null;
        this.nullable = field.getNullable();
        int dim = FieldSchemas.dim(field);
        switch (type) {
            case Bool -> bools = BoolArray.newBuilder();
            case Int8, Int16, Int32 -> ints = IntArray.newBuilder();
            case Int64 -> longs = LongArray.newBuilder();
            case Float, FloatVector -> floats = FloatArray.newBuilder();
            case Double -> doubles = DoubleArray.newBuilder();
            case VarChar, String, Text -> strings = StringArray.newBuilder();
            case JSON -> jsons = JSONArray.newBuilder();
            case Array -> arrays = ArrayArray.newBuilder().setElementType(field.getElementType());
            case Float16Vector, BFloat16Vector -> {
                bytes = ByteString.newOutput(Math.max(16, expectedRows * dim * 2));
                halfScratch = new byte[dim * 2];
            }
            case BinaryVector -> bytes = ByteString.newOutput(Math.max(16, expectedRows * dim / 8));
            case Int8Vector -> bytes = ByteString.newOutput(Math.max(16, expectedRows * dim));
            case SparseFloatVector -> sparse = SparseFloatArray.newBuilder();
            default -> throw new IllegalArgumentException("unsupported data type " + type + " of field " + field.getName());
        }
    }

    /** Appends row {@code row} of {@code column}, which must hold this field's data. */
    public void append(Column column, int row) {
        boolean isNull = column.isNull(row);
        if (nullable) {
            out.addValidData(!isNull);
        }
        rows++;
        switch (column) {
            case BoolColumn c -> bools.addData(!isNull && c.values()[row]);
            case LongColumn c -> {
                long v = isNull ? 0 : c.values()[row];
                if (longs != null) {
                    longs.addData(v);
                } else {
                    ints.addData((int) v);
                }
            }
            case DoubleColumn c -> {
                double v = isNull ? 0 : c.values()[row];
                if (doubles != null) {
                    doubles.addData(v);
                } else {
                    floats.addData((float) v);
                }
            }
            case StringColumn c -> strings.addData(isNull ? "" : c.values()[row]);
            case JsonColumn c -> jsons.addData(isNull ? ByteString.EMPTY : json(c.raw(row), () -> c.node(row)));
            case ArrayColumn c -> arrays.addData(ArrayRows.toScalarField(isNull ? null : c.rows()[row], field.getElementType()));
            case FloatVectorColumn c -> {
                if (!isNull) {
                    appendFloatVector(c.data(), c.offset(row), c.dim());
                }
            }
            case ByteVectorColumn c -> {
                if (!isNull) {
                    int n = c.bytesPerRow();
                    bytes.write(c.data(), row * n, n);
                }
            }
            case SparseVectorColumn c -> {
                if (!isNull) {
                    int[] idx = c.indices()[row];
                    sparse.addContents(SparseRows.encode(idx, c.values()[row]));
                    sparseDim = Math.max(sparseDim, SparseRows.rowDim(idx));
                }
            }
        }
    }

    /**
     * Appends a value in the form {@link RowValues#copy} gives it (null for a null row): the same
     * output as {@link #append} of the row the value was copied from.
     */
    public void appendValue(Object value) {
        boolean isNull = value == null;
        if (nullable) {
            out.addValidData(!isNull);
        }
        rows++;
        switch (type) {
            case Bool -> bools.addData(!isNull && (Boolean) value);
            case Int8, Int16, Int32 -> ints.addData(isNull ? 0 : (int) (long) (Long) value);
            case Int64 -> longs.addData(isNull ? 0 : (Long) value);
            case Float -> floats.addData(isNull ? 0 : (float) (double) (Double) value);
            case Double -> doubles.addData(isNull ? 0 : (Double) value);
            case VarChar, String, Text -> strings.addData(isNull ? "" : (String) value);
            case JSON -> {
                byte[] raw = (byte[]) value;
                jsons.addData(isNull ? ByteString.EMPTY : json(raw, () -> JsonColumn.parse(raw)));
            }
            case Array -> arrays.addData(ArrayRows.toScalarField(value, field.getElementType()));
            case FloatVector, Float16Vector, BFloat16Vector -> {
                if (!isNull) {
                    float[] v = (float[]) value;
                    appendFloatVector(v, 0, v.length);
                }
            }
            case BinaryVector, Int8Vector -> {
                if (!isNull) {
                    byte[] v = (byte[]) value;
                    bytes.write(v, 0, v.length);
                }
            }
            case SparseFloatVector -> {
                if (!isNull) {
                    ByteString row = ByteString.copyFrom((byte[]) value);
                    sparse.addContents(row);
                    sparseDim = Math.max(sparseDim, SparseRows.rowDim(row));
                }
            }
            default -> throw new IllegalStateException("unreachable: " + type);
        }
    }

    private void appendFloatVector(float[] data, int off, int dim) {
        if (floats != null) {
            for (int j = 0; j < dim; j++) {
                floats.addData(data[off + j]);
            }
            return;
        }
        boolean fp16 = type == DataType.Float16Vector;
        for (int j = 0; j < dim; j++) {
            short h = fp16 ? HalfFloats.floatToFp16(data[off + j]) : HalfFloats.floatToBf16(data[off + j]);
            halfScratch[2 * j] = (byte) h;
            halfScratch[2 * j + 1] = (byte) (h >>> 8);
        }
        bytes.write(halfScratch, 0, dim * 2);
    }

    /** @param parsed the document of {@code raw}, asked for only when dynamic keys are picked out */
    private ByteString json(byte[] raw, Supplier<JsonNode> parsed) {
        if (dynamicKeys == null) {
            return raw == null || raw.length == 0 ? (field.getIsDynamic() ? EMPTY_OBJECT : ByteString.EMPTY) : ByteString.copyFrom(raw);
        }
        JsonNode node = parsed.get();
        ObjectNode kept = MAPPER.createObjectNode();
        if (node.isObject()) {
            for (String key : dynamicKeys) {
                JsonNode v = node.get(key);
                if (v != null) {
                    kept.set(key, v);
                }
            }
        }
        try {
            return ByteString.copyFrom(MAPPER.writeValueAsString(kept), StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize JSON object", e);
        }
    }

    public int rowCount() {
        return rows;
    }

    public FieldData build() {
        out.setType(type).setFieldName(field.getName()).setFieldId(field.getFieldID()).setIsDynamic(field.getIsDynamic());
        int dim = FieldSchemas.dim(field);
        switch (type) {
            case Bool -> out.setScalars(ScalarField.newBuilder().setBoolData(bools));
            case Int8, Int16, Int32 -> out.setScalars(ScalarField.newBuilder().setIntData(ints));
            case Int64 -> out.setScalars(ScalarField.newBuilder().setLongData(longs));
            case Float -> out.setScalars(ScalarField.newBuilder().setFloatData(floats));
            case Double -> out.setScalars(ScalarField.newBuilder().setDoubleData(doubles));
            case VarChar, String, Text -> out.setScalars(ScalarField.newBuilder().setStringData(strings));
            case JSON -> out.setScalars(ScalarField.newBuilder().setJsonData(jsons));
            case Array -> out.setScalars(ScalarField.newBuilder().setArrayData(arrays));
            case FloatVector -> out.setVectors(VectorField.newBuilder().setDim(dim).setFloatVector(floats));
            case Float16Vector -> out.setVectors(VectorField.newBuilder().setDim(dim).setFloat16Vector(bytes.toByteString()));
            case BFloat16Vector -> out.setVectors(VectorField.newBuilder().setDim(dim).setBfloat16Vector(bytes.toByteString()));
            case BinaryVector -> out.setVectors(VectorField.newBuilder().setDim(dim).setBinaryVector(bytes.toByteString()));
            case Int8Vector -> out.setVectors(VectorField.newBuilder().setDim(dim).setInt8Vector(bytes.toByteString()));
            case SparseFloatVector -> out.setVectors(VectorField.newBuilder().setDim(sparseDim)
                    .setSparseFloatVector(sparse.setDim(sparseDim)));
            default -> throw new IllegalStateException("unreachable: " + type);
        }
        return out.build();
    }
}
