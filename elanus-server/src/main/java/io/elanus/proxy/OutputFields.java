package io.elanus.proxy;

import io.elanus.common.MilvusException;
import io.elanus.api.Hit;
import io.elanus.segment.FieldDataBuilder;
import io.elanus.segment.FieldSchemas;
import io.elanus.segment.JsonColumn;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The output_fields of a search or query resolved against the schema: schema fields, {@code *}
 * (every field), {@code $meta}, and names of dynamic keys (returned inside {@code $meta} holding
 * just those keys, as Milvus does).
 */
record OutputFields(List<FieldSchema> fields, Set<String> dynamicKeys, boolean allDynamic) {

    static OutputFields resolve(CollectionSchema schema, List<String> requested, boolean withPrimaryKey) {
        Set<FieldSchema> fields = new LinkedHashSet<>();
        Set<String> dynamicKeys = new LinkedHashSet<>();
        boolean allDynamic = false;
        FieldSchema dynamic = schema.getFieldsList().stream().filter(FieldSchema::getIsDynamic).findFirst().orElse(null);
        if (withPrimaryKey) {
            fields.add(FieldSchemas.primaryKey(schema));
        }
        for (String name : requested) {
            String n = name.trim();
            if (n.isEmpty()) {
                continue;
            }
            if (n.equals("*")) {
                schema.getFieldsList().stream().filter(f -> !f.getIsDynamic()).forEach(fields::add);
                allDynamic = dynamic != null;
                continue;
            }
            FieldSchema f = schema.getFieldsList().stream().filter(x -> x.getName().equals(n)).findFirst().orElse(null);
            if (f != null) {
                if (f.getIsDynamic()) {
                    allDynamic = true;
                } else {
                    fields.add(f);
                }
            } else if (dynamic != null && isIdentifier(n)) {
                dynamicKeys.add(n);
            } else {
                throw MilvusException.invalidParameter("field " + n + " not exist");
            }
        }
        List<FieldSchema> ordered = new ArrayList<>(fields);
        if (dynamic != null && (allDynamic || !dynamicKeys.isEmpty())) {
            ordered.add(dynamic);
        }
        return new OutputFields(ordered, dynamicKeys, allDynamic);
    }

    /** The ids of the fields whose values are returned (what shards must send back with their hits). */
    Set<Long> fieldIds() {
        Set<Long> ids = new LinkedHashSet<>();
        fields.forEach(f -> ids.add(f.getFieldID()));
        return ids;
    }

    private static boolean isIdentifier(String s) {
        return s.matches("[A-Za-z_][A-Za-z0-9_]*");
    }

    /**
     * The names reported in a result's output_fields: schema fields and dynamic keys. When all of
     * {@code $meta} was asked for ({@code *}), every key present in the returned rows is listed,
     * which is how the SDKs know to expose them as top-level fields.
     */
    List<String> names(List<Hit> hits) {
        Set<String> out = new LinkedHashSet<>();
        for (FieldSchema f : fields) {
            if (!f.getIsDynamic()) {
                out.add(f.getName());
            } else if (allDynamic) {
                for (Hit h : hits) {
                    if (h.values().get(f.getFieldID()) instanceof byte[] json) {
                        JsonColumn.parse(json).fieldNames().forEachRemaining(out::add);
                    }
                }
            }
        }
        out.addAll(dynamicKeys);
        return new ArrayList<>(out);
    }

    List<FieldData> build(List<Hit> hits) {
        List<FieldData> out = new ArrayList<>(fields.size());
        for (FieldSchema f : fields) {
            FieldDataBuilder b = new FieldDataBuilder(f, f.getIsDynamic() && !allDynamic ? dynamicKeys : null, hits.size());
            for (Hit h : hits) {
                b.appendValue(h.value(f.getFieldID()));
            }
            out.add(b.build());
        }
        return out;
    }
}
