package io.elanus.it;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.BFloat16Vec;
import io.milvus.v2.service.vector.request.data.BaseVector;
import io.milvus.v2.service.vector.request.data.BinaryVec;
import io.milvus.v2.service.vector.request.data.Float16Vec;
import io.milvus.v2.service.vector.request.data.SparseFloatVec;
import io.milvus.v2.service.vector.response.SearchResp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

import static io.elanus.it.MilvusAssertions.assertExactTopK;
import static io.elanus.it.MilvusAssertions.awaitLoaded;

/** Binary (HAMMING), sparse (IP) and half-precision (fp16, bf16) vector collections searched against brute force. */
@ExtendWith(Seeds.class)
class VectorTypesTest extends SharedServerTestBase {

    private static final int ROWS = 500;

    /** Creates pk + one vector field with the given index, and returns the collection name once loaded. */
    private static String createCollection(String prefix, AddFieldReq vectorField, IndexParam.IndexType indexType,
                                           IndexParam.MetricType metric) {
        String name = uniqueName(prefix);
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().build();
        schema.addField(AddFieldReq.builder().fieldName("id").dataType(DataType.Int64).isPrimaryKey(true).build());
        schema.addField(vectorField);
        client.createCollection(CreateCollectionReq.builder().collectionName(name).collectionSchema(schema)
                .indexParams(List.of(IndexParam.builder().fieldName(vectorField.getFieldName()).indexType(indexType)
                        .metricType(metric).build())).build());
        awaitLoaded(client, name);
        return name;
    }

    private static void insert(String name, String field, List<com.google.gson.JsonElement> values) {
        List<JsonObject> rows = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            JsonObject row = new JsonObject();
            row.addProperty("id", i);
            row.add(field, values.get(i));
            rows.add(row);
        }
        client.insert(InsertReq.builder().collectionName(name).data(rows).build());
    }

    private static List<SearchResp.SearchResult> search(String name, String field, BaseVector query, int limit) {
        return client.search(SearchReq.builder().collectionName(name).annsField(field).data(List.of(query)).limit(limit)
                .consistencyLevel(ConsistencyLevel.STRONG).build()).getSearchResults().get(0);
    }

    private static JsonArray jsonBytes(byte[] bytes) {
        JsonArray array = new JsonArray(bytes.length);
        for (byte b : bytes) {
            array.add(b);
        }
        return array;
    }

    @Test
    void binaryVectorBinFlatHammingSearchEqualsBruteForce(Seed seed) {
        int dimBits = 64;
        String name = createCollection("binary", AddFieldReq.builder().fieldName("bits").dataType(DataType.BinaryVector)
                .dimension(dimBits).build(), IndexParam.IndexType.BIN_FLAT, IndexParam.MetricType.HAMMING);
        byte[][] data = Vectors.randomBits(seed.random(1), ROWS, dimBits);
        List<com.google.gson.JsonElement> values = new ArrayList<>();
        for (byte[] vector : data) {
            values.add(jsonBytes(vector));
        }
        insert(name, "bits", values);

        byte[] query = Vectors.randomBits(seed.random(2), 1, dimBits)[0];
        double[] scores = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            scores[i] = Vectors.hamming(query, data[i]);
        }
        assertExactTopK(search(name, "bits", new BinaryVec(query), 10), scores, Vectors.Metric.HAMMING, 0, 10,
                id -> ((Long) id).intValue());
        dropIfExists(name);
    }

    @Test
    void sparseVectorInvertedIndexInnerProductSearchEqualsBruteForce(Seed seed) {
        String name = createCollection("sparse", AddFieldReq.builder().fieldName("sparse").dataType(DataType.SparseFloatVector)
                .build(), IndexParam.IndexType.SPARSE_INVERTED_INDEX, IndexParam.MetricType.IP);
        List<SortedMap<Long, Float>> data = Vectors.randomSparse(seed.random(3), ROWS, 200, 12);
        List<com.google.gson.JsonElement> values = new ArrayList<>();
        for (SortedMap<Long, Float> vector : data) {
            JsonObject json = new JsonObject();
            vector.forEach((index, value) -> json.addProperty(Long.toString(index), value));
            values.add(json);
        }
        insert(name, "sparse", values);

        SortedMap<Long, Float> query = Vectors.randomSparse(seed.random(4), 1, 200, 30).get(0);
        double[] scores = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            scores[i] = Vectors.sparseDot(query, data.get(i));
        }
        // Rows sharing no index with the query score 0 and are not returned; ask only for as many as certainly overlap.
        int overlapping = (int) java.util.Arrays.stream(scores).filter(s -> s > 0).count();
        int limit = Math.min(10, overlapping);
        assertExactTopK(search(name, "sparse", new SparseFloatVec(query), limit), scores, Vectors.Metric.IP, 0, limit,
                id -> ((Long) id).intValue());
        dropIfExists(name);
    }

    @Test
    void float16VectorFlatL2SearchEqualsBruteForce(Seed seed) {
        halfPrecisionSearchEqualsBruteForce(DataType.Float16Vector, "fp16", seed);
    }

    @Test
    void bfloat16VectorFlatL2SearchEqualsBruteForce(Seed seed) {
        halfPrecisionSearchEqualsBruteForce(DataType.BFloat16Vector, "bf16", seed);
    }

    private static void halfPrecisionSearchEqualsBruteForce(DataType type, String prefix, Seed seed) {
        int dim = 16;
        String name = createCollection(prefix, AddFieldReq.builder().fieldName("half").dataType(type).dimension(dim).build(),
                IndexParam.IndexType.FLAT, IndexParam.MetricType.L2);
        float[][] data = Vectors.halfPrecisionExactFloats(seed.random(5), ROWS, dim);
        List<com.google.gson.JsonElement> values = new ArrayList<>();
        for (float[] vector : data) {
            values.add(jsonBytes(encodeHalf(type, vector)));
        }
        insert(name, "half", values);

        float[] query = Vectors.halfPrecisionExactFloats(seed.random(6), 1, dim)[0];
        BaseVector queryVector = type == DataType.Float16Vector
                ? new Float16Vec(encodeHalf(type, query)) : new BFloat16Vec(encodeHalf(type, query));
        assertExactTopK(search(name, "half", queryVector, 10), Vectors.scoresAgainst(Vectors.Metric.L2, query, data),
                Vectors.Metric.L2, 0, 10, id -> ((Long) id).intValue());
        dropIfExists(name);
    }

    /** Little-endian 16-bit encodings; the test values are exact in both formats, so no rounding mode matters. */
    private static byte[] encodeHalf(DataType type, float[] vector) {
        byte[] bytes = new byte[vector.length * 2];
        for (int d = 0; d < vector.length; d++) {
            int bits = type == DataType.Float16Vector
                    ? Float.floatToFloat16(vector[d]) & 0xffff
                    : Float.floatToIntBits(vector[d]) >>> 16;
            bytes[2 * d] = (byte) bits;
            bytes[2 * d + 1] = (byte) (bits >>> 8);
        }
        return bytes;
    }
}
