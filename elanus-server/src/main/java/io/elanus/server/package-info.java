/**
 * The assembly: the {@code elanus} command, the standalone server and the cluster role runner, the one
 * composition root that wires the roles from local or remote clients, and the HTTP endpoints. The only
 * package that names concrete storage backends and concrete roles.
 */
package io.elanus.server;
