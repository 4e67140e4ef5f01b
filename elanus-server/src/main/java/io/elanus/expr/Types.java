package io.elanus.expr;

import io.milvus.grpc.DataType;

import java.util.List;

/** Type classification and Milvus-style type names for error messages. */
final class Types {
    private Types() {
    }

    static boolean isInteger(DataType t) {
        return t == DataType.Int8 || t == DataType.Int16 || t == DataType.Int32 || t == DataType.Int64;
    }

    static boolean isFloating(DataType t) {
        return t == DataType.Float || t == DataType.Double;
    }

    static boolean isNumeric(DataType t) {
        return isInteger(t) || isFloating(t);
    }

    static boolean isVector(DataType t) {
        return switch (t) {
            case FloatVector, BinaryVector, Float16Vector, BFloat16Vector, SparseFloatVector, Int8Vector -> true;
            default -> false;
        };
    }

    /** The Milvus type name of a constant. */
    static String constantType(Object v) {
        return switch (v) {
            case Long l -> "Int64";
            case Double d -> "Double";
            case String s -> "VarChar";
            case Boolean b -> "Bool";
            case List<?> l -> "Array";
            default -> "Unknown";
        };
    }

    /** Whether constant {@code v} can be compared with / stored in a value of type {@code t}. */
    static boolean accepts(DataType t, Object v) {
        if (isInteger(t)) {
            return v instanceof Long;
        }
        if (isFloating(t)) {
            return v instanceof Long || v instanceof Double;
        }
        return switch (t) {
            case VarChar, String -> v instanceof String;
            case Bool -> v instanceof Boolean;
            case JSON -> true;
            default -> false;
        };
    }
}
