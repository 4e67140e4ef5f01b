package io.elanus.vector;

import java.util.Map;

/** Parsing and range checks of Milvus index parameters, with Milvus-like error messages. */
final class Params {
    private Params() {
    }

    static int intParam(Map<String, String> params, String name, int defaultValue, int min, int max) {
        String raw = params.get(name);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            try {
                double d = Double.parseDouble(raw.trim());
                if (d != Math.rint(d)) {
                    throw new IllegalArgumentException("wrong data type in json, param '" + name + "' (" + raw + ") should be an integer");
                }
                value = (long) d;
            } catch (NumberFormatException e2) {
                throw new IllegalArgumentException("wrong data type in json, param '" + name + "' (" + raw + ") should be an integer");
            }
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " out of range: [" + min + ", " + max + "]");
        }
        return (int) value;
    }

    /** A float parameter, or NaN when absent. */
    static float floatParam(Map<String, String> params, String name) {
        String raw = params.get(name);
        if (raw == null || raw.isBlank()) {
            return Float.NaN;
        }
        try {
            return Float.parseFloat(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("wrong data type in json, param '" + name + "' (" + raw + ") should be a number");
        }
    }
}
