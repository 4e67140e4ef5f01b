/**
 * The role API: what one Milvus role may know of another. Every {@code XxxClient} interface (implemented by
 * the role itself in standalone, and by a gRPC client in {@code io.elanus.rpc} in a cluster), the listener
 * types through which coordinators publish collection and segment events, and the plain values that cross
 * roles (search and query specs, hits). Roles import this package, never each other.
 */
package io.elanus.api;
