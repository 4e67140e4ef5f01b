package io.elanus.expr;

import io.elanus.common.MilvusException;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.TemplateValue;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

import java.util.Map;

/** Entry point: Milvus boolean filter expression text to an executable {@link FilterPlan}. */
public final class FilterCompiler {
    private static final int MAX_NESTING = 500;
    private FilterCompiler() {
    }

    /**
     * Parses and type-checks {@code expr} against {@code schema}, binding {@code {name}} templates
     * from {@code templateValues} (may be null). Throws a {@link MilvusException} (invalid
     * parameter) with Milvus's "cannot parse expression" wording on any problem, never anything else.
     */
    public static FilterPlan compile(String expr, CollectionSchema schema, Map<String, TemplateValue> templateValues) {
        if (expr == null || expr.isBlank()) {
            throw failure(String.valueOf(expr), "empty expression");
        }
        try {
            FilterExprParser.FilterContext tree = parse(expr);
            FieldResolver resolver = new FieldResolver(schema);
            Analyzer.Result result = new Analyzer(resolver, new TemplateValues(templateValues)).analyze(tree);
            FieldSchema pk = resolver.primaryKey();
            return new CompiledFilter(result.root(), pk == null ? null : pk.getFieldID(), result.sampleFactor(), expr,
                    templateValues == null ? Map.of() : templateValues);
        } catch (CompileError e) {
            throw failure(expr, e.getMessage());
        } catch (StackOverflowError e) {
            throw failure(expr, "expression is nested too deeply");
        } catch (RuntimeException e) {
            throw failure(expr, "invalid expression (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static MilvusException failure(String expr, String detail) {
        return MilvusException.invalidParameter("cannot parse expression: " + expr + ", error: " + detail);
    }

    /** Parsing and evaluation recurse per nesting level: refuse absurd depths up front, cheaply. */
    private static void checkNesting(CommonTokenStream tokens) {
        int depth = 0;
        int maxDepth = 0;
        int negations = 0;
        for (Token t : tokens.getTokens()) {
            switch (t.getType()) {
                case FilterExprLexer.LPAREN, FilterExprLexer.LBRACKET -> maxDepth = Math.max(maxDepth, ++depth);
                case FilterExprLexer.RPAREN, FilterExprLexer.RBRACKET -> depth--;
                case FilterExprLexer.NOT -> negations++;
                default -> {
                }
            }
        }
        if (maxDepth + negations > MAX_NESTING) {
            throw new CompileError("expression is nested too deeply (more than " + MAX_NESTING + " levels)");
        }
    }

    private static FilterExprParser.FilterContext parse(String expr) {
        FilterExprLexer lexer = new FilterExprLexer(CharStreams.fromString(expr));
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        FilterExprParser parser = new FilterExprParser(tokens);
        BaseErrorListener thrower = new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line,
                                    int charPositionInLine, String msg, RecognitionException e) {
                throw new CompileError("line " + line + ":" + charPositionInLine + " " + msg);
            }
        };
        lexer.removeErrorListeners();
        lexer.addErrorListener(thrower);
        parser.removeErrorListeners();
        parser.addErrorListener(thrower);
        tokens.fill();
        checkNesting(tokens);
        return parser.filter();
    }
}
