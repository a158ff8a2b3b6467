#!/usr/bin/env bash
# `make soak`: casusnet under a steady mixed load for 30 minutes (SOAK_ARGS
# overrides, e.g. --duration 5m), on a Neo4j of its own (.neo4j-soak, port
# 7690) with the demo region and 10,000 synthetic persons, fresh each run.
# Writes bench/SOAK.md and bench/soak.png.
set -euo pipefail
cd "$(dirname "$0")/.."

export CASUSNET_NEO4J_HOME=$PWD/.neo4j-soak CASUSNET_NEO4J_PORT=7690 CASUSNET_NEO4J_HEAP=1g CASUSNET_NEO4J_PAGECACHE=512m
scripts/neo4j/neo4j.sh down >/dev/null 2>&1 || true
rm -rf .neo4j-soak
scripts/neo4j/neo4j.sh up
trap 'scripts/neo4j/neo4j.sh down' EXIT
export NEO4J_URI=bolt://127.0.0.1:7690 NEO4J_USER=neo4j NEO4J_PASSWORD=casusnet-dev CASUSNET_DEV=true CASUSNET_LOG_LEVEL=warn
mkdir -p bin
go build -o bin/casusnet ./cmd/casusnet
go build -o bin/soak ./cmd/soak
bin/casusnet migrate
bin/casusnet seed --demo
bin/casusnet seed --synthetic --persons 10000 --seed 1
# shellcheck disable=SC2086
bin/soak --casusnet bin/casusnet ${SOAK_ARGS:-}
