package io.elanus.common;

import io.milvus.grpc.ComponentInfo;
import io.milvus.grpc.StateCode;

import java.util.ArrayList;
import java.util.List;

/**
 * What the process tells about its own health: the state of each role it knows of, and why it is
 * unhealthy right now. CheckHealth, GetComponentStates and {@code /healthz} all read this one view,
 * so they never disagree. Implemented by the assembly (standalone or a cluster role).
 */
public interface HealthProbe {
    List<ComponentInfo> componentStates();

    /**
     * Every reason the process is not healthy now: roles not Healthy, and each active fault a role or
     * a storage backend reports (a channel that cannot be applied, a full or vanished data directory).
     * Empty when healthy.
     */
    List<String> unhealthyReasons();

    /** The reasons the given roles give: each one not Healthy, and each role's active faults. */
    static List<String> reasonsOf(List<? extends Component> roles) {
        List<String> out = new ArrayList<>();
        for (Component c : roles) {
            if (c.state() != StateCode.Healthy) {
                out.add(c.roleName() + " is " + c.state());
            }
            out.addAll(c.activeFaults());
        }
        return out;
    }
}
