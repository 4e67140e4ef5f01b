package io.elanus.expr.plan;

import io.elanus.segment.Chunk;
import io.elanus.segment.StringColumn;

import java.util.List;
import java.util.Optional;

/** {@code s like "pattern"} on a VarChar column. */
public record StringLikeNode(long fieldId, LikePattern pattern) implements PlanNode {

    @Override
    public Truth evaluate(Chunk chunk) {
        int n = chunk.rowCount();
        if (!(ColumnAccess.column(chunk, fieldId) instanceof StringColumn col)) {
            return Truth.unknown();
        }
        String[] v = col.values();
        Bits bits = new Bits(n);
        for (int i = 0; i < n; i++) {
            if (v[i] != null && pattern.matches(v[i])) {
                bits.set(i);
            }
        }
        return Truth.of(bits.toBitSet(), col.nulls(), n);
    }

    @Override
    public Optional<IndexablePredicate> indexable() {
        return Optional.of(switch (pattern.shape()) {
            case PREFIX -> new IndexablePredicate(fieldId, List.of(), IndexablePredicate.Kind.PREFIX,
                    List.of(pattern.literal()));
            case EXACT -> new IndexablePredicate(fieldId, List.of(), IndexablePredicate.Kind.IN,
                    List.of(pattern.literal()));
            default -> new IndexablePredicate(fieldId, List.of(), IndexablePredicate.Kind.LIKE,
                    List.of(pattern.source()));
        });
    }
}
