package io.elanus.expr.plan;

import java.util.List;

/**
 * {@code json_contains / array_contains} (one value), {@code *_contains_all} (every value) and
 * {@code *_contains_any} (at least one value) over a JSON array or Array row; anything that is
 * not an array contains nothing.
 */
public record ContainsTest(Mode mode, List<Cell> values) implements CellTest {
    public enum Mode { ONE, ALL, ANY }

    public ContainsTest {
        values = List.copyOf(values);
    }

    @Override
    public boolean test(Cell array, Cell scratch) {
        int n = array.elementCount();
        if (n < 0) {
            return false;
        }
        if (mode == Mode.ALL) {
            for (Cell v : values) {
                if (!contains(array, n, v, scratch)) {
                    return false;
                }
            }
            return true;
        }
        for (Cell v : values) {
            if (contains(array, n, v, scratch)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(Cell array, int n, Cell v, Cell scratch) {
        for (int i = 0; i < n; i++) {
            if (scratch.loadElement(array, i) && Values.equal(scratch, v)) {
                return true;
            }
        }
        return false;
    }
}
