package io.elanus.proxy.validation;

import io.elanus.common.MilvusException;

import java.util.Locale;
import java.util.Map;

/**
 * The index search parameters Milvus's engine (knowhere) checks, checked in the proxy before any
 * segment is searched, so that a bad value is refused whatever the segments hold (growing segments are
 * searched without their index and would otherwise accept it). Messages are knowhere's:
 * HNSW {@code ef} and DISKANN {@code search_list_size} in [1, 2^31-1] and not below k, IVF {@code nprobe} in [1, 65536].
 */
public final class SearchParamChecks {
    private SearchParamChecks() {
    }

    /**
     * @param indexType the resolved index type of the searched field (AUTOINDEX already resolved)
     * @param params    the search's "params" object, as strings
     * @param k         the number of hits asked of each segment (offset + limit)
     */
    public static void check(String indexType, Map<String, String> params, long k) {
        String type = indexType.toUpperCase(Locale.ROOT);
        if (type.startsWith("HNSW")) {
            atLeastK("ef", intParam(params, "ef", 1, Integer.MAX_VALUE), k);
        } else if (type.equals("DISKANN")) {
            atLeastK("search_list_size", intParam(params, "search_list_size", 1, Integer.MAX_VALUE), k);
        } else if (type.startsWith("IVF_") || type.equals("BIN_IVF_FLAT") || type.equals("SCANN")) {
            intParam(params, "nprobe", 1, 65536);
        }
    }

    private static void atLeastK(String name, Long value, long k) {
        if (value != null && value < k) {
            throw MilvusException.invalidParameter(name + "(" + value + ") should be larger than k(" + k + ")");
        }
    }

    /** The parameter's value, or null when absent; knowhere's type, overflow and range messages otherwise. */
    private static Long intParam(Map<String, String> params, String name, long min, long max) {
        String raw = params.get(name);
        if (raw == null) {
            return null;
        }
        long v = wholeNumber(name, raw.trim());
        if (v > Integer.MAX_VALUE) {
            throw MilvusException.invalidParameter("Arithmetic overflow: param '" + name + "' (" + v
                    + ") should not bigger than " + Integer.MAX_VALUE);
        }
        if (v < min || v > max) {
            throw MilvusException.invalidParameter("Out of range in json: param '" + name + "' (" + v
                    + ") should be in range [" + min + ", " + max + "]");
        }
        return v;
    }

    /**
     * A JSON integer, or a whole float such as 64.0 (what a Gson-parsed map gives the Java SDK; the index engine
     * accepts it too). Anything else is knowhere's type conflict.
     */
    private static long wholeNumber(String name, String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException notAnInteger) {
            try {
                double d = Double.parseDouble(raw);
                if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 0x1p62) {
                    return (long) d;
                }
            } catch (NumberFormatException notANumber) {
                // reported below
            }
            throw MilvusException.invalidParameter("Type conflict in json: param '" + name + "' (" + raw + ") should be integer");
        }
    }
}
