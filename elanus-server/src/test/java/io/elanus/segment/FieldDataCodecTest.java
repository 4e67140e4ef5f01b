package io.elanus.segment;

import com.google.protobuf.ByteString;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.milvus.grpc.ArrayArray;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.ScalarField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.elanus.segment.TestFields.*;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(Seeds.class)
class FieldDataCodecTest {

    private static FieldData roundTrip(FieldSchema field, FieldData in, int numRows, Set<String> keys) {
        Column column = FieldDataCodec.toColumn(field, in, numRows);
        assertEquals(numRows, column.size());
        FieldDataBuilder b = new FieldDataBuilder(field, keys, numRows);
        for (int r = 0; r < numRows; r++) {
            b.append(column, r);
        }
        return b.build();
    }

    private static FieldData roundTrip(FieldSchema field, FieldData in, int numRows) {
        return roundTrip(field, in, numRows, null);
    }

    @Test
    void scalarTypesRoundTripWithoutNulls() {
        assertEquals(List.of(true, false), roundTrip(field(1, "b", DataType.Bool).build(), bools("b", true, false).build(), 2)
                .getScalars().getBoolData().getDataList());
        for (DataType t : List.of(DataType.Int8, DataType.Int16, DataType.Int32)) {
            FieldData out = roundTrip(field(1, "i", t).build(), ints("i", t, -128, 7, 127).build(), 3);
            assertEquals(List.of(-128, 7, 127), out.getScalars().getIntData().getDataList());
            assertEquals(t, out.getType());
        }
        assertEquals(List.of(Long.MIN_VALUE, Long.MAX_VALUE), roundTrip(field(1, "l", DataType.Int64).build(),
                longs("l", Long.MIN_VALUE, Long.MAX_VALUE).build(), 2).getScalars().getLongData().getDataList());
        assertEquals(List.of(1.5f, Float.MIN_VALUE), roundTrip(field(1, "f", DataType.Float).build(),
                floats("f", 1.5f, Float.MIN_VALUE).build(), 2).getScalars().getFloatData().getDataList());
        assertEquals(List.of(0.1, -2e300), roundTrip(field(1, "d", DataType.Double).build(),
                doubles("d", 0.1, -2e300).build(), 2).getScalars().getDoubleData().getDataList());
        assertEquals(List.of("a", "ü€"), roundTrip(varchar(1, "s", 10).build(), strings("s", "a", "ü€").build(), 2)
                .getScalars().getStringData().getDataList());
        FieldData json = roundTrip(field(1, "j", DataType.JSON).build(), jsons("j", "{\"a\":1}", "[1,2]").build(), 2);
        assertEquals("[1,2]", json.getScalars().getJsonData().getData(1).toStringUtf8());
        assertTrue(json.getValidDataList().isEmpty());
        assertEquals(1, json.getFieldId());
        assertEquals("j", json.getFieldName());
    }

    @Test
    void compactNullsArePaddedOnOutputWithValidData() {
        FieldSchema f = field(5, "n", DataType.Int64).setNullable(true).build();
        FieldData in = withValid(longs("n", 10, 30), true, false, true).build();
        Column c = FieldDataCodec.toColumn(f, in, 3);
        assertTrue(c.isNull(1));
        assertFalse(c.isNull(0));
        assertEquals(30, ((LongColumn) c).values()[2]);
        FieldData out = roundTrip(f, in, 3);
        assertEquals(List.of(true, false, true), out.getValidDataList());
        assertEquals(List.of(10L, 0L, 30L), out.getScalars().getLongData().getDataList());
    }

    @Test
    void paddedNullsAreAccepted() {
        FieldSchema f = varchar(5, "s", 8).setNullable(true).build();
        FieldData in = withValid(strings("s", "x", "placeholder", "z"), true, false, true).build();
        StringColumn c = (StringColumn) FieldDataCodec.toColumn(f, in, 3);
        assertArrayEquals(new String[] {"x", null, "z"}, c.values());
        assertEquals(List.of("x", "", "z"), roundTrip(f, in, 3).getScalars().getStringData().getDataList());
    }

    @Test
    void nullsOfEveryScalarTypeRoundTrip() {
        FieldSchema b = field(1, "b", DataType.Bool).setNullable(true).build();
        assertEquals(List.of(false, true), roundTrip(b, withValid(bools("b", true), false, true).build(), 2)
                .getScalars().getBoolData().getDataList());
        FieldSchema i = field(1, "i", DataType.Int16).setNullable(true).build();
        assertEquals(List.of(0, 5), roundTrip(i, withValid(ints("i", DataType.Int16, 5), false, true).build(), 2)
                .getScalars().getIntData().getDataList());
        FieldSchema f = field(1, "f", DataType.Float).setNullable(true).build();
        assertEquals(List.of(2f, 0f), roundTrip(f, withValid(floats("f", 2f), true, false).build(), 2)
                .getScalars().getFloatData().getDataList());
        FieldSchema d = field(1, "d", DataType.Double).setNullable(true).build();
        assertEquals(List.of(0d, 0d), roundTrip(d, withValid(doubles("d"), false, false).build(), 2)
                .getScalars().getDoubleData().getDataList());
        FieldSchema j = field(1, "j", DataType.JSON).setNullable(true).build();
        FieldData jo = roundTrip(j, withValid(jsons("j", "1"), false, true).build(), 2);
        assertEquals(List.of(false, true), jo.getValidDataList());
        assertEquals("1", jo.getScalars().getJsonData().getData(1).toStringUtf8());
        FieldSchema a = array(1, "a", DataType.Int64, 4).setNullable(true).build();
        FieldData ai = withValid(data("a", DataType.Array).setScalars(ScalarField.newBuilder()
                .setArrayData(ArrayArray.newBuilder().addData(longElements(1, 2)).setElementType(DataType.Int64))), false, true).build();
        FieldData ao = roundTrip(a, ai, 2);
        assertEquals(2, ao.getScalars().getArrayData().getDataCount());
        assertEquals(0, ao.getScalars().getArrayData().getData(0).getLongData().getDataCount());
        assertEquals(List.of(1L, 2L), ao.getScalars().getArrayData().getData(1).getLongData().getDataList());
    }

    @Test
    void mismatchedCountsAreRejected() {
        FieldSchema f = field(5, "n", DataType.Int64).setNullable(true).build();
        assertThrows(IllegalArgumentException.class,
                () -> FieldDataCodec.toColumn(f, withValid(longs("n", 1, 2), true, false, false).build(), 3));
        assertThrows(IllegalArgumentException.class,
                () -> FieldDataCodec.toColumn(f, withValid(longs("n", 1), true).build(), 3));
    }

    @Test
    void arraysOfEveryElementTypeRoundTrip() {
        FieldSchema s = array(3, "tags", DataType.VarChar, 5).build();
        FieldData in = data("tags", DataType.Array).setScalars(ScalarField.newBuilder().setArrayData(ArrayArray.newBuilder()
                .setElementType(DataType.VarChar).addData(stringElements("a", "b")).addData(stringElements()))).build();
        ArrayColumn c = (ArrayColumn) FieldDataCodec.toColumn(s, in, 2);
        assertEquals(2, c.length(0));
        assertEquals(0, c.length(1));
        FieldData out = roundTrip(s, in, 2);
        assertEquals(DataType.VarChar, out.getScalars().getArrayData().getElementType());
        assertEquals(in.getScalars().getArrayData().getDataList(), out.getScalars().getArrayData().getDataList());
        for (DataType e : List.of(DataType.Bool, DataType.Int8, DataType.Int32, DataType.Int64, DataType.Float, DataType.Double)) {
            ScalarField elements = ArrayRows.toScalarField(switch (e) {
                case Bool -> new boolean[] {true, false};
                case Float -> new double[] {1.25, -3};
                case Double -> new double[] {0.1, 1e200};
                default -> new long[] {1, -100};
            }, e);
            FieldSchema f = array(3, "a", e, 5).build();
            FieldData d = data("a", DataType.Array).setScalars(ScalarField.newBuilder().setArrayData(
                    ArrayArray.newBuilder().setElementType(e).addData(elements))).build();
            assertEquals(elements, roundTrip(f, d, 1).getScalars().getArrayData().getData(0), e.toString());
        }
    }

    @Test
    void floatVectorsRoundTrip() {
        FieldSchema f = vector(2, "v", DataType.FloatVector, 3).build();
        FieldData in = floatVectors("v", 3, 1, 2, 3, -4, 5.5f, 6).build();
        FloatVectorColumn c = (FloatVectorColumn) FieldDataCodec.toColumn(f, in, 2);
        assertEquals(-4f, c.data()[c.offset(1)]);
        FieldData out = roundTrip(f, in, 2);
        assertEquals(in.getVectors(), out.getVectors());
        assertEquals(DataType.FloatVector, out.getType());
    }

    @Test
    void halfPrecisionVectorsNarrowBackExactly(Seed seed) {
        Random random = seed.random(42);
        int dim = 16;
        int rows = 64;
        for (DataType t : List.of(DataType.Float16Vector, DataType.BFloat16Vector)) {
            byte[] bytes = new byte[rows * dim * 2];
            for (int i = 0; i < bytes.length; i += 2) {
                short h;
                do {
                    h = (short) random.nextInt(1 << 16);
                } while (isNaN(t, h));
                bytes[i] = (byte) h;
                bytes[i + 1] = (byte) (h >>> 8);
            }
            FieldSchema f = vector(2, "h", t, dim).build();
            FieldData out = roundTrip(f, byteVectors("h", t, dim, bytes).build(), rows);
            ByteString got = t == DataType.Float16Vector ? out.getVectors().getFloat16Vector() : out.getVectors().getBfloat16Vector();
            assertArrayEquals(bytes, got.toByteArray(), t.toString());
            assertEquals(dim, out.getVectors().getDim());
        }
    }

    private static boolean isNaN(DataType t, short h) {
        return t == DataType.Float16Vector ? Float.isNaN(HalfFloats.fp16ToFloat(h)) : Float.isNaN(HalfFloats.bf16ToFloat(h));
    }

    @Test
    void halfPrecisionWidensToTheRightValues() {
        // 0x3C00 is 1.0 in binary16; 0x3F80 is 1.0 in bfloat16; little-endian on the wire
        FieldSchema fp = vector(2, "h", DataType.Float16Vector, 2).build();
        FloatVectorColumn c = (FloatVectorColumn) FieldDataCodec.toColumn(fp,
                byteVectors("h", DataType.Float16Vector, 2, new byte[] {0x00, 0x3C, 0x00, (byte) 0xC0}).build(), 1);
        assertArrayEquals(new float[] {1f, -2f}, c.data());
        FieldSchema bf = vector(2, "h", DataType.BFloat16Vector, 2).build();
        FloatVectorColumn d = (FloatVectorColumn) FieldDataCodec.toColumn(bf,
                byteVectors("h", DataType.BFloat16Vector, 2, new byte[] {(byte) 0x80, 0x3F, 0x20, 0x41}).build(), 1);
        assertArrayEquals(new float[] {1f, 10f}, d.data());
        assertEquals((short) 0x3F80, HalfFloats.floatToBf16(1.00001f));
    }

    @Test
    void byteVectorsRoundTrip() {
        FieldSchema bin = vector(2, "b", DataType.BinaryVector, 16).build();
        byte[] bits = {1, 2, 3, 4, 5, 6};
        FieldData out = roundTrip(bin, byteVectors("b", DataType.BinaryVector, 16, bits).build(), 3);
        assertArrayEquals(bits, out.getVectors().getBinaryVector().toByteArray());
        assertEquals(16, out.getVectors().getDim());
        FieldSchema i8 = vector(2, "q", DataType.Int8Vector, 2).build();
        byte[] q = {-128, 127, 0, -1};
        ByteVectorColumn c = (ByteVectorColumn) FieldDataCodec.toColumn(i8, byteVectors("q", DataType.Int8Vector, 2, q).build(), 2);
        assertEquals(2, c.size());
        assertArrayEquals(q, roundTrip(i8, byteVectors("q", DataType.Int8Vector, 2, q).build(), 2).getVectors().getInt8Vector().toByteArray());
    }

    @Test
    void nullableVectorsAreCompactOnOutput() {
        FieldSchema f = vector(2, "v", DataType.FloatVector, 2).setNullable(true).build();
        FieldData in = withValid(floatVectors("v", 2, 1, 2), false, true).build();
        FloatVectorColumn c = (FloatVectorColumn) FieldDataCodec.toColumn(f, in, 2);
        assertArrayEquals(new float[] {0, 0, 1, 2}, c.data());
        FieldData out = roundTrip(f, in, 2);
        assertEquals(List.of(1f, 2f), out.getVectors().getFloatVector().getDataList());
        assertEquals(List.of(false, true), out.getValidDataList());
    }

    @Test
    void sparseVectorsRoundTrip() {
        FieldSchema f = field(4, "sp", DataType.SparseFloatVector).build();
        FieldData in = sparse("sp", new double[] {1, 0.5, 7, -2}, new double[] {}, new double[] {4294967294L, 3}).build();
        SparseVectorColumn c = (SparseVectorColumn) FieldDataCodec.toColumn(f, in, 3);
        assertArrayEquals(new int[] {1, 7}, c.indices()[0]);
        assertArrayEquals(new float[] {0.5f, -2f}, c.values()[0]);
        assertEquals(0, c.indices()[1].length);
        assertEquals(4294967294L, Integer.toUnsignedLong(c.indices()[2][0]));
        FieldData out = roundTrip(f, in, 3);
        assertEquals(in.getVectors().getSparseFloatVector().getContentsList(), out.getVectors().getSparseFloatVector().getContentsList());
        assertEquals(4294967295L, out.getVectors().getSparseFloatVector().getDim());
        assertEquals(4294967295L, out.getVectors().getDim());
    }

    @Test
    void dynamicFieldKeepsOnlyRequestedKeys() {
        FieldSchema meta = field(100, FieldSchemas.DYNAMIC_FIELD_NAME, DataType.JSON).setIsDynamic(true).build();
        FieldData in = dynamic("{\"a\":1,\"b\":\"x\",\"c\":[1]}", "{\"b\":2}").build();
        JsonColumn c = (JsonColumn) FieldDataCodec.toColumn(meta, in, 2);
        assertTrue(c.dynamic());
        FieldData some = roundTrip(meta, in, 2, Set.of("a", "c"));
        assertTrue(some.getIsDynamic());
        assertEquals("{\"a\":1,\"c\":[1]}".length(), some.getScalars().getJsonData().getData(0).size());
        assertTrue(some.getScalars().getJsonData().getData(0).toStringUtf8().contains("\"c\":[1]"));
        assertEquals("{}", some.getScalars().getJsonData().getData(1).toStringUtf8());
        FieldData all = roundTrip(meta, in, 2, null);
        assertEquals(in.getScalars().getJsonData(), all.getScalars().getJsonData());
    }

    @Test
    void builderGathersRowsFromSeveralColumns() {
        FieldSchema f = field(1, "l", DataType.Int64).build();
        Column a = FieldDataCodec.toColumn(f, longs("l", 1, 2, 3).build(), 3);
        Column b = FieldDataCodec.toColumn(f, longs("l", 10, 20).build(), 2);
        FieldDataBuilder builder = new FieldDataBuilder(f, null, 3);
        builder.append(b, 1);
        builder.append(a, 0);
        builder.append(b, 0);
        assertEquals(3, builder.rowCount());
        assertEquals(List.of(20L, 1L, 10L), builder.build().getScalars().getLongData().getDataList());
    }

    @Test
    void toChunkKeysColumnsByFieldIdAndStampsRows() {
        CollectionSchema schema = CollectionSchema.newBuilder().setName("c")
                .addFields(field(100, "id", DataType.Int64).setIsPrimaryKey(true))
                .addFields(vector(101, "v", DataType.FloatVector, 2))
                .addFields(field(102, FieldSchemas.DYNAMIC_FIELD_NAME, DataType.JSON).setIsDynamic(true))
                .setEnableDynamicField(true).build();
        List<FieldData> fields = List.of(
                floatVectors("v", 2, 1, 2, 3, 4).setFieldId(101).build(),
                longs("id", 7, 8).setFieldId(100).build(),
                dynamic("{}", "{\"k\":1}").build());
        Chunk chunk = FieldDataCodec.toChunk(schema, fields, 2, 99L);
        assertEquals(2, chunk.rowCount());
        assertArrayEquals(new long[] {99, 99}, chunk.timestamps());
        assertEquals(3, chunk.columns().size());
        assertArrayEquals(new long[] {7, 8}, ((LongColumn) chunk.column(100)).values());
        assertInstanceOf(FloatVectorColumn.class, chunk.column(101));
        assertTrue(((JsonColumn) chunk.column(102)).dynamic());
        assertThrows(IllegalArgumentException.class, () -> FieldDataCodec.toChunk(schema, fields.subList(0, 2), 2, 1));
    }
}
