package io.elanus.proxy;

import io.elanus.common.HealthProbe;
import io.elanus.common.MilvusException;
import io.elanus.quota.WriteQuota;
import io.elanus.storage.StorageFaultException;
import io.grpc.stub.StreamObserver;
import io.milvus.grpc.CheckHealthRequest;
import io.milvus.grpc.CheckHealthResponse;
import io.milvus.grpc.ComponentInfo;
import io.milvus.grpc.ErrorCode;
import io.milvus.grpc.Status;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What a client receives when the work below an RPC fails: the proxy answers every failure with a Milvus status in
 * the RPC's own response, never with the Java exception. The failure is raised here by the health probe that
 * CheckHealth consults, the first thing that RPC runs.
 */
class ClientErrorTranslationTest {

    @Test
    void anUnexpectedFailureIsAnInternalErrorInItsOwnWords() {
        Status s = checkHealthFailingWith(() -> new IllegalStateException("segment 7 has no binlog of field 101"));
        assertEquals(5, s.getCode());
        assertEquals(ErrorCode.UnexpectedError, s.getErrorCode());
        assertEquals("segment 7 has no binlog of field 101: service internal error", s.getReason());
        assertFalse(s.getRetriable());
    }

    @Test
    void aMilvusErrorWrappedOnItsWayUpKeepsItsCodeAndMessage() {
        Status s = checkHealthFailingWith(() -> new CompletionException(MilvusException.invalidParameter("ef(5) should be larger than k(10)")));
        assertEquals(1100, s.getCode());
        assertEquals(ErrorCode.IllegalArgument, s.getErrorCode());
        assertEquals("ef(5) should be larger than k(10): invalid parameter", s.getReason());
    }

    @Test
    void aFullDiskIsMilvussDiskLimitError() {
        Path file = Path.of("/data/wal/ch-0/0001.log");
        Status s = checkHealthFailingWith(() -> StorageFaultException.classify(file, new IOException("No space left on device")));
        assertEquals(7, s.getCode());
        assertEquals("disk quota exhausted: no space left on " + file + ": disk limit exceeded", s.getReason());
    }

    private static Status checkHealthFailingWith(Supplier<RuntimeException> failure) {
        HealthProbe failing = new HealthProbe() {
            @Override
            public List<ComponentInfo> componentStates() {
                throw failure.get();
            }

            @Override
            public List<String> unhealthyReasons() {
                throw failure.get();
            }
        };
        MilvusServiceImpl service = new MilvusServiceImpl(null, null, null, null, null, null, null, null, failing, WriteQuota.NONE);
        List<CheckHealthResponse> out = new ArrayList<>();
        service.checkHealth(CheckHealthRequest.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(CheckHealthResponse value) {
                out.add(value);
            }

            @Override
            public void onError(Throwable t) {
                throw new AssertionError("a failure escaped to the transport", t);
            }

            @Override
            public void onCompleted() {
            }
        });
        assertEquals(1, out.size());
        return out.getFirst().getStatus();
    }
}
