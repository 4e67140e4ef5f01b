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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Assigns vchannels to datanodes the way the seeds describe: by writing
 * {@code channelwatch/{nodeID}/{vchannel}} = ChannelWatchInfo(ToWatch) into the meta store. The
 * datanode watching its prefix starts a data-sync flow graph and compare-and-swaps the state to
 * WatchSuccess; deleting the key stops the flow graph. Called under datacoord's lock.
 */
final class ChannelManager {
    static final String WATCH_PREFIX = "channelwatch/";

    private final MetaKv kv;
    private final List<Long> dataNodes = new ArrayList<>();

    ChannelManager(MetaKv kv) {
        this.kv = kv;
    }

    void addDataNode(long nodeId) {
        dataNodes.add(nodeId);
    }

    void watch(CollectionInfo collection, String vchannel, String pchannel, WalPositionPb seek) {
        long node = leastLoadedNode();
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

    private long leastLoadedNode() {
        if (dataNodes.isEmpty()) {
            throw new IllegalStateException("no datanode registered");
        }
        Map<Long, Integer> load = new HashMap<>();
        dataNodes.forEach(n -> load.put(n, 0));
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
