package io.elanus.expr.plan;

/** Arithmetic between a field and a constant. */
public enum ArithOp {
    ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%"), POW("**");

    public final String symbol;

    ArithOp(String symbol) {
        this.symbol = symbol;
    }

    /** Integer arithmetic (C-like: truncating division, remainder with the dividend's sign); POW is not integral. */
    public long apply(long a, long b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MOD -> a % b;
            case POW -> throw new IllegalStateException("power is evaluated in floating point");
        };
    }

    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MOD -> a % b;
            case POW -> Math.pow(a, b);
        };
    }
}
