#!/usr/bin/env bash
# Catalog read throughput: the built app (Release), wrk at 64 connections against catalog-api.
# Each target (product detail, a listing page, a text search) is measured right after catalog-api's
# /alive in the same run, and reported as requests/s, p99 latency and its share of /alive's rate.
# Targets: detail >= 25% of /alive, listing >= 10%, search >= 3%; p99 < 50 ms.
# A last row measures searches that miss the cache (a different price filter on each request).
# Usage: bench/catalog.sh [SECONDS]   (default 10 per measurement; CONNECTIONS=64, THREADS=2)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
connections="${CONNECTIONS:-64}"
threads="${THREADS:-2}"

scripts/install-prerequisites.sh
if ! command -v wrk > /dev/null; then
  if [[ "$(id -u)" == "0" ]]; then
    echo "Installing wrk from the OS packages..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk > /tmp/ecommerce-apt.log 2>&1 \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk > /tmp/ecommerce-apt.log 2>&1; }
  else
    echo "wrk is missing: sudo apt-get install -y wrk" >&2
    exit 1
  fi
fi

echo "Building (Release)..."
dotnet build ECommerce.AppHost -c Release -nologo -v quiet -clp:ErrorsOnly
source bench/lib/app.sh
app_start
catalog="$(app_url catalog-api)"

# A product that is on the first listing page (its detail), a listing page, and a text search.
product="$(curl -sf "$catalog/api/catalog/products?category=rain-jackets&pageSize=1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])')"
detail="/api/catalog/products/$product"
listing="/api/catalog/products?category=clothing&inStock=true&sort=price-asc&pageSize=24"
search="/api/catalog/products?q=waterproof%20jacket&pageSize=24"
for path in /alive "$detail" "$listing" "$search"; do
  curl -sf -o /dev/null "$catalog$path" || { echo "GET $path failed" >&2; exit 1; }
done

# Searches the cache cannot answer: the same text with a different maximum price each time.
cat > "$work/uncached.lua" << 'LUA'
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
local n = 0
function init(args)
  n = id * 45000
end
request = function()
  n = n + 1
  -- 90,000 different prices: no two requests of a run share a cache entry.
  return wrk.format("GET", string.format("/api/catalog/products?q=waterproof%%20jacket&pageSize=24&maxPrice=%d.%02d", 100 + (n % 900), math.floor(n / 900) % 100))
end
LUA

# Runs wrk; prints "requests/s p99_ms errors".
measure() {
  local out
  out="$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$@" 2>&1)"
  python3 -c '
import re, sys
out = sys.stdin.read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
errors += int(non2xx.group(1)) if non2xx else 0
print(f"{rps:.0f} {p99:.1f} {errors}")' <<< "$out"
}

# Warm-up: JIT, connection pools, caches.
wrk -t"$threads" -c"$connections" -d3s "$catalog/alive" > /dev/null
for path in "$detail" "$listing" "$search"; do wrk -t"$threads" -c"$connections" -d2s "$catalog$path" > /dev/null; done

echo
echo "catalog-api at $catalog: wrk -t$threads -c$connections, ${seconds} s per measurement, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(the machine is shared: other builds and tests running at the same time lower every figure)"
printf "%-34s %10s %9s %8s %14s %9s %6s\n" "target" "req/s" "p99 ms" "errors" "vs /alive" "target" "result"
status=0
report() {
  local name="$1" target="$2" path="$3"; shift 3
  local alive result
  alive=($(measure "$catalog/alive"))
  result=($(measure "$@" "$catalog$path"))
  printf "%-34s %10s %9s %8s\n" "  /alive (just before)" "${alive[0]}" "${alive[1]}" "${alive[2]}"
  local ratio verdict
  ratio="$(python3 -c "print(f'{100 * ${result[0]} / ${alive[0]}:.1f}')")"
  if [[ "$target" == "-" ]]; then
    verdict="info"
  elif python3 -c "import sys; sys.exit(0 if ${result[0]} >= ${target} / 100 * ${alive[0]} and ${result[1]} < 50 and ${result[2]} == 0 else 1)"; then
    verdict="PASS"
  else
    verdict="FAIL"; status=1
  fi
  [[ "$target" == "-" ]] && target="-" || target=">=${target}%"
  printf "%-34s %10s %9s %8s %13s%% %9s %6s\n" "$name" "${result[0]}" "${result[1]}" "${result[2]}" "$ratio" "$target" "$verdict"
}
report "product detail" 25 "$detail"
report "listing page (clothing, in stock)" 10 "$listing"
report "text search (waterproof jacket)" 3 "$search"
report "text search, never cached" - "/" -s "$work/uncached.lua"
exit $status
