package io.elanus.expr;

import com.fasterxml.jackson.databind.JsonNode;
import io.elanus.segment.Chunk;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.BitSet;
import java.util.Random;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Thousands of random well-typed expressions, each evaluated by the columnar engine and by the
 * deliberately naive row-at-a-time {@link Reference} below; the results must be identical.
 */
@ExtendWith(Seeds.class)
class DifferentialTest {
    private static final String[] OPS = {"==", "!=", "<", "<=", ">", ">="};

    /** An expression's text and its reference meaning: true, false, or null (unknown) per row. */
    record Gen(String text, IntFunction<Boolean> eval) {
    }

    @Test
    void columnarEngineAgreesWithReferenceEvaluator(Seed seed) {
        Random random = seed.random(1);
        for (int round = 0; round < 6; round++) {
            RandomDataset data = new RandomDataset(random, 150);
            Chunk chunk = data.chunk();
            Generator gen = new Generator(random, data);
            for (int i = 0; i < 600; i++) {
                Gen g = gen.predicate(3);
                BitSet expected = new BitSet();
                for (int row = 0; row < data.rows; row++) {
                    if (Boolean.TRUE.equals(g.eval().apply(row))) {
                        expected.set(row);
                    }
                }
                BitSet actual = FilterCompiler.compile(g.text(), Dataset.SCHEMA, java.util.Map.of()).evaluate(chunk);
                assertEquals(expected, actual, "expression: " + g.text());
            }
        }
    }

    static final class Generator {
        private final Random r;
        private final RandomDataset d;

        Generator(Random r, RandomDataset d) {
            this.r = r;
            this.d = d;
        }

        Gen predicate(int depth) {
            if (depth == 0 || r.nextInt(3) == 0) {
                return leaf();
            }
            return switch (r.nextInt(4)) {
                case 0 -> {
                    Gen a = predicate(depth - 1);
                    Gen b = predicate(depth - 1);
                    yield new Gen("(" + a.text() + ") " + pick("and", "AND", "&&") + " (" + b.text() + ")",
                            row -> Reference.and(a.eval().apply(row), b.eval().apply(row)));
                }
                case 1 -> {
                    Gen a = predicate(depth - 1);
                    Gen b = predicate(depth - 1);
                    yield new Gen("(" + a.text() + ") " + pick("or", "OR", "||") + " (" + b.text() + ")",
                            row -> Reference.or(a.eval().apply(row), b.eval().apply(row)));
                }
                case 2 -> {
                    Gen a = predicate(depth - 1);
                    yield new Gen(pick("not", "NOT", "!") + " (" + a.text() + ")", row -> Reference.not(a.eval().apply(row)));
                }
                default -> leaf();
            };
        }

        private String pick(String... options) {
            return options[r.nextInt(options.length)];
        }

        Gen leaf() {
            String op = OPS[r.nextInt(OPS.length)];
            return switch (r.nextInt(16)) {
                case 0 -> {
                    long c = r.nextInt(70) - 5;
                    yield new Gen("age " + op + " " + c, row -> d.age[row] == null ? null : Reference.cmp(op, Long.compare(d.age[row], c)));
                }
                case 1 -> {
                    double c = r.nextInt(140) / 2.0;
                    yield new Gen("age " + op + " " + c, row -> d.age[row] == null ? null : Reference.cmp(op, Double.compare(d.age[row], c)));
                }
                case 2 -> {
                    long lo = r.nextInt(60);
                    long hi = lo + r.nextInt(30);
                    boolean li = r.nextBoolean();
                    boolean hiInc = r.nextBoolean();
                    yield new Gen(lo + (li ? " <= " : " < ") + "age" + (hiInc ? " <= " : " < ") + hi, row -> {
                        if (d.age[row] == null) return null;
                        long v = d.age[row];
                        return (li ? v >= lo : v > lo) && (hiInc ? v <= hi : v < hi);
                    });
                }
                case 3 -> {
                    double c = r.nextInt(50) / 4.0 - 4;
                    yield new Gen("score " + op + " " + c, row -> Reference.cmp(op, Double.compare(d.score[row], c)));
                }
                case 4 -> {
                    String w = RandomDataset.WORDS[r.nextInt(RandomDataset.WORDS.length)];
                    yield new Gen("name " + op + " \"" + w + "\"", row -> d.name[row] == null ? null : Reference.cmp(op, d.name[row].compareTo(w)));
                }
                case 5 -> {
                    String pattern = pick("a%", "%a", "%an%", "b_n%", "%", "ch\\\\_%", "_", "apple", "%e%y");
                    yield new Gen("name like \"" + pattern + "\"", row -> d.name[row] == null ? null : Reference.like(d.name[row], pattern.replace("\\\\", "\\")));
                }
                case 6 -> {
                    long[] values = r.longs(r.nextInt(5), 0, 60).toArray();
                    boolean negate = r.nextBoolean();
                    StringBuilder sb = new StringBuilder("age ").append(negate ? "not in [" : "in [");
                    for (int i = 0; i < values.length; i++) {
                        sb.append(i == 0 ? "" : ", ").append(values[i]);
                    }
                    yield new Gen(sb.append("]").toString(), row -> {
                        if (d.age[row] == null) return null;
                        boolean in = java.util.Arrays.stream(values).anyMatch(v -> v == d.age[row]);
                        return in != negate;
                    });
                }
                case 7 -> {
                    boolean b = r.nextBoolean();
                    yield new Gen("flag == " + (b ? pick("true", "True", "TRUE") : pick("false", "False", "FALSE")),
                            row -> d.flag[row] == null ? null : d.flag[row] == b);
                }
                case 8 -> {
                    String field = pick("age", "name", "flag", "meta", "tags", "nums");
                    boolean not = r.nextBoolean();
                    yield new Gen(field + (not ? " is not null" : " is null"), row -> Reference.isNull(d, field, row) != not);
                }
                case 9 -> {
                    Object c = r.nextBoolean() ? (Object) (long) r.nextInt(20) : RandomDataset.WORDS[r.nextInt(4)];
                    String lit = c instanceof String s ? "\"" + s + "\"" : c.toString();
                    yield new Gen("meta[\"a\"] " + op + " " + lit, row -> d.meta[row] == null ? null : Reference.jsonCmp(op, d.meta[row].get("a"), c));
                }
                case 10 -> {
                    long c = r.nextInt(6);
                    yield new Gen("json_contains(meta[\"arr\"], " + c + ")", row -> d.meta[row] == null ? null : Reference.jsonContains(d.meta[row].get("arr"), c));
                }
                case 11 -> {
                    long c = r.nextInt(6);
                    String fn = pick("array_contains", "ARRAY_CONTAINS");
                    yield new Gen(fn + "(nums, " + c + ")", row -> d.nums[row] == null ? null : java.util.Arrays.stream(d.nums[row]).anyMatch(v -> v == c));
                }
                case 12 -> {
                    long c = r.nextInt(4);
                    yield new Gen("array_length(tags) " + op + " " + c, row -> d.tags[row] == null ? null : Reference.cmp(op, Integer.compare(d.tags[row].length, (int) c)));
                }
                case 13 -> {
                    long c = r.nextInt(6);
                    yield new Gen("nums[0] " + op + " " + c, row -> {
                        if (d.nums[row] == null) return null;
                        if (d.nums[row].length == 0) return op.equals("!=");
                        return Reference.cmp(op, Long.compare(d.nums[row][0], c));
                    });
                }
                case 14 -> {
                    long m = 2 + r.nextInt(4);
                    long c = r.nextInt((int) m);
                    yield new Gen("age % " + m + " " + op + " " + c, row -> d.age[row] == null ? null : Reference.cmp(op, Long.compare(d.age[row] % m, c)));
                }
                default -> {
                    String w = RandomDataset.WORDS[r.nextInt(4)];
                    yield new Gen("color " + op + " \"" + w + "\"", row -> Reference.jsonCmp(op, d.dynamic[row].get("color"), w));
                }
            };
        }
    }

    /** Row-at-a-time semantics written as plainly as possible, independent of the engine's code. */
    static final class Reference {
        static Boolean and(Boolean a, Boolean b) {
            if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) return false;
            if (a == null || b == null) return null;
            return true;
        }

        static Boolean or(Boolean a, Boolean b) {
            if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) return true;
            if (a == null || b == null) return null;
            return false;
        }

        static Boolean not(Boolean a) {
            return a == null ? null : !a;
        }

        static boolean cmp(String op, int c) {
            return switch (op) {
                case "==" -> c == 0;
                case "!=" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        }

        /** JSON vs constant: same-kind values compare, anything else only satisfies "!=". */
        static boolean jsonCmp(String op, JsonNode v, Object c) {
            if (v != null && v.isNumber() && c instanceof Long l) {
                return cmp(op, Double.compare(v.doubleValue(), l));
            }
            if (v != null && v.isTextual() && c instanceof String s) {
                return cmp(op, v.textValue().compareTo(s));
            }
            return op.equals("!=");
        }

        static boolean jsonContains(JsonNode arr, long c) {
            if (arr == null || !arr.isArray()) return false;
            for (JsonNode e : arr) {
                if (e.isNumber() && e.doubleValue() == c) return true;
            }
            return false;
        }

        static boolean isNull(RandomDataset d, String field, int row) {
            return switch (field) {
                case "age" -> d.age[row] == null;
                case "name" -> d.name[row] == null;
                case "flag" -> d.flag[row] == null;
                case "meta" -> d.meta[row] == null;
                case "tags" -> d.tags[row] == null;
                default -> d.nums[row] == null;
            };
        }

        /** Translates the like pattern to a regular expression. */
        static boolean like(String s, String pattern) {
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '\\' && i + 1 < pattern.length()) {
                    re.append(java.util.regex.Pattern.quote(String.valueOf(pattern.charAt(++i))));
                } else if (c == '%') {
                    re.append(".*");
                } else if (c == '_') {
                    re.append(".");
                } else {
                    re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
                }
            }
            return s.matches("(?s)" + re);
        }
    }
}
