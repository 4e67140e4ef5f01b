package io.elanus.common;

import io.elanus.storage.kv.MetaKv;
import io.milvus.grpc.StateCode;

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

    /** Where other roles reach this one; in-process in standalone. */
    protected String address() {
        return "in-process";
    }

    @Override
    public synchronized void register() {
        if (session == null) {
            session = Session.register(kv, roleName(), serverId, address());
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
