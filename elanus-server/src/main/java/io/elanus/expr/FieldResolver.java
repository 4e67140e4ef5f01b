package io.elanus.expr;

import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves identifiers and paths against the collection schema. A name that is not a field is a
 * key of the dynamic field ({@code $meta["name"]}) when the collection has one, as in Milvus.
 */
final class FieldResolver {
    private final Map<String, FieldSchema> byName = new HashMap<>();
    private final FieldSchema dynamicField;
    private final FieldSchema primaryKey;

    FieldResolver(CollectionSchema schema) {
        FieldSchema dyn = null;
        FieldSchema pk = null;
        for (FieldSchema f : schema.getFieldsList()) {
            byName.put(f.getName(), f);
            if (f.getIsDynamic()) {
                dyn = f;
            }
            if (f.getIsPrimaryKey()) {
                pk = f;
            }
        }
        this.dynamicField = dyn;
        this.primaryKey = pk;
    }

    FieldSchema primaryKey() {
        return primaryKey;
    }

    Term.FieldTerm resolve(String name, List<Object> path) {
        FieldSchema field = byName.get(name);
        List<Object> fullPath = path;
        if (field == null && name.equals("$meta") && dynamicField != null) {
            field = dynamicField;
        } else if (field == null) {
            if (dynamicField == null) {
                throw new CompileError("field " + name + " not exist");
            }
            field = dynamicField;
            fullPath = new ArrayList<>(path.size() + 1);
            fullPath.add(name);
            fullPath.addAll(path);
        }
        DataType type = field.getDataType();
        if (Types.isVector(type)) {
            throw new CompileError("filtering on vector field " + name + " (" + type + ") is not supported");
        }
        if (!fullPath.isEmpty()) {
            checkPath(field, fullPath);
        }
        return new Term.FieldTerm(field, fullPath);
    }

    private static void checkPath(FieldSchema field, List<Object> path) {
        switch (field.getDataType()) {
            case JSON -> {
                if (field.getIsDynamic() && !(path.getFirst() instanceof String)) {
                    throw new CompileError("the first key of the dynamic field must be a string key");
                }
            }
            case Array -> {
                if (path.size() != 1 || !(path.getFirst() instanceof Long idx)) {
                    throw new CompileError("array field " + field.getName() + " takes exactly one integer index");
                }
                if (idx < 0 || idx > Integer.MAX_VALUE) {
                    throw new CompileError("array index out of range: " + idx);
                }
            }
            default -> throw new CompileError("field " + field.getName() + " of type " + field.getDataType()
                    + " is not a json or array field, it cannot be indexed");
        }
    }
}
