package io.elanus.server;

import io.elanus.api.DataCoordClient;
import io.elanus.api.QueryCoordClient;
import io.elanus.api.RootCoordClient;
import io.elanus.api.WalReaders;
import io.elanus.datacoord.DataCoord;
import io.elanus.querycoord.QueryCoord;
import io.elanus.session.RoleComponent;

/**
 * How the roles of this process reach the others, and how a role built here is offered to them: the one
 * thing that differs between standalone (in-process calls), a cluster (gRPC to roles found through their
 * sessions) and the loopback test (gRPC between roles of one process). {@link RoleAssembly} does the rest.
 *
 * <p>Each call that returns a client gives the caller a client of its own, as a separate process would
 * have; the transport closes them.
 */
interface Transport extends AutoCloseable {

    RootCoordClient rootCoord() throws InterruptedException;

    DataCoordClient dataCoord() throws InterruptedException;

    QueryCoordClient queryCoord() throws InterruptedException;

    /**
     * How far query nodes still read each physical channel, asked lazily: datacoord is built before
     * querycoord, and its WAL truncation only starts once both run.
     */
    WalReaders walReaders();

    /** Offers a role built here to the others (a gRPC server in a cluster); returns the address its session advertises. */
    String expose(Role role, RoleComponent component) throws Exception;

    /**
     * Keeps datacoord's data nodes and index nodes (index builds are assigned to them) in step with those
     * that live: fixed in one process, their sessions in a cluster.
     */
    void followDataNodes(DataCoord dataCoord);

    /** Keeps querycoord's query nodes in step with those that live. */
    void followQueryNodes(QueryCoord queryCoord);

    /** Whether rootcoord writes the DML channels' time ticks from every proxy's reports (several proxies may write). */
    boolean ticksAggregatedByRootCoord();

    @Override
    void close();
}
