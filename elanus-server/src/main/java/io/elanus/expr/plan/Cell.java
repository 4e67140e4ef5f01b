package io.elanus.expr.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.List;

/**
 * A reusable holder for one value read row by row (JSON paths, array elements, arithmetic
 * results): reading into it allocates nothing. {@code NODE} is a JSON array or object, {@code
 * ARRAY} a whole Array-field row (a primitive array).
 */
public final class Cell {
    public enum Kind { MISSING, JSON_NULL, LONG, DOUBLE, STRING, BOOL, NODE, ARRAY }

    Kind kind = Kind.MISSING;
    long longValue;
    double doubleValue;
    String stringValue;
    boolean boolValue;
    JsonNode node;
    Object array;

    public Kind kind() {
        return kind;
    }

    void setMissing() {
        kind = Kind.MISSING;
    }

    void setLong(long v) {
        kind = Kind.LONG;
        longValue = v;
    }

    void setDouble(double v) {
        kind = Kind.DOUBLE;
        doubleValue = v;
    }

    void setString(String v) {
        kind = v == null ? Kind.MISSING : Kind.STRING;
        stringValue = v;
    }

    void setBool(boolean v) {
        kind = Kind.BOOL;
        boolValue = v;
    }

    void setArray(Object primitiveArray) {
        kind = primitiveArray == null ? Kind.MISSING : Kind.ARRAY;
        array = primitiveArray;
    }

    /** Loads a JSON value: integers that fit a long stay exact, other numbers become doubles. */
    void setJson(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            kind = Kind.MISSING;
        } else if (n.isNull()) {
            kind = Kind.JSON_NULL;
        } else if (n.isIntegralNumber() && n.canConvertToLong()) {
            setLong(n.longValue());
        } else if (n.isNumber()) {
            setDouble(n.doubleValue());
        } else if (n.isTextual()) {
            setString(n.textValue());
        } else if (n.isBoolean()) {
            setBool(n.booleanValue());
        } else {
            kind = Kind.NODE;
            node = n;
        }
    }

    /** Element {@code i} of a JSON array or Array-field row; false when out of range. */
    boolean loadElement(Cell container, int i) {
        if (container.kind == Kind.NODE) {
            JsonNode e = container.node.get(i);
            if (e == null) {
                return false;
            }
            setJson(e);
            return true;
        }
        switch (container.array) {
            case long[] a -> {
                if (i >= a.length) return false;
                setLong(a[i]);
            }
            case double[] a -> {
                if (i >= a.length) return false;
                setDouble(a[i]);
            }
            case String[] a -> {
                if (i >= a.length) return false;
                setString(a[i]);
            }
            case boolean[] a -> {
                if (i >= a.length) return false;
                setBool(a[i]);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Number of elements of a JSON array or Array row, or -1 when this is not an array. */
    int elementCount() {
        if (kind == Kind.NODE) {
            return node.isArray() ? node.size() : -1;
        }
        if (kind != Kind.ARRAY) {
            return -1;
        }
        return switch (array) {
            case long[] a -> a.length;
            case double[] a -> a.length;
            case String[] a -> a.length;
            case boolean[] a -> a.length;
            default -> -1;
        };
    }

    /** A constant (Long, Double, String, Boolean or List of those) as a cell. */
    public static Cell constant(Object value) {
        Cell c = new Cell();
        switch (value) {
            case Long l -> c.setLong(l);
            case Double d -> c.setDouble(d);
            case String s -> c.setString(s);
            case Boolean b -> c.setBool(b);
            case List<?> list -> {
                c.kind = Kind.NODE;
                c.node = toJson(list);
            }
            default -> throw new IllegalArgumentException("not a constant: " + value);
        }
        return c;
    }

    static ArrayNode toJson(List<?> list) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Object o : list) {
            switch (o) {
                case Long l -> a.add(l);
                case Double d -> a.add(d);
                case String s -> a.add(s);
                case Boolean b -> a.add(b);
                case List<?> inner -> a.add(toJson(inner));
                default -> a.addNull();
            }
        }
        return a;
    }
}
