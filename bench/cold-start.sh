#!/usr/bin/env bash
# Cold start of the built app: from launching the AppHost to every resource healthy.
# Measures RUNS starts with a fresh data dir (initdb included) and RUNS with an existing one,
# then prints each time and the medians. Usage: bench/cold-start.sh [RUNS] (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
resources=7

scripts/install-prerequisites.sh
dotnet build ECommerce.AppHost -c Release -nologo -v quiet -clp:ErrorsOnly
apphost=ECommerce.AppHost/bin/Release/net10.0/ECommerce.AppHost.dll
work="$(mktemp -d /tmp/ecommerce-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# Starts the AppHost, waits for all resources healthy, prints the seconds it took, stops it.
start_once() {
  local data="$1" state="$work/state.json"
  rm -f "$state"
  local t0; t0=$(date +%s%N)
  dotnet "$apphost" --random-ports --quiet --data-dir "$data" --state-file "$state" > "$work/apphost.log" 2>&1 &
  local pid=$!
  until [[ -f "$state" ]] && (( $(grep -c '"state": "Healthy"' "$state") == resources )); do
    if ! kill -0 "$pid" 2> /dev/null; then echo "AppHost exited:" >&2; tail -30 "$work/apphost.log" >&2; exit 1; fi
    if (( ($(date +%s%N) - t0) / 1000000000 > 120 )); then echo "Not healthy after 120 s" >&2; kill "$pid"; exit 1; fi
    sleep 0.05
  done
  local t1; t1=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" || true
  awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f\n", ns / 1e9 }'
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "Cold start to all $resources resources healthy, $runs runs each ($(nproc) cores)"
fresh=() warm=()
for i in $(seq "$runs"); do
  rm -rf "$work/data"
  fresh+=("$(start_once "$work/data")")
  warm+=("$(start_once "$work/data")")
  echo "  run $i: fresh data dir ${fresh[-1]} s, existing data dir ${warm[-1]} s"
done
echo "median fresh data dir:    $(printf '%s\n' "${fresh[@]}" | median) s"
echo "median existing data dir: $(printf '%s\n' "${warm[@]}" | median) s"
