package io.elanus.expr.plan;

/**
 * A Milvus {@code like} pattern: {@code %} matches any run of characters, {@code _} exactly one,
 * and a backslash makes the next character literal. Patterns of the common shapes take a fast
 * path: exact, prefix ({@code "ab%"}), suffix ({@code "%ab"}) and infix ({@code "%ab%"}).
 */
public final class LikePattern {
    public enum Shape { EXACT, PREFIX, SUFFIX, INFIX, GENERAL }

    private static final int ANY_RUN = -1;
    private static final int ANY_ONE = -2;

    private final String source;
    private final int[] tokens;
    private final Shape shape;
    private final String literal;

    public LikePattern(String source) {
        this.source = source;
        this.tokens = tokenize(source);
        int runs = 0;
        boolean anyOne = false;
        StringBuilder lit = new StringBuilder();
        for (int t : tokens) {
            if (t == ANY_RUN) {
                runs++;
            } else if (t == ANY_ONE) {
                anyOne = true;
            } else {
                lit.append((char) t);
            }
        }
        this.literal = lit.toString();
        this.shape = classify(runs, anyOne);
    }

    private Shape classify(int runs, boolean anyOne) {
        if (anyOne) {
            return Shape.GENERAL;
        }
        int last = tokens.length - 1;
        if (runs == 0) {
            return Shape.EXACT;
        }
        if (runs == 1 && tokens[last] == ANY_RUN) {
            return Shape.PREFIX;
        }
        if (runs == 1 && tokens[0] == ANY_RUN) {
            return Shape.SUFFIX;
        }
        if (runs == 2 && last > 0 && tokens[0] == ANY_RUN && tokens[last] == ANY_RUN) {
            return Shape.INFIX;
        }
        return Shape.GENERAL;
    }

    private static int[] tokenize(String p) {
        int[] out = new int[p.length()];
        int n = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                out[n++] = p.charAt(++i);
            } else if (c == '%') {
                if (n == 0 || out[n - 1] != ANY_RUN) {
                    out[n++] = ANY_RUN;
                }
            } else if (c == '_') {
                out[n++] = ANY_ONE;
            } else {
                out[n++] = c;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    public String source() {
        return source;
    }

    public Shape shape() {
        return shape;
    }

    /** The literal characters of the pattern (the prefix for {@link Shape#PREFIX}). */
    public String literal() {
        return literal;
    }

    public boolean matches(String s) {
        return switch (shape) {
            case EXACT -> s.equals(literal);
            case PREFIX -> s.startsWith(literal);
            case SUFFIX -> s.endsWith(literal);
            case INFIX -> s.contains(literal);
            case GENERAL -> matchGeneral(s);
        };
    }

    /** Wildcard matching with single backtrack point for the last {@code %} seen (linear-ish, no recursion). */
    private boolean matchGeneral(String s) {
        int si = 0;
        int ti = 0;
        int starTi = -1;
        int starSi = 0;
        while (si < s.length()) {
            if (ti < tokens.length && tokens[ti] != ANY_RUN
                    && (tokens[ti] == ANY_ONE || tokens[ti] == s.charAt(si))) {
                si++;
                ti++;
            } else if (ti < tokens.length && tokens[ti] == ANY_RUN) {
                starTi = ti++;
                starSi = si;
            } else if (starTi >= 0) {
                ti = starTi + 1;
                si = ++starSi;
            } else {
                return false;
            }
        }
        while (ti < tokens.length && tokens[ti] == ANY_RUN) {
            ti++;
        }
        return ti == tokens.length;
    }
}
