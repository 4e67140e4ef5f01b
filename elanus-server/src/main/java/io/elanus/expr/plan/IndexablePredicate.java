package io.elanus.expr.plan;

import java.util.List;

/**
 * A predicate on one field that a scalar index could answer on its own: the field id, the JSON
 * path inside it (empty for a plain field), the kind of question and its operands (the equality
 * values, the range bounds, or the like pattern).
 */
public record IndexablePredicate(long fieldId, List<Object> jsonPath, Kind kind, List<Object> operands) {

    public enum Kind {
        /** operands: the values, any of which matches ({@code ==} is a one-value {@code in}). */
        IN,
        /** operands: the values, none of which matches ({@code !=}, {@code not in}). */
        NOT_IN,
        /** operands: lower, lowerInclusive, upper, upperInclusive (a bound is null when open). */
        RANGE,
        /** operands: the prefix. */
        PREFIX,
        /** operands: the full like pattern. */
        LIKE,
        IS_NULL,
        IS_NOT_NULL
    }
}
