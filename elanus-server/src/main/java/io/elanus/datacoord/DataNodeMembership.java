package io.elanus.datacoord;

import io.elanus.session.ServiceDiscovery;
import io.elanus.api.DataNodeClient;
import io.elanus.proto.SessionInfo;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Keeps datacoord's datanodes in step with their sessions (cluster mode): a new session registers
 * the node and hands it channels left by dead ones; an expired session unregisters the node and
 * moves its channels to the survivors.
 */
public final class DataNodeMembership implements ServiceDiscovery.Listener {
    private static final String ROLE = "datanode";

    private final DataCoord dataCoord;
    private final Function<SessionInfo, DataNodeClient> connect;
    private final Supplier<List<SessionInfo>> liveSessions;

    /**
     * @param connect      a client for the datanode behind a session
     * @param liveSessions every session alive now (the discovery's view, complete even while
     *                     callbacks are still being delivered)
     */
    public DataNodeMembership(DataCoord dataCoord, Function<SessionInfo, DataNodeClient> connect,
                              Supplier<List<SessionInfo>> liveSessions) {
        this.dataCoord = dataCoord;
        this.connect = connect;
        this.liveSessions = liveSessions;
    }

    @Override
    public void sessionAdded(SessionInfo session) {
        if (session.getRole().equals(ROLE)) {
            dataCoord.registerDataNode(connect.apply(session));
            dataCoord.reassignChannels(liveNodes());
        }
    }

    @Override
    public void sessionRemoved(SessionInfo session) {
        if (session.getRole().equals(ROLE)) {
            dataCoord.removeDataNode(session.getServerId());
            dataCoord.reassignChannels(liveNodes());
        }
    }

    private Set<Long> liveNodes() {
        Set<Long> live = new HashSet<>();
        liveSessions.get().stream().filter(s -> s.getRole().equals(ROLE)).forEach(s -> live.add(s.getServerId()));
        return live;
    }
}
