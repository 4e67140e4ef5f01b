package io.elanus.datanode;

import io.elanus.common.Faults;
import io.elanus.api.DataCoordClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The channels of this datanode whose WAL cannot be applied now. Health reads them (the role's
 * active faults); datacoord is told of each change, so flushes waiting on such a channel fail with
 * the cause instead of never completing. Called by the flow graphs' threads; thread-safe.
 */
final class ChannelFaults {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelFaults.class);

    private final Faults faults = new Faults();
    private final DataCoordClient dataCoord;

    ChannelFaults(DataCoordClient dataCoord) {
        this.dataCoord = dataCoord;
    }

    /**
     * Records the fault and tells datacoord (again on every call: a datacoord that restarted or
     * missed a call learns it at the next retry).
     */
    void raise(String vchannel, String reason) {
        // datacoord first: once health shows the fault, flushes already fail with it.
        report(vchannel, reason);
        faults.raise(vchannel, "data sync of " + vchannel + " is stuck: " + reason);
    }

    /** Clears the fault; false when datacoord could not be told (the caller tries again later). */
    boolean clear(String vchannel) {
        faults.clear(vchannel);
        return report(vchannel, "");
    }

    /** Forgets the channel without telling datacoord (it was released; datacoord knows). */
    void forget(String vchannel) {
        faults.clear(vchannel);
    }

    List<String> active() {
        return faults.active();
    }

    private boolean report(String vchannel, String reason) {
        try {
            dataCoord.reportChannelFault(vchannel, reason);
            return true;
        } catch (RuntimeException e) {
            LOG.debug("telling datacoord about the state of {} failed: {}", vchannel, e.toString());
            return false;
        }
    }
}
