package io.elanus.it;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A random collection schema for {@link RandomSchemaPropertyTest}: a primary key (Int64 or VarChar,
 * autoID or not), random scalar fields of every kind (nullable or not, with or without a default
 * value, maybe a partition key), one or two vector fields of any kind, maybe the dynamic field, all
 * declared in random order. It makes random rows as the SDK sends them and says, as canonical
 * strings, what a query must return for them.
 */
final class RandomSchema {
    static final String DYN_INT = "dyn_i";
    static final String DYN_STR = "dyn_s";
    private static final DataType[] SCALARS = {DataType.Bool, DataType.Int8, DataType.Int16, DataType.Int32, DataType.Int64,
            DataType.Float, DataType.Double, DataType.VarChar, DataType.JSON, DataType.Array};
    private static final DataType[] VECTORS = {DataType.FloatVector, DataType.Float16Vector, DataType.BFloat16Vector,
            DataType.Int8Vector, DataType.BinaryVector, DataType.SparseFloatVector};

    record Field(String name, DataType type, boolean primaryKey, boolean autoId, boolean nullable, JsonElement defaultValue,
                 boolean partitionKey, DataType elementType, int dim) {
        boolean isVector() {
            return List.of(VECTORS).contains(type);
        }
    }

    final List<Field> fields;
    final Field pk;
    final boolean dynamic;

    private RandomSchema(List<Field> fields, Field pk, boolean dynamic) {
        this.fields = fields;
        this.pk = pk;
        this.dynamic = dynamic;
    }

    static RandomSchema generate(Random r) {
        List<Field> fields = new ArrayList<>();
        DataType pkType = r.nextBoolean() ? DataType.Int64 : DataType.VarChar;
        Field pk = new Field("pk", pkType, true, r.nextBoolean(), false, null, false, null, 0);
        fields.add(pk);
        int scalars = 2 + r.nextInt(5);
        boolean partitionKey = r.nextInt(3) == 0;
        for (int i = 0; i < scalars; i++) {
            DataType type = SCALARS[r.nextInt(SCALARS.length)];
            if (partitionKey && i == 0) {
                fields.add(new Field("s" + i, r.nextBoolean() ? DataType.Int64 : DataType.VarChar, false, false, false, null,
                        true, null, 0));
                continue;
            }
            boolean nullable = r.nextInt(3) == 0;
            // Milvus has no default values for JSON and Array fields.
            boolean withDefault = type != DataType.JSON && type != DataType.Array && r.nextInt(3) == 0;
            DataType element = type == DataType.Array ? (r.nextBoolean() ? DataType.Int64 : DataType.VarChar) : null;
            Field f = new Field("s" + i, type, false, false, nullable, null, false, element, 0);
            fields.add(withDefault ? withDefault(f, r) : f);
        }
        int vectors = 1 + r.nextInt(2);
        for (int i = 0; i < vectors; i++) {
            DataType type = VECTORS[r.nextInt(VECTORS.length)];
            int dim = type == DataType.BinaryVector ? 16 : type == DataType.SparseFloatVector ? 0 : 4;
            fields.add(new Field("v" + i, type, false, false, false, null, false, null, dim));
        }
        Collections.shuffle(fields, r);
        return new RandomSchema(List.copyOf(fields), pk, r.nextBoolean());
    }

    private static Field withDefault(Field f, Random r) {
        JsonElement value = scalar(f.type(), null, r);
        return new Field(f.name(), f.type(), false, false, f.nullable(), value, false, null, 0);
    }

    CreateCollectionReq.CollectionSchema toSdkSchema() {
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder()
                .enableDynamicField(dynamic).build();
        for (Field f : fields) {
            AddFieldReq.AddFieldReqBuilder<?> b = AddFieldReq.builder().fieldName(f.name()).dataType(f.type());
            if (f.primaryKey()) {
                b.isPrimaryKey(true).autoID(f.autoId());
            }
            if (f.type() == DataType.VarChar || f.elementType() == DataType.VarChar) {
                b.maxLength(32);
            }
            if (f.type() == DataType.Array) {
                b.elementType(f.elementType()).maxCapacity(4);
            }
            if (f.dim() > 0) {
                b.dimension(f.dim());
            }
            if (f.nullable()) {
                b.isNullable(true);
            }
            if (f.defaultValue() != null) {
                b.defaultValue(javaValue(f.type(), f.defaultValue()));
            }
            if (f.partitionKey()) {
                b.isPartitionKey(true);
            }
            schema.addField(b.build());
        }
        return schema;
    }

    List<IndexParam> indexes() {
        List<IndexParam> out = new ArrayList<>();
        for (Field f : fields) {
            if (!f.isVector()) {
                continue;
            }
            IndexParam.IndexParamBuilder b = IndexParam.builder().fieldName(f.name());
            switch (f.type()) {
                case BinaryVector -> b.indexType(IndexParam.IndexType.BIN_FLAT).metricType(IndexParam.MetricType.HAMMING);
                case SparseFloatVector -> b.indexType(IndexParam.IndexType.SPARSE_INVERTED_INDEX).metricType(IndexParam.MetricType.IP);
                default -> b.indexType(IndexParam.IndexType.FLAT).metricType(IndexParam.MetricType.L2);
            }
            out.add(b.build());
        }
        return out;
    }

    // ---------------------------------------------------------------- rows

    /** A fresh primary key value (never one an autoID allocation gives: those are far larger). */
    JsonPrimitive key(long n) {
        return pk.type() == DataType.Int64 ? new JsonPrimitive(n) : new JsonPrimitive("k" + n);
    }

    /**
     * A full row as the SDK sends it: the key only when {@code key} is not null; a nullable field may
     * be absent or null, a field with a default value may be absent.
     */
    JsonObject row(JsonPrimitive key, Random r) {
        JsonObject row = new JsonObject();
        for (Field f : fields) {
            if (f.primaryKey()) {
                if (key != null) {
                    row.add(f.name(), key);
                }
                continue;
            }
            if ((f.nullable() || f.defaultValue() != null) && r.nextInt(4) == 0) {
                continue;
            }
            row.add(f.name(), value(f, r));
        }
        addDynamic(row, r);
        return row;
    }

    /**
     * The fields a partial update sends besides the key: a random non-empty subset of the others,
     * including every field a new row cannot do without when {@code newRows} (those with neither a
     * default value nor nullable).
     */
    List<Field> partialSubset(Random r, boolean newRows) {
        List<Field> others = new ArrayList<>(fields.stream().filter(f -> !f.primaryKey()).toList());
        Collections.shuffle(others, r);
        List<Field> out = new ArrayList<>(others.subList(0, 1 + r.nextInt(others.size())));
        if (newRows) {
            others.stream().filter(f -> !f.nullable() && f.defaultValue() == null && !out.contains(f)).forEach(out::add);
        }
        return List.copyOf(out);
    }

    JsonObject partialRow(JsonPrimitive key, List<Field> subset, Map<String, String> stored, Random r) {
        JsonObject row = new JsonObject();
        row.add(pk.name(), key);
        for (Field f : subset) {
            row.add(f.name(), value(f, r));
        }
        // The dynamic keys are sent again as stored, so the update leaves them as they are either way.
        if (dynamic) {
            restoreDynamic(row, stored);
        }
        return row;
    }

    private JsonElement value(Field f, Random r) {
        if (f.nullable() && r.nextInt(4) == 0) {
            return JsonNull.INSTANCE;
        }
        if (f.isVector()) {
            return vector(f, r);
        }
        return scalar(f.type(), f.elementType(), r);
    }

    private void addDynamic(JsonObject row, Random r) {
        if (!dynamic) {
            return;
        }
        if (r.nextBoolean()) {
            row.addProperty(DYN_INT, r.nextInt(1000) - 500);
        }
        if (r.nextBoolean()) {
            row.addProperty(DYN_STR, "d" + r.nextInt(100));
        }
    }

    private static void restoreDynamic(JsonObject row, Map<String, String> stored) {
        String i = stored.get(DYN_INT);
        if (i != null) {
            row.addProperty(DYN_INT, Long.parseLong(i));
        }
        String s = stored.get(DYN_STR);
        if (s != null) {
            row.addProperty(DYN_STR, s.substring(1, s.length() - 1));
        }
    }

    private static JsonElement scalar(DataType type, DataType element, Random r) {
        return switch (type) {
            case Bool -> new JsonPrimitive(r.nextBoolean());
            case Int8 -> new JsonPrimitive(r.nextInt(256) - 128);
            case Int16 -> new JsonPrimitive(r.nextInt(65536) - 32768);
            case Int32 -> new JsonPrimitive(r.nextInt());
            case Int64 -> new JsonPrimitive(r.nextLong());
            case Float -> new JsonPrimitive((r.nextInt(2001) - 1000) / 8.0f);
            case Double -> new JsonPrimitive((r.nextInt(2_000_001) - 1_000_000) / 64.0);
            case VarChar -> new JsonPrimitive(text(r));
            case JSON -> {
                JsonObject o = new JsonObject();
                o.addProperty("a", r.nextInt(100));
                o.addProperty("b", text(r));
                yield o;
            }
            case Array -> {
                JsonArray a = new JsonArray();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    a.add(element == DataType.Int64 ? new JsonPrimitive(r.nextLong()) : new JsonPrimitive(text(r)));
                }
                yield a;
            }
            default -> throw new IllegalArgumentException("not a scalar: " + type);
        };
    }

    /** Short strings with characters JSON and filters must escape. */
    private static String text(Random r) {
        String alphabet = "abcxyz é\"\\0-";
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static JsonElement vector(Field f, Random r) {
        JsonArray a = new JsonArray();
        switch (f.type()) {
            case FloatVector -> {
                for (int i = 0; i < f.dim(); i++) {
                    a.add((r.nextInt(33) - 16) / 8.0f);
                }
            }
            case Float16Vector, BFloat16Vector -> {
                // k/4 for small k is exact in both half formats: the bytes come back unchanged.
                for (int i = 0; i < f.dim(); i++) {
                    float v = (r.nextInt(17) - 8) / 4.0f;
                    int bits = f.type() == DataType.Float16Vector ? Float.floatToFloat16(v) & 0xffff
                            : Float.floatToIntBits(v) >>> 16;
                    a.add((byte) bits);
                    a.add((byte) (bits >>> 8));
                }
            }
            case Int8Vector -> {
                for (int i = 0; i < f.dim(); i++) {
                    a.add((byte) r.nextInt(256));
                }
            }
            case BinaryVector -> {
                for (int i = 0; i < f.dim() / 8; i++) {
                    a.add((byte) r.nextInt(256));
                }
            }
            case SparseFloatVector -> {
                JsonObject sparse = new JsonObject();
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    sparse.addProperty(Integer.toString(r.nextInt(100)), (1 + r.nextInt(16)) / 8.0f);
                }
                return sparse;
            }
            default -> throw new IllegalArgumentException("not a vector: " + f.type());
        }
        return a;
    }

    private static Object javaValue(DataType type, JsonElement v) {
        return switch (type) {
            case Bool -> v.getAsBoolean();
            // The SDK takes Short for Int8 and Int16 defaults.
            case Int8, Int16 -> v.getAsShort();
            case Int32 -> v.getAsInt();
            case Int64 -> v.getAsLong();
            case Float -> v.getAsFloat();
            case Double -> v.getAsDouble();
            case VarChar -> v.getAsString();
            default -> throw new IllegalArgumentException("no default for " + type);
        };
    }

    // ---------------------------------------------------------------- expectations

    /**
     * What a query returns for a row sent as {@code row} (with {@code key} as its primary key), as
     * canonical strings per field name (and per dynamic key present).
     */
    Map<String, String> expected(JsonObject row, JsonPrimitive key) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Field f : fields) {
            out.put(f.name(), f.primaryKey() ? canonicalSent(f, key) : storedValue(f, row.get(f.name())));
        }
        addDynamicExpectations(row, out);
        return out;
    }

    /** The stored row after a partial update of {@code stored} with {@code row}. */
    Map<String, String> merged(Map<String, String> stored, JsonObject row) {
        Map<String, String> out = new LinkedHashMap<>(stored);
        for (Field f : fields) {
            if (!f.primaryKey() && row.has(f.name())) {
                out.put(f.name(), storedValue(f, row.get(f.name())));
            }
        }
        out.remove(DYN_INT);
        out.remove(DYN_STR);
        addDynamicExpectations(row, out);
        return out;
    }

    private void addDynamicExpectations(JsonObject row, Map<String, String> out) {
        if (dynamic && row.has(DYN_INT)) {
            out.put(DYN_INT, number(row.get(DYN_INT).getAsBigDecimal()));
        }
        if (dynamic && row.has(DYN_STR)) {
            out.put(DYN_STR, '"' + row.get(DYN_STR).getAsString() + '"');
        }
    }

    /** Absent or null: the default value when there is one, else null (Milvus fills defaults for nulls too). */
    private static String storedValue(Field f, JsonElement sent) {
        if (sent == null || sent.isJsonNull()) {
            return f.defaultValue() != null ? canonicalSent(f, f.defaultValue()) : "null";
        }
        return canonicalSent(f, sent);
    }

    private static String canonicalSent(Field f, JsonElement v) {
        return switch (f.type()) {
            case Bool -> Boolean.toString(v.getAsBoolean());
            case Int8, Int16, Int32, Int64 -> Long.toString(v.getAsLong());
            case Float -> Float.toString(v.getAsFloat());
            case Double -> Double.toString(v.getAsDouble());
            case VarChar -> '"' + v.getAsString() + '"';
            case JSON -> v.toString();
            case Array -> {
                List<String> items = new ArrayList<>();
                v.getAsJsonArray().forEach(e -> items.add(f.elementType() == DataType.Int64 ? Long.toString(e.getAsLong())
                        : '"' + e.getAsString() + '"'));
                yield items.toString();
            }
            case FloatVector -> {
                List<String> items = new ArrayList<>();
                v.getAsJsonArray().forEach(e -> items.add(Float.toString(e.getAsFloat())));
                yield items.toString();
            }
            case Float16Vector, BFloat16Vector, Int8Vector, BinaryVector -> {
                byte[] bytes = new byte[v.getAsJsonArray().size()];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = v.getAsJsonArray().get(i).getAsByte();
                }
                yield HexFormat.of().formatHex(bytes);
            }
            case SparseFloatVector -> {
                SortedMap<Long, String> sorted = new TreeMap<>();
                v.getAsJsonObject().entrySet().forEach(e -> sorted.put(Long.parseLong(e.getKey()),
                        Float.toString(e.getValue().getAsFloat())));
                yield sorted.toString();
            }
            default -> throw new IllegalArgumentException("unexpected type " + f.type());
        };
    }

    /** The canonical form of what a query returned for the row: every field, and the dynamic keys it has. */
    Map<String, String> actual(Map<String, Object> entity) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Field f : fields) {
            out.put(f.name(), canonicalReturned(f, entity.get(f.name())));
        }
        if (dynamic) {
            Object i = entity.get(DYN_INT);
            if (i != null) {
                out.put(DYN_INT, number(new BigDecimal(i.toString())));
            }
            Object s = entity.get(DYN_STR);
            if (s != null) {
                out.put(DYN_STR, '"' + (s instanceof JsonElement j ? j.getAsString() : s.toString()) + '"');
            }
        }
        return out;
    }

    private static String canonicalReturned(Field f, Object v) {
        if (v == null || v instanceof JsonNull) {
            return "null";
        }
        return switch (f.type()) {
            case Bool -> v.toString();
            case Int8, Int16, Int32, Int64 -> Long.toString(((Number) v).longValue());
            case Float -> Float.toString(((Number) v).floatValue());
            case Double -> Double.toString(((Number) v).doubleValue());
            case VarChar -> '"' + v.toString() + '"';
            case JSON -> v instanceof JsonElement j ? j.toString() : com.google.gson.JsonParser.parseString(v.toString()).toString();
            case Array -> {
                List<String> items = new ArrayList<>();
                ((List<?>) v).forEach(e -> items.add(e instanceof Number n ? Long.toString(n.longValue()) : '"' + e.toString() + '"'));
                yield items.toString();
            }
            case FloatVector -> {
                List<String> items = new ArrayList<>();
                ((List<?>) v).forEach(e -> items.add(Float.toString(((Number) e).floatValue())));
                yield items.toString();
            }
            case Float16Vector, BFloat16Vector, Int8Vector, BinaryVector -> {
                // The SDK hands the buffer over with its position at the end of what it wrote.
                ByteBuffer b = ((ByteBuffer) v).duplicate();
                b.position(0);
                byte[] bytes = new byte[b.limit()];
                b.get(bytes);
                yield HexFormat.of().formatHex(bytes);
            }
            case SparseFloatVector -> {
                SortedMap<Long, String> sorted = new TreeMap<>();
                ((Map<?, ?>) v).forEach((k, val) -> sorted.put(((Number) k).longValue(), Float.toString(((Number) val).floatValue())));
                yield sorted.toString();
            }
            default -> throw new IllegalArgumentException("unexpected type " + f.type());
        };
    }

    private static String number(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(dynamic ? "dynamic " : "").append('[');
        for (Field f : fields) {
            sb.append(f.name()).append(':').append(f.type());
            if (f.elementType() != null) {
                sb.append('<').append(f.elementType()).append('>');
            }
            if (f.primaryKey()) {
                sb.append(f.autoId() ? " pk auto" : " pk");
            }
            if (f.nullable()) {
                sb.append(" nullable");
            }
            if (f.defaultValue() != null) {
                sb.append(" default=").append(f.defaultValue());
            }
            if (f.partitionKey()) {
                sb.append(" partition-key");
            }
            sb.append(", ");
        }
        return sb.append(']').toString();
    }
}
