#!/usr/bin/env bash
# `make run`: start the local Neo4j unless NEO4J_URI is set, migrate, seed the
# demo region, and serve in development mode until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${NEO4J_URI:-}" ]; then
  scripts/neo4j/neo4j.sh up
  export NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_USER=neo4j NEO4J_PASSWORD=${NEO4J_PASSWORD:-casusnet-dev}
fi
export CASUSNET_DEV=${CASUSNET_DEV:-true}
mkdir -p bin
go build -o bin/casusnet ./cmd/casusnet
bin/casusnet migrate
bin/casusnet seed --demo
echo "casusnet: the GraphQL explorer is at / in development mode; stop with Ctrl-C"
echo "casusnet: 'make neo4j-down' stops the local Neo4j"
exec bin/casusnet serve
