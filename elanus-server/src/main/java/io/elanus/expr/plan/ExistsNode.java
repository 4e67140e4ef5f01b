package io.elanus.expr.plan;

import io.elanus.segment.Chunk;

/** {@code exists f["k"]}: the path is present (even holding JSON null); a null row is unknown. */
public record ExistsNode(JsonPathSource path) implements PlanNode {

    @Override
    public Truth evaluate(Chunk chunk) {
        int n = chunk.rowCount();
        CellSource.Reader reader = path.bind(chunk);
        Cell cell = new Cell();
        Bits matches = new Bits(n);
        Bits unknown = new Bits(n);
        for (int i = 0; i < n; i++) {
            if (!reader.read(i, cell)) {
                unknown.set(i);
            } else if (cell.kind != Cell.Kind.MISSING) {
                matches.set(i);
            }
        }
        return Truth.of(matches.toBitSet(), unknown.toBitSet(), n);
    }
}
