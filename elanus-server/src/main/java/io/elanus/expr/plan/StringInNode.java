package io.elanus.expr.plan;

import io.elanus.segment.Chunk;
import io.elanus.segment.StringColumn;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code s in [..]} / {@code not in} on a VarChar column. */
public final class StringInNode implements PlanNode {
    private final long fieldId;
    private final Set<String> values;
    private final boolean negate;

    public StringInNode(long fieldId, List<String> values, boolean negate) {
        this.fieldId = fieldId;
        this.values = new LinkedHashSet<>(values);
        this.negate = negate;
    }

    @Override
    public Truth evaluate(Chunk chunk) {
        int n = chunk.rowCount();
        if (!(ColumnAccess.column(chunk, fieldId) instanceof StringColumn col)) {
            return Truth.unknown();
        }
        String[] v = col.values();
        Bits bits = new Bits(n);
        for (int i = 0; i < n; i++) {
            if (v[i] != null && values.contains(v[i]) != negate) {
                bits.set(i);
            }
        }
        return Truth.of(bits.toBitSet(), col.nulls(), n);
    }

    @Override
    public Optional<List<Object>> primaryKeyTerms(long pkFieldId) {
        return pkFieldId == fieldId && !negate ? Optional.of(List.copyOf(values)) : Optional.empty();
    }

    @Override
    public Optional<IndexablePredicate> indexable() {
        return Optional.of(new IndexablePredicate(fieldId, List.of(),
                negate ? IndexablePredicate.Kind.NOT_IN : IndexablePredicate.Kind.IN, List.copyOf(values)));
    }
}
