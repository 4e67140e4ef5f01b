/**
 * Sessions and service discovery on the meta store, as in Milvus: each role registers
 * {@code session/{role}-{serverID}} on a lease, and coordinators watch that prefix to learn which nodes
 * live. {@link io.elanus.session.RoleComponent} is the lifecycle every role shares.
 */
package io.elanus.session;
