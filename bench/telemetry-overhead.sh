#!/usr/bin/env bash
# Does the dashboard slow the app? Loads the storefront's GET /api/status (it calls the four backends:
# 9 spans, plus metrics, per request) on a fresh app per round, in three modes, rounds alternating:
#   off   --no-dashboard: the services export no telemetry,
#   sink  the services export to bench/otlp-sink.cs, which reads and drops every export,
#   on    the services export to the dashboard, which stores it (the default).
# sink vs off is what exporting costs the services (their OpenTelemetry SDK); on vs sink is what the
# dashboard's receiver and store cost. Each round measures:
#   - saturated: CONCURRENCY loops as fast as they go (the worst case: every core busy),
#   - paced:     RATE requests per second (busier than a developer clicking around),
# and, over the saturated part, CPU time per request of the receiver (the Aspire dashboard, or the sink in
# sink mode) and of every process of the app (the services, PostgreSQL, Redis, the AppHost, DCP and the dashboard): on a busy machine CPU per request varies much less than
# requests per second. Prints every round and the medians (about 4 minutes).
# Usage: bench/telemetry-overhead.sh [ROUNDS] [SECONDS] [CONCURRENCY] [RATE]   (WARMUP=seconds before measuring, default 6)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}" seconds="${2:-6}" concurrency="${3:-8}" rate="${4:-50}" warmup="${WARMUP:-6}"
resources=7

scripts/install-prerequisites.sh
dotnet build ECommerce.AppHost -c Release -nologo -v quiet -clp:ErrorsOnly
apphost=ECommerce.AppHost/bin/Release/net10.0/ECommerce.AppHost.dll
work="$(mktemp -d /tmp/ecommerce-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
dotnet build bench/http-load.cs -c Release -o "$work/load" -nologo -v quiet -clp:ErrorsOnly > /dev/null
dotnet build bench/otlp-sink.cs -c Release -o "$work/sink" -nologo -v quiet -clp:ErrorsOnly > /dev/null
load="$work/load/http-load.dll"

state_get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$work/state.json" "$1"; }
cpu_seconds() { for p in "$@"; do cat "/proc/$p/stat" 2> /dev/null; done | awk '{ sum += $14 + $15 } END { print sum / 100 }'; }  # utime + stime
field() { sed -E "s/.*$1=([0-9.]+).*/\1/" <<< "$2"; }
per_request() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.3f", (b - a) * 1000 / n }'; }
free_port() { python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }

# One round on a fresh app: prints "rps p50 p95 receiver_ms all_ms paced_p50 paced_p95 errors".
round() {
  local mode="$1" receivers="" sink=""
  rm -f "$work/state.json"
  local flags=(--random-ports --ephemeral --quiet --data-dir "$work/data" --state-file "$work/state.json")
  local environment=(OTEL_EXPORTER_OTLP_ENDPOINT=)
  if [[ "$mode" == off ]]; then
    flags+=(--no-dashboard)
  elif [[ "$mode" == sink ]]; then
    local port; port=$(free_port)
    dotnet "$work/sink/otlp-sink.dll" "$port" > /dev/null 2>&1 &
    sink=$!
    flags+=(--no-dashboard)
    # The services export to the sink as often as they do to the dashboard.
    environment=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$port" OTEL_BSP_SCHEDULE_DELAY=1000 OTEL_BLRP_SCHEDULE_DELAY=1000 OTEL_METRIC_EXPORT_INTERVAL=1000)
  fi
  env "${environment[@]}" dotnet "$apphost" "${flags[@]}" > "$work/apphost.log" 2>&1 &
  local pid=$! t0=$SECONDS
  until [[ -f "$work/state.json" ]] && (( $(grep -c '"state": "Healthy"' "$work/state.json") == resources )); do
    if ! kill -0 "$pid" 2> /dev/null; then echo "AppHost exited:" >&2; tail -30 "$work/apphost.log" >&2; exit 1; fi
    if (( SECONDS - t0 > 120 )); then echo "Not healthy after 120 s" >&2; kill "$pid"; exit 1; fi
    sleep 0.1
  done
  local url; url="$(state_get "[r for r in d['resources'] if r['name']=='storefront'][0]['urls'][0]")/api/status"
  dotnet "$load" "$url" "$warmup" "$concurrency" > /dev/null   # warm-up: JIT and tiering, connection pools
  # Aspire's DCP runs detached from the AppHost and starts the dashboard: both found by their package's path (one app runs).
  local aspire; aspire="$(pgrep -f 'aspire.hosting.orchestration|aspire.dashboard' | tr '\n' ' ')"
  receivers="$sink $(pgrep -f 'aspire.dashboard' | tr '\n' ' ')"
  local all="$pid $sink $aspire $(state_get "' '.join(str(r['pid']) for r in d['resources'])")"
  local r0 a0; r0=$(cpu_seconds $receivers); a0=$(cpu_seconds $all)
  local saturated; saturated=$(dotnet "$load" "$url" "$seconds" "$concurrency")
  local r1 a1; r1=$(cpu_seconds $receivers); a1=$(cpu_seconds $all)
  local paced; paced=$(dotnet "$load" "$url" "$seconds" "$concurrency" "$rate")
  kill -TERM "$pid"; wait "$pid" || true
  [[ -n "$sink" ]] && { kill -TERM "$sink"; wait "$sink" || true; }
  rm -rf "$work/data"
  local requests; requests=$(field requests "$saturated")
  echo "$(field rps "$saturated") $(field p50 "$saturated") $(field p95 "$saturated")" \
    "$(per_request "$r0" "$r1" "$requests") $(per_request "$a0" "$a1" "$requests")" \
    "$(field p50 "$paced") $(field p95 "$paced") $(( $(field errors "$saturated") + $(field errors "$paced") ))"
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "GET storefront /api/status: saturated with $concurrency loops, then paced at $rate req/s; ${seconds} s each, $rounds rounds per mode, $(nproc) cores"
modes=(off sink on)
declare -A rps p50 p95 receiver all pp50 pp95
line="%-18s saturated: %6s req/s  p50 %6s ms  p95 %6s ms  CPU/request: receiver %5s ms, all %5s ms | paced: p50 %6s ms  p95 %6s ms"
for i in $(seq "$rounds"); do
  for mode in "${modes[@]}"; do
    read -r r a b h c d e errors <<< "$(round "$mode")"
    rps[$mode]+="$r "; p50[$mode]+="$a "; p95[$mode]+="$b "; receiver[$mode]+="$h "; all[$mode]+="$c "; pp50[$mode]+="$d "; pp95[$mode]+="$e "
    printf "$line | errors %s\n" "round $i, $mode" "$r" "$a" "$b" "$h" "$c" "$d" "$e" "$errors"
  done
done
for mode in "${modes[@]}"; do
  printf "$line\n" "median, $mode" "$(median <<< "${rps[$mode]}")" "$(median <<< "${p50[$mode]}")" "$(median <<< "${p95[$mode]}")" \
    "$(median <<< "${receiver[$mode]}")" "$(median <<< "${all[$mode]}")" "$(median <<< "${pp50[$mode]}")" "$(median <<< "${pp95[$mode]}")"
done
