package io.elanus.expr.plan;

/**
 * {@code value op constant}. As in Milvus, a value of another type or a missing JSON key fails
 * every operator except {@code !=}, which is the negation of {@code ==}.
 */
public record CompareTest(CmpOp op, Cell constant) implements CellTest {

    @Override
    public boolean test(Cell value, Cell scratch) {
        int c = Values.compare(value, constant);
        if (c == Values.INCOMPARABLE) {
            return op == CmpOp.NE;
        }
        return op.test(c);
    }
}
