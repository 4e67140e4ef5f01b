package io.elanus.storage.kv.etcd;

import io.elanus.storage.kv.MetaKv;
import io.elanus.storage.kv.MetaKvConformanceTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The meta store contract on a real etcd: one etcd for the class, one root path per test directory. */
class EtcdMetaKvConformanceTest extends MetaKvConformanceTest {
    private static final Map<Path, String> ROOTS = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_ROOT = new AtomicInteger();
    private static EtcdTestServer etcd;

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = EtcdTestServer.startNew();
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        etcd.close();
    }

    /** Reopening the same directory reaches the same root path, hence the same data. */
    @Override
    protected MetaKv open(Path dir) {
        String root = ROOTS.computeIfAbsent(dir, d -> "conformance-" + NEXT_ROOT.incrementAndGet());
        return EtcdMetaKv.connect(List.of(etcd.endpoint()), root);
    }
}
