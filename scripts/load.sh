#!/usr/bin/env bash
# Load run on loopback (issue 11 budgets): the published service (ReadyToRun, as deployed) and a floor app (an ASP.NET
# endpoint that reads the body into a JsonDocument and writes a fixed card) side by side, each under wrk in turn with the
# same payloads, then a fixed-rate run for the service's p99 and its RSS after the 64-connection runs. Prints requests/s
# and the ratio.
#
#   scripts/load.sh                     # 10 s per run, 64 connections
#   LOAD_SECONDS=30 scripts/load.sh     # longer runs
#
# Needs wrk and hey (Debian packages; installed when missing and running as root). Logging stays at Information in the
# service (Production environment: JSON lines, to a file), authentication is off (Auth:Mode=Disabled), the clock is
# fixed so that C1 gives its card, and the card ledger records every card to a throwaway SQLite file (as in production).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${LOAD_SECONDS:-10}
warmup=${LOAD_WARMUP_SECONDS:-20}
connections=${LOAD_CONNECTIONS:-64}
rate=${LOAD_RATE:-300}
service_port=${LOAD_SERVICE_PORT:-5181}
floor_port=${LOAD_FLOOR_PORT:-5182}
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

need() {
  command -v "$1" >/dev/null 2>&1 && return
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
  else
    echo "$1 is needed: apt-get install -y $1" >&2
    exit 2
  fi
}
need wrk
need hey

# The service as it is deployed: published (ReadyToRun), not the build output.
echo "publishing the service (Release, ReadyToRun) and building the floor..." >&2
dotnet publish src/BmesCds.Service -c Release -o "$work/service" -v quiet -nologo >/dev/null
dotnet build tests/BmesCds.Benchmarks -c Release -v quiet -nologo >/dev/null
bench=tests/BmesCds.Benchmarks/bin/Release/net10.0/BmesCds.Benchmarks.dll
dotnet "$bench" payloads "$work"

cat > "$work/post.lua" <<'LUA'
local file = io.open(os.getenv("LOAD_BODY"), "rb")
wrk.method = "POST"
wrk.body = file:read("*all")
wrk.headers["Content-Type"] = "application/json"
file:close()
LUA

dotnet "$bench" floor-server --urls "http://127.0.0.1:$floor_port" >/dev/null 2>&1 &
pids+=($!)
(cd "$work/service" && ASPNETCORE_ENVIRONMENT=Production exec dotnet BmesCds.Service.dll \
  --urls "http://127.0.0.1:$service_port" --Auth:Mode=Disabled --Clock:FixedUtcNow=2026-11-28T12:00:00Z \
  --Logging:LogLevel:Default=Information \
  --Ledger:SqlitePath="$work/ledger.db" --Ledger:PatientKeySecret=load-run-patient-key-secret-0123456789abcdef \
  >"$work/service.log" 2>&1) &
service_pid=$!
pids+=($service_pid)

wait_for() {
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "not answering: $1" >&2
  exit 1
}
wait_for "http://127.0.0.1:$service_port/health/ready"
curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary "@$work/C1.json" "http://127.0.0.1:$floor_port/cds-services/x"

# The service must answer C1 with its card, or the run measures refusals.
cards=$(curl -fsS -X POST -H 'Content-Type: application/json' --data-binary "@$work/C1.json" \
  "http://127.0.0.1:$service_port/cds-services/bmes-order-select" | grep -o '"replace-with-mri"' | head -1)
[ -n "$cards" ] || { echo "the service did not answer C1 with its card" >&2; exit 1; }

rss_kb() { awk '/VmRSS/ { print $2 }' "/proc/$(pgrep -f "BmesCds.Service.dll --urls http://127.0.0.1:$service_port" | head -1)/status"; }

requests_per_second() { # url body
  # A warm-up run first (not counted): tiered compilation with dynamic PGO takes 15-20 s of load on two cores to reach
  # the optimised code (C1 after 5 s of load ran at a quarter of its rate after 25 s), for the floor as for the service.
  LOAD_BODY="$2" wrk -t2 -c"$connections" -d"${warmup}s" -s "$work/post.lua" "$1" >/dev/null
  LOAD_BODY="$2" wrk -t2 -c"$connections" -d"${seconds}s" -s "$work/post.lua" "$1" | awk '/Requests\/sec/ { print $2 }'
}

echo "date: $(date -u +%Y-%m-%dT%H:%MZ), load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, ${seconds} s per run after ${warmup} s of warm-up, ${connections} connections"
printf '%-8s %12s %12s %7s\n' payload floor_rps service_rps ratio
for payload in C1 250 1000; do
  body="$work/$payload.json"
  floor=$(requests_per_second "http://127.0.0.1:$floor_port/cds-services/bmes-order-select" "$body")
  ours=$(requests_per_second "http://127.0.0.1:$service_port/cds-services/bmes-order-select" "$body")
  printf '%-8s %12s %12s %7.2f\n' "$payload" "$floor" "$ours" "$(echo "$ours / $floor" | bc -l)"
done
echo "service RSS after the ${connections}-connection runs: $(( $(rss_kb) / 1024 )) MB"

# Latency at a fixed rate: hey's -q is per worker, so 4 workers share the rate.
p99=$(hey -z "${seconds}s" -c 4 -q $((rate / 4)) -m POST -T application/json -D "$work/C1.json" \
  "http://127.0.0.1:$service_port/cds-services/bmes-order-select" | awk '/ 99% in / { print $3 * 1000 }')
echo "service p99 at ${rate} req/s (C1): ${p99} ms"
errors=$(grep -c '"LogLevel":"Error"\|"Level":"Error"' "$work/service.log" || true)
echo "service log: $(wc -l <"$work/service.log") lines, ${errors} errors"
