# Sourced by the project's scripts: finds a JDK >= 25 and exports JAVA_HOME for it.
# JAVA_HOME is honoured when it already points at one; otherwise the system's JVM folder is searched.

elanus_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

elanus_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    local v; v=$(elanus_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  local d best="" bestv=0
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$d/bin/javac" ] || continue
    local v; v=$(elanus_java_major "$d")
    if [ -n "$v" ] && [ "$v" -ge 25 ] && [ "$v" -gt "$bestv" ]; then best="$d"; bestv="$v"; fi
  done
  [ -n "$best" ] && { echo "$best"; return 0; }
  return 1
}

if ! ELANUS_JDK=$(elanus_find_jdk); then
  echo "elanus: no JDK 25 or newer found." >&2
  echo "  Set JAVA_HOME to a JDK >= 25, or install one under /usr/lib/jvm (e.g. Temurin 25)." >&2
  [ -n "${JAVA_HOME:-}" ] && echo "  (JAVA_HOME=$JAVA_HOME is not a JDK >= 25)" >&2
  exit 1
fi
export JAVA_HOME="$ELANUS_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
