package io.elanus.proxy;

import com.google.protobuf.ByteString;
import io.elanus.common.MilvusException;
import io.elanus.proxy.validation.ValidationErrors;
import io.elanus.segment.FieldSchemas;
import io.elanus.segment.HalfFloats;
import io.elanus.segment.SparseRows;
import io.elanus.vector.ByteQueries;
import io.elanus.vector.FloatQueries;
import io.elanus.vector.QueryVectors;
import io.elanus.vector.SparseQueries;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.PlaceholderType;
import io.milvus.grpc.PlaceholderValue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decodes a search's placeholder values (little-endian vectors, one per query) for the searched field's type. */
final class QueryVectorParser {
    private QueryVectorParser() {
    }

    static QueryVectors parse(PlaceholderValue ph, FieldSchema field) {
        int nq = ph.getValuesCount();
        if (nq == 0) {
            throw MilvusException.invalidParameter("nq [0] is invalid, nq (number of search vector per search request) should be in range [1, 16384]");
        }
        DataType type = field.getDataType();
        PlaceholderType expected = PlaceholderType.forNumber(type.getNumber());
        if (ph.getType() != expected) {
            throw MilvusException.invalidParameter("vector type must be the same, field " + field.getName() + " - type "
                    + type + ", search info type " + ph.getType());
        }
        int dim = FieldSchemas.dim(field);
        return switch (type) {
            case FloatVector -> floats(ph, dim, 4, field);
            case Float16Vector, BFloat16Vector -> floats(ph, dim, 2, field);
            case Int8Vector -> bytes(ph, dim, dim, field);
            case BinaryVector -> bytes(ph, dim, dim / 8, field);
            case SparseFloatVector -> sparse(ph);
            default -> throw MilvusException.invalidParameter("field " + field.getName() + " is not a vector field");
        };
    }

    private static FloatQueries floats(PlaceholderValue ph, int dim, int width, FieldSchema field) {
        float[][] out = new float[ph.getValuesCount()][];
        for (int q = 0; q < out.length; q++) {
            ByteString v = ph.getValues(q);
            checkDim(v.size(), dim * width, width, dim, field);
            ByteBuffer buf = v.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] vec = new float[dim];
            for (int i = 0; i < dim; i++) {
                vec[i] = switch (field.getDataType()) {
                    case Float16Vector -> HalfFloats.fp16ToFloat(buf.getShort());
                    case BFloat16Vector -> HalfFloats.bf16ToFloat(buf.getShort());
                    default -> buf.getFloat();
                };
                requireFinite(vec[i]);
            }
            out[q] = vec;
        }
        return new FloatQueries(dim, out);
    }

    private static ByteQueries bytes(PlaceholderValue ph, int dim, int bytesPerRow, FieldSchema field) {
        byte[][] out = new byte[ph.getValuesCount()][];
        for (int q = 0; q < out.length; q++) {
            ByteString v = ph.getValues(q);
            checkDim(v.size(), bytesPerRow, field.getDataType() == DataType.BinaryVector ? 0 : 1, dim, field);
            out[q] = v.toByteArray();
        }
        return new ByteQueries(dim, out);
    }

    private static SparseQueries sparse(PlaceholderValue ph) {
        int nq = ph.getValuesCount();
        int[][] idx = new int[nq][];
        float[][] val = new float[nq][];
        for (int q = 0; q < nq; q++) {
            if (ph.getValues(q).size() % 8 != 0) {
                throw MilvusException.invalidParameter("invalid sparse float vector: length of the byte array must be a multiple of 8");
            }
            SparseRows.parse(ph.getValues(q), idx, val, q);
            for (float v : val[q]) {
                requireFinite(v);
            }
        }
        return new SparseQueries(idx, val);
    }

    /** NaN or infinity would rank arbitrarily; refused with the message inserts get for them. */
    private static void requireFinite(float v) {
        if (!Float.isFinite(v)) {
            throw ValidationErrors.notANumber(v);
        }
    }

    private static void checkDim(int actualBytes, int expectedBytes, int width, int dim, FieldSchema field) {
        if (actualBytes != expectedBytes) {
            long actualDim = width == 0 ? actualBytes * 8L : actualBytes / Math.max(width, 1);
            throw MilvusException.invalidParameter("the dimension of the vector to search (" + actualDim
                    + ") is not equal to the dimension of field " + field.getName() + " (" + dim + ")");
        }
    }
}
