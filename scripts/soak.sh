#!/usr/bin/env bash
# Soak run (docs/reliability.md): builds the service, starts a deliberately slow FHIR test server loaded with the
# sample patients and the service itself on free loopback ports, then runs a steady mix of valid, invalid,
# fallback-fetching and feedback calls, and prints the 5xx count, RSS at start and end, and the thread count.
#
#   scripts/soak.sh                      # 10 minutes at 20 requests/s
#   SOAK_SECONDS=60 scripts/soak.sh      # shorter
#   SOAK_MODE=huge scripts/soak.sh       # instead: the huge-answer attack (memory before, peak, after, idle);
#                                        # SOAK_HUGE_CALLS (8) calls, 4 at a time
#
# Settings (environment): SOAK_SECONDS (600), SOAK_RATE (20 requests/s), SOAK_WARMUP_SECONDS (60, same mix before the
# start figure), SOAK_FHIR_DELAY_MS (300, the FHIR server's delay per answer), SOAK_MODE (soak | huge). Exit code: the driver's (scripts/soak.py): 0 when no 5xx.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TO_RUN="${SOAK_SECONDS:-600}"
RATE="${SOAK_RATE:-20}"
WARMUP="${SOAK_WARMUP_SECONDS:-60}"
FHIR_DELAY_MS="${SOAK_FHIR_DELAY_MS:-300}"
MODE="${SOAK_MODE:-soak}"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# Reads the first line of a file that matches a pattern, waiting up to 60 s for it.
wait_for_line() {
  local file="$1" pattern="$2" line=""
  for _ in $(seq 600); do
    line="$(grep -m1 -o -E "$pattern" "$file" || true)"
    [ -n "$line" ] && { echo "$line"; return 0; }
    sleep 0.1
  done
  echo "timed out waiting for '$pattern' in $file:" >&2
  cat "$file" >&2
  return 1
}

dotnet build src/BmesCds.Service -c Release -o "$WORK/service" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }

FHIR_BASE=""
if [ "$MODE" = soak ]; then
  PORT=0 DELAY_MS="$FHIR_DELAY_MS" tests/fhir-server/start.sh >"$WORK/fhir.out" 2>"$WORK/fhir.err" &
  PIDS+=($!)
  FHIR_BASE="$(wait_for_line "$WORK/fhir.out" 'http://127\.0\.0\.1:[0-9]+/fhir')"
  python3 scripts/samples.py load "$FHIR_BASE" >"$WORK/load.log" || { cat "$WORK/load.log" >&2; exit 1; }
fi

# Development: no authentication, plain http and a FHIR server on loopback allowed; the clock of the samples.
(cd "$WORK/service" && exec env DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development \
  dotnet BmesCds.Service.dll --urls http://127.0.0.1:0 --Clock:FixedUtcNow=2026-11-28T12:00:00Z) >"$WORK/service.out" 2>&1 &
PIDS+=($!)
SERVICE_PID=$!
SERVICE_URL="$(wait_for_line "$WORK/service.out" 'http://127\.0\.0\.1:[0-9]+')"
echo "service $SERVICE_URL (pid $SERVICE_PID)${FHIR_BASE:+, FHIR server $FHIR_BASE (${FHIR_DELAY_MS} ms per answer)}; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# Warm-up: the first calls load the engine; the start figure is taken after them.
for _ in $(seq 20); do
  curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
    --data @samples/cases/C1-ct-after-normal-left-hip-xray.request.json "$SERVICE_URL/cds-services/bmes-order-select"
done

status=0
if [ "$MODE" = huge ]; then
  python3 scripts/soak.py huge --service "$SERVICE_URL" --pid "$SERVICE_PID" --calls "${SOAK_HUGE_CALLS:-8}" || status=$?
else
  python3 scripts/soak.py soak --service "$SERVICE_URL" --fhir "$FHIR_BASE" --pid "$SERVICE_PID" \
    --seconds "$SECONDS_TO_RUN" --rate "$RATE" --warmup "$WARMUP" || status=$?
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if grep -q -E '^(fail|crit):' "$WORK/service.out"; then
  echo "the service logged errors:" >&2
  grep -A5 -E '^(fail|crit):' "$WORK/service.out" | head -40 >&2
  status=1
fi
exit $status
