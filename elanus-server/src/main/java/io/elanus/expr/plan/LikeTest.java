package io.elanus.expr.plan;

/** {@code value like pattern}: only string values can match. */
public record LikeTest(LikePattern pattern) implements CellTest {

    @Override
    public boolean test(Cell value, Cell scratch) {
        return value.kind == Cell.Kind.STRING && pattern.matches(value.stringValue);
    }
}
