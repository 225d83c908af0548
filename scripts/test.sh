#!/usr/bin/env bash
# The one command that runs every test (README "Run the tests").
# Installs what the tests need (Node packages of the FHIR test server, NuGet packages), then runs the whole
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

rm -rf TestResults
dotnet restore BmesCds.sln
dotnet build BmesCds.sln --no-restore -c Release
dotnet test BmesCds.sln --no-build -c Release --logger "trx" --results-directory TestResults "$@"
