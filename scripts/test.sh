#!/usr/bin/env bash
# Runs every test against a real Neo4j. Starts the local one unless NEO4J_URI
# is set, and stops it again if it started it. Packages run one at a time
# because they share the one database.
set -euo pipefail
cd "$(dirname "$0")/.."

# The tests get a Neo4j of their own (data under .neo4j-test/, Bolt on 7694):
# they wipe what they write, so they must never meet the data of `make run`.
started=
if [ -z "${NEO4J_URI:-}" ]; then
  export CASUSNET_NEO4J_HOME=${CASUSNET_TEST_NEO4J_HOME:-$PWD/.neo4j-test}
  export CASUSNET_NEO4J_PORT=${CASUSNET_TEST_NEO4J_PORT:-7694}
  if ! scripts/neo4j/neo4j.sh status >/dev/null 2>&1; then
    started=1
  fi
  scripts/neo4j/neo4j.sh up
  export NEO4J_URI=bolt://127.0.0.1:$CASUSNET_NEO4J_PORT NEO4J_USER=neo4j NEO4J_PASSWORD=${NEO4J_PASSWORD:-casusnet-dev}
fi
# The web client's end-to-end test needs the built client and a Chromium.
scripts/web.sh
if [ -z "${CHROMIUM:-}" ] && ! [ -x /usr/bin/chromium ]; then
  echo "test: installing Debian's chromium for the web client's end-to-end test"
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y -q chromium >/dev/null || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q chromium >/dev/null; }
fi

stop() { if [ -n "$started" ]; then scripts/neo4j/neo4j.sh down; fi; }
trap stop EXIT

start=$SECONDS
log=$(mktemp)
set +e
go test -v -p 1 -count=1 -timeout 12m "$@" ./... 2>&1 | tee "$log" | grep --line-buffered -v -E '^=== (RUN|PAUSE|CONT|NAME)'
status=${PIPESTATUS[0]}
set -e
passed=$(grep -c -E '^\s*--- PASS' "$log" || true)
failed=$(grep -c -E '^\s*--- FAIL' "$log" || true)
skipped=$(grep -c -E '^\s*--- SKIP' "$log" || true)
rm -f "$log"
echo "test wall time: $((SECONDS - start)) s"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
