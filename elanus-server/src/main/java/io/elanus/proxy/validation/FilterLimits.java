package io.elanus.proxy.validation;

import io.elanus.common.Config;
import io.elanus.common.MilvusException;
import io.elanus.common.Params;
import io.milvus.grpc.TemplateArrayValue;
import io.milvus.grpc.TemplateValue;

import java.util.Map;

/**
 * Bounds the work one filter can ask for (Elanus's limits; Milvus 2.6 has none beyond the request size):
 * the length of the expression text ({@code proxy.maxExprLength}) and the number of values in its
 * template arrays ({@code proxy.maxExprTemplateTerms}). A delete by a million ids, or a million-term
 * {@code in}, is refused before it is parsed instead of occupying a task queue for seconds.
 */
public final class FilterLimits {
    private final int maxLength;
    private final int maxTemplateTerms;

    public FilterLimits(Config config) {
        this.maxLength = config.getInt(Params.PROXY_MAX_EXPR_LENGTH);
        this.maxTemplateTerms = config.getInt(Params.PROXY_MAX_EXPR_TEMPLATE_TERMS);
    }

    /** @throws MilvusException (invalid parameter) naming the limit that was exceeded */
    public void check(String expr, Map<String, TemplateValue> templates) {
        if (maxLength > 0 && expr.length() > maxLength) {
            throw MilvusException.invalidParameter("the filter expression has " + expr.length()
                    + " characters, more than proxy.maxExprLength (" + maxLength + "); split the request into smaller ones");
        }
        if (maxTemplateTerms > 0) {
            long terms = 0;
            for (TemplateValue v : templates.values()) {
                terms += v.hasArrayVal() ? count(v.getArrayVal()) : 1;
            }
            if (terms > maxTemplateTerms) {
                throw MilvusException.invalidParameter("the filter's template values hold " + terms
                        + " values, more than proxy.maxExprTemplateTerms (" + maxTemplateTerms + "); split the request into smaller ones");
            }
        }
    }

    private static long count(TemplateArrayValue a) {
        return switch (a.getDataCase()) {
            case BOOL_DATA -> a.getBoolData().getDataCount();
            case LONG_DATA -> a.getLongData().getDataCount();
            case DOUBLE_DATA -> a.getDoubleData().getDataCount();
            case STRING_DATA -> a.getStringData().getDataCount();
            case JSON_DATA -> a.getJsonData().getDataCount();
            case ARRAY_DATA -> a.getArrayData().getDataList().stream().mapToLong(FilterLimits::count).sum();
            case DATA_NOT_SET -> 0;
        };
    }
}
