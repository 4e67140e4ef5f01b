package io.elanus.segment;

import io.milvus.grpc.DataType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BinlogFormatTest {
    private static BitSet nulls(int... rows) {
        BitSet b = new BitSet();
        for (int r : rows) {
            b.set(r);
        }
        return b;
    }

    private static List<Column> samples() {
        return List.of(
                new BoolColumn(new boolean[] {true, false, true}, nulls(1)),
                new LongColumn(DataType.Int16, new long[] {-5, 0, 32767}, nulls()),
                new DoubleColumn(DataType.Float, new double[] {1.5, 0, -0.25}, nulls(1)),
                new StringColumn(new String[] {"a", null, "ü€"}, nulls(1)),
                new JsonColumn(new byte[][] {"{\"k\":1}".getBytes(StandardCharsets.UTF_8), null}, nulls(1), true),
                new ArrayColumn(DataType.VarChar, new Object[] {new String[] {"x", "y"}, null}, nulls(1)),
                new ArrayColumn(DataType.Int64, new Object[] {new long[] {1, 2}, new long[0]}, nulls()),
                new ArrayColumn(DataType.Bool, new Object[] {new boolean[] {true}}, nulls()),
                new ArrayColumn(DataType.Double, new Object[] {new double[] {0.5}}, nulls()),
                new FloatVectorColumn(DataType.BFloat16Vector, 2, new float[] {1, 2, 0, 0}, nulls(1)),
                new ByteVectorColumn(DataType.BinaryVector, 16, new byte[] {1, 2, 3, 4}, nulls()),
                new SparseVectorColumn(new int[][] {{1, -2}, {}}, new float[][] {{0.5f, 3}, {}}, nulls()));
    }

    @Test
    void everyColumnTypeRoundTrips() throws CorruptBinlogException {
        for (Column c : samples()) {
            Column back = BinlogFormat.read(BinlogFormat.write(c));
            assertEquals(c.type(), back.type());
            assertEquals(c.size(), back.size());
            assertEquals(c.nulls(), back.nulls());
            assertEquals(describe(c), describe(back), c.type().toString());
        }
    }

    /** A field-by-field rendering (records holding arrays compare by identity). */
    private static String describe(Column c) {
        return switch (c) {
            case BoolColumn b -> java.util.Arrays.toString(b.values());
            case LongColumn l -> java.util.Arrays.toString(l.values());
            case DoubleColumn d -> java.util.Arrays.toString(d.values());
            case StringColumn s -> java.util.Arrays.toString(s.values());
            case JsonColumn j -> {
                StringBuilder sb = new StringBuilder(Boolean.toString(j.dynamic()));
                for (int r = 0; r < j.size(); r++) {
                    sb.append('|').append(j.raw(r) == null ? "null" : new String(j.raw(r), StandardCharsets.UTF_8));
                }
                yield sb.toString();
            }
            case ArrayColumn a -> a.elementType() + java.util.Arrays.deepToString(java.util.Arrays.stream(a.rows()).map(r -> switch (r) {
                case null -> "null";
                case boolean[] x -> java.util.Arrays.toString(x);
                case long[] x -> java.util.Arrays.toString(x);
                case double[] x -> java.util.Arrays.toString(x);
                case String[] x -> java.util.Arrays.toString(x);
                default -> "?";
            }).toArray());
            case FloatVectorColumn f -> f.dim() + java.util.Arrays.toString(f.data());
            case ByteVectorColumn b -> b.dim() + java.util.Arrays.toString(b.data());
            case SparseVectorColumn s -> java.util.Arrays.deepToString(s.indices()) + java.util.Arrays.deepToString(s.values());
        };
    }

    @Test
    void everyFlippedByteIsDetected() {
        for (Column c : samples()) {
            byte[] file = BinlogFormat.write(c);
            for (int i = 0; i < file.length; i++) {
                byte[] bad = file.clone();
                bad[i] ^= 0x10;
                assertThrows(CorruptBinlogException.class, () -> BinlogFormat.read(bad), c.type() + " byte " + i);
            }
        }
    }

    @Test
    void truncationAndWrongKindAreDetected() {
        byte[] file = BinlogFormat.write(samples().get(1));
        assertThrows(CorruptBinlogException.class, () -> BinlogFormat.read(java.util.Arrays.copyOf(file, file.length - 1)));
        assertThrows(CorruptBinlogException.class, () -> BinlogFormat.read(new byte[3]));
        assertThrows(CorruptBinlogException.class, () -> BinlogFormat.readTimestamps(file));
    }

    @Test
    void timestampsRoundTripAndDetectCorruption() throws CorruptBinlogException {
        long[] ts = {1L << 18, Long.MAX_VALUE, 0};
        byte[] file = BinlogFormat.writeTimestamps(ts);
        assertArrayEquals(ts, BinlogFormat.readTimestamps(file));
        file[file.length / 2] ^= 1;
        assertThrows(CorruptBinlogException.class, () -> BinlogFormat.readTimestamps(file));
        assertThrows(CorruptBinlogException.class, () -> BinlogFormat.read(BinlogFormat.writeLongs(ts)));
    }
}
