package io.elanus.api;

import java.util.List;

/** What datacoord asks of a datanode. */
public interface DataNodeClient {
    long nodeId();

    /**
     * Persist the given sealed segments of the vchannel, and every delete buffered for it, once the
     * channel's time tick passes {@code flushTs}; then report through datacoord's saveFlushResult.
     */
    void flushSegments(String vchannel, List<Long> segmentIds, long flushTs);
}
