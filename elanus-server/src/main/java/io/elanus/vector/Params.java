package io.elanus.vector;

import io.elanus.common.MilvusException;

import java.util.Map;

/**
 * Parsing and range checks of Milvus index parameters, with Milvus-like error messages. They come from a client
 * (build params of CreateIndex, search params), so a bad value is Milvus's "invalid parameter".
 */
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
                    throw MilvusException.invalidParameter("wrong data type in json, param '" + name + "' (" + raw + ") should be an integer");
                }
                value = (long) d;
            } catch (NumberFormatException e2) {
                throw MilvusException.invalidParameter("wrong data type in json, param '" + name + "' (" + raw + ") should be an integer");
            }
        }
        if (value < min || value > max) {
            throw MilvusException.invalidParameter(name + " out of range: [" + min + ", " + max + "]");
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
            throw MilvusException.invalidParameter("wrong data type in json, param '" + name + "' (" + raw + ") should be a number");
        }
    }
}
