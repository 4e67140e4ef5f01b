package io.elanus.expr;

import io.elanus.expr.plan.ArithOp;
import io.elanus.expr.plan.PlanNode;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;

import java.util.List;

/** What a sub-expression denotes after analysis: a constant, a field (path), arithmetic on one, or a predicate. */
sealed interface Term {

    /** A compile-time value: Long, Double, String, Boolean, or a List of those. */
    record Constant(Object value) implements Term {
    }

    /**
     * A field, possibly with a path: JSON keys/indexes (String/Long) into a JSON field, or one Long
     * index into an Array field. Dynamic keys are paths into the {@code $meta} field.
     */
    record FieldTerm(FieldSchema field, List<Object> path) implements Term {
        public FieldTerm {
            path = List.copyOf(path);
        }

        /** The type of the value this term reads: element type for {@code a[i]}, JSON for any JSON path. */
        DataType valueType() {
            if (field.getDataType() == DataType.Array && !path.isEmpty()) {
                return field.getElementType();
            }
            return field.getDataType();
        }

        boolean isPlainColumn() {
            return path.isEmpty() && field.getDataType() != DataType.JSON && field.getDataType() != DataType.Array;
        }

        String display() {
            StringBuilder sb = new StringBuilder(field.getName());
            for (Object p : path) {
                sb.append(p instanceof String s ? "[\"" + s + "\"]" : "[" + p + "]");
            }
            return sb.toString();
        }
    }

    /** {@code base op constant}, base being a numeric field term or another arithmetic term. */
    record ArithTerm(Term base, ArithOp op, Object constant) implements Term {
    }

    /** {@code array_length(field)}. */
    record LengthTerm(FieldTerm field) implements Term {
    }

    record Predicate(PlanNode node) implements Term {
    }
}
