package io.elanus.it;

import io.milvus.param.R;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.exception.ErrorCode;
import io.milvus.v2.exception.MilvusClientException;
import io.milvus.v2.service.collection.request.GetLoadStateReq;
import io.milvus.v2.service.vector.response.SearchResp;
import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Assertions shared by the integration tests: Milvus error codes, exact search results, load waits. */
public final class MilvusAssertions {

    /** Milvus error codes (merr) the tests rely on. */
    public static final int COLLECTION_NOT_FOUND = 100;
    public static final int COLLECTION_NOT_LOADED = 101;
    public static final int INDEX_NOT_FOUND = 700;
    public static final int DATABASE_NOT_FOUND = 800;
    public static final int DATABASE_INVALID_NAME = 802;
    public static final int PARAMETER_INVALID = 1100;
    public static final int ALIAS_NOT_FOUND = 1600;
    /**
     * What Milvus 2.6 reports for checks whose error it does not wrap in a typed merr error (invalid dimension,
     * topK over the limit, index on a missing field): the "unexpected error" code.
     */
    public static final int UNWRAPPED_ERROR = 65535;

    private MilvusAssertions() {
    }

    /** Runs a MilvusClientV2 call that the server must reject with one of the given Milvus codes. */
    public static MilvusClientException assertServerError(Executable call, int... acceptedCodes) {
        MilvusClientException e = assertThrows(MilvusClientException.class, call);
        assertEquals(ErrorCode.SERVER_ERROR, e.getErrorCode(), () -> "expected a server-side error, got " + e);
        int code = e.getServerErrCode() != 0 ? e.getServerErrCode() : e.getLegacyServerCode();
        assertTrue(Arrays.stream(acceptedCodes).anyMatch(c -> c == code),
                () -> "expected server code " + Arrays.toString(acceptedCodes) + " but got " + code + ": " + e.getMessage());
        return e;
    }

    /** A legacy-client call must have succeeded; shows the server's message when it did not. */
    public static <T> T assertOk(R<T> response) {
        assertEquals(R.Status.Success.getCode(), response.getStatus(),
                () -> "call failed: " + (response.getException() == null ? "" : response.getException().getMessage()));
        return response.getData();
    }

    /** A legacy-client call must have failed with one of the given server codes. */
    public static void assertFailedWith(R<?> response, int... acceptedCodes) {
        assertNotEquals(R.Status.Success.getCode(), response.getStatus(), "call should have failed");
        int code = response.getStatus();
        assertTrue(Arrays.stream(acceptedCodes).anyMatch(c -> c == code),
                () -> "expected server code " + Arrays.toString(acceptedCodes) + " but got " + code + ": "
                        + (response.getException() == null ? "" : response.getException().getMessage()));
    }

    /**
     * Checks one query's hits against brute force: the scores at each rank equal the exact top-k scores, and each
     * returned row really has the score reported for it. Comparing scores rather than ids keeps ties harmless.
     */
    public static void assertExactTopK(List<SearchResp.SearchResult> actual, double[] exactScores, Vectors.Metric metric,
                                       int offset, int limit, ToIntFunction<Object> rowOfId) {
        List<Vectors.Hit> expected = Vectors.topK(exactScores, metric, offset + limit);
        List<Vectors.Hit> expectedPage = expected.subList(Math.min(offset, expected.size()), expected.size());
        assertEquals(expectedPage.size(), actual.size(), "number of hits");
        Set<Object> seen = new HashSet<>();
        for (int rank = 0; rank < actual.size(); rank++) {
            SearchResp.SearchResult hit = actual.get(rank);
            assertTrue(seen.add(hit.getId()), "duplicate id " + hit.getId());
            double want = expectedPage.get(rank).score();
            assertClose(want, hit.getScore(), "score at rank " + rank);
            int row = rowOfId.applyAsInt(hit.getId());
            assertClose(exactScores[row], hit.getScore(), "reported score of id " + hit.getId());
        }
    }

    public static void assertClose(double expected, double actual, String what) {
        double tolerance = 1e-4 * Math.max(1.0, Math.abs(expected));
        if (Math.abs(expected - actual) > tolerance) {
            fail(what + ": expected " + expected + " but was " + actual);
        }
    }

    /** Quick setup and createCollection with index params load asynchronously; wait (bounded) for it. */
    public static void awaitLoaded(MilvusClientV2 client, String collection) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(client.getLoadState(GetLoadStateReq.builder().collectionName(collection).build()))) {
                return;
            }
            sleep(100);
        }
        fail("collection " + collection + " did not reach the Loaded state within 60 s");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
