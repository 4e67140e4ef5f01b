package io.elanus.proxy;

import io.elanus.common.HealthProbe;
import io.elanus.common.MilvusError;
import io.elanus.quota.WriteQuota;
import io.grpc.stub.StreamObserver;
import io.milvus.grpc.CheckHealthRequest;
import io.milvus.grpc.CheckHealthResponse;
import io.milvus.grpc.ComponentInfo;
import io.milvus.grpc.DeleteRequest;
import io.milvus.grpc.ErrorCode;
import io.milvus.grpc.InsertRequest;
import io.milvus.grpc.MutationResult;
import io.milvus.grpc.QuotaState;
import io.milvus.grpc.Status;
import io.milvus.grpc.UpsertRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proxy consults the write quota before any work (as Milvus's rate-limit interceptor does), and
 * CheckHealth stays healthy while writes are denied, naming the quota state. The service gets no
 * scheduler or handlers: a write that got past the quota would fail with an internal error instead.
 */
class WriteQuotaGateTest {
    private static final String REASON = "memory quota exceeded, please allocate more resources";

    /** Denies every write with the quota center's error. */
    private static final WriteQuota DENYING = new WriteQuota() {
        @Override
        public void checkWrite() {
            throw io.elanus.common.MilvusException.withKey(MilvusError.SERVICE_QUOTA_EXCEEDED, "reason", REASON);
        }

        @Override
        public Report report() {
            return new Report(List.of(QuotaState.DenyToWrite), List.of(REASON));
        }
    };

    private static HealthProbe health(List<String> unhealthy) {
        return new HealthProbe() {
            @Override
            public List<ComponentInfo> componentStates() {
                return List.of();
            }

            @Override
            public List<String> unhealthyReasons() {
                return unhealthy;
            }
        };
    }

    private static MilvusServiceImpl service(WriteQuota quota, List<String> unhealthy) {
        return new MilvusServiceImpl(null, null, null, null, null, null, null, null, health(unhealthy), quota);
    }

    private static <Q, R> R call(BiConsumer<Q, StreamObserver<R>> rpc, Q request) {
        List<R> out = new ArrayList<>();
        rpc.accept(request, new StreamObserver<>() {
            @Override
            public void onNext(R value) {
                out.add(value);
            }

            @Override
            public void onError(Throwable t) {
                throw new AssertionError(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        return out.get(0);
    }

    @Test
    void insertUpsertAndDeleteAreRefusedBeforeAnyWork() {
        MilvusServiceImpl s = service(DENYING, List.of());
        List<MutationResult> results = List.of(
                call(s::insert, InsertRequest.newBuilder().setCollectionName("c").build()),
                call(s::upsert, UpsertRequest.newBuilder().setCollectionName("c").build()),
                call(s::delete, DeleteRequest.newBuilder().setCollectionName("c").setExpr("id > 0").build()));
        for (MutationResult r : results) {
            Status st = r.getStatus();
            assertEquals(9, st.getCode());
            assertEquals(ErrorCode.ForceDeny, st.getErrorCode());
            assertEquals("quota exceeded[reason=" + REASON + "]", st.getReason());
        }
    }

    @Test
    void checkHealthStaysHealthyAndNamesTheQuotaState() {
        CheckHealthResponse r = call(service(DENYING, List.of())::checkHealth, CheckHealthRequest.getDefaultInstance());
        assertTrue(r.getIsHealthy());
        assertEquals(List.of(QuotaState.DenyToWrite), r.getQuotaStatesList());
        assertEquals(List.of(REASON), r.getReasonsList());
    }

    @Test
    void unhealthyReasonsComeFirstAndQuotaStatesAreEmptyWithoutQuota() {
        CheckHealthResponse sick = call(service(DENYING, List.of("datanode is Abnormal"))::checkHealth,
                CheckHealthRequest.getDefaultInstance());
        assertFalse(sick.getIsHealthy());
        assertEquals(List.of("datanode is Abnormal"), sick.getReasonsList());
        CheckHealthResponse fine = call(service(WriteQuota.NONE, List.of())::checkHealth, CheckHealthRequest.getDefaultInstance());
        assertTrue(fine.getIsHealthy());
        assertEquals(0, fine.getQuotaStatesCount());
        assertEquals(0, fine.getReasonsCount());
    }
}
