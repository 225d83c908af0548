#!/usr/bin/env bash
# The one command that runs every test (README "Run the tests").
# Installs what the tests need (Node packages of the FHIR test server, redis-server, NuGet packages), then runs the whole
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

# The Redis replay-cache tests start their own redis-server on loopback (CI runs as root).
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    # The package starts a system service on 6379; the tests need only the binary.
    (service redis-server stop || true) >/dev/null 2>&1
  else
    echo "redis-server is needed by the replay-cache tests: install it (apt-get install -y redis-server)." >&2
    exit 2
  fi
fi

rm -rf TestResults
dotnet restore BmesCds.sln
dotnet build BmesCds.sln --no-restore -c Release
dotnet test BmesCds.sln --no-build -c Release --logger "trx" --results-directory TestResults "$@"
