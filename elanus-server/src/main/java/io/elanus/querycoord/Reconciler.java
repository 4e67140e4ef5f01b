package io.elanus.querycoord;

import io.elanus.api.QueryNodeClient;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.LoadMeta;
import io.elanus.proto.SegmentMeta;
import io.elanus.querycoord.ChannelTasks.IndexKey;
import io.elanus.querycoord.ChannelTasks.IndexLoad;
import io.elanus.querycoord.ChannelTasks.Placed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Querycoord's state and its reconciliation, as Milvus's querycoord v2 does it: load and release
 * change the target (persisted first) and return; checkers then compare the target with where
 * channels are served and start remote tasks to close the gap, each round:
 * <ul>
 * <li>release: a released collection is unloaded from every node once no task works on its channels;</li>
 * <li>channel checker: each vchannel of a loaded collection is placed on the least loaded live node
 * (a node that died has its channels placed again);</li>
 * <li>segment checker: segments flushed after a channel was placed are handed over to its node;</li>
 * <li>index checker: indexes built after a channel was placed are loaded on its node;</li>
 * <li>balance checker: when every channel is served and nothing is in flight, a channel moves from the
 * busiest node to the idlest while they differ by two or more, so a node that joins takes its share;
 * the node it left then lets go of it.</li>
 * </ul>
 * Every method runs on the loop thread (see {@link ReconcileLoop}); other threads read {@link #view()}.
 * Nothing here calls another role: remote work runs on the {@link ChannelTaskPool}.
 */
final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final Duration RETRY_FIRST = Duration.ofSeconds(1);
    private static final Duration RETRY_MAX = Duration.ofSeconds(30);
    /** Back-off keys: placing (or moving) a vchannel, and handing segments over to its node, fail and retry apart. */
    private static final String PLACE = "place ";
    private static final String HAND_OFF = "hand-off ";

    /** A released collection whose unloading from the query nodes has not finished. */
    private static final class PendingRelease {
        final List<String> channels;
        final List<CompletableFuture<Void>> waiters = new ArrayList<>();
        boolean started;

        PendingRelease(List<String> channels) {
            this.channels = channels;
        }
    }

    private final LoadTargets store;
    private final ChannelTasks work;
    private final WalHolds holds;
    private final ChannelTaskPool tasks;
    private final Backoff backoff = new Backoff(RETRY_FIRST, RETRY_MAX);

    private final Map<Long, LoadMeta> targets = new LinkedHashMap<>();
    /** Catalogue entries of the targets; a recovered target has none until rootcoord was asked again. */
    private final Map<Long, CollectionInfo> collections = new LinkedHashMap<>();
    private final Map<Long, Long> loadTs = new HashMap<>();
    private final Map<Long, QueryNodeClient> nodes = new LinkedHashMap<>();
    private final Map<String, QueryNodeClient> serving = new HashMap<>();
    /** Per vchannel, flushed segments its serving node has not been handed yet, in flush order. */
    private final Map<String, SequencedMap<Long, SegmentMeta>> handoffs = new HashMap<>();
    /** Per vchannel, built indexes its serving node has not been asked to load yet. */
    private final Map<String, SequencedMap<IndexKey, IndexLoad>> indexLoads = new HashMap<>();
    private final Map<String, Set<IndexKey>> triedIndexes = new HashMap<>();
    /** Channels that moved: the node they left still has to let go of them. */
    private final Map<String, QueryNodeClient> leaving = new HashMap<>();
    private final Map<Long, PendingRelease> releases = new HashMap<>();
    /** Runs once the next view is published: callers learn of a change only when readers can see it. */
    private final List<Runnable> afterPublish = new ArrayList<>();
    private final Set<Long> recovering = new HashSet<>();
    private long recoveryStartedNanos;
    private volatile LoadView view = LoadView.EMPTY;

    Reconciler(LoadTargets store, ChannelTasks work, WalHolds holds, ChannelTaskPool tasks) {
        this.store = store;
        this.work = work;
        this.holds = holds;
        this.tasks = tasks;
    }

    /** Any thread: the state as of the last round. */
    LoadView view() {
        return view;
    }

    /** The persisted targets; called once, before the loop starts. */
    void restore(List<LoadMeta> persisted) {
        persisted.forEach(m -> targets.put(m.getCollectionId(), m));
        publish();
    }

    // ------------------------------------------------------------------ events

    void load(CollectionInfo c, List<Long> partitionIds, int replicas, long ts, CompletableFuture<Void> done) {
        LoadMeta target = LoadTargets.afterLoad(targets.get(c.getId()), c, partitionIds, replicas, ts);
        store.save(target);
        targets.put(c.getId(), target);
        collections.put(c.getId(), c);
        if (loadTs.putIfAbsent(c.getId(), ts) == null && nodes.isEmpty()) {
            LOG.warn("no query node is registered; collection {} loads when one joins", c.getId());
        }
        afterPublish.add(() -> done.complete(null));
    }

    /** The target goes now; {@code done} completes once every node let go of the collection. */
    void releaseCollection(long collectionId, CompletableFuture<Void> done) {
        PendingRelease pending = releases.get(collectionId);
        if (!targets.containsKey(collectionId)) {
            if (pending != null) {
                pending.waiters.add(done);
            } else {
                afterPublish.add(() -> done.complete(null));
            }
            return;
        }
        store.delete(collectionId);
        targets.remove(collectionId);
        loadTs.remove(collectionId);
        recovering.remove(collectionId);
        CollectionInfo c = collections.remove(collectionId);
        List<String> channels = c == null ? List.of() : c.getVchannelsList();
        channels.forEach(this::forgetChannel);
        handoffs.values().forEach(m -> m.values().removeIf(s -> s.getCollectionId() == collectionId));
        indexLoads.values().forEach(m -> m.values().removeIf(l -> l.collectionId() == collectionId));
        if (pending == null) {
            pending = new PendingRelease(channels);
            releases.put(collectionId, pending);
        }
        pending.waiters.add(done);
    }

    /** Partitions are a read filter on the node (it holds the whole channel): only the target changes. */
    void releasePartitions(long collectionId, List<Long> partitionIds, CompletableFuture<Void> done) {
        LoadMeta target = targets.get(collectionId);
        if (target == null) {
            afterPublish.add(() -> done.complete(null));
            return;
        }
        LoadMeta left = LoadTargets.afterRelease(target, partitionIds);
        if (left.getPartitionIdsCount() == 0) {
            releaseCollection(collectionId, done);
            return;
        }
        store.save(left);
        targets.put(collectionId, left);
        afterPublish.add(() -> done.complete(null));
    }

    /** Partitions of a collection added after it was loaded whole are loaded too (Milvus behaviour). */
    void partitionCreated(CollectionInfo c, long partitionId, CompletableFuture<Void> done) {
        LoadMeta target = targets.get(c.getId());
        if (target != null && target.getWholeCollection()) {
            LoadMeta updated = target.toBuilder().addPartitionIds(partitionId).build();
            store.save(updated);
            targets.put(c.getId(), updated);
            collections.computeIfPresent(c.getId(), (id, old) -> c);
        }
        afterPublish.add(() -> done.complete(null));
    }

    /** A restored target's collection, read again from rootcoord: its channels can be placed now. */
    void recovered(CollectionInfo c, long ts) {
        if (targets.containsKey(c.getId()) && !collections.containsKey(c.getId())) {
            if (recovering.isEmpty()) {
                recoveryStartedNanos = System.nanoTime();
            }
            collections.put(c.getId(), c);
            loadTs.put(c.getId(), ts);
            recovering.add(c.getId());
        }
    }

    /** A restored target whose collection was dropped meanwhile. */
    void forget(long collectionId) {
        LOG.info("collection {} was loaded but no longer exists; its load target is dropped", collectionId);
        releaseCollection(collectionId, new CompletableFuture<>());
    }

    void nodeUp(QueryNodeClient node) {
        QueryNodeClient old = nodes.put(node.nodeId(), node);
        if (old != null) {
            serving.replaceAll((v, n) -> n.nodeId() == node.nodeId() ? node : n);
        }
    }

    /** A query node's session is gone: its channels are placed again on the live nodes, by the next round. */
    void nodeDown(long nodeId) {
        if (nodes.remove(nodeId) == null) {
            return;
        }
        tasks.abandon(nodeId);
        leaving.values().removeIf(n -> n.nodeId() == nodeId);
        List<String> orphaned = new ArrayList<>();
        serving.forEach((v, n) -> {
            if (n.nodeId() == nodeId) {
                orphaned.add(v);
            }
        });
        orphaned.forEach(v -> {
            serving.remove(v);
            triedIndexes.remove(v);
            // Failures seen while the node was dying say nothing about where the channel goes next.
            backoff.succeeded(PLACE + v);
            backoff.succeeded(HAND_OFF + v);
        });
        if (orphaned.isEmpty()) {
            return;
        }
        if (nodes.isEmpty()) {
            LOG.error("query node {} is gone and no other is left; channels {} wait for a new one", nodeId, orphaned);
        } else {
            LOG.warn("query node {} is gone; channels {} are placed again", nodeId, orphaned);
        }
    }

    void segmentFlushed(SegmentMeta segment) {
        if (targets.containsKey(segment.getCollectionId())) {
            handoffs.computeIfAbsent(segment.getVchannel(), v -> new LinkedHashMap<>()).put(segment.getId(), segment);
        }
    }

    void indexBuilt(IndexLoad load) {
        if (targets.containsKey(load.collectionId())
                && !triedIndexes.getOrDefault(load.vchannel(), Set.of()).contains(load.key())) {
            indexLoads.computeIfAbsent(load.vchannel(), v -> new LinkedHashMap<>()).put(load.key(), load);
        }
    }

    // ------------------------------------------------------------------ the round

    /**
     * Publishes what the events changed, then lets the checkers start tasks: readers see an event's
     * effect before any task started because of it runs.
     */
    void round() {
        publish();
        long now = System.nanoTime();
        startReleases();
        releaseLeftChannels();
        placeChannels(now);
        handOffSegments(now);
        loadIndexes();
        balance(now);
    }

    private void publish() {
        view = new LoadView(Map.copyOf(targets), Map.copyOf(collections), Map.copyOf(loadTs), Map.copyOf(serving));
        List<Runnable> after = List.copyOf(afterPublish);
        afterPublish.clear();
        after.forEach(Runnable::run);
    }

    private void startReleases() {
        releases.forEach((collectionId, r) -> {
            if (r.started || r.channels.stream().anyMatch(tasks::busy)) {
                return;
            }
            List<QueryNodeClient> all = List.copyOf(nodes.values());
            r.started = tasks.startUntracked(() -> work.releaseCollection(collectionId, all), () -> released(collectionId));
        });
    }

    private void released(long collectionId) {
        PendingRelease r = releases.remove(collectionId);
        if (r != null) {
            LOG.info("collection {} released from the query nodes", collectionId);
            afterPublish.add(() -> r.waiters.forEach(w -> w.complete(null)));
        }
    }

    private void releaseLeftChannels() {
        for (Map.Entry<String, QueryNodeClient> e : List.copyOf(leaving.entrySet())) {
            String v = e.getKey();
            QueryNodeClient from = e.getValue();
            if (tasks.busy(v)) {
                continue;
            }
            QueryNodeClient now = serving.get(v);
            boolean servesItAgain = now != null && now.nodeId() == from.nodeId();
            if (servesItAgain || tasks.start(v, from, null, false, id -> {
                work.releaseChannel(from, v);
                return () -> {
                };
            }, t -> LOG.warn("releasing vchannel {} on query node {} failed", v, from.nodeId(), t), this::finished)) {
                leaving.remove(v);
            }
        }
    }

    private void placeChannels(long now) {
        for (Map.Entry<Long, CollectionInfo> e : collections.entrySet()) {
            if (releases.containsKey(e.getKey())) {
                continue; // placed again once the previous load is gone from the nodes
            }
            CollectionInfo c = e.getValue();
            for (String v : c.getVchannelsList()) {
                if (serving.containsKey(v) || tasks.busy(v) || !backoff.ready(PLACE + v, now)) {
                    continue;
                }
                QueryNodeClient node = leastLoaded();
                if (node == null) {
                    return;
                }
                List<QueryNodeClient> live = List.copyOf(nodes.values());
                boolean started = tasks.start(v, node, null, true, id -> {
                    Placed p = work.place(id, c, v, node, live);
                    return () -> placed(v, p);
                }, t -> failed(PLACE + v, "placing vchannel " + v + " on query node " + node.nodeId(), t), this::finished);
                if (!started) {
                    return;
                }
            }
        }
    }

    private QueryNodeClient leastLoaded() {
        Map<Long, Integer> load = new HashMap<>();
        serving.values().forEach(n -> load.merge(n.nodeId(), 1, Integer::sum));
        QueryNodeClient best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (QueryNodeClient n : nodes.values()) {
            int l = load.getOrDefault(n.nodeId(), 0) + tasks.arrivingAt(n.nodeId());
            if (l < bestLoad) {
                best = n;
                bestLoad = l;
            }
        }
        return best;
    }

    private void placed(String v, Placed p) {
        QueryNodeClient node = nodes.get(p.node().nodeId());
        if (node == null || !targeted(v)) {
            return; // it died meanwhile (placed again next round), or the collection was released (its release covers the node)
        }
        serve(v, node, p);
        if (node.nodeId() == leaving.getOrDefault(v, node).nodeId()) {
            leaving.remove(v); // the node it was leaving kept it
        }
    }

    private void serve(String v, QueryNodeClient node, Placed p) {
        serving.put(v, node);
        backoff.succeeded(PLACE + v);
        backoff.succeeded(HAND_OFF + v);
        SequencedMap<Long, SegmentMeta> pending = handoffs.get(v);
        if (pending != null) {
            pending.keySet().removeAll(p.segments());
        }
        triedIndexes.put(v, new HashSet<>(p.triedIndexes()));
        SequencedMap<IndexKey, IndexLoad> loads = indexLoads.get(v);
        if (loads != null) {
            loads.keySet().removeAll(p.triedIndexes());
        }
        noteRecovery();
    }

    private void noteRecovery() {
        if (recovering.isEmpty()) {
            return;
        }
        recovering.removeIf(id -> collections.get(id).getVchannelsList().stream().allMatch(serving::containsKey));
        if (recovering.isEmpty()) {
            LOG.info("loaded collections recovered in {} ms", (System.nanoTime() - recoveryStartedNanos) / 1_000_000);
        }
    }

    private void handOffSegments(long now) {
        handoffs.values().removeIf(Map::isEmpty);
        handoffs.forEach((v, pending) -> {
            QueryNodeClient node = serving.get(v);
            if (node == null || tasks.busy(v) || !backoff.ready(HAND_OFF + v, now)) {
                return;
            }
            List<SegmentMeta> batch = List.copyOf(pending.values());
            tasks.start(v, node, null, false, id -> {
                List<Long> taken = work.handOff(node, batch);
                return () -> handedOff(v, batch.size(), taken);
            }, t -> failed(HAND_OFF + v, "handing segments of vchannel " + v + " to query node " + node.nodeId(), t), this::finished);
        });
    }

    private void handedOff(String v, int asked, List<Long> taken) {
        SequencedMap<Long, SegmentMeta> pending = handoffs.get(v);
        if (pending != null) {
            pending.keySet().removeAll(taken);
        }
        if (taken.size() < asked) {
            backoff.failed(HAND_OFF + v, System.nanoTime());
        } else {
            backoff.succeeded(HAND_OFF + v);
        }
    }

    private void loadIndexes() {
        indexLoads.values().removeIf(Map::isEmpty);
        indexLoads.forEach((v, pending) -> {
            QueryNodeClient node = serving.get(v);
            if (node == null || tasks.busy(v)) {
                return;
            }
            List<IndexLoad> batch = List.copyOf(pending.values());
            tasks.start(v, node, null, false, id -> {
                Set<IndexKey> tried = work.loadIndexes(node, batch);
                return () -> {
                    triedIndexes.computeIfAbsent(v, k -> new HashSet<>()).addAll(tried);
                    SequencedMap<IndexKey, IndexLoad> left = indexLoads.get(v);
                    if (left != null) {
                        left.keySet().removeAll(tried);
                    }
                };
            }, t -> LOG.error("loading indexes of vchannel {} on query node {} failed", v, node.nodeId(), t), this::finished);
        });
    }

    private void balance(long now) {
        if (nodes.size() < 2 || !tasks.idle() || !releases.isEmpty() || !leaving.isEmpty()) {
            return;
        }
        Map<Long, List<String>> served = new LinkedHashMap<>();
        nodes.keySet().forEach(id -> served.put(id, new ArrayList<>()));
        Map<String, CollectionInfo> owner = new HashMap<>();
        for (CollectionInfo c : collections.values()) {
            for (String v : c.getVchannelsList()) {
                QueryNodeClient n = serving.get(v);
                if (n == null) {
                    return; // placing comes first
                }
                served.get(n.nodeId()).add(v);
                owner.put(v, c);
            }
        }
        long busiest = served.keySet().stream().max((a, b) -> Integer.compare(served.get(a).size(), served.get(b).size())).orElseThrow();
        long idlest = served.keySet().stream().min((a, b) -> Integer.compare(served.get(a).size(), served.get(b).size())).orElseThrow();
        if (served.get(busiest).size() - served.get(idlest).size() < 2) {
            return;
        }
        QueryNodeClient from = nodes.get(busiest);
        QueryNodeClient to = nodes.get(idlest);
        for (String v : served.get(busiest)) {
            if (backoff.ready(PLACE + v, now)) {
                CollectionInfo c = owner.get(v);
                tasks.start(v, to, from, true, id -> {
                    Placed p = work.move(id, c, v, from, to);
                    return () -> moved(v, from, p);
                }, t -> failed(PLACE + v, "moving vchannel " + v + " to query node " + to.nodeId(), t), this::finished);
                return;
            }
        }
    }

    private void moved(String v, QueryNodeClient from, Placed p) {
        QueryNodeClient to = nodes.get(p.node().nodeId());
        if (to == null || !targeted(v)) {
            return;
        }
        serve(v, to, p);
        leaving.put(v, from);
        LOG.info("vchannel {} moved from query node {} to query node {}", v, from.nodeId(), to.nodeId());
    }

    private void failed(String backoffKey, String what, Throwable t) {
        LOG.error("{} failed", what, t);
        backoff.failed(backoffKey, System.nanoTime());
    }

    /** A task ended (applied or dropped): the WAL it held is covered by its node's position once readers see it serve. */
    private void finished(long taskId) {
        afterPublish.add(() -> holds.release(taskId));
    }

    private boolean targeted(String vchannel) {
        for (Map.Entry<Long, CollectionInfo> e : collections.entrySet()) {
            if (!releases.containsKey(e.getKey()) && e.getValue().getVchannelsList().contains(vchannel)) {
                return true;
            }
        }
        return false;
    }

    private void forgetChannel(String v) {
        serving.remove(v);
        handoffs.remove(v);
        indexLoads.remove(v);
        triedIndexes.remove(v);
        leaving.remove(v);
        backoff.succeeded(PLACE + v);
        backoff.succeeded(HAND_OFF + v);
    }
}
