#!/usr/bin/env bash
# Starts and stops a local Neo4j Community 5.26 for casusnet, without Docker.
#
#   scripts/neo4j/neo4j.sh up      build once, start, wait until Bolt answers
#   scripts/neo4j/neo4j.sh down    stop (SIGTERM, then SIGKILL after 60 s)
#   scripts/neo4j/neo4j.sh status  print whether it runs
#
# Environment: CASUSNET_NEO4J_HOME (data, default .neo4j/), CASUSNET_NEO4J_PORT
# (Bolt, 7687), CASUSNET_NEO4J_HEAP (768m), CASUSNET_NEO4J_PAGECACHE (256m);
# the benchmarks run a second instance with their own.
#
# Installs a JDK 17 and Maven from Debian if they are missing. Data lives under
# .neo4j/ at the repository root (git-ignored). Starting twice is harmless; a
# stale pid file or a dead process is cleaned up before the next start.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
state=${CASUSNET_NEO4J_HOME:-$root/.neo4j}
pidfile=$state/neo4j.pid
ready=$state/ready
log=$state/neo4j.log
# Development default password; never use it outside a developer's machine.
password=${NEO4J_PASSWORD:-casusnet-dev}
heap=${CASUSNET_NEO4J_HEAP:-768m}
pagecache=${CASUSNET_NEO4J_PAGECACHE:-256m}
port=${CASUSNET_NEO4J_PORT:-7687}

say() { echo "neo4j: $*" >&2; }

ensure_tools() {
  local need=()
  command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || need+=(maven)
  if ((${#need[@]})); then
    say "installing ${need[*]}"
    local sudo=
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
  fi
}

build() {
  local jar=$here/target/neo4jdev-1.jar
  if [ -f "$jar" ] && [ -d "$here/target/lib" ] &&
     [ "$jar" -nt "$here/pom.xml" ] &&
     [ -z "$(find "$here/src" -newer "$jar" -print -quit)" ]; then
    return
  fi
  say "building the launcher (first time downloads Neo4j from Maven Central)"
  rm -rf "$here/target/lib"
  local out
  if ! out=$(mvn -q -B -f "$here/pom.xml" package -DskipTests 2>&1); then
    echo "$out" >&2
    say "maven build failed"
    exit 1
  fi
}

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
    grep -q neo4jdev "/proc/$pid/cmdline" 2>/dev/null && { echo "$pid"; return 0; }
  return 1
}

bolt_open() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

up() {
  ensure_tools
  build
  mkdir -p "$state"
  if pid=$(running_pid) && [ -f "$ready" ]; then
    say "already running (pid $pid)"
    return
  fi
  if pid=$(running_pid); then
    say "pid $pid is starting; waiting"
  else
    rm -f "$pidfile" "$ready"
    if bolt_open; then
      say "port $port is taken by another process; set NEO4J_URI to use it, or stop it"
      exit 1
    fi
    local start=$SECONDS
    mkdir -p "$state"
    sed -e "s/127.0.0.1:7687/127.0.0.1:$port/g" -e "s/^server.memory.pagecache.size=.*/server.memory.pagecache.size=$pagecache/" \
      "$here/neo4j.conf" >"$state/neo4j.conf"
    nohup java -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
      -Dfile.encoding=UTF-8 \
      -cp "$here/target/neo4jdev-1.jar:$here/target/lib/*" casusnet.neo4jdev.Launcher \
      "$state/home" "$state/neo4j.conf" "$password" "$ready" >"$log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$pidfile"
  fi
  for _ in $(seq 1 600); do
    if [ -f "$ready" ] && bolt_open; then
      say "ready on bolt://127.0.0.1:$port (pid $pid, $((SECONDS - ${start:-$SECONDS})) s)"
      return
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      say "exited while starting; last lines of $log:"
      tail -n 30 "$log" >&2
      rm -f "$pidfile"
      exit 1
    fi
    sleep 0.2
  done
  say "not ready after 120 s; see $log"
  exit 1
}

down() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$pidfile" "$ready"
    say "not running"
    return
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "did not stop in 60 s; killing"
    kill -KILL "$pid" || true
  fi
  rm -f "$pidfile" "$ready"
  say "stopped"
}

status() {
  if pid=$(running_pid); then echo "running (pid $pid)"; else echo "stopped"; exit 3; fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
