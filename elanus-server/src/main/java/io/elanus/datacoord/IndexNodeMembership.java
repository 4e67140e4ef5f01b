package io.elanus.datacoord;

import io.elanus.proto.SessionInfo;
import io.elanus.session.ServiceDiscovery;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Keeps datacoord's index nodes in step with their sessions (cluster mode): a node that appears
 * gets index builds; the builds of a node whose session is gone go to the live ones.
 */
public final class IndexNodeMembership implements ServiceDiscovery.Listener {
    private static final String ROLE = "indexnode";

    private final DataCoord dataCoord;
    private final Supplier<List<SessionInfo>> liveSessions;

    /**
     * @param liveSessions every session alive now (the discovery's view, complete even while
     *                     callbacks are still being delivered)
     */
    public IndexNodeMembership(DataCoord dataCoord, Supplier<List<SessionInfo>> liveSessions) {
        this.dataCoord = dataCoord;
        this.liveSessions = liveSessions;
    }

    @Override
    public void sessionAdded(SessionInfo session) {
        if (session.getRole().equals(ROLE)) {
            dataCoord.indexNodesChanged(liveNodes());
        }
    }

    @Override
    public void sessionRemoved(SessionInfo session) {
        if (session.getRole().equals(ROLE)) {
            dataCoord.indexNodesChanged(liveNodes());
        }
    }

    private Set<Long> liveNodes() {
        Set<Long> live = new HashSet<>();
        liveSessions.get().stream().filter(s -> s.getRole().equals(ROLE)).forEach(s -> live.add(s.getServerId()));
        return live;
    }
}
