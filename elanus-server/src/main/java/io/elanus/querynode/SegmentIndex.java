package io.elanus.querynode;

import io.elanus.vector.VectorIndex;

/** A loaded vector index of one sealed segment's field. */
record SegmentIndex(long collectionId, long fieldId, VectorIndex index) {
}
