package io.elanus.segment;

import io.milvus.grpc.DataType;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;

/** The per-type body of a {@link BinlogFormat} file. Variable-length rows carry a length, -1 for a null row. */
final class BinlogBody {
    private BinlogBody() {
    }

    static void write(DataOutputStream out, Column column) throws IOException {
        switch (column) {
            case BoolColumn c -> {
                for (boolean v : c.values()) {
                    out.writeBoolean(v);
                }
            }
            case LongColumn c -> {
                for (long v : c.values()) {
                    out.writeLong(v);
                }
            }
            case DoubleColumn c -> {
                for (double v : c.values()) {
                    out.writeDouble(v);
                }
            }
            case StringColumn c -> {
                for (String v : c.values()) {
                    writeBytes(out, v == null ? null : v.getBytes(StandardCharsets.UTF_8));
                }
            }
            case JsonColumn c -> {
                for (int r = 0; r < c.size(); r++) {
                    writeBytes(out, c.raw(r));
                }
            }
            case ArrayColumn c -> {
                for (Object row : c.rows()) {
                    writeArrayRow(out, row);
                }
            }
            case FloatVectorColumn c -> {
                for (float v : c.data()) {
                    out.writeFloat(v);
                }
            }
            case ByteVectorColumn c -> writeBytes(out, c.data());
            case SparseVectorColumn c -> {
                for (int r = 0; r < c.size(); r++) {
                    int[] idx = c.indices()[r];
                    float[] val = c.values()[r];
                    out.writeInt(idx.length);
                    for (int i = 0; i < idx.length; i++) {
                        out.writeInt(idx[i]);
                        out.writeFloat(val[i]);
                    }
                }
            }
        }
    }

    static Column read(DataInputStream in, DataType type, DataType elementType, int dim, int rows, boolean dynamic,
                       BitSet nulls) throws IOException {
        return switch (type) {
            case Bool -> {
                boolean[] v = new boolean[rows];
                for (int i = 0; i < rows; i++) {
                    v[i] = in.readBoolean();
                }
                yield new BoolColumn(v, nulls);
            }
            case Int8, Int16, Int32, Int64 -> {
                // Bulk reads: loading sealed segments after a restart decodes every row of them.
                long[] v = new long[rows];
                ByteBuffer.wrap(readExactly(in, Math.multiplyExact(rows, Long.BYTES))).asLongBuffer().get(v);
                yield new LongColumn(type, v, nulls);
            }
            case Float, Double -> {
                double[] v = new double[rows];
                for (int i = 0; i < rows; i++) {
                    v[i] = in.readDouble();
                }
                yield new DoubleColumn(type, v, nulls);
            }
            case VarChar -> {
                String[] v = new String[rows];
                for (int i = 0; i < rows; i++) {
                    byte[] b = readBytes(in);
                    v[i] = b == null ? null : new String(b, StandardCharsets.UTF_8);
                }
                yield new StringColumn(v, nulls);
            }
            case JSON -> {
                byte[][] v = new byte[rows][];
                for (int i = 0; i < rows; i++) {
                    v[i] = readBytes(in);
                }
                yield new JsonColumn(v, nulls, dynamic);
            }
            case Array -> {
                Object[] v = new Object[rows];
                for (int i = 0; i < rows; i++) {
                    v[i] = readArrayRow(in, elementType);
                }
                yield new ArrayColumn(elementType, v, nulls);
            }
            case FloatVector, Float16Vector, BFloat16Vector -> {
                float[] v = new float[Math.multiplyExact(rows, dim)];
                ByteBuffer.wrap(readExactly(in, Math.multiplyExact(v.length, Float.BYTES))).asFloatBuffer().get(v);
                yield new FloatVectorColumn(type, dim, v, nulls);
            }
            case BinaryVector, Int8Vector -> new ByteVectorColumn(type, dim, readBytes(in), nulls);
            case SparseFloatVector -> {
                int[][] idx = new int[rows][];
                float[][] val = new float[rows][];
                for (int r = 0; r < rows; r++) {
                    int n = in.readInt();
                    idx[r] = new int[n];
                    val[r] = new float[n];
                    for (int i = 0; i < n; i++) {
                        idx[r][i] = in.readInt();
                        val[r][i] = in.readFloat();
                    }
                }
                yield new SparseVectorColumn(idx, val, nulls);
            }
            default -> throw new IllegalArgumentException("unsupported binlog data type " + type);
        };
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(b.length);
        out.write(b);
    }

    /** {@code n} bytes, big-endian like DataOutputStream wrote them; a short file is an EOFException. */
    private static byte[] readExactly(DataInputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static void writeArrayRow(DataOutputStream out, Object row) throws IOException {
        switch (row) {
            case null -> out.writeInt(-1);
            case boolean[] a -> {
                out.writeInt(a.length);
                for (boolean v : a) {
                    out.writeBoolean(v);
                }
            }
            case long[] a -> {
                out.writeInt(a.length);
                for (long v : a) {
                    out.writeLong(v);
                }
            }
            case double[] a -> {
                out.writeInt(a.length);
                for (double v : a) {
                    out.writeDouble(v);
                }
            }
            case String[] a -> {
                out.writeInt(a.length);
                for (String v : a) {
                    writeBytes(out, v.getBytes(StandardCharsets.UTF_8));
                }
            }
            default -> throw new IllegalArgumentException("unexpected array row " + row.getClass());
        }
    }

    private static Object readArrayRow(DataInputStream in, DataType elementType) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        return switch (elementType) {
            case Bool -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.readBoolean();
                }
                yield a;
            }
            case Int8, Int16, Int32, Int64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.readLong();
                }
                yield a;
            }
            case Float, Double -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.readDouble();
                }
                yield a;
            }
            case VarChar, String -> {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) {
                    a[i] = new String(readBytes(in), StandardCharsets.UTF_8);
                }
                yield a;
            }
            default -> throw new IllegalArgumentException("unsupported array element type " + elementType);
        };
    }
}
