package io.elanus.expr.plan;

import io.elanus.segment.Chunk;

import java.util.BitSet;

/** A {@link CellTest} applied row by row to a {@link CellSource}; rows the source cannot read are unknown. */
public record CellPredicateNode(CellSource source, CellTest test) implements PlanNode {

    @Override
    public Truth evaluate(Chunk chunk) {
        int n = chunk.rowCount();
        CellSource.Reader reader = source.bind(chunk);
        Cell cell = new Cell();
        Cell scratch = new Cell();
        Bits matches = new Bits(n);
        Bits unknown = new Bits(n);
        for (int i = 0; i < n; i++) {
            if (!reader.read(i, cell)) {
                unknown.set(i);
            } else if (test.test(cell, scratch)) {
                matches.set(i);
            }
        }
        BitSet u = unknown.toBitSet();
        return Truth.of(matches.toBitSet(), u, n);
    }
}
