package io.elanus.proxy;

import io.elanus.common.Config;
import io.elanus.common.MilvusException;
import io.elanus.common.Params;
import io.elanus.segment.FieldSchemas;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;

import java.util.HashSet;
import java.util.Set;

/**
 * The checks Milvus's proxy makes on CreateCollection, with its messages; returns the schema to
 * store (the dynamic field {@code $meta} appended when enabled).
 */
final class SchemaValidator {
    static final String DYNAMIC_FIELD = "$meta";
    private static final int MAX_VARCHAR_LENGTH = 65_535;
    private static final int MAX_ARRAY_CAPACITY = 4_096;

    private final Config config;

    SchemaValidator(Config config) {
        this.config = config;
    }

    CollectionSchema validate(CollectionSchema schema, String collectionName) {
        int maxName = config.getInt(Params.PROXY_MAX_NAME_LENGTH);
        Names.validate("collection", collectionName, maxName);
        int maxFields = config.getInt(Params.PROXY_MAX_FIELD_NUM);
        if (schema.getFieldsCount() > maxFields) {
            throw MilvusException.invalidParameter("maximum field's number should be limited to " + maxFields);
        }
        int vectors = 0;
        int primaries = 0;
        int partitionKeys = 0;
        Set<String> names = new HashSet<>();
        for (FieldSchema f : schema.getFieldsList()) {
            Names.validate("field", f.getName(), maxName);
            if (!names.add(f.getName())) {
                throw MilvusException.invalidParameter("duplicated field name " + f.getName() + " found");
            }
            if (f.getIsDynamic() || f.getName().equals(DYNAMIC_FIELD)) {
                throw MilvusException.invalidParameter("cannot explicitly set a field as a dynamic field");
            }
            if (FieldSchemas.isVector(f.getDataType())) {
                vectors++;
                checkVector(f);
            } else {
                checkScalar(f);
            }
            if (f.getIsPrimaryKey()) {
                primaries++;
                if (f.getDataType() != DataType.Int64 && f.getDataType() != DataType.VarChar) {
                    throw MilvusException.invalidParameter("the data type of primary key should be Int64 or VarChar");
                }
                if (f.getNullable()) {
                    throw MilvusException.invalidParameter("primary field not support null");
                }
            } else if (f.getAutoID()) {
                throw MilvusException.invalidParameter("only primary field can speficy AutoID with true, field name = " + f.getName());
            }
            if (f.getIsPartitionKey()) {
                partitionKeys++;
                if (f.getIsPrimaryKey()) {
                    throw MilvusException.invalidParameter("the partition key field must not be primary field");
                }
                if (f.getDataType() != DataType.Int64 && f.getDataType() != DataType.VarChar) {
                    throw MilvusException.invalidParameter("the data type of partition key should be Int64 or VarChar");
                }
                if (f.getNullable()) {
                    throw MilvusException.invalidParameter("partition key field not support nullable");
                }
            }
            if (f.getDataType() == DataType.None || f.getDataType() == DataType.UNRECOGNIZED || f.getDataType() == DataType.String) {
                throw MilvusException.invalidParameter("field data type: " + f.getDataType() + " is not supported");
            }
        }
        if (primaries == 0) {
            throw MilvusException.invalidParameter("primary key is not specified");
        }
        if (primaries > 1) {
            throw MilvusException.invalidParameter("there are more than one primary key, field name = " + schema.getFieldsList().stream().filter(FieldSchema::getIsPrimaryKey).map(FieldSchema::getName).toList());
        }
        if (partitionKeys > 1) {
            throw MilvusException.invalidParameter("there are more than one partition key");
        }
        if (vectors == 0) {
            throw MilvusException.invalidParameter("schema does not contain vector field");
        }
        int maxVectors = config.getInt(Params.PROXY_MAX_VECTOR_FIELD_NUM);
        if (vectors > maxVectors) {
            throw MilvusException.invalidParameter("maximum vector field's number should be limited to " + maxVectors);
        }
        CollectionSchema.Builder out = schema.toBuilder().setName(collectionName).setAutoID(false);
        if (schema.getEnableDynamicField()) {
            out.addFields(FieldSchema.newBuilder().setName(DYNAMIC_FIELD).setDataType(DataType.JSON)
                    .setIsDynamic(true).setDescription("dynamic schema"));
        }
        return out.build();
    }

    private void checkVector(FieldSchema f) {
        if (f.getIsPrimaryKey()) {
            throw MilvusException.invalidParameter("the data type of primary key should be Int64 or VarChar");
        }
        if (f.getDataType() == DataType.SparseFloatVector) {
            if (TypeParams.get(f.getTypeParamsList(), "dim").isPresent()) {
                throw MilvusException.invalidParameter("dim should not be specified for sparse vector field " + f.getName() + "(" + f.getFieldID() + ")");
            }
            return;
        }
        String raw = TypeParams.get(f.getTypeParamsList(), "dim").orElseThrow(() ->
                MilvusException.invalidParameter("dimension is not defined in field type params of field " + f.getName() + ", check type param `dim` for vector field"));
        int dim;
        try {
            dim = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw MilvusException.invalidParameter("dimension is not a number: " + raw);
        }
        int maxDim = config.getInt(Params.PROXY_MAX_DIMENSION);
        if (f.getDataType() == DataType.BinaryVector) {
            if (dim <= 0 || dim % 8 != 0) {
                throw MilvusException.invalidParameter("invalid dimension: " + dim + " of field " + f.getName() + ". binary vector dimension should be multiple of 8. ");
            }
            if (dim > maxDim * 8) {
                throw MilvusException.invalidParameter("invalid dimension: " + dim + " of field " + f.getName() + ". binary vector dimension should be in range 8 ~ " + (maxDim * 8));
            }
            return;
        }
        if (dim < 2 || dim > maxDim) {
            throw MilvusException.invalidParameter("invalid dimension: " + dim + " of field " + f.getName() + ". float vector dimension should be in range 2 ~ " + maxDim);
        }
    }

    private void checkScalar(FieldSchema f) {
        switch (f.getDataType()) {
            case VarChar -> checkMaxLength(f);
            case Array -> {
                DataType e = f.getElementType();
                switch (e) {
                    case Bool, Int8, Int16, Int32, Int64, Float, Double -> {
                    }
                    case VarChar -> checkMaxLength(f);
                    default -> throw MilvusException.invalidParameter("element data type " + e + " is not supported");
                }
                String cap = TypeParams.get(f.getTypeParamsList(), "max_capacity").orElseThrow(() ->
                        MilvusException.invalidParameter("type param(max_capacity) should be specified for array field " + f.getName()));
                int c = parseInt(cap, "max_capacity");
                if (c <= 0 || c > MAX_ARRAY_CAPACITY) {
                    throw MilvusException.invalidParameter("the maximum capacity specified for a Array should be in (0, " + MAX_ARRAY_CAPACITY + "]");
                }
                if (f.hasDefaultValue()) {
                    throw MilvusException.invalidParameter("type not support default_value, type:Array, name:" + f.getName());
                }
            }
            case JSON -> {
                if (f.hasDefaultValue()) {
                    throw MilvusException.invalidParameter("type not support default_value, type:JSON, name:" + f.getName());
                }
                if (f.getIsPrimaryKey() || f.getIsPartitionKey()) {
                    throw MilvusException.invalidParameter("JSON field cannot be primary key or partition key");
                }
            }
            default -> {
            }
        }
        if (f.hasDefaultValue()) {
            checkDefault(f);
        }
    }

    private void checkMaxLength(FieldSchema f) {
        String v = TypeParams.get(f.getTypeParamsList(), "max_length").orElseThrow(() ->
                MilvusException.invalidParameter("type param(max_length) should be specified for the field(" + f.getName() + ") of collection"));
        int len = parseInt(v, "max_length");
        if (len <= 0 || len > MAX_VARCHAR_LENGTH) {
            throw MilvusException.invalidParameter("the maximum length specified for the field(" + f.getName() + ") should be in (0, " + MAX_VARCHAR_LENGTH + "], but got " + len + " instead");
        }
    }

    private void checkDefault(FieldSchema f) {
        var d = f.getDefaultValue();
        boolean ok = switch (f.getDataType()) {
            case Bool -> d.hasBoolData();
            case Int8, Int16, Int32 -> d.hasIntData();
            case Int64 -> d.hasLongData();
            case Float -> d.hasFloatData();
            case Double -> d.hasDoubleData();
            case VarChar -> d.hasStringData();
            default -> false;
        };
        if (!ok) {
            throw MilvusException.invalidParameter("type (" + f.getDataType() + ") of field (" + f.getName() + ") is not equal to the type(" + d.getDataCase() + ") of default_value");
        }
        if (f.getIsPrimaryKey()) {
            throw MilvusException.invalidParameter("primary field not support default_value");
        }
        if (f.getDataType() == DataType.VarChar) {
            int max = parseInt(TypeParams.get(f.getTypeParamsList(), "max_length").orElse("0"), "max_length");
            if (d.getStringData().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > max) {
                throw MilvusException.invalidParameter("the length (" + d.getStringData().length() + ") of string exceeds max length (" + max + ")");
            }
        }
    }

    private static int parseInt(String v, String key) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw MilvusException.invalidParameter("the value of " + key + " must be an integer");
        }
    }
}
