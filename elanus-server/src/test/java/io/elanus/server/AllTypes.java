package io.elanus.server;

import com.google.protobuf.ByteString;
import io.elanus.segment.FieldSchemas;
import io.elanus.segment.HalfFloats;
import io.elanus.segment.SparseRows;
import io.milvus.grpc.ArrayArray;
import io.milvus.grpc.BoolArray;
import io.milvus.grpc.CollectionSchema;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A collection with a field of every data type (nullable scalars, JSON, arrays, every vector kind,
 * the dynamic field) and seeded rows for it, for tests that compare results field by field.
 * Rows are numbered: row {@code i} has primary key {@code i}; every fifth row has nulls.
 */
public final class AllTypes {
    public static final int DIM = 8;
    public static final int BINARY_DIM = 64;
    public static final int SPARSE_DIM = 64;

    private AllTypes() {
    }

    /** The schema a client sends: no field ids, dynamic field enabled but not listed. */
    public static CollectionSchema userSchema(String name) {
        CollectionSchema.Builder b = CollectionSchema.newBuilder().setName(name).setEnableDynamicField(true);
        b.addFields(field("id", DataType.Int64).setIsPrimaryKey(true));
        b.addFields(field("b", DataType.Bool));
        b.addFields(field("i8", DataType.Int8));
        b.addFields(field("i16", DataType.Int16));
        b.addFields(field("i32", DataType.Int32).setNullable(true));
        b.addFields(field("f", DataType.Float));
        b.addFields(field("d", DataType.Double));
        b.addFields(field("s", DataType.VarChar).setNullable(true).addTypeParams(param("max_length", "32")));
        b.addFields(field("j", DataType.JSON));
        b.addFields(field("al", DataType.Array).setElementType(DataType.Int64).addTypeParams(param("max_capacity", "8")));
        b.addFields(field("as", DataType.Array).setElementType(DataType.VarChar)
                .addTypeParams(param("max_capacity", "8")).addTypeParams(param("max_length", "16")));
        b.addFields(vector("fv", DataType.FloatVector, DIM));
        b.addFields(vector("hv", DataType.Float16Vector, DIM));
        b.addFields(vector("bv", DataType.BFloat16Vector, DIM));
        b.addFields(vector("xv", DataType.BinaryVector, BINARY_DIM));
        b.addFields(vector("iv", DataType.Int8Vector, DIM));
        b.addFields(field("sv", DataType.SparseFloatVector));
        return b.build();
    }

    /** The schema as rootcoord stores it: field ids from 100 and the dynamic field last. */
    public static CollectionSchema storedSchema(String name) {
        CollectionSchema user = userSchema(name);
        CollectionSchema.Builder b = user.toBuilder().clearFields();
        long id = 100;
        for (FieldSchema f : user.getFieldsList()) {
            b.addFields(f.toBuilder().setFieldID(id++));
        }
        b.addFields(field(FieldSchemas.DYNAMIC_FIELD_NAME, DataType.JSON).setIsDynamic(true).setFieldID(id));
        return b.build();
    }

    /** Rows {@code first .. first + n - 1}, one FieldData per field (matched by name), the dynamic field included. */
    public static List<FieldData> rows(int first, int n, long seed) {
        Random r = new Random(seed);
        BoolArray.Builder b = BoolArray.newBuilder();
        IntArray.Builder i8 = IntArray.newBuilder();
        IntArray.Builder i16 = IntArray.newBuilder();
        IntArray.Builder i32 = IntArray.newBuilder();
        FloatArray.Builder f = FloatArray.newBuilder();
        DoubleArray.Builder d = DoubleArray.newBuilder();
        StringArray.Builder s = StringArray.newBuilder();
        JSONArray.Builder j = JSONArray.newBuilder();
        JSONArray.Builder meta = JSONArray.newBuilder();
        ArrayArray.Builder al = ArrayArray.newBuilder().setElementType(DataType.Int64);
        ArrayArray.Builder as = ArrayArray.newBuilder().setElementType(DataType.VarChar);
        LongArray.Builder ids = LongArray.newBuilder();
        FloatArray.Builder fv = FloatArray.newBuilder();
        ByteString.Output hv = ByteString.newOutput();
        ByteString.Output bv = ByteString.newOutput();
        ByteString.Output xv = ByteString.newOutput();
        ByteString.Output iv = ByteString.newOutput();
        SparseFloatArray.Builder sv = SparseFloatArray.newBuilder().setDim(SPARSE_DIM);
        List<Boolean> valid = new ArrayList<>();
        for (int row = first; row < first + n; row++) {
            boolean isValid = row % 5 != 0;
            valid.add(isValid);
            ids.addData(row);
            b.addData(r.nextBoolean());
            i8.addData(r.nextInt(256) - 128);
            i16.addData(r.nextInt(65536) - 32768);
            i32.addData(isValid ? r.nextInt(100) : 0);
            f.addData(r.nextFloat());
            d.addData(r.nextDouble());
            s.addData(isValid ? (row % 2 == 0 ? "a" : "b") + row : "");
            j.addData(utf8("{\"n\":" + row + ",\"tag\":\"t" + row % 3 + "\",\"list\":[" + r.nextInt(10) + ",2]}"));
            meta.addData(utf8("{\"extra\":" + row + ",\"color\":\"" + (row % 2 == 0 ? "red" : "blue") + "\"}"));
            LongArray.Builder longs = LongArray.newBuilder();
            StringArray.Builder strings = StringArray.newBuilder();
            for (int k = 0; k < row % 4; k++) {
                longs.addData(r.nextInt(50));
                strings.addData("e" + r.nextInt(9));
            }
            al.addData(ScalarField.newBuilder().setLongData(longs));
            as.addData(ScalarField.newBuilder().setStringData(strings));
            for (int k = 0; k < DIM; k++) {
                float x = r.nextFloat() * 2 - 1;
                fv.addData(x);
                short h = HalfFloats.floatToFp16(x);
                hv.write(h & 0xff);
                hv.write((h >>> 8) & 0xff);
                short bf = HalfFloats.floatToBf16(x);
                bv.write(bf & 0xff);
                bv.write((bf >>> 8) & 0xff);
                iv.write(r.nextInt(256) - 128);
            }
            for (int k = 0; k < BINARY_DIM / 8; k++) {
                xv.write(r.nextInt(256));
            }
            sv.addContents(sparseRow(r));
        }
        List<FieldData> out = new ArrayList<>();
        out.add(scalar("id", DataType.Int64, ScalarField.newBuilder().setLongData(ids)));
        out.add(scalar("b", DataType.Bool, ScalarField.newBuilder().setBoolData(b)));
        out.add(scalar("i8", DataType.Int8, ScalarField.newBuilder().setIntData(i8)));
        out.add(scalar("i16", DataType.Int16, ScalarField.newBuilder().setIntData(i16)));
        out.add(scalar("i32", DataType.Int32, ScalarField.newBuilder().setIntData(i32)).toBuilder().addAllValidData(valid).build());
        out.add(scalar("f", DataType.Float, ScalarField.newBuilder().setFloatData(f)));
        out.add(scalar("d", DataType.Double, ScalarField.newBuilder().setDoubleData(d)));
        out.add(scalar("s", DataType.VarChar, ScalarField.newBuilder().setStringData(s)).toBuilder().addAllValidData(valid).build());
        out.add(scalar("j", DataType.JSON, ScalarField.newBuilder().setJsonData(j)));
        out.add(scalar("al", DataType.Array, ScalarField.newBuilder().setArrayData(al)));
        out.add(scalar("as", DataType.Array, ScalarField.newBuilder().setArrayData(as)));
        out.add(vectors("fv", DataType.FloatVector, VectorField.newBuilder().setDim(DIM).setFloatVector(fv)));
        out.add(vectors("hv", DataType.Float16Vector, VectorField.newBuilder().setDim(DIM).setFloat16Vector(hv.toByteString())));
        out.add(vectors("bv", DataType.BFloat16Vector, VectorField.newBuilder().setDim(DIM).setBfloat16Vector(bv.toByteString())));
        out.add(vectors("xv", DataType.BinaryVector, VectorField.newBuilder().setDim(BINARY_DIM).setBinaryVector(xv.toByteString())));
        out.add(vectors("iv", DataType.Int8Vector, VectorField.newBuilder().setDim(DIM).setInt8Vector(iv.toByteString())));
        out.add(vectors("sv", DataType.SparseFloatVector, VectorField.newBuilder().setDim(SPARSE_DIM).setSparseFloatVector(sv)));
        out.add(scalar(FieldSchemas.DYNAMIC_FIELD_NAME, DataType.JSON, ScalarField.newBuilder().setJsonData(meta))
                .toBuilder().setIsDynamic(true).build());
        return out;
    }

    /** A random sparse row: a few distinct ascending indices below {@link #SPARSE_DIM}. */
    public static ByteString sparseRow(Random r) {
        int[] idx = r.ints(0, SPARSE_DIM).distinct().limit(1 + r.nextInt(5)).sorted().toArray();
        float[] val = new float[idx.length];
        for (int k = 0; k < idx.length; k++) {
            val[k] = 0.1f + r.nextFloat();
        }
        return SparseRows.encode(idx, val);
    }

    private static FieldSchema.Builder field(String name, DataType type) {
        return FieldSchema.newBuilder().setName(name).setDataType(type);
    }

    private static FieldSchema.Builder vector(String name, DataType type, int dim) {
        return field(name, type).addTypeParams(param("dim", Integer.toString(dim)));
    }

    private static KeyValuePair param(String key, String value) {
        return KeyValuePair.newBuilder().setKey(key).setValue(value).build();
    }

    private static FieldData scalar(String name, DataType type, ScalarField.Builder values) {
        return FieldData.newBuilder().setFieldName(name).setType(type).setScalars(values).build();
    }

    private static FieldData vectors(String name, DataType type, VectorField.Builder values) {
        return FieldData.newBuilder().setFieldName(name).setType(type).setVectors(values).build();
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }
}
