package io.elanus.expr;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.expr.plan.IndexablePredicate;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.StringArray;
import io.milvus.grpc.TemplateArrayValue;
import io.milvus.grpc.TemplateValue;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Templates, primary-key lookups, index push-down hints, sampling and the error status. */
class FilterPlanApiTest {

    private static List<Integer> ids(String expr, Map<String, TemplateValue> templates) {
        BitSet rows = FilterCompiler.compile(expr, Dataset.SCHEMA, templates).evaluate(Dataset.chunk());
        return rows.stream().boxed().toList();
    }

    private static TemplateValue longs(long... v) {
        LongArray.Builder b = LongArray.newBuilder();
        for (long x : v) b.addData(x);
        return TemplateValue.newBuilder().setArrayVal(TemplateArrayValue.newBuilder().setLongData(b)).build();
    }

    @Test
    void templatesBindScalarsAndArrays() {
        Map<String, TemplateValue> t = Map.of(
                "min", TemplateValue.newBuilder().setInt64Val(30).build(),
                "s", TemplateValue.newBuilder().setFloatVal(3.0).build(),
                "b", TemplateValue.newBuilder().setBoolVal(false).build(),
                "word", TemplateValue.newBuilder().setStringVal("b%").build(),
                "names", TemplateValue.newBuilder().setArrayVal(TemplateArrayValue.newBuilder()
                        .setStringData(StringArray.newBuilder().addData("bob").addData("eve"))).build(),
                "ids", longs(10, 20),
                "vals", longs(5, 2));
        assertEquals(List.of(4, 5, 8, 9), ids("age > {min}", t));
        assertEquals(List.of(2, 8), ids("score == {s}", t));
        assertEquals(List.of(1, 3, 5, 8, 10), ids("flag == {b}", t));
        assertEquals(List.of(1, 8), ids("name like {word}", t));
        assertEquals(List.of(1, 5), ids("name in {names}", t));
        assertEquals(List.of(0, 1), ids("age in {ids}", t));
        assertEquals(List.of(0, 1, 6), ids("json_contains_any(meta[\"arr\"], {vals})", t));
        assertEquals(List.of(5, 8, 9), ids("{min} < age < 100 and age != {min} + 10", t));
    }

    @Test
    void badTemplateValuesAreErrors() {
        Map<String, TemplateValue> t = Map.of("str", TemplateValue.newBuilder().setStringVal("x").build(),
                "unset", TemplateValue.getDefaultInstance());
        assertError("age > {str}", t, "comparisons between Int64 and VarChar");
        assertError("age in {str}", t, "must be an array");
        assertError("age > {unset}", t, "has no value");
        assertError("age > {nothing}", t, "{nothing} is not found");
        assertError("age > {nothing}", null, "{nothing} is not found");
    }

    @Test
    void primaryKeyTermsOfPureKeyFilters() {
        assertEquals(Optional.of(List.of(1L, 2L)), FilterCompiler.compile("id in [1, 2, 2]", Dataset.SCHEMA, Map.of()).primaryKeyTerms());
        assertEquals(Optional.of(List.of(3L, 4L)), FilterCompiler.compile("id == 3 or id in [4]", Dataset.SCHEMA, Map.of()).primaryKeyTerms());
        assertEquals(Optional.of(List.of(7L)), FilterCompiler.compile("7 == id", Dataset.SCHEMA, Map.of()).primaryKeyTerms());
        assertEquals(Optional.empty(), FilterCompiler.compile("id > 3", Dataset.SCHEMA, Map.of()).primaryKeyTerms());
        assertEquals(Optional.empty(), FilterCompiler.compile("id == 1 and age > 1", Dataset.SCHEMA, Map.of()).primaryKeyTerms());
        assertEquals(Optional.empty(), FilterCompiler.compile("id not in [1]", Dataset.SCHEMA, Map.of()).primaryKeyTerms());
        assertEquals(Optional.empty(), FilterCompiler.compile("age in [1]", Dataset.SCHEMA, Map.of()).primaryKeyTerms());

        CollectionSchema stringPk = CollectionSchema.newBuilder()
                .addFields(FieldSchema.newBuilder().setName("pk").setFieldID(1).setDataType(DataType.VarChar).setIsPrimaryKey(true))
                .build();
        assertEquals(Optional.of(List.of("a", "b")), FilterCompiler.compile("pk in [\"a\"] or pk == \"b\"", stringPk, Map.of()).primaryKeyTerms());
    }

    @Test
    void indexablePredicatesOfTopLevelConjuncts() {
        List<IndexablePredicate> p = FilterCompiler.compile(
                "age > 10 and name like \"ab%\" and meta[\"a\"] == 1 and flag is not null and score in [1.5]",
                Dataset.SCHEMA, Map.of()).indexablePredicates();
        assertEquals(4, p.size());
        assertEquals(new IndexablePredicate(Dataset.AGE, List.of(), IndexablePredicate.Kind.RANGE,
                java.util.Arrays.asList(11L, true, null, true)), p.get(0));
        assertEquals(new IndexablePredicate(Dataset.NAME, List.of(), IndexablePredicate.Kind.PREFIX, List.of("ab")), p.get(1));
        assertEquals(IndexablePredicate.Kind.IS_NOT_NULL, p.get(2).kind());
        assertEquals(new IndexablePredicate(Dataset.SCORE, List.of(), IndexablePredicate.Kind.IN, List.of(1.5)), p.get(3));
        assertEquals(List.of(), FilterCompiler.compile("age > 1 or age < 0", Dataset.SCHEMA, Map.of()).indexablePredicates());
    }

    @Test
    void randomSampleKeepsAFractionOfTheFilteredRows() {
        FilterPlan all = FilterCompiler.compile("random_sample(0.5)", Dataset.SCHEMA, Map.of());
        assertEquals(Optional.of(0.5), all.sampleFactor());
        assertEquals(6, all.evaluate(Dataset.chunk()).cardinality());

        FilterPlan filtered = FilterCompiler.compile("age > 20 AND RANDOM_SAMPLE(0.5)", Dataset.SCHEMA, Map.of());
        BitSet rows = filtered.evaluate(Dataset.chunk());
        assertEquals(4, rows.cardinality());
        BitSet outside = (BitSet) rows.clone();
        outside.andNot(BitSet.valueOf(new long[]{0b1011_0111_0100L}));
        assertTrue(outside.isEmpty(), rows.toString());
    }

    @Test
    void unknownFieldWithoutDynamicFieldIsAnError() {
        CollectionSchema plain = CollectionSchema.newBuilder()
                .addFields(FieldSchema.newBuilder().setName("id").setFieldID(1).setDataType(DataType.Int64).setIsPrimaryKey(true))
                .build();
        MilvusException e = assertThrows(MilvusException.class, () -> FilterCompiler.compile("nosuch == 1", plain, Map.of()));
        assertEquals("cannot parse expression: nosuch == 1, error: field nosuch not exist: invalid parameter", e.getMessage());
        assertEquals(MilvusError.PARAMETER_INVALID.wireCode(), e.toStatus().getCode());
    }

    @Test
    void blankExpressionIsAnError() {
        assertError("", Map.of(), "empty expression");
        assertError("   ", Map.of(), "empty expression");
    }

    @Test
    void missingColumnReadsAsNull() {
        CollectionSchema withNewField = Dataset.SCHEMA.toBuilder()
                .addFields(FieldSchema.newBuilder().setName("added").setFieldID(999).setDataType(DataType.Int64).setNullable(true))
                .build();
        BitSet none = FilterCompiler.compile("added > 1", withNewField, Map.of()).evaluate(Dataset.chunk());
        assertTrue(none.isEmpty());
        BitSet all = FilterCompiler.compile("added is null", withNewField, Map.of()).evaluate(Dataset.chunk());
        assertEquals(Dataset.ROWS, all.cardinality());
    }

    private static void assertError(String expr, Map<String, TemplateValue> t, String fragment) {
        MilvusException e = assertThrows(MilvusException.class, () -> FilterCompiler.compile(expr, Dataset.SCHEMA, t));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
