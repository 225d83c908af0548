#!/usr/bin/env bash
# The one command that runs every test (README "Run the tests").
# Installs what the tests need (Node packages of the FHIR test server, redis-server, curl, NuGet packages), then runs the whole
# suite and leaves TRX results in TestResults/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f tests/fhir-server/package.json ]; then
  if ! command -v node >/dev/null 2>&1; then
    echo "Node.js 20 is needed for the FHIR test server (tests/fhir-server): install it first." >&2
    exit 2
  fi
  (cd tests/fhir-server && npm ci --no-audit --no-fund --loglevel=error)
fi

# The Redis replay-cache tests start their own redis-server on loopback (CI runs as root); the README and demo script
# tests run curl, as their commands do.
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    # The redis package starts a system service on 6379; the tests need only the binary.
    (service redis-server stop || true) >/dev/null 2>&1
  else
    echo "the tests need ${missing[*]}: install it (apt-get install -y ${missing[*]})." >&2
    exit 2
  fi
fi

rm -rf TestResults
dotnet restore BmesCds.sln
dotnet build BmesCds.sln --no-restore -c Release
dotnet test BmesCds.sln --no-build -c Release --logger "trx" --results-directory TestResults "$@"
