package io.elanus.proxy.validation;

import io.elanus.segment.BoolColumn;
import io.elanus.segment.Column;
import io.elanus.segment.DoubleColumn;
import io.elanus.segment.FieldDataBuilder;
import io.elanus.segment.FieldDataCodec;
import io.elanus.segment.JsonColumn;
import io.elanus.segment.LongColumn;
import io.elanus.segment.StringColumn;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.ValueField;

import java.util.BitSet;

/**
 * Replaces null (or absent) values of a field that has a {@code default_value} by that value, as
 * Milvus's proxy does before writing: the result has no nulls, its values padded to every row,
 * and {@code valid_data} all true for a nullable field, empty otherwise.
 */
public final class DefaultValues {
    private DefaultValues() {
    }

    /** {@code data == null}: the field was not sent, every row takes the default. */
    public static FieldData fill(FieldSchema field, FieldData data, int numRows) {
        ValueField def = field.getDefaultValue();
        Column base = data == null ? null : FieldDataCodec.toColumn(field, data, numRows);
        BitSet fill = new BitSet();
        if (base == null) {
            fill.set(0, numRows);
        } else {
            fill.or(base.nulls());
        }
        BitSet none = new BitSet();
        Column filled = switch (field.getDataType()) {
            case Bool -> {
                boolean[] v = base == null ? new boolean[numRows] : ((BoolColumn) base).values().clone();
                fill.stream().forEach(r -> v[r] = def.getBoolData());
                yield new BoolColumn(v, none);
            }
            case Int8, Int16, Int32, Int64 -> {
                long[] v = base == null ? new long[numRows] : ((LongColumn) base).values().clone();
                long d = def.hasLongData() ? def.getLongData() : def.getIntData();
                fill.stream().forEach(r -> v[r] = d);
                yield new LongColumn(field.getDataType(), v, none);
            }
            case Float, Double -> {
                double[] v = base == null ? new double[numRows] : ((DoubleColumn) base).values().clone();
                double d = def.hasDoubleData() ? def.getDoubleData() : def.getFloatData();
                fill.stream().forEach(r -> v[r] = d);
                yield new DoubleColumn(field.getDataType(), v, none);
            }
            case VarChar, String, Text -> {
                String[] v = base == null ? new String[numRows] : ((StringColumn) base).values().clone();
                fill.stream().forEach(r -> v[r] = def.getStringData());
                yield new StringColumn(v, none);
            }
            case JSON -> {
                byte[][] v = new byte[numRows][];
                for (int r = 0; r < numRows; r++) {
                    v[r] = fill.get(r) ? def.getBytesData().toByteArray() : ((JsonColumn) base).raw(r);
                }
                yield new JsonColumn(v, none, field.getIsDynamic());
            }
            default -> throw ValidationErrors.invalid(field.getDataType() + " type not support default value");
        };
        FieldDataBuilder out = new FieldDataBuilder(field, null, numRows);
        for (int r = 0; r < numRows; r++) {
            out.append(filled, r);
        }
        return out.build();
    }
}
