package io.elanus.storage.kv;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Binary encoding of log mutations and snapshot entries. */
final class KvCodec {

    private static final byte PUT = 1;
    private static final byte DELETE = 2;

    record Mutation(long revision, List<KvOp> ops) {
    }

    private KvCodec() {
    }

    static byte[] encodeMutation(long revision, List<KvOp> ops) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(revision);
            out.writeInt(ops.size());
            for (KvOp op : ops) {
                switch (op) {
                    case KvOp.Put put -> {
                        out.writeByte(PUT);
                        writeBytes(out, put.key().getBytes(StandardCharsets.UTF_8));
                        writeBytes(out, put.value());
                        out.writeLong(put.leaseId());
                    }
                    case KvOp.Delete delete -> {
                        out.writeByte(DELETE);
                        writeBytes(out, delete.key().getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Mutation decodeMutation(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        long revision = in.readLong();
        int count = in.readInt();
        List<KvOp> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte type = in.readByte();
            String key = new String(readBytes(in), StandardCharsets.UTF_8);
            switch (type) {
                case PUT -> ops.add(new KvOp.Put(key, readBytes(in), in.readLong()));
                case DELETE -> ops.add(new KvOp.Delete(key));
                default -> throw new IOException("unknown op type " + type + " in revision " + revision);
            }
        }
        return new Mutation(revision, ops);
    }

    static byte[] encodeSnapshotHeader(long revision, int entryCount) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(revision);
            out.writeInt(entryCount);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] encodeEntry(KvEntry entry) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeBytes(out, entry.key().getBytes(StandardCharsets.UTF_8));
            writeBytes(out, entry.value());
            out.writeLong(entry.createRevision());
            out.writeLong(entry.modRevision());
            out.writeLong(entry.version());
            out.writeLong(entry.leaseId());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static KvEntry decodeEntry(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        String key = new String(readBytes(in), StandardCharsets.UTF_8);
        return new KvEntry(key, readBytes(in), in.readLong(), in.readLong(), in.readLong(), in.readLong());
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("bad length " + length);
        }
        return in.readNBytes(length);
    }
}
