/**
 * Vector search: distance kernels, exact search and Milvus's vector index types.
 *
 * <ul>
 *   <li>{@link io.elanus.vector.FlatSearch} scores every row of a growing or sealed segment's
 *       column exactly (batches scan the matrix once, in cache-sized blocks).</li>
 *   <li>{@link io.elanus.vector.VectorIndexes} validates Milvus index definitions
 *       ({@code validate}), builds indexes over a sealed segment's column ({@code build}) and maps
 *       index files back ({@code load}). Supported: FLAT, HNSW, IVF_FLAT, IVF_SQ8, IVF_PQ,
 *       BIN_FLAT, BIN_IVF_FLAT, SPARSE_INVERTED_INDEX (SPARSE_WAND as an alias); AUTOINDEX resolves
 *       to HNSW (dense), BIN_IVF_FLAT (binary) or SPARSE_INVERTED_INDEX (sparse).</li>
 *   <li>Every search takes a row filter ({@code BitSet}, null = all rows) and never returns rows
 *       whose vector is null. Results are {@link io.elanus.vector.SearchHits}: per query, k
 *       (row, score) pairs best-first, padded with row -1.</li>
 *   <li>Scores follow Milvus: L2 is the squared distance, IP the dot product, COSINE the cosine
 *       similarity, HAMMING the bit count, JACCARD the distance.</li>
 *   <li>Kernels: {@link io.elanus.vector.VectorKernels#get()} is the Vector API implementation
 *       unless {@code -Delanus.simd=false} or the JVM lacks {@code --add-modules jdk.incubator.vector}.</li>
 * </ul>
 */
package io.elanus.vector;
