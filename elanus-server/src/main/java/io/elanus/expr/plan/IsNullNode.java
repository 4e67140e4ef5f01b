package io.elanus.expr.plan;

import io.elanus.segment.Chunk;
import io.elanus.segment.Column;

import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * {@code f is null} / {@code f is not null}: never unknown. On a plain field it reads the null
 * bitmap; on a JSON path a null row, an absent key and a JSON {@code null} all count as null.
 */
public record IsNullNode(long fieldId, JsonPathSource jsonPath, boolean negate) implements PlanNode {

    @Override
    public Truth evaluate(Chunk chunk) {
        int n = chunk.rowCount();
        BitSet nulls;
        if (jsonPath != null) {
            nulls = jsonNulls(chunk, n);
        } else {
            Column col = ColumnAccess.column(chunk, fieldId);
            nulls = col == null ? ColumnAccess.allRows(n) : (BitSet) col.nulls().clone();
            nulls.clear(n, Math.max(n, nulls.length()));
        }
        Truth t = Truth.of(nulls, null, n);
        return negate ? t.not() : t;
    }

    private BitSet jsonNulls(Chunk chunk, int n) {
        CellSource.Reader reader = jsonPath.bind(chunk);
        Cell cell = new Cell();
        Bits bits = new Bits(n);
        for (int i = 0; i < n; i++) {
            if (!reader.read(i, cell) || cell.kind == Cell.Kind.MISSING || cell.kind == Cell.Kind.JSON_NULL) {
                bits.set(i);
            }
        }
        return bits.toBitSet();
    }

    @Override
    public Optional<IndexablePredicate> indexable() {
        if (jsonPath != null) {
            return Optional.empty();
        }
        return Optional.of(new IndexablePredicate(fieldId, List.of(),
                negate ? IndexablePredicate.Kind.IS_NOT_NULL : IndexablePredicate.Kind.IS_NULL, List.of()));
    }
}
