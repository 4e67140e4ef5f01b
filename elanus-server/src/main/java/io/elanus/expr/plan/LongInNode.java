package io.elanus.expr.plan;

import io.elanus.segment.Chunk;
import io.elanus.segment.LongColumn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@code x in [..]} / {@code x not in [..]} on an integer column. */
public final class LongInNode implements PlanNode {
    private final long fieldId;
    private final long[] values;
    private final LongHashSet set;
    private final boolean negate;

    public LongInNode(long fieldId, long[] values, boolean negate) {
        this.fieldId = fieldId;
        this.values = values.clone();
        this.set = new LongHashSet(values);
        this.negate = negate;
    }

    @Override
    public Truth evaluate(Chunk chunk) {
        int n = chunk.rowCount();
        if (!(ColumnAccess.column(chunk, fieldId) instanceof LongColumn col)) {
            return Truth.unknown();
        }
        long[] v = col.values();
        Bits bits = new Bits(n);
        for (int i = 0; i < n; i++) {
            if (set.contains(v[i]) != negate) {
                bits.set(i);
            }
        }
        return Truth.of(bits.toBitSet(), col.nulls(), n);
    }

    private List<Object> boxedValues() {
        List<Object> out = new ArrayList<>(values.length);
        Arrays.stream(values).distinct().forEach(out::add);
        return out;
    }

    @Override
    public Optional<List<Object>> primaryKeyTerms(long pkFieldId) {
        return pkFieldId == fieldId && !negate ? Optional.of(boxedValues()) : Optional.empty();
    }

    @Override
    public Optional<IndexablePredicate> indexable() {
        return Optional.of(new IndexablePredicate(fieldId, List.of(),
                negate ? IndexablePredicate.Kind.NOT_IN : IndexablePredicate.Kind.IN, boxedValues()));
    }
}
