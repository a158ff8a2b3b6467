#!/usr/bin/env bash
# Fails if `go generate ./...` changes any tracked file or adds one: the
# committed generated code must be exactly what gqlgen makes of the schema.
set -euo pipefail
cd "$(dirname "$0")/.."
go generate ./...
if [ -n "$(git status --porcelain -- graph gqlgen.yml schema go.mod go.sum)" ]; then
  echo "generated code is stale; run 'make generate' and commit:" >&2
  git status --porcelain -- graph gqlgen.yml schema go.mod go.sum >&2
  git --no-pager diff --stat >&2
  exit 1
fi
echo "generated code is up to date"
