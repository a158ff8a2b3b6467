#!/usr/bin/env bash
# Runs every test against a real Neo4j.
#
# Without NEO4J_URI, the tests get Neo4j instances of their own, never the
# one `make run` fills (data under .neo4j-test*/, Bolt on 7694-7696; the
# tests empty them): the three slow parts of the suite (cmd/, graph/ and
# internal/) run side by side, each on its own instance, since a package's
# tests share their database and must not run beside another's. With
# NEO4J_URI set, every package runs on that database, one at a time.
#
# Arguments are passed to `go test` (then everything runs on one instance).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEO4J_USER=neo4j NEO4J_PASSWORD=${NEO4J_PASSWORD:-casusnet-dev}

shards=(./cmd/... ./graph/... ./internal/...)
ports=(7694 7695 7696)
homes=("$PWD/.neo4j-test" "$PWD/.neo4j-test-graph" "$PWD/.neo4j-test-internal")
if [ -n "${NEO4J_URI:-}" ] || [ "$#" -gt 0 ]; then
  shards=(./...)
fi
started=()
neo4j() { CASUSNET_NEO4J_HOME=${homes[$1]} CASUSNET_NEO4J_PORT=${ports[$1]} scripts/neo4j/neo4j.sh "${@:2}"; }
stop() {
  for i in "${started[@]}"; do neo4j "$i" down || true; done
}
trap stop EXIT
uris=()
if [ -z "${NEO4J_URI:-}" ]; then
  # The first start builds the launcher; the others start beside the web build.
  pids=()
  for i in "${!shards[@]}"; do
    if ! neo4j "$i" status >/dev/null 2>&1; then started+=("$i"); fi
    if [ "$i" -eq 0 ]; then neo4j 0 up; else neo4j "$i" up & pids+=($!); fi
    uris+=("bolt://127.0.0.1:${ports[$i]}")
  done
else
  uris=("$NEO4J_URI")
fi
# The web client's end-to-end test needs the built client and a Chromium.
scripts/web.sh
if [ -z "${CHROMIUM:-}" ] && ! [ -x /usr/bin/chromium ]; then
  echo "test: installing Debian's chromium for the web client's end-to-end test"
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y -q chromium >/dev/null || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q chromium >/dev/null; }
fi
for p in "${pids[@]:-}"; do [ -z "$p" ] || wait "$p"; done

start=$SECONDS
logs=()
runs=()
for i in "${!shards[@]}"; do
  log=$(mktemp)
  logs+=("$log")
  NEO4J_URI=${uris[$i]} go test -v -p 1 -count=1 -timeout 12m "$@" "${shards[$i]}" >"$log" 2>&1 &
  runs+=($!)
done
status=0
for i in "${!runs[@]}"; do
  wait "${runs[$i]}" || status=1
  grep -v -E '^=== (RUN|PAUSE|CONT|NAME)' "${logs[$i]}" || true
done
passed=$(cat "${logs[@]}" | grep -c -E '^\s*--- PASS' || true)
failed=$(cat "${logs[@]}" | grep -c -E '^\s*--- FAIL' || true)
skipped=$(cat "${logs[@]}" | grep -c -E '^\s*--- SKIP' || true)
rm -f "${logs[@]}"
echo "test wall time: $((SECONDS - start)) s"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
