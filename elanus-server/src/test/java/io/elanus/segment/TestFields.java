package io.elanus.segment;

import com.google.protobuf.ByteString;
import io.milvus.grpc.BoolArray;
import io.milvus.grpc.DataType;
import io.milvus.grpc.DoubleArray;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.FloatArray;
import io.milvus.grpc.IntArray;
import io.milvus.grpc.JSONArray;
import io.milvus.grpc.KeyValuePair;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.ScalarField;
import io.milvus.grpc.SparseFloatArray;
import io.milvus.grpc.StringArray;
import io.milvus.grpc.VectorField;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builders of schemas and insert payloads for tests. */
public final class TestFields {
    private TestFields() {
    }

    public static FieldSchema.Builder field(long id, String name, DataType type) {
        return FieldSchema.newBuilder().setFieldID(id).setName(name).setDataType(type);
    }

    public static FieldSchema.Builder vector(long id, String name, DataType type, int dim) {
        return field(id, name, type).addTypeParams(KeyValuePair.newBuilder().setKey("dim").setValue(Integer.toString(dim)));
    }

    public static FieldSchema.Builder varchar(long id, String name, int maxLength) {
        return field(id, name, DataType.VarChar).addTypeParams(KeyValuePair.newBuilder().setKey("max_length").setValue(Integer.toString(maxLength)));
    }

    public static FieldSchema.Builder array(long id, String name, DataType element, int maxCapacity) {
        return field(id, name, DataType.Array).setElementType(element)
                .addTypeParams(KeyValuePair.newBuilder().setKey("max_capacity").setValue(Integer.toString(maxCapacity)));
    }

    public static FieldData.Builder data(String name, DataType type) {
        return FieldData.newBuilder().setFieldName(name).setType(type);
    }

    public static FieldData.Builder withValid(FieldData.Builder b, boolean... valid) {
        for (boolean v : valid) {
            b.addValidData(v);
        }
        return b;
    }

    public static FieldData.Builder bools(String name, Boolean... v) {
        BoolArray.Builder a = BoolArray.newBuilder();
        for (Boolean x : v) {
            a.addData(x);
        }
        return data(name, DataType.Bool).setScalars(ScalarField.newBuilder().setBoolData(a));
    }

    public static FieldData.Builder ints(String name, DataType type, int... v) {
        IntArray.Builder a = IntArray.newBuilder();
        for (int x : v) {
            a.addData(x);
        }
        return data(name, type).setScalars(ScalarField.newBuilder().setIntData(a));
    }

    public static FieldData.Builder longs(String name, long... v) {
        LongArray.Builder a = LongArray.newBuilder();
        for (long x : v) {
            a.addData(x);
        }
        return data(name, DataType.Int64).setScalars(ScalarField.newBuilder().setLongData(a));
    }

    public static FieldData.Builder floats(String name, float... v) {
        FloatArray.Builder a = FloatArray.newBuilder();
        for (float x : v) {
            a.addData(x);
        }
        return data(name, DataType.Float).setScalars(ScalarField.newBuilder().setFloatData(a));
    }

    public static FieldData.Builder doubles(String name, double... v) {
        DoubleArray.Builder a = DoubleArray.newBuilder();
        for (double x : v) {
            a.addData(x);
        }
        return data(name, DataType.Double).setScalars(ScalarField.newBuilder().setDoubleData(a));
    }

    public static FieldData.Builder strings(String name, String... v) {
        return data(name, DataType.VarChar).setScalars(ScalarField.newBuilder().setStringData(StringArray.newBuilder().addAllData(List.of(v))));
    }

    public static FieldData.Builder jsons(String name, String... v) {
        JSONArray.Builder a = JSONArray.newBuilder();
        for (String x : v) {
            a.addData(ByteString.copyFrom(x, StandardCharsets.UTF_8));
        }
        return data(name, DataType.JSON).setScalars(ScalarField.newBuilder().setJsonData(a));
    }

    public static FieldData.Builder dynamic(String... v) {
        return jsons(FieldSchemas.DYNAMIC_FIELD_NAME, v).setIsDynamic(true);
    }

    public static FieldData.Builder floatVectors(String name, int dim, float... flat) {
        FloatArray.Builder a = FloatArray.newBuilder();
        for (float x : flat) {
            a.addData(x);
        }
        return data(name, DataType.FloatVector).setVectors(VectorField.newBuilder().setDim(dim).setFloatVector(a));
    }

    public static FieldData.Builder byteVectors(String name, DataType type, int dim, byte[] bytes) {
        VectorField.Builder v = VectorField.newBuilder().setDim(dim);
        ByteString b = ByteString.copyFrom(bytes);
        switch (type) {
            case BinaryVector -> v.setBinaryVector(b);
            case Int8Vector -> v.setInt8Vector(b);
            case Float16Vector -> v.setFloat16Vector(b);
            case BFloat16Vector -> v.setBfloat16Vector(b);
            default -> throw new IllegalArgumentException(type.toString());
        }
        return data(name, type).setVectors(v);
    }

    /** Sparse rows given as {index, value, index, value, ...} (indices as longs to reach 2^32-1). */
    public static FieldData.Builder sparse(String name, double[]... rows) {
        SparseFloatArray.Builder s = SparseFloatArray.newBuilder();
        long dim = 0;
        for (double[] row : rows) {
            int[] idx = new int[row.length / 2];
            float[] val = new float[row.length / 2];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = (int) (long) row[2 * i];
                val[i] = (float) row[2 * i + 1];
                dim = Math.max(dim, (long) row[2 * i] + 1);
            }
            s.addContents(SparseRows.encode(idx, val));
        }
        return data(name, DataType.SparseFloatVector).setVectors(VectorField.newBuilder().setDim(dim).setSparseFloatVector(s.setDim(dim)));
    }

    public static ScalarField longElements(long... v) {
        LongArray.Builder a = LongArray.newBuilder();
        for (long x : v) {
            a.addData(x);
        }
        return ScalarField.newBuilder().setLongData(a).build();
    }

    public static ScalarField stringElements(String... v) {
        return ScalarField.newBuilder().setStringData(StringArray.newBuilder().addAllData(List.of(v))).build();
    }
}
