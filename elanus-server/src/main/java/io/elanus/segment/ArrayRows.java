package io.elanus.segment;

import io.milvus.grpc.BoolArray;
import io.milvus.grpc.DataType;
import io.milvus.grpc.DoubleArray;
import io.milvus.grpc.FloatArray;
import io.milvus.grpc.IntArray;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.ScalarField;
import io.milvus.grpc.StringArray;

/**
 * Converts one Array field row between Milvus's {@link ScalarField} and the primitive array that
 * {@link ArrayColumn} keeps for the element type. Int8/16/32 elements travel in {@code int_data},
 * Float elements in {@code float_data}.
 */
public final class ArrayRows {
    private ArrayRows() {
    }

    public static Object fromScalarField(ScalarField f, DataType elementType) {
        return switch (elementType) {
            case Bool -> {
                boolean[] a = new boolean[f.getBoolData().getDataCount()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = f.getBoolData().getData(i);
                }
                yield a;
            }
            case Int8, Int16, Int32 -> {
                long[] a = new long[f.getIntData().getDataCount()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = f.getIntData().getData(i);
                }
                yield a;
            }
            case Int64 -> {
                long[] a = new long[f.getLongData().getDataCount()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = f.getLongData().getData(i);
                }
                yield a;
            }
            case Float -> {
                double[] a = new double[f.getFloatData().getDataCount()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = f.getFloatData().getData(i);
                }
                yield a;
            }
            case Double -> {
                double[] a = new double[f.getDoubleData().getDataCount()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = f.getDoubleData().getData(i);
                }
                yield a;
            }
            case VarChar, String -> f.getStringData().getDataList().toArray(new String[0]);
            default -> throw new IllegalArgumentException("unsupported array element type " + elementType);
        };
    }

    /** The wire form of a row; {@code row == null} (a null row) gives an empty array of the element's kind. */
    public static ScalarField toScalarField(Object row, DataType elementType) {
        ScalarField.Builder b = ScalarField.newBuilder();
        switch (elementType) {
            case Bool -> {
                BoolArray.Builder a = BoolArray.newBuilder();
                if (row instanceof boolean[] v) {
                    for (boolean x : v) {
                        a.addData(x);
                    }
                }
                b.setBoolData(a);
            }
            case Int8, Int16, Int32 -> {
                IntArray.Builder a = IntArray.newBuilder();
                if (row instanceof long[] v) {
                    for (long x : v) {
                        a.addData((int) x);
                    }
                }
                b.setIntData(a);
            }
            case Int64 -> {
                LongArray.Builder a = LongArray.newBuilder();
                if (row instanceof long[] v) {
                    for (long x : v) {
                        a.addData(x);
                    }
                }
                b.setLongData(a);
            }
            case Float -> {
                FloatArray.Builder a = FloatArray.newBuilder();
                if (row instanceof double[] v) {
                    for (double x : v) {
                        a.addData((float) x);
                    }
                }
                b.setFloatData(a);
            }
            case Double -> {
                DoubleArray.Builder a = DoubleArray.newBuilder();
                if (row instanceof double[] v) {
                    for (double x : v) {
                        a.addData(x);
                    }
                }
                b.setDoubleData(a);
            }
            case VarChar, String -> {
                StringArray.Builder a = StringArray.newBuilder();
                if (row instanceof String[] v) {
                    for (String x : v) {
                        a.addData(x);
                    }
                }
                b.setStringData(a);
            }
            default -> throw new IllegalArgumentException("unsupported array element type " + elementType);
        }
        return b.build();
    }
}
