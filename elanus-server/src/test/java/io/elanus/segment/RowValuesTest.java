package io.elanus.segment;

import io.elanus.server.AllTypes;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A row's value copied out of a column builds exactly the field data the row itself builds, for
 * every data type, with and without nulls and for picked dynamic keys; and the copy shares no
 * array with the column.
 */
class RowValuesTest {
    private static final int ROWS = 23;

    @Test
    void aCopiedValueBuildsTheSameFieldDataAsItsRow() {
        CollectionSchema schema = AllTypes.storedSchema("c");
        Chunk chunk = FieldDataCodec.toChunk(schema, AllTypes.rows(0, ROWS, 3), ROWS, 1);
        for (FieldSchema f : schema.getFieldsList()) {
            assertSameFieldData(f, chunk.column(f.getFieldID()), null);
        }
        FieldSchema dynamic = schema.getFieldsList().stream().filter(FieldSchema::getIsDynamic).findFirst().orElseThrow();
        assertSameFieldData(dynamic, chunk.column(dynamic.getFieldID()), Set.of("color", "absent"));
    }

    @Test
    void nullRowsCopyAsNullAndBuildTheSameFieldData() {
        CollectionSchema schema = AllTypes.storedSchema("c");
        List<FieldData> data = AllTypes.rows(0, ROWS, 5);
        List<Boolean> valid = new ArrayList<>();
        for (int row = 0; row < ROWS; row++) {
            valid.add(row % 3 != 1);
        }
        for (FieldSchema plain : schema.getFieldsList()) {
            if (plain.getIsPrimaryKey() || plain.getIsDynamic()) {
                continue;
            }
            // Every row's value is present: the padded form of a nullable field's data.
            FieldSchema f = plain.toBuilder().setNullable(true).build();
            FieldData d = data.stream().filter(x -> x.getFieldName().equals(f.getName())).findFirst().orElseThrow()
                    .toBuilder().clearValidData().addAllValidData(valid).build();
            Column column = FieldDataCodec.toColumn(f, d, ROWS);
            for (int row = 0; row < ROWS; row++) {
                if (!valid.get(row)) {
                    assertNull(RowValues.copy(column, row), f.getName() + " row " + row);
                }
            }
            assertSameFieldData(f, column, null);
        }
    }

    @Test
    void copiesShareNoArrayWithTheColumn() {
        CollectionSchema schema = AllTypes.storedSchema("c");
        Chunk chunk = FieldDataCodec.toChunk(schema, AllTypes.rows(0, ROWS, 7), ROWS, 1);
        int row = 6;
        for (FieldSchema f : schema.getFieldsList()) {
            Column column = chunk.column(f.getFieldID());
            Object copy = RowValues.copy(column, row);
            switch (column) {
                case JsonColumn c -> {
                    assertNotSame(c.raw(row), copy);
                    assertArrayEquals(c.raw(row), (byte[]) copy);
                }
                case ArrayColumn c -> {
                    assertNotSame(c.rows()[row], copy);
                    assertEquals(c.length(row), java.lang.reflect.Array.getLength(copy));
                }
                case FloatVectorColumn c -> {
                    float[] v = (float[]) copy;
                    v[0] = v[0] + 1;
                    assertEquals(c.data()[c.offset(row)] + 1, v[0], "changing the copy leaves the column as it was");
                }
                case ByteVectorColumn c -> {
                    byte[] v = (byte[]) copy;
                    v[0] = (byte) (v[0] + 1);
                    assertEquals((byte) (c.data()[row * c.bytesPerRow()] + 1), v[0], "changing the copy leaves the column as it was");
                }
                default -> {
                }
            }
        }
    }

    private static void assertSameFieldData(FieldSchema f, Column column, Set<String> dynamicKeys) {
        FieldDataBuilder fromRows = new FieldDataBuilder(f, dynamicKeys, ROWS);
        FieldDataBuilder fromValues = new FieldDataBuilder(f, dynamicKeys, ROWS);
        for (int row = 0; row < ROWS; row++) {
            fromRows.append(column, row);
            fromValues.appendValue(RowValues.copy(column, row));
        }
        assertEquals(fromRows.build(), fromValues.build(), "field data of " + f.getName());
    }
}
