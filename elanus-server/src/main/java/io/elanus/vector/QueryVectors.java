package io.elanus.vector;

/** A batch of query vectors of one vector kind. */
public sealed interface QueryVectors permits FloatQueries, ByteQueries, SparseQueries {
    int count();
}
