package io.elanus.common;

import io.milvus.grpc.StateCode;

import java.util.List;

/**
 * The lifecycle every Milvus role implements (seed 001): {@code init} wires dependencies,
 * {@code start} starts loops and turns the role Healthy, {@code register} publishes its session,
 * {@code stop} releases everything. Callers invoke them in that order from one thread.
 */
public interface Component extends AutoCloseable {
    String roleName();

    void init() throws Exception;

    void start() throws Exception;

    void register() throws Exception;

    void stop();

    StateCode state();

    /** The faults this role has now (see {@link Faults}); health turns unhealthy while any is active. */
    default List<String> activeFaults() {
        return List.of();
    }

    @Override
    default void close() {
        stop();
    }
}
