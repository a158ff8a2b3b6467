#!/usr/bin/env bash
# `make bench`: casusnet next to the Neo4j GraphQL Library (@neo4j/graphql,
# bench/neo4jgraphql) and hand-written Cypher through the Go driver (the
# floor), on one Neo4j of its own (.neo4j-compare, port 7692) holding a fresh
# synthetic region. Writes bench/RESULTS.md.
#
#   make bench                          10k persons, 1k cases; 1, 16, 64 clients; 30 s each
#   make bench BENCH_SCALE=10           100k persons, 10k cases (100: 1M persons)
#   make bench BENCH_ARGS="--duration 10s --concurrency 1,16"
#
# To profile one target against a running server (no report is written):
#   bin/benchgql --only casusnet --queries 1 --casusnet http://127.0.0.1:18080/graphql --concurrency 16
set -euo pipefail
cd "$(dirname "$0")/.."

scale=${BENCH_SCALE:-1}
persons=$((10000 * scale))
cases=$((1000 * scale))
export CASUSNET_NEO4J_HOME=$PWD/.neo4j-compare CASUSNET_NEO4J_PORT=7692 CASUSNET_NEO4J_HEAP=${BENCH_NEO4J_HEAP:-2g} CASUSNET_NEO4J_PAGECACHE=${BENCH_NEO4J_PAGECACHE:-1g}
scripts/neo4j/neo4j.sh down >/dev/null 2>&1 || true
rm -rf .neo4j-compare
scripts/neo4j/neo4j.sh up
export NEO4J_URI=bolt://127.0.0.1:7692 NEO4J_USER=neo4j NEO4J_PASSWORD=casusnet-dev CASUSNET_DEV=true CASUSNET_LOG_LEVEL=warn \
  CASUSNET_USER_LIMIT=1000000/1000000 CASUSNET_ADDRESS_LIMIT=1000000/1000000

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/neo4j/neo4j.sh down
}
trap cleanup EXIT

mkdir -p bin
go build -o bin/casusnet ./cmd/casusnet
go build -o bin/benchgql ./cmd/benchgql
bin/casusnet migrate
bin/casusnet seed --synthetic --persons "$persons" --cases "$cases" --seed 1

(cd bench/neo4jgraphql && { [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; })

bin/casusnet serve --addr 127.0.0.1:18080 >/tmp/casusnet-bench.log 2>&1 &
pids+=($!)
PORT=14000 node bench/neo4jgraphql/server.mjs >/tmp/neo4jgraphql-bench.log 2>&1 &
pids+=($!)
for url in http://127.0.0.1:18080/readyz; do
  for _ in $(seq 1 300); do curl -fs "$url" >/dev/null && break; sleep 0.2; done
done
for _ in $(seq 1 300); do grep -q ready /tmp/neo4jgraphql-bench.log && break; sleep 0.2; done
grep -q ready /tmp/neo4jgraphql-bench.log || { echo "bench: the @neo4j/graphql server did not start:"; cat /tmp/neo4jgraphql-bench.log; exit 1; }

# shellcheck disable=SC2086
bin/benchgql --casusnet http://127.0.0.1:18080/graphql --neo4jgraphql http://127.0.0.1:14000/graphql \
  --scale "$persons persons, $cases cases" --command "make bench${BENCH_SCALE:+ BENCH_SCALE=$BENCH_SCALE}${BENCH_ARGS:+ BENCH_ARGS=\"$BENCH_ARGS\"}" ${BENCH_ARGS:-}
echo "bench: bench/RESULTS.md written"
