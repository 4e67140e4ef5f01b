package io.elanus.vector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The index file format. Layout (little-endian):
 * <pre>
 *   "ELANUSVI" | int version | int headerLength | header JSON (UTF-8) | zero padding to 64
 *   | named sections, each starting 64-byte aligned (offsets in the header are relative to the first)
 *   | long CRC32C of every preceding byte | "ELANUSVE"
 * </pre>
 * The header names the index type, metric, field type, dimension, size, build parameters and any
 * index-specific values, plus the section table. A file is mapped whole and its checksum verified
 * before any section is handed out, so a corrupted file is rejected rather than searched.
 * <p>Versions: 2 keeps int8 vectors (HNSW, FLAT) as bytes, where 1 widened them to float (unit
 * length for COSINE); 2 stores IVF_PQ codebooks of {@code min(2^nbits, rows)} sub-centroids per
 * sub-space and allows nbits up to 24 (codes of up to three bytes), where 1 always stored
 * {@code 2^nbits}. This build reads both; a reader of version 1 refuses version 2 files.
 */
record IndexFile(int version, JsonNode header, Map<String, MemorySegment> sections) {
    static final int VERSION = 2;
    private static final byte[] MAGIC = "ELANUSVI".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_MAGIC = "ELANUSVE".getBytes(StandardCharsets.US_ASCII);
    private static final int ALIGN = 64;
    private static final int TRAILER = 16;
    static final ObjectMapper JSON = new ObjectMapper();
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    MemorySegment section(String name) throws IOException {
        MemorySegment s = sections.get(name);
        if (s == null) {
            throw new IOException("index file has no section '" + name + "'");
        }
        return s;
    }

    /** Writes {@code header} (a section table is added) and the sections in order. */
    static void write(OutputStream out, ObjectNode header, Map<String, MemorySegment> sections) throws IOException {
        ArrayNode table = header.putArray("sections");
        long offset = 0;
        for (Map.Entry<String, MemorySegment> e : sections.entrySet()) {
            table.addObject().put("name", e.getKey()).put("offset", offset).put("length", e.getValue().byteSize());
            offset = align(offset + e.getValue().byteSize());
        }
        byte[] headerBytes = JSON.writeValueAsBytes(header);
        CRC32C crc = new CRC32C();
        ChecksumWriter w = new ChecksumWriter(out, crc);
        w.write(MAGIC);
        w.write(leInt(VERSION));
        w.write(leInt(headerBytes.length));
        w.write(headerBytes);
        w.pad(align(16L + headerBytes.length) - (16L + headerBytes.length));
        for (MemorySegment s : sections.values()) {
            w.write(s);
            w.pad(align(s.byteSize()) - s.byteSize());
        }
        long sum = crc.getValue();
        byte[] trailer = new byte[8];
        MemorySegment.ofArray(trailer).set(LE_LONG, 0, sum);
        out.write(trailer);
        out.write(END_MAGIC);
        out.flush();
    }

    /** Maps {@code file}, verifies magic, version and checksum, and slices the sections. */
    static IndexFile load(Path file) throws IOException {
        MemorySegment all;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
        }
        long size = all.byteSize();
        if (size < 16 + TRAILER || !matches(all, 0, MAGIC)) {
            throw new IOException(file + " is not an Elanus vector index file");
        }
        if (!matches(all, size - END_MAGIC.length, END_MAGIC)) {
            throw new IOException(file + " is truncated or corrupt (no end marker)");
        }
        CRC32C crc = new CRC32C();
        crc.update(all.asSlice(0, size - TRAILER).asByteBuffer());
        if (crc.getValue() != all.get(LE_LONG, size - TRAILER)) {
            throw new IOException(file + " is corrupt: checksum mismatch");
        }
        int version = all.get(LE_INT, 8);
        if (version < 1 || version > VERSION) {
            throw new IOException(file + " has index format version " + version + ", this build reads up to " + VERSION);
        }
        int headerLength = all.get(LE_INT, 12);
        if (headerLength < 0 || 16L + headerLength > size - TRAILER) {
            throw new IOException(file + " is corrupt: bad header length");
        }
        JsonNode header = JSON.readTree(all.asSlice(16, headerLength).toArray(ValueLayout.JAVA_BYTE));
        long dataStart = align(16L + headerLength);
        long dataEnd = size - TRAILER;
        Map<String, MemorySegment> sections = new LinkedHashMap<>();
        for (JsonNode s : header.path("sections")) {
            long off = s.path("offset").asLong(-1);
            long len = s.path("length").asLong(-1);
            if (off < 0 || len < 0 || dataStart + off + len > dataEnd) {
                throw new IOException(file + " is corrupt: section " + s.path("name").asText() + " out of bounds");
            }
            sections.put(s.path("name").asText(), all.asSlice(dataStart + off, len));
        }
        return new IndexFile(version, header, sections);
    }

    private static boolean matches(MemorySegment seg, long at, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (seg.get(ValueLayout.JAVA_BYTE, at + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static long align(long n) {
        return (n + ALIGN - 1) & -ALIGN;
    }

    private static byte[] leInt(int v) {
        byte[] b = new byte[4];
        MemorySegment.ofArray(b).set(LE_INT, 0, v);
        return b;
    }

    /** Writes through to the stream while updating the checksum. */
    private record ChecksumWriter(OutputStream out, CRC32C crc) {
        void write(byte[] b) throws IOException {
            crc.update(b);
            out.write(b);
        }

        void pad(long n) throws IOException {
            write(new byte[(int) n]);
        }

        void write(MemorySegment s) throws IOException {
            byte[] buf = new byte[(int) Math.min(1 << 16, Math.max(1, s.byteSize()))];
            MemorySegment bufSeg = MemorySegment.ofArray(buf);
            for (long off = 0; off < s.byteSize(); off += buf.length) {
                int n = (int) Math.min(buf.length, s.byteSize() - off);
                MemorySegment.copy(s, off, bufSeg, 0, n);
                crc.update(buf, 0, n);
                out.write(buf, 0, n);
            }
        }
    }
}
