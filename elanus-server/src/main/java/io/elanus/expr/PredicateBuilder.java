package io.elanus.expr;

import io.elanus.expr.plan.AndNode;
import io.elanus.expr.plan.ArithSource;
import io.elanus.expr.plan.ArrayColumnSource;
import io.elanus.expr.plan.BoolEqualsNode;
import io.elanus.expr.plan.Cell;
import io.elanus.expr.plan.CellPredicateNode;
import io.elanus.expr.plan.CellSource;
import io.elanus.expr.plan.CmpOp;
import io.elanus.expr.plan.CompareTest;
import io.elanus.expr.plan.ConstantNode;
import io.elanus.expr.plan.ContainsTest;
import io.elanus.expr.plan.DoubleInNode;
import io.elanus.expr.plan.DoubleRangeNode;
import io.elanus.expr.plan.ExistsNode;
import io.elanus.expr.plan.FieldCompareNode;
import io.elanus.expr.plan.InTest;
import io.elanus.expr.plan.IsNullNode;
import io.elanus.expr.plan.JsonPathSource;
import io.elanus.expr.plan.LengthSource;
import io.elanus.expr.plan.LikePattern;
import io.elanus.expr.plan.LikeTest;
import io.elanus.expr.plan.LongInNode;
import io.elanus.expr.plan.LongRangeNode;
import io.elanus.expr.plan.PlanNode;
import io.elanus.expr.plan.ScalarColumnSource;
import io.elanus.expr.plan.StringInNode;
import io.elanus.expr.plan.StringLikeNode;
import io.elanus.expr.plan.StringRangeNode;
import io.milvus.grpc.DataType;

import java.util.ArrayList;
import java.util.List;

/**
 * Type-checks comparisons, ranges, membership, pattern, null, existence and containment tests and
 * builds their plan nodes: plain columns get primitive column loops, everything else (JSON paths,
 * array elements, arithmetic, lengths) a row-by-row cell test.
 */
final class PredicateBuilder {

    PlanNode asPredicate(Term t) {
        return switch (t) {
            case Term.Predicate p -> p.node();
            case Term.Constant(Boolean b) -> new ConstantNode(b);
            case Term.FieldTerm f when f.valueType() == DataType.Bool && f.isPlainColumn() ->
                    new BoolEqualsNode(f.field().getFieldID(), true);
            case Term.FieldTerm f when f.valueType() == DataType.Bool || f.valueType() == DataType.JSON ->
                    new CellPredicateNode(source(f), new CompareTest(CmpOp.EQ, Cell.constant(true)));
            default -> throw new CompileError(describe(t) + " is not a boolean expression");
        };
    }

    PlanNode compare(Term left, CmpOp op, Term right) {
        if (left instanceof Term.Constant && right instanceof Term.Constant) {
            throw new CompileError("comparisons between two constants are not supported");
        }
        if (left instanceof Term.Constant) {
            return compare(right, op.flip(), left);
        }
        if (left instanceof Term.Predicate || right instanceof Term.Predicate) {
            throw new CompileError("comparisons between boolean expressions are not supported");
        }
        if (right instanceof Term.Constant(Object value)) {
            return compareWithConstant(left, op, value);
        }
        return compareFields(left, op, right);
    }

    private PlanNode compareFields(Term left, CmpOp op, Term right) {
        if (!(left instanceof Term.FieldTerm l && l.isPlainColumn() && right instanceof Term.FieldTerm r
                && r.isPlainColumn())) {
            throw new CompileError("comparisons between " + describe(left) + " and " + describe(right)
                    + " are only supported between two scalar fields");
        }
        DataType a = l.valueType();
        DataType b = r.valueType();
        boolean ok = (Types.isNumeric(a) && Types.isNumeric(b)) || (a == DataType.VarChar && b == DataType.VarChar)
                || (a == DataType.Bool && b == DataType.Bool && !op.isOrdering());
        if (!ok) {
            throw new CompileError("comparisons between " + a + " and " + b + " are not supported");
        }
        return new FieldCompareNode(source(l), op, source(r));
    }

    private PlanNode compareWithConstant(Term left, CmpOp op, Object value) {
        DataType type = valueType(left);
        checkComparable(type, op, value);
        if (left instanceof Term.FieldTerm f && f.isPlainColumn()) {
            return columnCompare(f, op, value);
        }
        return new CellPredicateNode(source(left), new CompareTest(op, Cell.constant(value)));
    }

    private static void checkComparable(DataType type, CmpOp op, Object value) {
        if (type == DataType.Array) {
            throw new CompileError("comparisons on a whole Array field are not supported, "
                    + "use array_contains or an element such as a[0]");
        }
        boolean ok;
        if (Types.isNumeric(type)) {
            ok = value instanceof Long || value instanceof Double;
        } else if (type == DataType.JSON) {
            ok = !(value instanceof List<?>) || !op.isOrdering();
        } else {
            ok = Types.accepts(type, value);
        }
        if (!ok) {
            throw new CompileError("comparisons between " + type + " and " + Types.constantType(value)
                    + " are not supported");
        }
        if (value instanceof Boolean && op.isOrdering()) {
            throw new CompileError("operator " + op.symbol + " is not supported on Bool values");
        }
    }

    private PlanNode columnCompare(Term.FieldTerm f, CmpOp op, Object value) {
        long id = f.field().getFieldID();
        DataType type = f.valueType();
        if (Types.isInteger(type)) {
            LongBounds b = LongBounds.of(op, (Number) value);
            return new LongRangeNode(id, b.lo(), b.hi(), op == CmpOp.NE);
        }
        if (Types.isFloating(type)) {
            double v = floatingConstant(type, (Number) value);
            return switch (op) {
                case EQ -> new DoubleRangeNode(id, v, true, v, true, false);
                case NE -> new DoubleRangeNode(id, v, true, v, true, true);
                case LT -> new DoubleRangeNode(id, Double.NEGATIVE_INFINITY, true, v, false, false);
                case LE -> new DoubleRangeNode(id, Double.NEGATIVE_INFINITY, true, v, true, false);
                case GT -> new DoubleRangeNode(id, v, false, Double.POSITIVE_INFINITY, true, false);
                case GE -> new DoubleRangeNode(id, v, true, Double.POSITIVE_INFINITY, true, false);
            };
        }
        if (type == DataType.Bool) {
            boolean b = (Boolean) value;
            return new BoolEqualsNode(id, op == CmpOp.EQ ? b : !b);
        }
        String s = (String) value;
        return switch (op) {
            case EQ -> new StringRangeNode(id, s, true, s, true, false);
            case NE -> new StringRangeNode(id, s, true, s, true, true);
            case LT -> new StringRangeNode(id, null, false, s, false, false);
            case LE -> new StringRangeNode(id, null, false, s, true, false);
            case GT -> new StringRangeNode(id, s, false, null, false, false);
            case GE -> new StringRangeNode(id, s, true, null, false, false);
        };
    }

    /** Milvus compares a Float field in single precision: the constant is rounded to float first. */
    private static double floatingConstant(DataType type, Number value) {
        double d = value.doubleValue();
        return type == DataType.Float ? (double) (float) d : d;
    }

    /** {@code lower op x op upper} with both operators pointing the same way, as in {@code 1 < x <= 5}. */
    PlanNode range(Term first, CmpOp op1, Term middle, CmpOp op2, Term last) {
        boolean ascending = (op1 == CmpOp.LT || op1 == CmpOp.LE) && (op2 == CmpOp.LT || op2 == CmpOp.LE);
        boolean descending = (op1 == CmpOp.GT || op1 == CmpOp.GE) && (op2 == CmpOp.GT || op2 == CmpOp.GE);
        if (!ascending && !descending) {
            throw new CompileError("invalid range expression: both operators must be < / <= or both > / >=");
        }
        if (!(first instanceof Term.Constant(Object a)) || !(last instanceof Term.Constant(Object b))
                || middle instanceof Term.Constant) {
            throw new CompileError("a range expression needs constant bounds around a field: lower < field < upper");
        }
        Object lower = ascending ? a : b;
        Object upper = ascending ? b : a;
        boolean lowerInclusive = ascending ? op1 == CmpOp.LE : op2 == CmpOp.GE;
        boolean upperInclusive = ascending ? op2 == CmpOp.LE : op1 == CmpOp.GE;
        CmpOp lowerOp = lowerInclusive ? CmpOp.GE : CmpOp.GT;
        CmpOp upperOp = upperInclusive ? CmpOp.LE : CmpOp.LT;
        if (middle instanceof Term.Predicate) {
            throw new CompileError("comparisons between boolean expressions are not supported");
        }
        DataType type = valueType(middle);
        checkComparable(type, lowerOp, lower);
        checkComparable(type, upperOp, upper);
        if (type == DataType.Bool) {
            throw new CompileError("range expressions are not supported on Bool values");
        }
        if (middle instanceof Term.FieldTerm f && f.isPlainColumn()) {
            long id = f.field().getFieldID();
            if (Types.isInteger(type)) {
                LongBounds bounds = LongBounds.of(lowerOp, (Number) lower).intersect(LongBounds.of(upperOp, (Number) upper));
                return new LongRangeNode(id, bounds.lo(), bounds.hi(), false);
            }
            if (Types.isFloating(type)) {
                return new DoubleRangeNode(id, floatingConstant(type, (Number) lower), lowerInclusive,
                        floatingConstant(type, (Number) upper), upperInclusive, false);
            }
            return new StringRangeNode(id, (String) lower, lowerInclusive, (String) upper, upperInclusive, false);
        }
        return new AndNode(List.of(compareWithConstant(middle, lowerOp, lower),
                compareWithConstant(middle, upperOp, upper)));
    }

    PlanNode in(Term left, Term right, boolean negate) {
        if (!(right instanceof Term.Constant(List<?> list))) {
            throw new CompileError("the right operand of " + (negate ? "not in" : "in") + " must be an array");
        }
        if (!(left instanceof Term.FieldTerm f)) {
            throw new CompileError("the left operand of in must be a field, got " + describe(left));
        }
        DataType type = f.valueType();
        if (type == DataType.Array) {
            throw new CompileError("in is not supported on a whole Array field, use array_contains_any");
        }
        List<Object> values = new ArrayList<>(list.size());
        for (Object v : list) {
            if (Types.isFloating(type) && v instanceof Long l) {
                values.add(floatingConstant(type, l));
            } else if (Types.isFloating(type) && v instanceof Double d) {
                values.add(floatingConstant(type, d));
            } else if (Types.accepts(type, v)) {
                values.add(v);
            } else {
                throw new CompileError("value '" + v + "' in list cannot be casted to " + type);
            }
        }
        if (f.isPlainColumn()) {
            long id = f.field().getFieldID();
            if (Types.isInteger(type)) {
                return new LongInNode(id, values.stream().mapToLong(v -> (Long) v).toArray(), negate);
            }
            if (Types.isFloating(type)) {
                return new DoubleInNode(id, values.stream().mapToDouble(v -> (Double) v).toArray(), negate);
            }
            if (type == DataType.VarChar) {
                return new StringInNode(id, values.stream().map(v -> (String) v).toList(), negate);
            }
        }
        return new CellPredicateNode(source(f), new InTest(values.stream().map(Cell::constant).toList(), negate));
    }

    PlanNode like(Term left, Term right) {
        if (!(right instanceof Term.Constant(String pattern))) {
            throw new CompileError("the pattern of like must be a string");
        }
        if (!(left instanceof Term.FieldTerm f) || !(f.valueType() == DataType.VarChar || f.valueType() == DataType.JSON)) {
            throw new CompileError("like operation on non-string or no-json field is unsupported");
        }
        LikePattern p = new LikePattern(pattern);
        if (f.isPlainColumn()) {
            return new StringLikeNode(f.field().getFieldID(), p);
        }
        return new CellPredicateNode(source(f), new LikeTest(p));
    }

    PlanNode isNull(Term t, boolean negate) {
        if (!(t instanceof Term.FieldTerm f)) {
            throw new CompileError("is null can only be applied to a field, got " + describe(t));
        }
        long id = f.field().getFieldID();
        if (f.field().getDataType() == DataType.JSON && !f.path().isEmpty()) {
            return new IsNullNode(id, new JsonPathSource(id, f.path()), negate);
        }
        if (!f.path().isEmpty()) {
            throw new CompileError("is null is not supported on an array element");
        }
        return new IsNullNode(id, null, negate);
    }

    PlanNode exists(Term t) {
        if (!(t instanceof Term.FieldTerm f) || f.field().getDataType() != DataType.JSON || f.path().isEmpty()) {
            throw new CompileError("exists operations are only supported on json field paths");
        }
        return new ExistsNode(new JsonPathSource(f.field().getFieldID(), f.path()));
    }

    PlanNode contains(String function, ContainsTest.Mode mode, Term target, Term values) {
        if (!(target instanceof Term.FieldTerm f) || !(f.valueType() == DataType.JSON || f.valueType() == DataType.Array)) {
            throw new CompileError(function + " operation are only supported on json or array fields");
        }
        if (!(values instanceof Term.Constant(Object v))) {
            throw new CompileError("the second argument of " + function + " must be a constant");
        }
        List<Object> list;
        if (mode == ContainsTest.Mode.ONE) {
            list = List.of(v);
        } else if (v instanceof List<?> l) {
            list = new ArrayList<>(l);
        } else {
            throw new CompileError(function + " operation element must be an array");
        }
        if (f.valueType() == DataType.Array) {
            DataType element = f.field().getElementType();
            for (Object o : list) {
                boolean ok = Types.isFloating(element) ? o instanceof Long || o instanceof Double : Types.accepts(element, o);
                if (!ok) {
                    throw new CompileError("value '" + o + "' of " + function + " cannot be casted to " + element);
                }
            }
        }
        return new CellPredicateNode(source(f), new ContainsTest(mode, list.stream().map(Cell::constant).toList()));
    }

    Term.LengthTerm length(Term t) {
        if (!(t instanceof Term.FieldTerm f) || !(f.valueType() == DataType.Array || f.valueType() == DataType.JSON)) {
            throw new CompileError("array_length operation are only supported on json or array fields");
        }
        return new Term.LengthTerm(f);
    }

    /** The type a term's values have; arithmetic keeps its operand's type class. */
    static DataType valueType(Term t) {
        return switch (t) {
            case Term.FieldTerm f -> f.valueType();
            case Term.ArithTerm a -> valueType(a.base()) == DataType.JSON ? DataType.JSON : DataType.Double;
            case Term.LengthTerm l -> DataType.Int64;
            case Term.Constant c -> DataType.None;
            case Term.Predicate p -> DataType.Bool;
        };
    }

    static CellSource source(Term t) {
        return switch (t) {
            case Term.FieldTerm f when f.field().getDataType() == DataType.JSON ->
                    new JsonPathSource(f.field().getFieldID(), f.path());
            case Term.FieldTerm f when f.field().getDataType() == DataType.Array ->
                    new ArrayColumnSource(f.field().getFieldID(), f.path().isEmpty() ? -1 : (int) (long) (Long) f.path().getFirst());
            case Term.FieldTerm f -> new ScalarColumnSource(f.field().getFieldID());
            case Term.ArithTerm a -> new ArithSource(source(a.base()), a.op(), a.constant());
            case Term.LengthTerm l -> new LengthSource(source(l.field()));
            default -> throw new CompileError("not a value: " + describe(t));
        };
    }

    static String describe(Term t) {
        return switch (t) {
            case Term.FieldTerm f -> "field " + f.display() + " (" + f.valueType() + ")";
            case Term.Constant c -> "constant " + c.value();
            case Term.ArithTerm a -> "arithmetic expression";
            case Term.LengthTerm l -> "array_length(" + l.field().display() + ")";
            case Term.Predicate p -> "boolean expression";
        };
    }
}
