package io.elanus.expr.plan;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Milvus's comparison rules for values of loosely typed sources (JSON, array elements): numbers
 * compare numerically whether integer or float, strings with strings, booleans with booleans
 * (equality only), arrays and objects by deep equality; anything else is incomparable.
 */
final class Values {
    static final int INCOMPARABLE = Integer.MIN_VALUE;

    private Values() {
    }

    static int compare(Cell a, Cell b) {
        Cell.Kind ka = a.kind;
        Cell.Kind kb = b.kind;
        if (ka == Cell.Kind.LONG && kb == Cell.Kind.LONG) {
            return Long.compare(a.longValue, b.longValue);
        }
        if (isNumber(ka) && isNumber(kb)) {
            return compareDoubles(asDouble(a), asDouble(b));
        }
        if (ka == Cell.Kind.STRING && kb == Cell.Kind.STRING) {
            return Integer.signum(a.stringValue.compareTo(b.stringValue));
        }
        if (ka == Cell.Kind.BOOL && kb == Cell.Kind.BOOL) {
            return a.boolValue == b.boolValue ? 0 : (a.boolValue ? 1 : -1);
        }
        if (ka == Cell.Kind.NODE && kb == Cell.Kind.NODE) {
            return deepEquals(a.node, b.node) ? 0 : INCOMPARABLE;
        }
        return INCOMPARABLE;
    }

    static boolean equal(Cell a, Cell b) {
        return compare(a, b) == 0;
    }

    private static boolean isNumber(Cell.Kind k) {
        return k == Cell.Kind.LONG || k == Cell.Kind.DOUBLE;
    }

    private static double asDouble(Cell c) {
        return c.kind == Cell.Kind.LONG ? c.longValue : c.doubleValue;
    }

    private static int compareDoubles(double x, double y) {
        if (x < y) {
            return -1;
        }
        if (x > y) {
            return 1;
        }
        return x == y ? 0 : INCOMPARABLE;
    }

    static boolean deepEquals(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            if (a.isIntegralNumber() && b.isIntegralNumber()) {
                return a.bigIntegerValue().equals(b.bigIntegerValue());
            }
            return a.doubleValue() == b.doubleValue();
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!deepEquals(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> it = a.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode other = b.get(e.getKey());
                if (other == null || !deepEquals(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }
}
