#!/usr/bin/env bash
# The one command that runs every test (README "Run the tests").
# Installs what the tests need (Node packages of the FHIR test server, redis-server, PostgreSQL, curl, chromium, NuGet packages), then runs the whole
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

# Servers the tests start themselves on loopback, from Debian packages: redis-server (replay-cache tests) and PostgreSQL
# (card ledger tests: each fixture runs initdb and pg_ctl on a throwaway cluster, as the postgres user when run as root);
# the README and demo script tests run curl, as their commands do; the console's browser tests drive Debian's chromium
# (/usr/bin/chromium) through Playwright, whose own browser download is never used.
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v curl >/dev/null 2>&1 || missing+=(curl)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    # The packages start system services (redis on 6379, a PostgreSQL cluster on 5432); the tests need only the binaries.
    (service redis-server stop || true) >/dev/null 2>&1
    (service postgresql stop || true) >/dev/null 2>&1
  else
    echo "The tests need: ${missing[*]}. Install them (apt-get install -y ${missing[*]}) or run this script as root." >&2
    exit 2
  fi
fi

rm -rf TestResults
dotnet restore BmesCds.sln
dotnet build BmesCds.sln --no-restore -c Release
dotnet test BmesCds.sln --no-build -c Release --logger "trx" --results-directory TestResults "$@"
