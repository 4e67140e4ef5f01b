package io.elanus.segment;

import io.milvus.grpc.DataType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.zip.CRC32C;

/**
 * Elanus's columnar file for one {@link Column} (or one {@code long[]}, e.g. row timestamps).
 * Layout, big-endian: magic {@code "ELBN"}, format version, payload kind, data type number,
 * element type number, dim, row count, dynamic flag, null bitmap (length + bytes), body, then a
 * CRC32C of everything before it. The checksum is verified before any field is trusted, so a
 * changed or missing byte anywhere is reported as {@link CorruptBinlogException}.
 */
public final class BinlogFormat {
    public static final int MAGIC = 0x454C424E;
    public static final short VERSION = 1;
    private static final byte KIND_COLUMN = 1;
    private static final byte KIND_LONGS = 2;
    private static final int TRAILER = 4;

    private BinlogFormat() {
    }

    public static byte[] write(Column column) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + column.size() * 8);
            DataOutputStream out = new DataOutputStream(bytes);
            DataType elementType = column instanceof ArrayColumn a ? a.elementType() : DataType.None;
            int dim = switch (column) {
                case FloatVectorColumn c -> c.dim();
                case ByteVectorColumn c -> c.dim();
                default -> 0;
            };
            writeHeader(out, KIND_COLUMN, column.type(), elementType, dim, column.size(),
                    column instanceof JsonColumn j && j.dynamic(), column.nulls());
            BinlogBody.write(out, column);
            return seal(bytes, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Column read(byte[] file) throws CorruptBinlogException {
        DataInputStream in = open(file, KIND_COLUMN);
        try {
            DataType type = dataType(in.readInt());
            DataType elementType = dataType(in.readInt());
            int dim = in.readInt();
            int rows = in.readInt();
            boolean dynamic = in.readBoolean();
            BitSet nulls = readNulls(in);
            return BinlogBody.read(in, type, elementType, dim, rows, dynamic, nulls);
        } catch (IOException | RuntimeException e) {
            throw new CorruptBinlogException("malformed binlog body", e);
        }
    }

    public static byte[] writeLongs(long[] values) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(40 + values.length * 8);
            DataOutputStream out = new DataOutputStream(bytes);
            writeHeader(out, KIND_LONGS, DataType.Int64, DataType.None, 0, values.length, false, new BitSet());
            for (long v : values) {
                out.writeLong(v);
            }
            return seal(bytes, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static long[] readLongs(byte[] file) throws CorruptBinlogException {
        DataInputStream in = open(file, KIND_LONGS);
        try {
            in.readInt();
            in.readInt();
            in.readInt();
            int rows = in.readInt();
            in.readBoolean();
            readNulls(in);
            long[] values = new long[rows];
            for (int i = 0; i < rows; i++) {
                values[i] = in.readLong();
            }
            return values;
        } catch (IOException | RuntimeException e) {
            throw new CorruptBinlogException("malformed binlog body", e);
        }
    }

    /** Row timestamps of a segment (TSO values). */
    public static byte[] writeTimestamps(long[] timestamps) {
        return writeLongs(timestamps);
    }

    public static long[] readTimestamps(byte[] file) throws CorruptBinlogException {
        return readLongs(file);
    }

    private static void writeHeader(DataOutputStream out, byte kind, DataType type, DataType elementType, int dim,
                                    int rows, boolean dynamic, BitSet nulls) throws IOException {
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        out.writeByte(kind);
        out.writeInt(type.getNumber());
        out.writeInt(elementType.getNumber());
        out.writeInt(dim);
        out.writeInt(rows);
        out.writeBoolean(dynamic);
        byte[] bitmap = nulls.toByteArray();
        out.writeInt(bitmap.length);
        out.write(bitmap);
    }

    private static byte[] seal(ByteArrayOutputStream bytes, DataOutputStream out) throws IOException {
        out.flush();
        CRC32C crc = new CRC32C();
        byte[] body = bytes.toByteArray();
        crc.update(body);
        out.writeInt((int) crc.getValue());
        out.flush();
        return bytes.toByteArray();
    }

    private static DataInputStream open(byte[] file, byte expectedKind) throws CorruptBinlogException {
        if (file.length < 7 + TRAILER) {
            throw new CorruptBinlogException("binlog too short: " + file.length + " bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(file, 0, file.length - TRAILER);
        int stored = ByteBuffer.wrap(file, file.length - TRAILER, TRAILER).getInt();
        if (stored != (int) crc.getValue()) {
            throw new CorruptBinlogException("binlog checksum mismatch");
        }
        ByteBuffer head = ByteBuffer.wrap(file);
        if (head.getInt() != MAGIC) {
            throw new CorruptBinlogException("not a binlog (bad magic)");
        }
        short version = head.getShort();
        if (version != VERSION) {
            throw new CorruptBinlogException("unsupported binlog format version " + version);
        }
        byte kind = head.get();
        if (kind != expectedKind) {
            throw new CorruptBinlogException("binlog holds payload kind " + kind + ", expected " + expectedKind);
        }
        return new DataInputStream(new ByteArrayInputStream(file, 7, file.length - 7 - TRAILER));
    }

    private static BitSet readNulls(DataInputStream in) throws IOException {
        byte[] bitmap = new byte[in.readInt()];
        in.readFully(bitmap);
        return BitSet.valueOf(bitmap);
    }

    private static DataType dataType(int number) {
        DataType t = DataType.forNumber(number);
        if (t == null) {
            throw new IllegalArgumentException("unknown data type " + number);
        }
        return t;
    }

}
