#!/usr/bin/env bash
# Load run on loopback (issue 11 budgets): the published service (ReadyToRun, as deployed) and a floor app (an ASP.NET
# endpoint that reads the body into a JsonDocument and writes a fixed card) side by side, each under wrk in turn with the
# same payloads, then a fixed-rate run for the service's p99 (and the floor's, with the same client) and the service's RSS
# after the 64-connection runs. Prints requests/s and the ratio.
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
# A process left on either port (an earlier run) would answer in place of the one started here.
for port in "$floor_port" "$service_port"; do
  if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/"; then
    echo "port $port is taken by another process: stop it, or set LOAD_FLOOR_PORT / LOAD_SERVICE_PORT" >&2
    exit 1
  fi
done

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
floor_pid=$!
pids+=($floor_pid)
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

# CPU time the process has used, in clock ticks (utime + stime; the fields after the command name, which ends with ')').
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
ticks_per_second=$(getconf CLK_TCK)

run() { # url body pid -> "requests/s CPU-microseconds-per-request"
  # A warm-up run first (not counted): tiered compilation with dynamic PGO takes 15-20 s of load on two cores to reach
  # the optimised code (C1 after 5 s of load ran at a quarter of its rate after 25 s), for the floor as for the service.
  LOAD_BODY="$2" wrk -t2 -c"$connections" -d"${warmup}s" -s "$work/post.lua" "$1" >/dev/null
  local before after out
  before=$(cpu_ticks "$3")
  out=$(LOAD_BODY="$2" wrk -t2 -c"$connections" -d"${seconds}s" -s "$work/post.lua" "$1")
  after=$(cpu_ticks "$3")
  # CPU time per request moves less than requests/s when something else shares the cores (this machine's neighbours).
  echo "$out" | awk -v ticks=$((after - before)) -v hz="$ticks_per_second" \
    '/requests in/ { count = $1 } /Requests\/sec/ { rate = $2 } END { printf "%s %.0f\n", rate, ticks * 1000000 / hz / count }'
}

echo "date: $(date -u +%Y-%m-%dT%H:%MZ), load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, ${seconds} s per run after ${warmup} s of warm-up, ${connections} connections"
printf '%-8s %12s %12s %7s %14s %16s %10s\n' payload floor_rps service_rps ratio floor_cpu_us service_cpu_us cpu_ratio
for payload in C1 250 1000; do
  body="$work/$payload.json"
  read -r floor floor_cpu < <(run "http://127.0.0.1:$floor_port/cds-services/bmes-order-select" "$body" "$floor_pid")
  read -r ours ours_cpu < <(run "http://127.0.0.1:$service_port/cds-services/bmes-order-select" "$body" "$service_pid")
  printf '%-8s %12s %12s %7.2f %14s %16s %10.2f\n' "$payload" "$floor" "$ours" "$(echo "$ours / $floor" | bc -l)" \
    "$floor_cpu" "$ours_cpu" "$(echo "$floor_cpu / $ours_cpu" | bc -l)"
done
echo "(cpu_us: CPU time of the process per request; cpu_ratio = floor_cpu_us / service_cpu_us, the share of the floor's rate"
echo " the service would reach with the same CPU: steadier than the ratio of requests/s when other work shares the cores)"
rss_after=$(( $(rss_kb) / 1024 ))
# The service gives back what the burst left behind at its first quiet interval (Memory:IdleTrimSeconds, 5 s).
sleep 11
echo "service RSS after the ${connections}-connection runs: ${rss_after} MB at once, $(( $(rss_kb) / 1024 )) MB after 11 s without calls"

# Latency at a fixed rate: hey's -q is per worker, so 4 workers share the rate. Each target first gets 3 s at the rate
# that are not counted (the service has just given its memory back after the idle pause). The service's own view of the
# same calls comes from its log line per call (DurationMs: the pipeline's parse, record, evaluation and cards; not the
# body's arrival nor the answer's writing), to tell the pipeline's tail from the rest. The floor app at the same rate
# with the same client shows the tail that the machine and the client give any server.
at_rate() { hey -z "$1" -c 4 -q $((rate / 4)) -m POST -T application/json -D "$work/C1.json" "$2"; }
p99_at_rate() {
  at_rate 3s "$1" >/dev/null
  at_rate "${seconds}s" "$1" | awk '/ 99% in / { print $3 * 1000 }'
}
at_rate 3s "http://127.0.0.1:$service_port/cds-services/bmes-order-select" >/dev/null
logged_before=$(wc -l <"$work/service.log")
p99=$(at_rate "${seconds}s" "http://127.0.0.1:$service_port/cds-services/bmes-order-select" | awk '/ 99% in / { print $3 * 1000 }')
sleep 1
inside=$(tail -n +$((logged_before + 1)) "$work/service.log" | grep -o '"DurationMs":[0-9.]*' | cut -d: -f2 | sort -n \
  | awk '{ v[NR] = $1 } END { i = int(NR * 0.99); if (i < 1) i = 1; if (NR) printf "%.1f ms (%d calls)", v[i], NR; else print "none logged" }')
floor_p99=$(p99_at_rate "http://127.0.0.1:$floor_port/cds-services/bmes-order-select")
echo "service p99 at ${rate} req/s (C1): ${p99} ms at the client (hey); in the pipeline: ${inside}; the floor app's p99 at the same rate: ${floor_p99} ms"
errors=$(grep -c '"LogLevel":"Error"\|"Level":"Error"' "$work/service.log" || true)
echo "service log: $(wc -l <"$work/service.log") lines, ${errors} errors"
