package io.elanus.expr.plan;

/** The six comparison operators. */
public enum CmpOp {
    EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

    public final String symbol;

    CmpOp(String symbol) {
        this.symbol = symbol;
    }

    /** The operator that keeps the meaning when the operands are swapped ({@code 1 < x} is {@code x > 1}). */
    public CmpOp flip() {
        return switch (this) {
            case LT -> GT;
            case LE -> GE;
            case GT -> LT;
            case GE -> LE;
            default -> this;
        };
    }

    /** Applies the operator to the sign of a three-way comparison. */
    public boolean test(int cmp) {
        return switch (this) {
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
        };
    }

    public boolean isOrdering() {
        return this != EQ && this != NE;
    }
}
