package io.elanus.proxy.validation;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.segment.FieldDataCodec;
import io.elanus.segment.FieldSchemas;
import io.elanus.segment.LongColumn;
import io.elanus.segment.StringColumn;
import io.milvus.grpc.ArrayArray;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.ScalarField;
import io.milvus.grpc.ValueField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static io.elanus.segment.TestFields.*;
import static org.junit.jupiter.api.Assertions.*;

class InsertValidatorTest {
    private static final CollectionSchema SCHEMA = CollectionSchema.newBuilder().setName("c").setEnableDynamicField(true)
            .addFields(field(100, "id", DataType.Int64).setIsPrimaryKey(true))
            .addFields(vector(101, "v", DataType.FloatVector, 2))
            .addFields(varchar(102, "s", 4).setNullable(true))
            .addFields(field(103, "n", DataType.Int32).setDefaultValue(ValueField.newBuilder().setIntData(7)))
            .addFields(field(104, FieldSchemas.DYNAMIC_FIELD_NAME, DataType.JSON).setIsDynamic(true))
            .build();

    private static List<FieldData> valid() {
        return List.of(longs("id", 1, 2).build(), floatVectors("v", 2, 1, 2, 3, 4).build());
    }

    private static void rejects(String messagePart, Executable call) {
        MilvusException e = assertThrows(MilvusException.class, call);
        assertEquals(MilvusError.PARAMETER_INVALID, e.kind());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    private static List<FieldData> with(FieldData extra) {
        return List.of(longs("id", 1, 2).build(), floatVectors("v", 2, 1, 2, 3, 4).build(), extra);
    }

    @Test
    void normalizesToOneEntryPerFieldInSchemaOrder() {
        List<FieldData> out = InsertValidator.validateInsert(SCHEMA, valid(), 2, false);
        assertEquals(List.of(100L, 101L, 102L, 103L, 104L), out.stream().map(FieldData::getFieldId).toList());
        assertEquals(List.of(false, false), out.get(2).getValidDataList());
        assertEquals(List.of(7, 7), out.get(3).getScalars().getIntData().getDataList());
        assertEquals("{}", out.get(4).getScalars().getJsonData().getData(1).toStringUtf8());
        assertTrue(out.get(4).getIsDynamic());
        assertEquals(2, FieldDataCodec.toChunk(SCHEMA, out, 2, 1).rowCount());
    }

    @Test
    void nullInDefaultFieldBecomesTheDefault() {
        List<FieldData> out = InsertValidator.validateInsert(SCHEMA,
                with(withValid(ints("n", DataType.Int32, 3), false, true).build()), 2, false);
        LongColumn n = (LongColumn) FieldDataCodec.toColumn(SCHEMA.getFields(3), out.get(3), 2);
        assertArrayEquals(new long[] {7, 3}, n.values());
        assertTrue(n.nulls().isEmpty());
    }

    @Test
    void nullableFieldKeepsItsNulls() {
        List<FieldData> out = InsertValidator.validateInsert(SCHEMA, with(withValid(strings("s", "ab"), true, false).build()), 2, false);
        StringColumn s = (StringColumn) FieldDataCodec.toColumn(SCHEMA.getFields(2), out.get(2), 2);
        assertTrue(s.isNull(1));
        assertEquals("ab", s.values()[0]);
    }

    @Test
    void rowCountMismatch() {
        rejects("the num_rows (3) of field (id) is not equal to passed num_rows (2): invalid parameter[expected=2][actual=3]",
                () -> InsertValidator.validateInsert(SCHEMA, List.of(longs("id", 1, 2, 3).build(), floatVectors("v", 2, 1, 2, 3, 4).build()), 2, false));
        rejects("num_rows should be greater than 0", () -> InsertValidator.validateInsert(SCHEMA, valid(), 0, false));
    }

    @Test
    void missingAndUnknownFields() {
        rejects("Insert missed an field `v` to collection without set nullable==true or set default_value",
                () -> InsertValidator.validateInsert(SCHEMA, List.of(longs("id", 1).build()), 1, false));
        rejects("Attempt to insert an unexpected field `x`", () -> InsertValidator.validateInsert(SCHEMA, with(longs("x", 1, 2).build()), 2, false));
        CollectionSchema noDynamic = SCHEMA.toBuilder().setEnableDynamicField(false).removeFields(4).build();
        rejects("without dynamic schema enabled", () -> InsertValidator.validateInsert(noDynamic, with(dynamic("{}", "{}").build()), 2, false));
        rejects("duplicated field name", () -> InsertValidator.validateInsert(SCHEMA, with(longs("id", 1, 2).build()), 2, false));
    }

    @Test
    void typeDimAndValueErrors() {
        rejects("type mismatch", () -> InsertValidator.validateInsert(SCHEMA, with(ints("n", DataType.Int64, 1, 2).build()), 2, false));
        rejects("the dim (3) of field data(v) is not equal to schema dim (2)", () -> InsertValidator.validateInsert(SCHEMA,
                List.of(longs("id", 1, 2).build(), floatVectors("v", 3, 1, 2, 3, 4, 5, 6).build()), 2, false));
        rejects("the length(3) of float data should divide the dim(2)", () -> InsertValidator.validateInsert(SCHEMA,
                List.of(longs("id", 1, 2).build(), floatVectors("v", 2, 1, 2, 3).build()), 2, false));
        rejects("value 'NaN' is not a number or infinity", () -> InsertValidator.validateInsert(SCHEMA,
                List.of(longs("id", 1, 2).build(), floatVectors("v", 2, 1, Float.NaN, 3, 4).build()), 2, false));
        rejects("value '+Inf' is not a number or infinity", () -> InsertValidator.validateInsert(SCHEMA,
                List.of(longs("id", 1, 2).build(), floatVectors("v", 2, 1, Float.POSITIVE_INFINITY, 3, 4).build()), 2, false));
        // "üüü" is 6 UTF-8 bytes although 3 chars: Milvus counts bytes
        rejects("length of varchar field s exceeds max length, row number: 1, length: 6, max length: 4",
                () -> InsertValidator.validateInsert(SCHEMA, with(strings("s", "ok", "üüü").build()), 2, false));
    }

    @Test
    void nullRules() {
        rejects("not nullable", () -> InsertValidator.validateInsert(SCHEMA,
                List.of(longs("id", 1, 2).build(), withValid(floatVectors("v", 2, 1, 2), true, false).build()), 2, false));
        rejects("primary key field (id) can not be null", () -> InsertValidator.validateInsert(SCHEMA,
                List.of(withValid(longs("id", 1), true, false).build(), floatVectors("v", 2, 1, 2, 3, 4).build()), 2, false));
        rejects("the length of valid_data of field(s) is wrong", () -> InsertValidator.validateInsert(SCHEMA,
                with(withValid(strings("s", "a"), true).build()), 2, false));
    }

    @Test
    void arrayElementTypeAndCapacity() {
        CollectionSchema s = CollectionSchema.newBuilder().addFields(field(1, "id", DataType.Int64).setIsPrimaryKey(true))
                .addFields(array(2, "a", DataType.Int64, 2)).build();
        FieldData tooLong = data("a", DataType.Array).setScalars(ScalarField.newBuilder().setArrayData(ArrayArray.newBuilder()
                .setElementType(DataType.Int64).addData(longElements(1, 2, 3)))).build();
        rejects("the length (3) of 0th array exceeds max capacity (2)",
                () -> InsertValidator.validateInsert(s, List.of(longs("id", 1).build(), tooLong), 1, false));
        FieldData wrongType = data("a", DataType.Array).setScalars(ScalarField.newBuilder().setArrayData(ArrayArray.newBuilder()
                .setElementType(DataType.Int64).addData(stringElements("x")))).build();
        rejects("insert data does not match", () -> InsertValidator.validateInsert(s, List.of(longs("id", 1).build(), wrongType), 1, false));
    }

    @Test
    void jsonAndDynamicRules() {
        CollectionSchema s = SCHEMA.toBuilder().addFields(field(105, "j", DataType.JSON).setNullable(true)).build();
        rejects("invalid JSON", () -> InsertValidator.validateInsert(s, with(jsons("j", "{", "1").build()), 2, false));
        rejects("must be a JSON object", () -> InsertValidator.validateInsert(SCHEMA, with(dynamic("[1]", "{}").build()), 2, false));
        rejects("dynamic field name cannot include the static field name: s",
                () -> InsertValidator.validateInsert(SCHEMA, with(dynamic("{\"s\":1}", "{}").build()), 2, false));
        assertEquals(5, InsertValidator.validateInsert(SCHEMA, with(dynamic("{\"k\":1}", "{}").build()), 2, false).size());
    }

    @Test
    void sparseRowsMustBeWellFormed() {
        CollectionSchema s = CollectionSchema.newBuilder().addFields(field(1, "id", DataType.Int64).setIsPrimaryKey(true))
                .addFields(field(2, "sp", DataType.SparseFloatVector)).build();
        rejects("unsorted or same indices", () -> InsertValidator.validateInsert(s,
                List.of(longs("id", 1).build(), sparse("sp", new double[] {5, 1, 5, 2}).build()), 1, false));
        rejects("must be less than 2^32-1", () -> InsertValidator.validateInsert(s,
                List.of(longs("id", 1).build(), sparse("sp", new double[] {4294967295L, 1}).build()), 1, false));
        rejects("is not a number", () -> InsertValidator.validateInsert(s,
                List.of(longs("id", 1).build(), sparse("sp", new double[] {1, Double.NaN}).build()), 1, false));
        assertEquals(2, InsertValidator.validateInsert(s, List.of(longs("id", 1).build(), sparse("sp", new double[] {1, 0.5, 9, 2}).build()), 1, false).size());
    }

    @Test
    void autoIdPrimaryKey() {
        CollectionSchema s = CollectionSchema.newBuilder().addFields(field(1, "id", DataType.Int64).setIsPrimaryKey(true).setAutoID(true))
                .addFields(vector(2, "v", DataType.FloatVector, 1)).build();
        List<FieldData> out = InsertValidator.validateInsert(s, List.of(floatVectors("v", 1, 1, 2).build()), 2, false);
        assertFalse(InsertValidator.hasField(out, 1));
        List<FieldData> withIds = InsertValidator.withAutoIds(out, s.getFields(0), 1000, 2);
        assertEquals(List.of(1000L, 1001L), withIds.get(0).getScalars().getLongData().getDataList());
        assertEquals(2, FieldDataCodec.toChunk(s, withIds, 2, 5).columns().size());
        rejects("auto id enabled", () -> InsertValidator.validateInsert(s, List.of(longs("id", 1, 2).build(), floatVectors("v", 1, 1, 2).build()), 2, false));
        assertTrue(InsertValidator.hasField(InsertValidator.validateInsert(s,
                List.of(longs("id", 1, 2).build(), floatVectors("v", 1, 1, 2).build()), 2, true), 1));
        var varcharPk = varchar(1, "id", 64).setIsPrimaryKey(true).setAutoID(true).build();
        assertEquals(List.of("5", "6"), InsertValidator.withAutoIds(List.of(), varcharPk, 5, 2).get(0).getScalars().getStringData().getDataList());
    }

    @Test
    void upsertNeedsPrimaryKeyAndSupportsPartialUpdate() {
        CollectionSchema s = SCHEMA.toBuilder().setFields(0, SCHEMA.getFields(0).toBuilder().setAutoID(true)).build();
        rejects("must assign pk when upsert, primary field: id",
                () -> InsertValidator.validateUpsert(s, List.of(floatVectors("v", 2, 1, 2).build()), 1, false));
        assertEquals(5, InsertValidator.validateUpsert(s, with(strings("s", "a", "b").build()), 2, false).size());
        List<FieldData> partial = InsertValidator.validateUpsert(s, List.of(longs("id", 1).build(), strings("s", "abc").build()), 1, true);
        assertEquals(List.of(100L, 102L), partial.stream().map(FieldData::getFieldId).toList());
        rejects("exceeds max length", () -> InsertValidator.validateUpsert(s, List.of(longs("id", 1).build(), strings("s", "abcde").build()), 1, true));
        rejects("Insert missed an field `v`", () -> InsertValidator.validateUpsert(s, List.of(longs("id", 1).build()), 1, false));
    }
}
