package io.elanus.expr;

import io.elanus.expr.FilterExprParser.*;
import io.elanus.expr.plan.AndNode;
import io.elanus.expr.plan.ArithOp;
import io.elanus.expr.plan.CmpOp;
import io.elanus.expr.plan.ContainsTest;
import io.elanus.expr.plan.NotNode;
import io.elanus.expr.plan.OrNode;
import io.elanus.expr.plan.PlanNode;
import io.milvus.grpc.DataType;
import org.antlr.v4.runtime.tree.ParseTree;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Walks the parse tree, resolving fields, binding templates, folding constants and checking types. */
final class Analyzer extends FilterExprBaseVisitor<Term> {
    private final FieldResolver fields;
    private final TemplateValues templates;
    private final PredicateBuilder predicates = new PredicateBuilder();

    Analyzer(FieldResolver fields, TemplateValues templates) {
        this.fields = fields;
        this.templates = templates;
    }

    /** The whole filter as a predicate plus the sampling factor of a top-level random_sample (or NaN). */
    record Result(PlanNode root, double sampleFactor) {
    }

    Result analyze(FilterContext ctx) {
        OrExprContext top = ctx.orExpr();
        double sample = Double.NaN;
        List<PlanNode> conjuncts = new ArrayList<>();
        if (top.andExpr().size() == 1) {
            for (NotExprContext conjunct : top.andExpr(0).notExpr()) {
                CallContext call = sampleCall(conjunct);
                if (call == null) {
                    conjuncts.add(predicates.asPredicate(visit(conjunct)));
                } else if (!Double.isNaN(sample)) {
                    throw new CompileError("random_sample can only be used once");
                } else {
                    sample = sampleFactor(call);
                }
            }
        } else {
            conjuncts.add(predicates.asPredicate(visit(top)));
        }
        PlanNode root = conjuncts.isEmpty() ? null : conjuncts.size() == 1 ? conjuncts.getFirst() : new AndNode(conjuncts);
        return new Result(root, sample);
    }

    /** The random_sample call a top-level conjunct consists of, if it is exactly one. */
    private static CallContext sampleCall(NotExprContext conjunct) {
        ParseTree t = conjunct;
        while (t.getChildCount() == 1 || t instanceof ComparisonContext c && c.additive().size() == 1
                || t instanceof ParenthesizedContext) {
            if (t instanceof CallContext call) {
                return isFunction(call.IDENTIFIER().getText(), "random_sample") ? call : null;
            }
            t = t instanceof ParenthesizedContext p ? p.orExpr() : t.getChild(0);
        }
        return t instanceof CallContext call && isFunction(call.IDENTIFIER().getText(), "random_sample") ? call : null;
    }

    private double sampleFactor(CallContext call) {
        if (call.orExpr().size() != 1 || !(visit(call.orExpr(0)) instanceof Term.Constant(Double d))) {
            throw new CompileError("random_sample takes one float argument, the sample factor");
        }
        if (!(d > 0 && d < 1)) {
            throw new CompileError("the sample factor should be between 0 and 1, got " + d);
        }
        return d;
    }

    @Override
    public Term visitOrExpr(OrExprContext ctx) {
        if (ctx.andExpr().size() == 1) {
            return visit(ctx.andExpr(0));
        }
        List<PlanNode> children = new ArrayList<>();
        for (AndExprContext a : ctx.andExpr()) {
            children.add(predicates.asPredicate(visit(a)));
        }
        return new Term.Predicate(new OrNode(children));
    }

    @Override
    public Term visitAndExpr(AndExprContext ctx) {
        if (ctx.notExpr().size() == 1) {
            return visit(ctx.notExpr(0));
        }
        List<PlanNode> children = new ArrayList<>();
        for (NotExprContext n : ctx.notExpr()) {
            children.add(predicates.asPredicate(visit(n)));
        }
        return new Term.Predicate(new AndNode(children));
    }

    @Override
    public Term visitNegation(NegationContext ctx) {
        return new Term.Predicate(new NotNode(predicates.asPredicate(visit(ctx.notExpr()))));
    }

    @Override
    public Term visitPlainPredicate(PlainPredicateContext ctx) {
        return visit(ctx.predicate());
    }

    @Override
    public Term visitIsNull(IsNullContext ctx) {
        return new Term.Predicate(predicates.isNull(visit(ctx.additive()), false));
    }

    @Override
    public Term visitIsNotNull(IsNotNullContext ctx) {
        return new Term.Predicate(predicates.isNull(visit(ctx.additive()), true));
    }

    @Override
    public Term visitMembership(MembershipContext ctx) {
        return new Term.Predicate(predicates.in(visit(ctx.additive(0)), visit(ctx.additive(1)), ctx.NOT() != null));
    }

    @Override
    public Term visitLike(LikeContext ctx) {
        return new Term.Predicate(predicates.like(visit(ctx.additive(0)), visit(ctx.additive(1))));
    }

    @Override
    public Term visitComparison(ComparisonContext ctx) {
        List<AdditiveContext> operands = ctx.additive();
        if (operands.size() == 1) {
            return visit(operands.getFirst());
        }
        CmpOp op1 = comparator(ctx.comparator(0));
        if (operands.size() == 2) {
            return new Term.Predicate(predicates.compare(visit(operands.get(0)), op1, visit(operands.get(1))));
        }
        return new Term.Predicate(predicates.range(visit(operands.get(0)), op1, visit(operands.get(1)),
                comparator(ctx.comparator(1)), visit(operands.get(2))));
    }

    private static CmpOp comparator(ComparatorContext c) {
        return switch (c.getStart().getType()) {
            case FilterExprLexer.EQ -> CmpOp.EQ;
            case FilterExprLexer.NE -> CmpOp.NE;
            case FilterExprLexer.LT -> CmpOp.LT;
            case FilterExprLexer.LE -> CmpOp.LE;
            case FilterExprLexer.GT -> CmpOp.GT;
            default -> CmpOp.GE;
        };
    }

    @Override
    public Term visitAdditive(AdditiveContext ctx) {
        Term acc = visit(ctx.multiplicative(0));
        for (int i = 1; i < ctx.multiplicative().size(); i++) {
            ArithOp op = ctx.addOp(i - 1).PLUS() != null ? ArithOp.ADD : ArithOp.SUB;
            acc = Arithmetic.apply(acc, op, visit(ctx.multiplicative(i)));
        }
        return acc;
    }

    @Override
    public Term visitMultiplicative(MultiplicativeContext ctx) {
        Term acc = visit(ctx.power(0));
        for (int i = 1; i < ctx.power().size(); i++) {
            MulOpContext m = ctx.mulOp(i - 1);
            ArithOp op = m.STAR() != null ? ArithOp.MUL : m.SLASH() != null ? ArithOp.DIV : ArithOp.MOD;
            acc = Arithmetic.apply(acc, op, visit(ctx.power(i)));
        }
        return acc;
    }

    @Override
    public Term visitPower(PowerContext ctx) {
        Term base = visit(ctx.unary());
        return ctx.power() == null ? base : Arithmetic.apply(base, ArithOp.POW, visit(ctx.power()));
    }

    @Override
    public Term visitSigned(SignedContext ctx) {
        Term t = visit(ctx.unary());
        return ctx.MINUS() != null ? Arithmetic.negate(t) : Arithmetic.requireNumeric(t, "+");
    }

    @Override
    public Term visitUnsigned(UnsignedContext ctx) {
        return visit(ctx.primary());
    }

    @Override
    public Term visitParenthesized(ParenthesizedContext ctx) {
        return visit(ctx.orExpr());
    }

    @Override
    public Term visitIntegerLiteral(IntegerLiteralContext ctx) {
        return new Term.Constant(Literals.integer(ctx.getText()));
    }

    @Override
    public Term visitFloatLiteral(FloatLiteralContext ctx) {
        return new Term.Constant(Literals.floating(ctx.getText()));
    }

    @Override
    public Term visitStringLiteral(StringLiteralContext ctx) {
        return new Term.Constant(Literals.string(ctx.getText()));
    }

    @Override
    public Term visitBooleanLiteral(BooleanLiteralContext ctx) {
        return new Term.Constant(Character.toLowerCase(ctx.getText().charAt(0)) == 't');
    }

    @Override
    public Term visitArrayLiteral(ArrayLiteralContext ctx) {
        List<Object> values = new ArrayList<>();
        for (OrExprContext e : ctx.orExpr()) {
            if (!(visit(e) instanceof Term.Constant(Object v))) {
                throw new CompileError("array literal elements must be constants: " + e.getText());
            }
            values.add(v);
        }
        return new Term.Constant(values);
    }

    @Override
    public Term visitTemplate(TemplateContext ctx) {
        return new Term.Constant(templates.lookup(ctx.IDENTIFIER().getText()));
    }

    @Override
    public Term visitExists(ExistsContext ctx) {
        return new Term.Predicate(predicates.exists(visit(ctx.path())));
    }

    @Override
    public Term visitFieldPath(FieldPathContext ctx) {
        return visit(ctx.path());
    }

    @Override
    public Term visitPath(PathContext ctx) {
        List<Object> path = new ArrayList<>();
        for (int i = 1; i < ctx.getChildCount(); i++) {
            String text = ctx.getChild(i).getText();
            if (text.equals("[") || text.equals("]")) {
                continue;
            }
            path.add(text.charAt(0) == '"' || text.charAt(0) == '\'' ? Literals.string(text) : (Object) Literals.integer(text));
        }
        return fields.resolve(ctx.IDENTIFIER().getText(), path);
    }

    @Override
    public Term visitCall(CallContext ctx) {
        String name = ctx.IDENTIFIER().getText();
        List<Term> args = new ArrayList<>();
        for (OrExprContext a : ctx.orExpr()) {
            args.add(visit(a));
        }
        String fn = name.toLowerCase(Locale.ROOT);
        if (!isFunction(name, fn)) {
            throw new CompileError("function " + name + " is not supported");
        }
        return switch (fn) {
            case "json_contains", "array_contains" -> contains(name, ContainsTest.Mode.ONE, args);
            case "json_contains_all", "array_contains_all" -> contains(name, ContainsTest.Mode.ALL, args);
            case "json_contains_any", "array_contains_any" -> contains(name, ContainsTest.Mode.ANY, args);
            case "array_length" -> {
                arity(name, args, 1);
                yield predicates.length(args.getFirst());
            }
            case "random_sample" -> throw new CompileError(
                    "random_sample can only be used at the top level, alone or joined to the filter with AND");
            default -> throw new CompileError("function " + name + " is not supported");
        };
    }

    private Term contains(String name, ContainsTest.Mode mode, List<Term> args) {
        arity(name, args, 2);
        return new Term.Predicate(predicates.contains(name, mode, args.get(0), args.get(1)));
    }

    private static void arity(String name, List<Term> args, int n) {
        if (args.size() != n) {
            throw new CompileError(name + " takes " + n + " argument" + (n == 1 ? "" : "s") + ", got " + args.size());
        }
    }

    /** Milvus spells function names in lower or upper case only. */
    private static boolean isFunction(String written, String lowerName) {
        return written.equals(lowerName) || written.equals(lowerName.toUpperCase(Locale.ROOT));
    }

    /** Constant folding and field-vs-constant arithmetic. */
    static final class Arithmetic {
        private Arithmetic() {
        }

        static Term apply(Term left, ArithOp op, Term right) {
            requireNumeric(left, op.symbol);
            requireNumeric(right, op.symbol);
            if (right instanceof Term.Constant(Object r) && isZero(r) && (op == ArithOp.DIV || op == ArithOp.MOD)) {
                throw new CompileError("divide by zero");
            }
            if (left instanceof Term.Constant(Object l) && right instanceof Term.Constant(Object r)) {
                return new Term.Constant(fold(l, op, r));
            }
            if (right instanceof Term.Constant(Object r)) {
                return new Term.ArithTerm(left, op, r);
            }
            if (left instanceof Term.Constant(Object l)) {
                if (op == ArithOp.ADD || op == ArithOp.MUL) {
                    return new Term.ArithTerm(right, op, l);
                }
                throw new CompileError("arithmetic with the constant on the left is only supported for + and *");
            }
            throw new CompileError("arithmetic between two fields is not supported");
        }

        static Term negate(Term t) {
            requireNumeric(t, "-");
            if (t instanceof Term.Constant(Long l)) {
                return new Term.Constant(-l);
            }
            if (t instanceof Term.Constant(Double d)) {
                return new Term.Constant(-d);
            }
            return new Term.ArithTerm(t, ArithOp.MUL, -1L);
        }

        static Term requireNumeric(Term t, String op) {
            boolean ok = switch (t) {
                case Term.Constant(Object v) -> v instanceof Long || v instanceof Double;
                case Term.FieldTerm f -> Types.isNumeric(f.valueType()) || f.valueType() == DataType.JSON;
                case Term.ArithTerm a -> true;
                case Term.LengthTerm l -> true;
                case Term.Predicate p -> false;
            };
            if (!ok) {
                throw new CompileError("'" + op + "' can only be used between integer or floating or json field expressions, got "
                        + PredicateBuilder.describe(t));
            }
            return t;
        }

        private static boolean isZero(Object v) {
            return v instanceof Long l ? l == 0 : ((Double) v) == 0.0;
        }

        private static Object fold(Object l, ArithOp op, Object r) {
            if (l instanceof Long a && r instanceof Long b && op != ArithOp.POW) {
                return op.apply(a, b);
            }
            return op.apply(((Number) l).doubleValue(), ((Number) r).doubleValue());
        }
    }
}
