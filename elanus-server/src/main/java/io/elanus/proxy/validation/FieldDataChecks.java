package io.elanus.proxy.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.elanus.segment.FieldSchemas;
import io.elanus.segment.HalfFloats;
import io.milvus.grpc.ArrayArray;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.ScalarField;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The content checks Milvus 2.6's proxy applies to one field of an insert or upsert (its
 * {@code validateUtil}): type, row count and vector dim, NaN/Inf, integer overflow, VarChar
 * byte length, array element type and capacity, JSON well-formedness and size, sparse rows,
 * and nulls only where the schema allows them.
 */
final class FieldDataChecks {
    /** Milvus's {@code common.JSONMaxLength} default. */
    static final int JSON_MAX_LENGTH = 65536;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FieldDataChecks() {
    }

    static void check(FieldSchema field, FieldData data, int numRows, Set<String> staticFieldNames) {
        checkType(field, data);
        int nulls = checkValidData(field, data, numRows);
        int rows = checkShape(field, data);
        if (rows != numRows && !(nulls > 0 && rows == numRows - nulls)) {
            throw ValidationErrors.invalid(numRows, rows, "the num_rows (" + rows + ") of field (" + field.getName()
                    + ") is not equal to passed num_rows (" + numRows + ")");
        }
        checkValues(field, data, staticFieldNames);
    }

    private static void checkType(FieldSchema field, FieldData data) {
        DataType expected = field.getDataType();
        DataType actual = data.getType();
        boolean stringAlias = (expected == DataType.VarChar || expected == DataType.String)
                && (actual == DataType.VarChar || actual == DataType.String);
        if (actual != expected && !stringAlias) {
            throw ValidationErrors.invalid(expected, actual, "field (" + field.getName() + ") type mismatch");
        }
    }

    /** Returns the number of null rows. */
    private static int checkValidData(FieldSchema field, FieldData data, int numRows) {
        int n = data.getValidDataCount();
        if (n == 0) {
            return 0;
        }
        if (n != numRows) {
            throw ValidationErrors.invalid(numRows, n, "the length of valid_data of field(" + field.getName() + ") is wrong");
        }
        int nulls = 0;
        for (int i = 0; i < n; i++) {
            if (!data.getValidData(i)) {
                nulls++;
            }
        }
        if (nulls > 0 && field.getIsPrimaryKey()) {
            throw ValidationErrors.invalid("primary key field (" + field.getName() + ") can not be null");
        }
        if (nulls > 0 && !field.getNullable() && !field.hasDefaultValue()) {
            throw ValidationErrors.invalid("the field (" + field.getName() + ") is not nullable but has null values");
        }
        return nulls;
    }

    /** Checks payload kind and vector dims; returns the number of value rows the payload holds. */
    private static int checkShape(FieldSchema field, FieldData data) {
        ScalarField s = data.getScalars();
        String name = field.getName();
        return switch (field.getDataType()) {
            case Bool -> s.getBoolData().getDataCount();
            case Int8, Int16, Int32 -> s.getIntData().getDataCount();
            case Int64 -> s.getLongData().getDataCount();
            case Float -> s.getFloatData().getDataCount();
            case Double -> s.getDoubleData().getDataCount();
            case VarChar, String, Text -> s.getStringData().getDataCount();
            case JSON -> s.getJsonData().getDataCount();
            case Array -> s.getArrayData().getDataCount();
            case FloatVector -> {
                int dim = checkDim(field, data);
                int len = data.getVectors().getFloatVector().getDataCount();
                if (len % dim != 0) {
                    throw ValidationErrors.invalid("the length(" + len + ") of float data should divide the dim(" + dim + ")");
                }
                yield len / dim;
            }
            case Float16Vector, BFloat16Vector -> {
                int dim = checkDim(field, data);
                ByteString b = field.getDataType() == DataType.Float16Vector
                        ? data.getVectors().getFloat16Vector() : data.getVectors().getBfloat16Vector();
                yield bytesRows(name, b.size(), dim * 2, dim);
            }
            case BinaryVector -> {
                int dim = checkDim(field, data);
                yield bytesRows(name, data.getVectors().getBinaryVector().size(), dim / 8, dim);
            }
            case Int8Vector -> {
                int dim = checkDim(field, data);
                yield bytesRows(name, data.getVectors().getInt8Vector().size(), dim, dim);
            }
            case SparseFloatVector -> data.getVectors().getSparseFloatVector().getContentsCount();
            default -> throw ValidationErrors.invalid("unsupported data type " + field.getDataType() + " of field " + name);
        };
    }

    private static int bytesRows(String name, int bytes, int rowBytes, int dim) {
        if (rowBytes == 0 || bytes % rowBytes != 0) {
            throw ValidationErrors.invalid("the length(" + bytes + ") of vector data of field (" + name
                    + ") should divide the dim(" + dim + ")");
        }
        return bytes / rowBytes;
    }

    private static int checkDim(FieldSchema field, FieldData data) {
        int dim = FieldSchemas.dim(field);
        long dataDim = data.getVectors().getDim();
        if (dataDim != dim) {
            throw ValidationErrors.invalid(dim, dataDim, "the dim (" + dataDim + ") of field data(" + field.getName()
                    + ") is not equal to schema dim (" + dim + ")");
        }
        return dim;
    }

    private static void checkValues(FieldSchema field, FieldData data, Set<String> staticFieldNames) {
        ScalarField s = data.getScalars();
        switch (field.getDataType()) {
            case Int8 -> checkRange(s.getIntData().getDataList(), Byte.MIN_VALUE, Byte.MAX_VALUE);
            case Int16 -> checkRange(s.getIntData().getDataList(), Short.MIN_VALUE, Short.MAX_VALUE);
            case Float -> {
                for (int i = 0; i < s.getFloatData().getDataCount(); i++) {
                    checkFinite(s.getFloatData().getData(i));
                }
            }
            case Double -> {
                for (int i = 0; i < s.getDoubleData().getDataCount(); i++) {
                    checkFinite(s.getDoubleData().getData(i));
                }
            }
            case VarChar, String -> {
                if (!field.getAutoID()) {
                    checkLengths(field, s.getStringData().getDataList());
                }
            }
            case JSON -> checkJson(field, data, staticFieldNames);
            case Array -> checkArray(field, s.getArrayData());
            case FloatVector -> {
                var v = data.getVectors().getFloatVector();
                for (int i = 0; i < v.getDataCount(); i++) {
                    checkFinite(v.getData(i));
                }
            }
            case Float16Vector -> checkHalfFloats(data.getVectors().getFloat16Vector(), true);
            case BFloat16Vector -> checkHalfFloats(data.getVectors().getBfloat16Vector(), false);
            case SparseFloatVector -> data.getVectors().getSparseFloatVector().getContentsList().forEach(FieldDataChecks::checkSparseRow);
            default -> {
            }
        }
    }

    private static void checkFinite(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw ValidationErrors.notANumber(v);
        }
    }

    private static void checkRange(List<Integer> values, int lo, int hi) {
        for (int i = 0; i < values.size(); i++) {
            int e = values.get(i);
            if (e < lo || e > hi) {
                throw ValidationErrors.invalid("integer doesn't overflow", "out of range",
                        "the " + i + "th element (" + e + ") out of range: [" + lo + ", " + hi + "]");
            }
        }
    }

    /** Milvus measures VarChar length as Go's {@code len(string)}: UTF-8 bytes. */
    private static void checkLengths(FieldSchema field, List<String> values) {
        int max = FieldSchemas.maxLength(field);
        for (int i = 0; i < values.size(); i++) {
            int len = utf8Length(values.get(i));
            if (len > max) {
                throw ValidationErrors.invalid("length of varchar field " + field.getName() + " exceeds max length, row number: "
                        + i + ", length: " + len + ", max length: " + max);
            }
        }
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static void checkHalfFloats(ByteString bytes, boolean fp16) {
        ByteBuffer buf = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        while (buf.remaining() >= 2) {
            short h = buf.getShort();
            checkFinite(fp16 ? HalfFloats.fp16ToFloat(h) : HalfFloats.bf16ToFloat(h));
        }
    }

    private static void checkSparseRow(ByteString row) {
        if (row.size() % 8 != 0) {
            throw ValidationErrors.invalid("invalid data length in sparse float vector: " + row.size());
        }
        ByteBuffer buf = row.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long prev = -1;
        while (buf.hasRemaining()) {
            long idx = Integer.toUnsignedLong(buf.getInt());
            float val = buf.getFloat();
            if (idx == 0xFFFF_FFFFL) {
                throw ValidationErrors.invalid("invalid index in sparse float vector: must be less than 2^32-1");
            }
            if (idx <= prev) {
                throw ValidationErrors.invalid("unsorted or same indices in sparse float vector");
            }
            checkFinite(val);
            prev = idx;
        }
    }

    private static void checkArray(FieldSchema field, ArrayArray array) {
        DataType element = field.getElementType();
        int maxCapacity = FieldSchemas.maxCapacity(field);
        for (int i = 0; i < array.getDataCount(); i++) {
            ScalarField row = array.getData(i);
            ScalarField.DataCase expected = switch (element) {
                case Bool -> ScalarField.DataCase.BOOL_DATA;
                case Int8, Int16, Int32 -> ScalarField.DataCase.INT_DATA;
                case Int64 -> ScalarField.DataCase.LONG_DATA;
                case Float -> ScalarField.DataCase.FLOAT_DATA;
                case Double -> ScalarField.DataCase.DOUBLE_DATA;
                case VarChar, String -> ScalarField.DataCase.STRING_DATA;
                default -> throw ValidationErrors.invalid("valid array element type", "array element type is not supported",
                        "array element type: " + element + " is not supported");
            };
            if (row.getDataCase() != expected) {
                throw ValidationErrors.invalid(expected.name().toLowerCase().replace("_data", "") + " array",
                        row.getDataCase() == ScalarField.DataCase.DATA_NOT_SET ? "nil array" : row.getDataCase().name().toLowerCase() + " array",
                        "insert data does not match");
            }
            int len = switch (expected) {
                case BOOL_DATA -> row.getBoolData().getDataCount();
                case INT_DATA -> row.getIntData().getDataCount();
                case LONG_DATA -> row.getLongData().getDataCount();
                case FLOAT_DATA -> row.getFloatData().getDataCount();
                case DOUBLE_DATA -> row.getDoubleData().getDataCount();
                default -> row.getStringData().getDataCount();
            };
            if (len > maxCapacity) {
                throw ValidationErrors.invalid("valid length array", "array length exceeds max capacity",
                        "the length (" + len + ") of " + i + "th array exceeds max capacity (" + maxCapacity + ")");
            }
            switch (element) {
                case Int8 -> checkRange(row.getIntData().getDataList(), Byte.MIN_VALUE, Byte.MAX_VALUE);
                case Int16 -> checkRange(row.getIntData().getDataList(), Short.MIN_VALUE, Short.MAX_VALUE);
                case VarChar, String -> checkArrayStrings(field, i, row.getStringData().getDataList());
                default -> {
                }
            }
        }
    }

    private static void checkArrayStrings(FieldSchema field, int row, List<String> values) {
        int max = FieldSchemas.maxLength(field);
        for (int j = 0; j < values.size(); j++) {
            int len = utf8Length(values.get(j));
            if (len > max) {
                throw ValidationErrors.invalid("length of " + field.getDataType() + " array field \"" + field.getName()
                        + "\" exceeds max length, row number: " + row + ", array index: " + j + ", length: " + len
                        + ", max length: " + max);
            }
        }
    }

    private static void checkJson(FieldSchema field, FieldData data, Set<String> staticFieldNames) {
        boolean dynamic = field.getIsDynamic();
        List<ByteString> rows = data.getScalars().getJsonData().getDataList();
        for (int i = 0; i < rows.size(); i++) {
            ByteString raw = rows.get(i);
            if (raw.size() > JSON_MAX_LENGTH) {
                if (dynamic) {
                    throw ValidationErrors.invalid("valid length dynamic field", "length exceeds max length",
                            "the length (" + raw.size() + ") of dynamic field exceeds max length (" + JSON_MAX_LENGTH + ")");
                }
                throw ValidationErrors.invalid("valid length json string", "length exceeds max length",
                        "the length (" + raw.size() + ") of json field (" + field.getName() + ") exceeds max length ("
                                + JSON_MAX_LENGTH + ")");
            }
            if (raw.isEmpty() && data.getValidDataCount() > 0) {
                continue;
            }
            JsonNode node = parse(field, raw, i);
            if (dynamic) {
                checkDynamicObject(node, staticFieldNames);
            }
        }
    }

    private static JsonNode parse(FieldSchema field, ByteString raw, int row) {
        try {
            JsonNode node = MAPPER.readTree(raw.toString(StandardCharsets.UTF_8));
            if (node == null || node.isMissingNode()) {
                throw new IOException("empty document");
            }
            return node;
        } catch (IOException e) {
            throw ValidationErrors.invalid("invalid JSON in field (" + field.getName() + ") at row " + row + ": " + raw.toStringUtf8());
        }
    }

    private static void checkDynamicObject(JsonNode node, Set<String> staticFieldNames) {
        if (!node.isObject()) {
            throw ValidationErrors.invalid("illegal dynamic field data, the dynamic field data must be a JSON object");
        }
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (key.equals(FieldSchemas.DYNAMIC_FIELD_NAME)) {
                throw ValidationErrors.invalid("cannot set json key to: " + FieldSchemas.DYNAMIC_FIELD_NAME);
            }
            if (staticFieldNames.contains(key)) {
                throw ValidationErrors.invalid("dynamic field name cannot include the static field name: " + key);
            }
        }
    }
}
