package io.elanus.session;

import io.elanus.common.Component;

import io.elanus.storage.kv.MetaKv;
import io.milvus.grpc.StateCode;

import java.time.Duration;

/**
 * The state and session bookkeeping every role shares: a state code readable from any thread,
 * and {@link #register} publishing the role's {@link Session} in the meta store (seed 001: init,
 * start, then register). Subclasses move the state through Initializing and Healthy and call
 * {@link #unregister} when they stop.
 */
public abstract class RoleComponent implements Component {
    private final MetaKv kv;
    private final long serverId;
    private volatile StateCode state = StateCode.Abnormal;
    private Session session;
    private String address = "in-process";
    private Duration sessionTtl = Session.DEFAULT_TTL;

    protected RoleComponent(MetaKv kv, long serverId) {
        this.kv = kv;
        this.serverId = serverId;
    }

    public final long serverId() {
        return serverId;
    }

    @Override
    public final StateCode state() {
        return state;
    }

    protected final void state(StateCode next) {
        state = next;
    }

    /**
     * Where other roles reach this one and how long its session outlives the process: set by the
     * cluster launcher before {@link #register}; standalone keeps the in-process defaults.
     */
    public final synchronized void advertise(String address, Duration sessionTtl) {
        this.address = address;
        this.sessionTtl = sessionTtl;
    }

    @Override
    public synchronized void register() {
        if (session == null) {
            session = Session.register(kv, roleName(), serverId, address, sessionTtl);
        }
    }

    protected final synchronized void unregister() {
        if (session != null) {
            session.close();
            session = null;
        }
        state = StateCode.Abnormal;
    }
}
