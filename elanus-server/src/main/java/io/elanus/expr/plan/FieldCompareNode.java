package io.elanus.expr.plan;

import io.elanus.segment.Chunk;

/** {@code a op b} between two fields of the same row; null on either side is unknown. */
public record FieldCompareNode(CellSource left, CmpOp op, CellSource right) implements PlanNode {

    @Override
    public Truth evaluate(Chunk chunk) {
        int n = chunk.rowCount();
        CellSource.Reader l = left.bind(chunk);
        CellSource.Reader r = right.bind(chunk);
        Cell a = new Cell();
        Cell b = new Cell();
        Bits matches = new Bits(n);
        Bits unknown = new Bits(n);
        for (int i = 0; i < n; i++) {
            if (!l.read(i, a) || !r.read(i, b)) {
                unknown.set(i);
                continue;
            }
            int c = Values.compare(a, b);
            if (c == Values.INCOMPARABLE ? op == CmpOp.NE : op.test(c)) {
                matches.set(i);
            }
        }
        return Truth.of(matches.toBitSet(), unknown.toBitSet(), n);
    }
}
