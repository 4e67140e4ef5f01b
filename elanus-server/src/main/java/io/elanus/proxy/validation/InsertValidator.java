package io.elanus.proxy.validation;

import com.google.protobuf.ByteString;
import io.elanus.segment.FieldSchemas;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.JSONArray;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.ScalarField;
import io.milvus.grpc.StringArray;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Milvus 2.6's proxy checks for Insert and Upsert. Returns the request's columns normalized to
 * one entry per schema field, in schema order, with {@code field_id}, name, type and
 * {@code is_dynamic} taken from the schema; fields with a default value get their nulls (or
 * their absence) replaced by it; an absent dynamic field becomes {@code "{}"} rows. An autoID
 * primary key the client did not send is left out: the caller allocates ids and adds them with
 * {@link #withAutoIds}. Function output fields (e.g. BM25) are not required here.
 */
public final class InsertValidator {
    private static final ByteString EMPTY_OBJECT = ByteString.copyFromUtf8("{}");

    private InsertValidator() {
    }

    /**
     * @param allowInsertAutoId the collection property {@code allow_insert_auto_id}: lets clients
     *                          send their own ids for an autoID primary key
     */
    public static List<FieldData> validateInsert(CollectionSchema schema, List<FieldData> fields, int numRows,
                                                 boolean allowInsertAutoId) {
        return validate(schema, fields, numRows, false, allowInsertAutoId, false);
    }

    /**
     * Upsert always needs the primary key, autoID or not (rows are replaced by key).
     *
     * @param partialUpdate only the given fields are updated (the caller merges with the stored
     *                      rows), so absent fields are not an error and are not filled
     */
    public static List<FieldData> validateUpsert(CollectionSchema schema, List<FieldData> fields, int numRows,
                                                 boolean partialUpdate) {
        return validate(schema, fields, numRows, true, true, partialUpdate);
    }

    private static List<FieldData> validate(CollectionSchema schema, List<FieldData> fields, int numRows, boolean upsert,
                                            boolean allowPrimaryKey, boolean partialUpdate) {
        if (numRows <= 0) {
            throw ValidationErrors.invalid("gt 0", numRows, "num_rows should be greater than 0");
        }
        Map<String, FieldData> given = byName(schema, fields);
        Set<String> staticNames = new HashSet<>();
        for (FieldSchema f : schema.getFieldsList()) {
            if (!f.getIsDynamic()) {
                staticNames.add(f.getName());
            }
        }
        List<FieldData> out = new ArrayList<>(schema.getFieldsCount());
        for (FieldSchema field : schema.getFieldsList()) {
            FieldData data = given.get(field.getName());
            if (field.getIsPrimaryKey()) {
                checkPrimaryKeyPresence(field, data, upsert, allowPrimaryKey);
            }
            if (data == null) {
                FieldData filled = missing(field, numRows, partialUpdate);
                if (filled != null) {
                    out.add(filled);
                }
                continue;
            }
            FieldDataChecks.check(field, data, numRows, staticNames);
            out.add(normalize(field, data, numRows));
        }
        return out;
    }

    private static Map<String, FieldData> byName(CollectionSchema schema, List<FieldData> fields) {
        Set<String> known = new HashSet<>();
        for (FieldSchema f : schema.getFieldsList()) {
            known.add(f.getName());
        }
        Map<String, FieldData> given = new HashMap<>();
        for (FieldData d : fields) {
            String name = d.getIsDynamic() && schema.getEnableDynamicField() ? FieldSchemas.DYNAMIC_FIELD_NAME : d.getFieldName();
            if (name.equals(FieldSchemas.DYNAMIC_FIELD_NAME) && !schema.getEnableDynamicField()) {
                throw ValidationErrors.invalid("without dynamic schema enabled, the field name cannot be set to "
                        + FieldSchemas.DYNAMIC_FIELD_NAME);
            }
            if (!known.contains(name)) {
                throw ValidationErrors.invalid("Attempt to insert an unexpected field `" + name
                        + "` to collection without enabling dynamic field");
            }
            if (given.put(name, d) != null) {
                throw ValidationErrors.invalid("duplicated field name " + name + " found");
            }
        }
        return given;
    }

    private static void checkPrimaryKeyPresence(FieldSchema pk, FieldData data, boolean upsert, boolean allowPrimaryKey) {
        if (upsert && data == null) {
            throw ValidationErrors.invalid("must assign pk when upsert, primary field: " + pk.getName());
        }
        if (pk.getAutoID() && data != null && !allowPrimaryKey) {
            throw ValidationErrors.invalid("can not assign primary field data when auto id enabled and allow_insert_auto_id is false "
                    + pk.getName() + "; maybe autoID is enabled on the collection");
        }
    }

    /** The stand-in for an absent field, or null when it stays absent. */
    private static FieldData missing(FieldSchema field, int numRows, boolean partialUpdate) {
        if (partialUpdate) {
            return null;
        }
        if (field.getIsPrimaryKey() && field.getAutoID()) {
            return null;
        }
        if (field.getIsFunctionOutput()) {
            return null;
        }
        if (field.getIsDynamic()) {
            JSONArray.Builder rows = JSONArray.newBuilder();
            for (int i = 0; i < numRows; i++) {
                rows.addData(EMPTY_OBJECT);
            }
            return header(field).setScalars(ScalarField.newBuilder().setJsonData(rows)).build();
        }
        if (field.hasDefaultValue()) {
            return DefaultValues.fill(field, null, numRows);
        }
        if (field.getNullable()) {
            FieldData.Builder b = header(field);
            for (int i = 0; i < numRows; i++) {
                b.addValidData(false);
            }
            return b.build();
        }
        throw ValidationErrors.invalid("Insert missed an field `" + field.getName()
                + "` to collection without set nullable==true or set default_value");
    }

    private static FieldData normalize(FieldSchema field, FieldData data, int numRows) {
        boolean hasNull = data.getValidDataList().contains(Boolean.FALSE);
        if (field.hasDefaultValue() && hasNull) {
            return DefaultValues.fill(field, data, numRows);
        }
        FieldData.Builder b = data.toBuilder().setFieldId(field.getFieldID()).setFieldName(field.getName())
                .setType(field.getDataType()).setIsDynamic(field.getIsDynamic());
        if (!field.getNullable() && !hasNull) {
            b.clearValidData();
        }
        return b.build();
    }

    private static FieldData.Builder header(FieldSchema field) {
        return FieldData.newBuilder().setFieldId(field.getFieldID()).setFieldName(field.getName())
                .setType(field.getDataType()).setIsDynamic(field.getIsDynamic());
    }

    /**
     * Adds the primary key column with ids {@code firstId .. firstId + numRows - 1} at the front
     * of {@code fields}; a VarChar key gets their decimal string forms.
     */
    public static List<FieldData> withAutoIds(List<FieldData> fields, FieldSchema pk, long firstId, int numRows) {
        FieldData.Builder b = header(pk);
        if (pk.getDataType() == DataType.VarChar) {
            StringArray.Builder ids = StringArray.newBuilder();
            for (int i = 0; i < numRows; i++) {
                ids.addData(Long.toString(firstId + i));
            }
            b.setScalars(ScalarField.newBuilder().setStringData(ids));
        } else {
            LongArray.Builder ids = LongArray.newBuilder();
            for (int i = 0; i < numRows; i++) {
                ids.addData(firstId + i);
            }
            b.setScalars(ScalarField.newBuilder().setLongData(ids));
        }
        List<FieldData> out = new ArrayList<>(fields.size() + 1);
        out.add(b.build());
        out.addAll(fields);
        return out;
    }

    /** True when {@code fields} already holds the field with this id. */
    public static boolean hasField(List<FieldData> fields, long fieldId) {
        for (FieldData d : fields) {
            if (d.getFieldId() == fieldId) {
                return true;
            }
        }
        return false;
    }
}
