#!/usr/bin/env bash
# One command to a CDS Hooks sandbox session on this machine (README "Try it in the CDS Hooks sandbox"):
# starts the FHIR test server (CORS for any origin), loads every sample patient into it, starts BmesCds with the
# sandbox preset (Auth:Mode Required, the sandbox's key trusted, replace suggestions as one update, the samples' clock),
# prints one sandbox URL per showcase patient, and stops both servers on Ctrl-C.
#
#   scripts/demo.sh [--no-build]      --no-build: use the binaries already built (CONFIGURATION, default Release)
#
# Environment (defaults): FHIR_PORT (8190), SERVICE_PORT (8191), DEMO_HOST (127.0.0.1 or localhost: the host in every URL,
# and so in Auth:PublicBaseUrl; use the same host in the browser), SANDBOX_URL (https://sandbox.cds-hooks.org, or a sandbox
# you serve yourself), DEMO_LOG_DIR (a new temporary folder; the servers' logs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

FHIR_PORT=${FHIR_PORT:-8190}
SERVICE_PORT=${SERVICE_PORT:-8191}
HOST=${DEMO_HOST:-127.0.0.1}
SANDBOX_URL=${SANDBOX_URL:-https://sandbox.cds-hooks.org}
LOG_DIR=${DEMO_LOG_DIR:-$(mktemp -d -t bmes-demo.XXXXXX)}
NOW=2026-11-28T12:00:00Z # the samples are written for this date
FHIR_BASE="http://$HOST:$FHIR_PORT/fhir"
SERVICE_BASE="http://$HOST:$SERVICE_PORT"

build=()
case "${1:-}" in
  --no-build) build=(--no-build -c "${CONFIGURATION:-Release}") ;;
  "") ;;
  *) echo "usage: scripts/demo.sh [--no-build]" >&2; exit 2 ;;
esac
mkdir -p "$LOG_DIR"

pids=()
stopped=0
stop() {
  [ "$stopped" = 1 ] && return
  stopped=1
  echo "stopping the demo..." >&2
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
  echo "demo stopped" >&2
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap 'stop; exit 129' HUP
trap 'stop' EXIT

# Waits until URL answers 2xx, while the process PID is alive; gives up after SECONDS_MAX seconds.
wait_for() {
  local url=$1 pid=$2 name=$3 log=$4 seconds_max=$5 deadline=$((SECONDS + $5))
  until curl -sf -o /dev/null "$url"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name stopped while starting; the end of its log ($log):" >&2
      tail -n 20 "$log" >&2
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$name did not answer $url within $seconds_max s; its log: $log" >&2
      exit 1
    fi
    sleep 0.5
  done
}

# Each server runs in its own session (setsid): Ctrl-C reaches only this script, whose trap stops them in order.
echo "FHIR test server on $FHIR_BASE (log $LOG_DIR/fhir-server.log)"
PORT=$FHIR_PORT setsid tests/fhir-server/start.sh > "$LOG_DIR/fhir-server.log" 2>&1 &
pids+=($!)
wait_for "$FHIR_BASE/metadata" "${pids[0]}" "the FHIR test server" "$LOG_DIR/fhir-server.log" 120

echo "loading the sample patients"
python3 scripts/samples.py load "$FHIR_BASE" > "$LOG_DIR/load.log" || { cat "$LOG_DIR/load.log" >&2; exit 1; }
grep -c '^loaded' "$LOG_DIR/load.log" | sed 's/^/  patients loaded: /'

echo "BmesCds on $SERVICE_BASE with the sandbox preset (log $LOG_DIR/service.log)"
Auth__Mode=Required \
Auth__PublicBaseUrl="$SERVICE_BASE" \
Auth__TrustCdsHooksSandbox=true \
Clock__FixedUtcNow="$NOW" \
  setsid dotnet run --project src/BmesCds.Service "${build[@]}" -- --urls "$SERVICE_BASE" > "$LOG_DIR/service.log" 2>&1 &
pids+=($!)
wait_for "$SERVICE_BASE/health/ready" "${pids[1]}" "BmesCds" "$LOG_DIR/service.log" 300

echo
echo "Ready. Open one of these in a browser (the sandbox calls $SERVICE_BASE/cds-services and $FHIR_BASE):"
echo
python3 scripts/samples.py sandbox-urls "$SERVICE_BASE" "$FHIR_BASE" --sandbox "$SANDBOX_URL"
echo
echo "Press Ctrl-C to stop both servers."

# Until Ctrl-C, or until one of the servers stops on its own.
set +e
wait -n "${pids[@]}"
echo "a server stopped on its own; see $LOG_DIR" >&2
exit 1
