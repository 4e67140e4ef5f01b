package io.elanus.api;

import io.elanus.proto.SegmentIndexMeta;
import io.elanus.proto.SegmentMeta;

/**
 * Querycoord (hand-off of flushed segments, loading built indexes) follows segment changes through this.
 * Datacoord calls it after each change is persisted, in the order of the changes, from a thread of its own.
 */
public interface SegmentListener {
    void onSegmentFlushed(SegmentMeta segment);

    default void onSegmentIndexBuilt(SegmentIndexMeta index) {
    }

    default void onIndexCreated(io.elanus.proto.IndexMeta index) {
    }

    /** Events may have been missed (the stream that carries them broke and was re-opened): re-read what is followed. */
    default void onSegmentEventsMissed() {
    }
}
