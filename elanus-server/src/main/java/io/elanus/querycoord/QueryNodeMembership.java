package io.elanus.querycoord;

import io.elanus.session.ServiceDiscovery;
import io.elanus.proto.SessionInfo;
import io.elanus.api.QueryNodeClient;

import java.util.function.Function;

/**
 * Keeps querycoord's query nodes in step with their sessions (cluster mode): a new session
 * registers the node (it takes channels left without one); an expired session moves the dead
 * node's channels to the survivors.
 */
public final class QueryNodeMembership implements ServiceDiscovery.Listener {
    private static final String ROLE = "querynode";

    private final QueryCoord queryCoord;
    private final Function<SessionInfo, QueryNodeClient> connect;

    public QueryNodeMembership(QueryCoord queryCoord, Function<SessionInfo, QueryNodeClient> connect) {
        this.queryCoord = queryCoord;
        this.connect = connect;
    }

    @Override
    public void sessionAdded(SessionInfo session) {
        if (session.getRole().equals(ROLE)) {
            queryCoord.registerQueryNode(connect.apply(session));
        }
    }

    @Override
    public void sessionRemoved(SessionInfo session) {
        if (session.getRole().equals(ROLE)) {
            queryCoord.removeQueryNode(session.getServerId());
        }
    }
}
