package io.elanus.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.milvus.grpc.DataType;

import java.io.IOException;
import java.util.BitSet;

/**
 * JSON fields, including the dynamic field {@code $meta}. Raw UTF-8 bytes are kept for output;
 * parsed trees are built on first use and cached (the cache is a benign race: every thread
 * parses to an equal tree).
 */
public final class JsonColumn implements Column {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final byte[][] raw;
    private final BitSet nulls;
    private final boolean dynamic;
    private volatile JsonNode[] parsed;

    public JsonColumn(byte[][] raw, BitSet nulls, boolean dynamic) {
        this.raw = raw;
        this.nulls = nulls;
        this.dynamic = dynamic;
    }

    @Override
    public DataType type() {
        return DataType.JSON;
    }

    @Override
    public int size() {
        return raw.length;
    }

    @Override
    public BitSet nulls() {
        return nulls;
    }

    /** True for the dynamic field {@code $meta}. */
    public boolean dynamic() {
        return dynamic;
    }

    public byte[] raw(int row) {
        return raw[row];
    }

    /** The parsed document of a row; {@link MissingNode} for a null row. */
    public JsonNode node(int row) {
        JsonNode[] nodes = parsed;
        if (nodes == null) {
            nodes = new JsonNode[raw.length];
            for (int i = 0; i < raw.length; i++) {
                nodes[i] = parse(raw[i]);
            }
            parsed = nodes;
        }
        return nodes[row];
    }

    /** A document as {@link #node} parses it: {@link MissingNode} for no bytes or bytes that are not JSON. */
    public static JsonNode parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }
}
