package io.elanus.session;

import io.elanus.common.NamedThreads;

import io.elanus.proto.SessionInfo;
import io.elanus.storage.kv.MetaKv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A role's registration in the meta store, as Milvus sessions are: {@code session/{role}-{serverID}}
 * holding the role's address, attached to a lease that a background thread keeps alive. The key
 * disappears when the process dies (lease expiry) or the role stops (revocation), which is how
 * coordinators learn that a node is gone.
 */
public final class Session implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    public static final String PREFIX = "session/";
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

    private final MetaKv kv;
    private final long leaseId;
    private final ScheduledExecutorService keepAlive;

    private Session(MetaKv kv, long leaseId, ScheduledExecutorService keepAlive) {
        this.kv = kv;
        this.leaseId = leaseId;
        this.keepAlive = keepAlive;
    }

    public static Session register(MetaKv kv, String role, long serverId, String address, Duration ttl) {
        long lease = kv.grantLease(ttl);
        SessionInfo info = SessionInfo.newBuilder().setServerId(serverId).setRole(role).setAddress(address).build();
        kv.put(PREFIX + role + "-" + serverId, info.toByteArray(), lease);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("session-" + role));
        // A failed keep-alive (meta store briefly unreachable) must not end the schedule: the next one may still save the lease.
        timer.scheduleWithFixedDelay(() -> {
            try {
                if (!kv.keepAlive(lease)) {
                    LOG.error("session of {}-{} expired", role, serverId);
                }
            } catch (RuntimeException e) {
                LOG.warn("keep-alive of the session of {}-{} failed: {}", role, serverId, e.getMessage());
            }
        }, ttl.toMillis() / 3, ttl.toMillis() / 3, TimeUnit.MILLISECONDS);
        return new Session(kv, lease, timer);
    }

    @Override
    public void close() {
        keepAlive.shutdownNow();
        try {
            kv.revokeLease(leaseId);
        } catch (RuntimeException e) {
            LOG.debug("revoking session lease failed", e);
        }
    }
}
