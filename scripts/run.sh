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
scripts/web.sh
mkdir -p bin
go build -o bin/casusnet ./cmd/casusnet
bin/casusnet migrate
bin/casusnet seed --demo

# Development tokens for the demo region, one per role (valid 8 hours).
echo "casusnet: development tokens for the demo data (send as 'Authorization: Bearer <token>'):"
token() { printf '  %-12s %s\n' "$1" "$(bin/casusnet token --ttl 8h "${@:2}")"; }
token COORDINATOR --sub u-coordinator --name "Coördinator OOV Amstelland" --role COORDINATOR
token DIRECTOR --sub dir-de-vries --name "Anouk de Vries" --role DIRECTOR --organisation org-avz \
  --municipality GM0362 --municipality GM0384 --municipality GM0363 --municipality GM0437
token MAYOR --sub u-mayor-diemen --name "M. de Kort" --role MAYOR --municipality GM0384
token ANALYST --sub u-analyst --name "Analist Amstelland" --role ANALYST \
  --municipality GM0358 --municipality GM0362 --municipality GM0384 --municipality GM0437 --municipality GM0451
token PARTNER --sub u-jongerenwerk --name "Jongerenwerker" --role PARTNER --organisation org-jongerenwerk
token REPORTER --sub u-docent --name "W. de Boer" --role REPORTER --organisation org-school-keizer
token AUDITOR --sub u-privacy --name "Privacy officer" --role AUDITOR
token DPO --sub u-fg --name "Functionaris gegevensbescherming" --role DPO \
  --municipality GM0358 --municipality GM0362 --municipality GM0363 --municipality GM0384 --municipality GM0437 --municipality GM0451
token ADVISER --sub u-avz --name "Adviseur Actiecentrum" --role ADVISER --organisation org-avz
echo "casusnet: open the web client at ${CASUSNET_ADDR:-:8080} (http://localhost:8080/ by default) and sign in as a demo user; GraphQL explorer at /explorer.html; stop with Ctrl-C"
echo "casusnet: 'make neo4j-down' stops the local Neo4j"
exec bin/casusnet serve
