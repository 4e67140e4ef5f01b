package io.elanus.storage.kv.etcd;

import io.elanus.storage.kv.KvEntry;
import io.elanus.storage.kv.KvWatch;
import io.elanus.storage.kv.KvWatchListener;
import io.elanus.storage.kv.LeaseNotFoundException;
import io.elanus.storage.kv.MetaKv;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.lease.LeaseRevokeResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.OptionsUtil;
import io.etcd.jetcd.options.PutOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The cluster meta store: etcd through jetcd. Keys live under {@code <rootPath>/meta/} as in
 * Milvus ({@code etcd.rootPath}) and are returned without that prefix; revisions are etcd's store
 * revisions (shared by everything in that etcd, so a revision may also advance for other roots).
 *
 * <p>Every request carries a deadline of {@link Settings#requestTimeout}: while etcd is
 * unreachable, calls fail with {@link EtcdUnavailableException} instead of hanging. Watches resume
 * by themselves when etcd comes back (see {@link EtcdPrefixWatch}).
 *
 * <p>Leases granted here end with the store: {@link #close} revokes those still held, as the
 * embedded store's leases end with it; after a crash etcd expires them by their TTL.
 *
 * <p>Threads: jetcd's own (gRPC, callbacks), one scheduler thread resuming broken watch streams,
 * and one delivery thread per open watch.
 */
public final class EtcdMetaKv implements MetaKv {

    /**
     * @param requestTimeout    bound on each etcd request (Milvus's {@code etcd.requestTimeout} is 10 s)
     * @param scanPageSize      keys fetched per request by {@link #scanPrefix}
     * @param watchResumeDelay  pause before reopening a broken watch stream
     */
    public record Settings(Duration requestTimeout, int scanPageSize, Duration watchResumeDelay) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(10), 1000, Duration.ofSeconds(1));

        public Settings {
            if (!requestTimeout.isPositive()) {
                throw new IllegalArgumentException("etcd.requestTimeout must be a positive number of milliseconds, got "
                        + requestTimeout.toMillis());
            }
        }

        /** The defaults with another request timeout. */
        public static Settings withRequestTimeout(Duration requestTimeout) {
            return new Settings(requestTimeout, DEFAULT.scanPageSize(), DEFAULT.watchResumeDelay());
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(EtcdMetaKv.class);

    private final Client client;
    private final KV kv;
    private final Lease leases;
    private final Watch watchClient;
    private final EtcdCalls calls;
    private final Settings settings;
    private final ScheduledExecutorService watchResumer;
    private final Set<EtcdPrefixWatch> watches = ConcurrentHashMap.newKeySet();
    private final Set<Long> heldLeases = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private EtcdMetaKv(Client client, String endpoints, Settings settings) {
        this.client = client;
        this.kv = client.getKVClient();
        this.leases = client.getLeaseClient();
        this.watchClient = client.getWatchClient();
        this.calls = new EtcdCalls(endpoints, settings.requestTimeout());
        this.settings = settings;
        this.watchResumer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("elanus-etcd-watch-resume").factory());
    }

    public static EtcdMetaKv connect(List<String> endpoints, String rootPath) {
        return connect(endpoints, rootPath, Settings.DEFAULT);
    }

    /**
     * Connects and checks that etcd answers.
     *
     * @param endpoints {@code host:port} or {@code http://host:port} entries (Milvus's {@code etcd.endpoints})
     * @param rootPath  Milvus's {@code etcd.rootPath}, e.g. {@code by-dev}
     */
    public static EtcdMetaKv connect(List<String> endpoints, String rootPath, Settings settings) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no etcd endpoints");
        }
        Client client = Client.builder()
                .endpoints(endpoints.stream().map(EtcdMetaKv::endpointUri).toArray(URI[]::new))
                .namespace(Conversions.bytes(metaPrefix(rootPath)))
                .connectTimeout(settings.requestTimeout())
                // etcd batches up to 1000 revisions in one watch response; like etcd's Go client, accept any size
                .maxInboundMessageSize(Integer.MAX_VALUE)
                .interceptor(new DeadlineInterceptor(settings.requestTimeout()))
                .build();
        EtcdMetaKv store = new EtcdMetaKv(client, String.join(",", endpoints), settings);
        try {
            store.currentRevision();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** Milvus's meta root: {@code path.Join(rootPath, "meta")}, plus the separator before keys. */
    private static String metaPrefix(String rootPath) {
        String root = rootPath.replaceAll("/+$", "");
        if (root.isEmpty()) {
            throw new IllegalArgumentException("empty etcd root path");
        }
        return root + "/meta/";
    }

    private static URI endpointUri(String endpoint) {
        String trimmed = endpoint.trim();
        if (trimmed.startsWith("https://")) {
            throw new IllegalArgumentException("TLS to etcd is not supported: " + endpoint);
        }
        return URI.create(trimmed.contains("://") ? trimmed : "http://" + trimmed);
    }

    // ---- reads

    @Override
    public Optional<KvEntry> get(String key) {
        ensureOpen();
        GetResponse response = calls.await(kv.get(Conversions.bytes(key)), "get of '" + key + "'");
        return response.getKvs().stream().findFirst().map(Conversions::entry);
    }

    @Override
    public List<KvEntry> scanPrefix(String prefix) {
        ensureOpen();
        return snapshot(prefix, 0).entries();
    }

    /** The entries under a prefix at one revision. */
    record PrefixSnapshot(List<KvEntry> entries, long revision) {
    }

    /**
     * Pages through the prefix at {@code revision} (0: the latest); every page is read at the first
     * page's revision, so the result is one snapshot.
     */
    PrefixSnapshot snapshot(String prefix, long revision) {
        ByteSequence end = OptionsUtil.prefixEndOf(Conversions.bytes(prefix));
        List<KvEntry> result = new ArrayList<>();
        ByteSequence from = Conversions.bytes(prefix);
        long at = revision;
        while (true) {
            GetOption page = GetOption.builder().withRange(end).withLimit(settings.scanPageSize())
                    .withRevision(at).build();
            GetResponse response = calls.await(kv.get(from, page), "scan of '" + prefix + "'");
            response.getKvs().forEach(kv -> result.add(Conversions.entry(kv)));
            if (at == 0) {
                // The header carries the store's current revision, which the later pages then read at.
                at = response.getHeader().getRevision();
            }
            if (!response.isMore() || response.getKvs().isEmpty()) {
                return new PrefixSnapshot(result, at);
            }
            from = response.getKvs().getLast().getKey().concat(ByteSequence.from(new byte[]{0}));
        }
    }

    @Override
    public long currentRevision() {
        ensureOpen();
        GetOption countOnly = GetOption.builder().withCountOnly(true).build();
        return calls.await(kv.get(ByteSequence.EMPTY, countOnly), "revision read").getHeader().getRevision();
    }

    // ---- mutations

    @Override
    public long put(String key, byte[] value) {
        return put(key, value, 0);
    }

    @Override
    public long put(String key, byte[] value, long leaseId) {
        ensureOpen();
        PutOption option = PutOption.builder().withLeaseId(leaseId).build();
        try {
            return calls.await(kv.put(Conversions.bytes(requireKey(key)), Conversions.bytes(value), option),
                    "put of '" + key + "'").getHeader().getRevision();
        } catch (EtcdException e) {
            if (leaseId != 0 && EtcdCalls.isLeaseNotFound(e)) {
                throw new LeaseNotFoundException(leaseId);
            }
            throw e;
        }
    }

    @Override
    public boolean delete(String key) {
        ensureOpen();
        return calls.await(kv.delete(Conversions.bytes(key)), "delete of '" + key + "'").getDeleted() > 0;
    }

    @Override
    public int deletePrefix(String prefix) {
        ensureOpen();
        DeleteOption option = DeleteOption.builder().isPrefix(true).build();
        long deleted = calls.await(kv.delete(Conversions.bytes(prefix), option), "delete of prefix '" + prefix + "'").getDeleted();
        return Math.toIntExact(deleted);
    }

    /** One etcd transaction; etcd bounds its size (--max-txn-ops, 128 by default; --max-request-bytes). */
    @Override
    public long multiSaveAndRemove(Map<String, byte[]> puts, Set<String> deletes) {
        ensureOpen();
        List<Op> ops = new ArrayList<>(puts.size() + deletes.size());
        for (Map.Entry<String, byte[]> put : puts.entrySet()) {
            if (deletes.contains(put.getKey())) {
                throw new IllegalArgumentException("key both saved and removed: " + put.getKey());
            }
            ops.add(Op.put(Conversions.bytes(requireKey(put.getKey())), Conversions.bytes(put.getValue()), PutOption.DEFAULT));
        }
        for (String key : deletes) {
            ops.add(Op.delete(Conversions.bytes(key), DeleteOption.DEFAULT));
        }
        return calls.await(kv.txn().Then(ops.toArray(Op[]::new)).commit(),
                "transaction of " + puts.size() + " puts and " + deletes.size() + " deletes").getHeader().getRevision();
    }

    /** A transaction comparing the key's mod revision; etcd compares an absent key as revision 0. */
    @Override
    public boolean compareAndSwap(String key, long expectedModRevision, byte[] value) {
        ensureOpen();
        ByteSequence k = Conversions.bytes(requireKey(key));
        return calls.await(kv.txn()
                        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)))
                        .Then(Op.put(k, Conversions.bytes(value), PutOption.DEFAULT))
                        .commit(),
                "compare-and-swap of '" + key + "'").isSucceeded();
    }

    private static String requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("empty key");
        }
        return key;
    }

    // ---- watches

    @Override
    public KvWatch watchPrefix(String prefix, long afterRevision, KvWatchListener listener) {
        ensureOpen();
        EtcdPrefixWatch watch = new EtcdPrefixWatch(watchClient, prefix, afterRevision, listener,
                watchResumer, settings.watchResumeDelay(), watches::remove);
        watches.add(watch);
        try {
            watch.start(kv, calls, this::snapshot);
        } catch (RuntimeException e) {
            watch.close();
            throw e;
        }
        return watch;
    }

    // ---- leases

    /** etcd counts TTLs in whole seconds (and raises short ones to its minimum). */
    @Override
    public long grantLease(Duration ttl) {
        ensureOpen();
        long seconds = Math.max(1, (ttl.toMillis() + 999) / 1000);
        long leaseId = calls.await(leases.grant(seconds), "lease grant").getID();
        heldLeases.add(leaseId);
        return leaseId;
    }

    @Override
    public boolean keepAlive(long leaseId) {
        ensureOpen();
        try {
            calls.await(leases.keepAliveOnce(leaseId), "keep-alive of lease " + leaseId);
            return true;
        } catch (EtcdException e) {
            if (EtcdCalls.isLeaseNotFound(e)) {
                heldLeases.remove(leaseId);
                return false;
            }
            throw e;
        }
    }

    @Override
    public void revokeLease(long leaseId) {
        ensureOpen();
        revoke(leaseId, leases.revoke(leaseId));
    }

    private void revoke(long leaseId, CompletableFuture<LeaseRevokeResponse> call) {
        try {
            calls.await(call, "revocation of lease " + leaseId);
        } catch (EtcdException e) {
            if (!EtcdCalls.isLeaseNotFound(e)) {
                throw e;
            }
        }
        heldLeases.remove(leaseId);
    }

    /** Revokes the held leases concurrently, so an unreachable etcd delays close by one request timeout. */
    private void revokeHeldLeases() {
        Map<Long, CompletableFuture<LeaseRevokeResponse>> revocations = new HashMap<>();
        for (long leaseId : heldLeases) {
            revocations.put(leaseId, leases.revoke(leaseId));
        }
        try {
            revocations.forEach(this::revoke);
        } catch (RuntimeException e) {
            LOG.warn("revoking leases on close failed; etcd will expire them by their TTL: {}", e.getMessage());
        }
    }

    // ---- lifecycle

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("meta store is closed");
        }
    }

    /** Closes the watches (joining their delivery threads), revokes the held leases, then closes the connection. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (EtcdPrefixWatch watch : List.copyOf(watches)) {
            watch.close();
        }
        watchResumer.shutdownNow();
        revokeHeldLeases();
        client.close();
    }
}
