package io.elanus.expr.plan;

import java.util.List;

/** {@code value in [..]}, or {@code not in} (its negation, so a missing JSON key is "not in"). */
public record InTest(List<Cell> constants, boolean negate) implements CellTest {

    public InTest {
        constants = List.copyOf(constants);
    }

    @Override
    public boolean test(Cell value, Cell scratch) {
        for (Cell c : constants) {
            if (Values.equal(value, c)) {
                return !negate;
            }
        }
        return negate;
    }
}
