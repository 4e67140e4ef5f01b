package io.elanus.it;

import com.google.gson.JsonObject;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.milvus.v2.common.DataType;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.SearchResp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Range search (radius / range_filter): exactly the rows whose distance falls in the band, best first, up to the limit. */
@ExtendWith(Seeds.class)
class RangeSearchTest extends SharedServerTestBase {
    private static final int DIM = 8;

    @Test
    void l2RangeSearchReturnsExactlyTheRowsInsideTheBand(Seed seed) {
        String name = uniqueName("range");
        CreateCollectionReq.CollectionSchema schema = schemaWithId();
        schema.addField(AddFieldReq.builder().fieldName("vector").dataType(DataType.FloatVector).dimension(DIM).build());
        createStrongFlatCollection(name, schema);
        try {
            float[][] data = Vectors.randomFloats(seed.random(11), 500, DIM);
            List<JsonObject> rows = new ArrayList<>();
            for (int i = 0; i < data.length; i++) {
                rows.add(quickRow(i, data[i]));
            }
            client.insert(InsertReq.builder().collectionName(name).data(rows).build());
            float[] query = data[0];
            double[] scores = Vectors.scoresAgainst(Vectors.Metric.L2, query, data);
            double[] sorted = scores.clone();
            Arrays.sort(sorted);
            // Band edges halfway between two rows' distances: a row exactly on an edge would make the
            // count depend on float rounding (the server computes in float, this test in double).
            double rangeFilter = (sorted[5] + sorted[6]) / 2;
            double radius = (sorted[40] + sorted[41]) / 2;
            long inBand = Arrays.stream(scores).filter(s -> s >= rangeFilter && s < radius).count();

            SearchResp resp = client.search(SearchReq.builder().collectionName(name).data(List.of(new FloatVec(query)))
                    .limit(100).searchParams(Map.of("radius", radius, "range_filter", rangeFilter)).build());
            List<SearchResp.SearchResult> hits = resp.getSearchResults().get(0);
            assertEquals(inBand, hits.size(), "every row with range_filter <= distance < radius, and no other");
            for (SearchResp.SearchResult h : hits) {
                double exact = scores[((Number) h.getId()).intValue()];
                assertTrue(exact >= rangeFilter - 1e-4 && exact < radius + 1e-4, "distance " + exact + " outside the band");
            }
        } finally {
            dropIfExists(name);
        }
    }
}
