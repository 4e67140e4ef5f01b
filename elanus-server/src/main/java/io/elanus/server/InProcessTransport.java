package io.elanus.server;

import io.elanus.api.DataCoordClient;
import io.elanus.api.QueryCoordClient;
import io.elanus.api.RootCoordClient;
import io.elanus.api.WalReaders;
import io.elanus.datacoord.DataCoord;
import io.elanus.datanode.DataNode;
import io.elanus.querycoord.QueryCoord;
import io.elanus.querynode.QueryNode;
import io.elanus.rootcoord.RootCoord;
import io.elanus.session.RoleComponent;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Standalone: every role in this process, called directly through its client interface. Only the
 * assembly thread touches the map, while it builds the roles; afterwards it is only read.
 */
final class InProcessTransport implements Transport {
    private final Map<Role, RoleComponent> roles = new EnumMap<>(Role.class);

    @Override
    public RootCoordClient rootCoord() {
        return (RootCoord) built(Role.ROOTCOORD);
    }

    @Override
    public DataCoordClient dataCoord() {
        return (DataCoord) built(Role.DATACOORD);
    }

    @Override
    public QueryCoordClient queryCoord() {
        return (QueryCoord) built(Role.QUERYCOORD);
    }

    @Override
    public WalReaders walReaders() {
        return pchannel -> ((QueryCoord) built(Role.QUERYCOORD)).minReaderOffset(pchannel);
    }

    @Override
    public String expose(Role role, RoleComponent component) {
        roles.put(role, component);
        return "in-process";
    }

    @Override
    public void followDataNodes(DataCoord dataCoord) {
        dataCoord.registerDataNode((DataNode) built(Role.DATANODE));
        dataCoord.indexNodesChanged(Set.of(built(Role.INDEXNODE).serverId()));
    }

    @Override
    public void followQueryNodes(QueryCoord queryCoord) {
        queryCoord.registerQueryNode((QueryNode) built(Role.QUERYNODE));
    }

    @Override
    public boolean ticksAggregatedByRootCoord() {
        return false;
    }

    private RoleComponent built(Role role) {
        RoleComponent c = roles.get(role);
        if (c == null) {
            throw new IllegalStateException(role.roleName() + " is needed before it is built; see Role.START_ORDER");
        }
        return c;
    }

    @Override
    public void close() {
    }
}
