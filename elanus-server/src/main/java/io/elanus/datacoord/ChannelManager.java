package io.elanus.datacoord;

import com.google.protobuf.InvalidProtocolBufferException;
import io.elanus.proto.ChannelWatchInfo;
import io.elanus.proto.ChannelWatchState;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.WalPositionPb;
import io.elanus.storage.kv.KvEntry;
import io.elanus.storage.kv.MetaKv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Assigns vchannels to datanodes the way the seeds describe: by writing
 * {@code channelwatch/{nodeID}/{vchannel}} = ChannelWatchInfo(ToWatch) into the meta store. The
 * datanode watching its prefix starts a data-sync flow graph and compare-and-swaps the state to
 * WatchSuccess; deleting the key stops the flow graph. Not thread-safe: owned by datacoord's state thread.
 */
final class ChannelManager {
    static final String WATCH_PREFIX = "channelwatch/";

    private final MetaKv kv;
    private final Set<Long> dataNodes = new LinkedHashSet<>();

    ChannelManager(MetaKv kv) {
        this.kv = kv;
    }

    void addDataNode(long nodeId) {
        dataNodes.add(nodeId);
    }

    void removeDataNode(long nodeId) {
        dataNodes.remove(nodeId);
    }

    /**
     * Moves every channel watched by a node outside {@code liveNodes} (its session expired) to the
     * least loaded live datanode, in one transaction per channel: the old key goes, the new
     * ToWatch key resumes from {@code checkpoint} (everything before it is in flushed segments).
     * Returns the channels moved.
     */
    List<String> reassignOrphans(Set<Long> liveNodes, Function<String, WalPositionPb> checkpoint,
                                 Function<String, Long> pendingFlushTs) {
        List<String> moved = new ArrayList<>();
        if (liveNodes.stream().noneMatch(dataNodes::contains)) {
            return moved;
        }
        for (KvEntry e : kv.scanPrefix(WATCH_PREFIX)) {
            ChannelWatchInfo old = parse(e.value());
            if (liveNodes.contains(old.getNodeId())) {
                continue;
            }
            long node = leastLoadedNode(liveNodes);
            ChannelWatchInfo info = old.toBuilder().setState(ChannelWatchState.TO_WATCH).setNodeId(node)
                    .setSeekPosition(checkpoint.apply(old.getVchannel()))
                    .setPendingFlushTs(pendingFlushTs.apply(old.getVchannel())).build();
            kv.multiSaveAndRemove(Map.of(WATCH_PREFIX + node + "/" + old.getVchannel(), info.toByteArray()), Set.of(e.key()));
            moved.add(old.getVchannel() + " -> datanode " + node);
        }
        return moved;
    }

    void watch(CollectionInfo collection, String vchannel, String pchannel, WalPositionPb seek) {
        long node = leastLoadedNode(dataNodes);
        ChannelWatchInfo info = ChannelWatchInfo.newBuilder()
                .setVchannel(vchannel).setPchannel(pchannel).setCollectionId(collection.getId())
                .setState(ChannelWatchState.TO_WATCH).setSeekPosition(seek)
                .setSchema(collection.getSchema()).setNodeId(node).build();
        kv.put(WATCH_PREFIX + node + "/" + vchannel, info.toByteArray());
    }

    void release(String vchannel) {
        for (KvEntry e : kv.scanPrefix(WATCH_PREFIX)) {
            if (e.key().endsWith("/" + vchannel)) {
                kv.delete(e.key());
            }
        }
    }

    Optional<ChannelWatchInfo> watchInfo(String vchannel) {
        for (KvEntry e : kv.scanPrefix(WATCH_PREFIX)) {
            if (e.key().endsWith("/" + vchannel)) {
                return Optional.of(parse(e.value()));
            }
        }
        return Optional.empty();
    }

    private long leastLoadedNode(Set<Long> candidates) {
        Map<Long, Integer> load = new HashMap<>();
        dataNodes.stream().filter(candidates::contains).forEach(n -> load.put(n, 0));
        if (load.isEmpty()) {
            throw new IllegalStateException("no datanode registered");
        }
        for (KvEntry e : kv.scanPrefix(WATCH_PREFIX)) {
            long node = Long.parseLong(e.key().substring(WATCH_PREFIX.length(), e.key().indexOf('/', WATCH_PREFIX.length())));
            load.computeIfPresent(node, (k, v) -> v + 1);
        }
        return load.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    static ChannelWatchInfo parse(byte[] value) {
        try {
            return ChannelWatchInfo.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt channel watch info", e);
        }
    }
}
