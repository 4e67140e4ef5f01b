/**
 * What every role's gRPC adapter shares: error mapping between {@link io.elanus.common.MilvusException}
 * and gRPC statuses, blocking calls with deadlines, the pool of channels to peers, the server that
 * hosts role services, and listener streams (events acknowledged one by one).
 */
package io.elanus.rpc;
