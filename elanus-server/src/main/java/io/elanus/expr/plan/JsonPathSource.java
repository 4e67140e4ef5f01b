package io.elanus.expr.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.elanus.segment.Chunk;
import io.elanus.segment.JsonColumn;

import java.util.List;

/**
 * The value at a path inside a JSON field ({@code f["a"][0]["b"]}, {@code $meta["k"]}). A null
 * row is unknown; a path that does not exist reads as {@link Cell.Kind#MISSING}.
 */
public record JsonPathSource(long fieldId, List<Object> path) implements CellSource {

    public JsonPathSource {
        path = List.copyOf(path);
    }

    @Override
    public Reader bind(Chunk chunk) {
        if (!(ColumnAccess.column(chunk, fieldId) instanceof JsonColumn col)) {
            return (row, out) -> false;
        }
        Object[] steps = path.toArray();
        return (row, out) -> {
            if (col.isNull(row)) {
                return false;
            }
            out.setJson(walk(col.node(row), steps));
            return true;
        };
    }

    static JsonNode walk(JsonNode node, Object[] steps) {
        JsonNode cur = node;
        for (Object step : steps) {
            if (cur == null) {
                return null;
            }
            if (step instanceof String key) {
                cur = cur.isObject() ? cur.get(key) : null;
            } else {
                long idx = (Long) step;
                cur = cur.isArray() && idx >= 0 && idx < cur.size() ? cur.get((int) idx) : null;
            }
        }
        return cur;
    }
}
