package io.elanus.datanode;

import io.elanus.api.DataNodeClient;

import com.google.protobuf.InvalidProtocolBufferException;
import io.elanus.session.RoleComponent;
import io.elanus.api.DataCoordClient;
import io.elanus.proto.ChannelWatchInfo;
import io.elanus.proto.ChannelWatchState;
import io.elanus.api.RootCoordClient;
import io.elanus.storage.kv.KvEntry;
import io.elanus.storage.kv.KvEvent;
import io.elanus.storage.kv.KvWatch;
import io.elanus.storage.kv.MetaKv;
import io.elanus.storage.object.ObjectStore;
import io.elanus.storage.wal.Wal;
import io.milvus.grpc.StateCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A datanode. It watches {@code channelwatch/{nodeID}/} in the meta store (seed 000): a PUT in
 * state ToWatch starts the vchannel's {@link DataSyncService} and compare-and-swaps the state to
 * WatchSuccess; a DELETE stops it. Events are handled in order on the watch's thread.
 */
public final class DataNode extends RoleComponent implements DataNodeClient {
    private static final Logger LOG = LoggerFactory.getLogger(DataNode.class);

    private final MetaKv kv;
    private final Wal wal;
    private final ObjectStore objects;
    private final DataCoordClient dataCoord;
    private final RootCoordClient rootCoord;
    private final Map<String, DataSyncService> flowGraphs = new ConcurrentHashMap<>();
    private final ChannelFaults channelFaults;
    private KvWatch watch;

    public DataNode(long nodeId, MetaKv kv, Wal wal, ObjectStore objects, DataCoordClient dataCoord, RootCoordClient rootCoord) {
        super(kv, nodeId);
        this.kv = kv;
        this.wal = wal;
        this.objects = objects;
        this.dataCoord = dataCoord;
        this.rootCoord = rootCoord;
        this.channelFaults = new ChannelFaults(dataCoord);
    }

    /** Channels whose WAL cannot be applied now (CheckHealth and /healthz report them). */
    @Override
    public List<String> activeFaults() {
        return channelFaults.active();
    }

    @Override
    public long nodeId() {
        return serverId();
    }

    @Override
    public String roleName() {
        return "datanode";
    }

    @Override
    public void init() {
        state(StateCode.Initializing);
    }

    @Override
    public void start() {
        String prefix = "channelwatch/" + serverId() + "/";
        long revision = kv.currentRevision();
        // First the channels already assigned (checkWatchedList), then every later change.
        for (KvEntry e : kv.scanPrefix(prefix)) {
            handlePut(e);
        }
        watch = kv.watchPrefix(prefix, revision, this::handleEvent);
        state(StateCode.Healthy);
    }


    private void handleEvent(KvEvent event) {
        if (event.type() == KvEvent.Type.PUT) {
            handlePut(event.entry());
        } else {
            String vchannel = event.entry().key().substring(event.entry().key().lastIndexOf('/') + 1);
            DataSyncService s = flowGraphs.remove(vchannel);
            if (s != null) {
                s.close();
                channelFaults.forget(vchannel);
                LOG.info("datanode {} stopped data sync of {}", serverId(), vchannel);
            }
        }
    }

    private void handlePut(KvEntry entry) {
        ChannelWatchInfo info;
        try {
            info = ChannelWatchInfo.parseFrom(entry.value());
        } catch (InvalidProtocolBufferException e) {
            LOG.warn("ignoring undecodable watch info at {}", entry.key(), e);
            return;
        }
        if (info.getState() != ChannelWatchState.TO_WATCH && flowGraphs.containsKey(info.getVchannel())) {
            return;
        }
        flowGraphs.computeIfAbsent(info.getVchannel(), v -> {
            DataSyncService s = new DataSyncService(info, wal, objects, dataCoord, rootCoord, channelFaults);
            s.start();
            LOG.info("datanode {} started data sync of {}", serverId(), v);
            return s;
        });
        if (info.getState() == ChannelWatchState.TO_WATCH) {
            ChannelWatchInfo done = info.toBuilder().setState(ChannelWatchState.WATCH_SUCCESS).build();
            if (!kv.compareAndSwap(entry.key(), entry.modRevision(), done.toByteArray())) {
                LOG.info("watch info of {} changed meanwhile; the newer event decides", info.getVchannel());
            }
        }
    }

    @Override
    public void flushSegments(String vchannel, List<Long> segmentIds, long flushTs) {
        DataSyncService s = flowGraphs.get(vchannel);
        if (s != null) {
            s.requestFlush(segmentIds, flushTs);
        }
    }

    @Override
    public void stop() {
        if (watch != null) {
            watch.close();
        }
        flowGraphs.values().forEach(DataSyncService::close);
        flowGraphs.clear();
        unregister();
    }

}
