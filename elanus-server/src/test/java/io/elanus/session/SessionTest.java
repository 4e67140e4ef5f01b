package io.elanus.session;

import io.elanus.storage.kv.EmbeddedMetaKv;
import io.elanus.storage.kv.MetaKv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionTest {

    @Test
    void aFailedKeepAliveDoesNotStopTheFollowingOnes(@TempDir Path dir) throws Exception {
        try (EmbeddedMetaKv store = EmbeddedMetaKv.open(dir)) {
            AtomicBoolean failedOnce = new AtomicBoolean();
            CountDownLatch keepAlives = new CountDownLatch(2);
            MetaKv unreachableOnce = (MetaKv) Proxy.newProxyInstance(MetaKv.class.getClassLoader(), new Class<?>[]{MetaKv.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("keepAlive")) {
                            keepAlives.countDown();
                            if (failedOnce.compareAndSet(false, true)) {
                                throw new IllegalStateException("meta store unreachable");
                            }
                        }
                        try {
                            return method.invoke(store, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            try (Session ignored = Session.register(unreachableOnce, "querynode", 7, "localhost:1", Session.DEFAULT_TTL)) {
                assertTrue(keepAlives.await(1, TimeUnit.MINUTES), "keep-alives go on after a failure");
            }
        }
    }
}
