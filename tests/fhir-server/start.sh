#!/usr/bin/env bash
# Starts the in-memory FHIR R4 test server (see README.md).
# Installs the pinned node_modules with `npm ci` on first use (serialised with flock, so test
# fixtures may start several instances in parallel on a fresh clone), then execs node so the
# caller's signals (SIGTERM/SIGINT) reach the server directly.
# Behaviour switches are environment variables: PORT, REQUIRE_BEARER, DELAY_MS, PAGE_SIZE, FAIL_PATHS.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
needs_install() {
  [ ! -f node_modules/.package-lock.json ] || [ ! -d node_modules/@medplum/fhir-router ] ||
    [ package-lock.json -nt node_modules/.package-lock.json ]
}
if needs_install; then
  exec 9>.npm-ci.lock
  command -v flock >/dev/null && flock 9
  if needs_install; then
    # stdout is reserved for the single "listening" line the tests parse.
    npm ci --no-audit --no-fund --loglevel=error >&2
  fi
  exec 9>&-
fi
exec node server.mjs "$@"
