package io.elanus.server;

import java.util.List;
import java.util.Locale;

/** The Milvus roles a process can run. */
public enum Role {
    ROOTCOORD, DATACOORD, QUERYCOORD, DATANODE, QUERYNODE, INDEXNODE, PROXY;

    /** Milvus standalone's start order: coordinators before the nodes that report to them, the proxy last. */
    static final List<Role> START_ORDER = List.of(ROOTCOORD, DATACOORD, DATANODE, INDEXNODE, QUERYCOORD, QUERYNODE, PROXY);

    public String roleName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String name) {
        for (Role r : values()) {
            if (r.roleName().equalsIgnoreCase(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "'; one of rootcoord, datacoord, querycoord, datanode, querynode, indexnode, proxy");
    }
}
