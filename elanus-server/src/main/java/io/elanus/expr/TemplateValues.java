package io.elanus.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.milvus.grpc.TemplateArrayValue;
import io.milvus.grpc.TemplateValue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Binds {@code {name}} placeholders to the request's {@code expr_template_values}. */
final class TemplateValues {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, TemplateValue> values;

    TemplateValues(Map<String, TemplateValue> values) {
        this.values = values == null ? Map.of() : values;
    }

    Object lookup(String name) {
        TemplateValue v = values.get(name);
        if (v == null) {
            throw new CompileError("the value of expression template variable name {" + name + "} is not found");
        }
        return switch (v.getValCase()) {
            case BOOL_VAL -> v.getBoolVal();
            case INT64_VAL -> v.getInt64Val();
            case FLOAT_VAL -> v.getFloatVal();
            case STRING_VAL -> v.getStringVal();
            case ARRAY_VAL -> array(name, v.getArrayVal());
            case VAL_NOT_SET -> throw new CompileError("expression template variable {" + name + "} has no value");
        };
    }

    private static List<Object> array(String name, TemplateArrayValue a) {
        return switch (a.getDataCase()) {
            case BOOL_DATA -> new ArrayList<>(a.getBoolData().getDataList());
            case LONG_DATA -> new ArrayList<>(a.getLongData().getDataList());
            case DOUBLE_DATA -> new ArrayList<>(a.getDoubleData().getDataList());
            case STRING_DATA -> new ArrayList<>(a.getStringData().getDataList());
            case ARRAY_DATA -> {
                List<Object> out = new ArrayList<>();
                for (TemplateArrayValue inner : a.getArrayData().getDataList()) {
                    out.add(array(name, inner));
                }
                yield out;
            }
            case JSON_DATA -> {
                List<Object> out = new ArrayList<>();
                for (ByteString b : a.getJsonData().getDataList()) {
                    out.add(json(name, b));
                }
                yield out;
            }
            case DATA_NOT_SET -> List.of();
        };
    }

    private static Object json(String name, ByteString bytes) {
        try {
            return fromJson(name, MAPPER.readTree(bytes.toByteArray()));
        } catch (IOException e) {
            throw new CompileError("expression template variable {" + name + "} holds invalid JSON");
        }
    }

    private static Object fromJson(String name, JsonNode n) {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>();
            n.forEach(e -> out.add(fromJson(name, e)));
            return out;
        }
        throw new CompileError("expression template variable {" + name + "} holds an unsupported JSON value");
    }
}
