#!/usr/bin/env bash
# Builds the web client (internal/web/app) into internal/web/dist, which the
# binary embeds, when its sources or packages changed since the last build.
# Installs the npm packages from the lock file (npm ci) when they changed.
set -euo pipefail
cd "$(dirname "$0")/../internal/web/app"

if [ ! -f package.json ]; then
  echo "web: no client sources" >&2; exit 1
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "web: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
stamp=../dist/index.html
if [ -f "$stamp" ] && [ -z "$(find . -path ./node_modules -prune -o -path ./screenshots -prune -o -type f -newer "$stamp" -print -quit)" ]; then
  exit 0
fi
echo "web: building the client"
npm run build --silent

