package io.elanus.expr.plan;

/** A condition on one row's value. Stateless; {@code scratch} is a per-evaluation holder it may overwrite. */
public interface CellTest {
    boolean test(Cell value, Cell scratch);
}
