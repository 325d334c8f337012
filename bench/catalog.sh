#!/usr/bin/env bash
# Catalog read throughput at two catalog sizes in one sitting: the built app (Release), wrk at 64 connections against
# catalog-api, once with the 192 hand-made products and once with generated products up to the second size
# (Catalog:SeedProducts). Each target is measured right after catalog-api's /alive in the same run, and reported as
# requests/s, p99 latency and its share of /alive's rate (the machine is shared: ratios are the robust figures).
# Rows: product detail and a listing page (cached), then reads the cache has never seen (a different maximum price on
# every request): searches with misspelt words, listings with facet filters, listings with spec filters and spec sorts
# (tents sleeping 2 or more lightest first, light shoes with a membrane, ...), searches sorted by customer rating (some
# with a minimum rating; run once the demo history's reviews are in the catalog), and page 50 of a category.
# Targets (every size): detail >= 60% of /alive and p99 < 50 ms; cached listing >= 40% (p99 < 50 ms); never-cached
# search >= 5% with p99 < 200 ms (rating sort too); never-cached filtered listing (facet or spec filters) >= 10% with
# p99 < 150 ms; no errors anywhere.
# Also printed: the seed's time and catalog-api's memory (PSS) at each size.
# Usage: bench/catalog.sh [SECONDS] [SIZES]   (default 10 per measurement, sizes "192 100000"; CONNECTIONS=64, THREADS=2)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
sizes="${2:-192 100000}"
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

# Reads the cache has never seen: the given paths in turn, each with a maximum price no other request of the run has.
uncached() {
  local file="$work/$1.lua"; shift
  {
    echo "local paths = {"
    for path in "$@"; do echo "  \"$path\","; done
    cat << 'LUA'
}
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
  -- 90,000 different prices per path: no two requests of a run share a cache entry.
  return wrk.format("GET", string.format("%s&maxPrice=%d.%02d", paths[n % #paths + 1], 100 + (n % 900), math.floor(n / 900) % 100))
end
LUA
  } > "$file"
  echo "$file"
}
typos="$(uncached typos \
  "/api/catalog/products?q=waterprof%20jakcet&pageSize=24" \
  "/api/catalog/products?q=sleping%20bag&pageSize=24" \
  "/api/catalog/products?q=hikng%20boots&pageSize=24" \
  "/api/catalog/products?q=trail%20runing%20shoes&pageSize=24" \
  "/api/catalog/products?q=insulated%20jackt&pageSize=24" \
  "/api/catalog/products?q=climbing%20harnes&pageSize=24")"
filtered="$(uncached filtered \
  "/api/catalog/products?category=clothing&colour=red&size=m&inStock=true&pageSize=24" \
  "/api/catalog/products?category=footwear&brand=trailcraft&brand=wildpath&size=42&sort=price-asc&pageSize=24" \
  "/api/catalog/products?category=camping-hiking&colour=olive&inStock=true&sort=newest&pageSize=24" \
  "/api/catalog/products?category=jackets&size=l&colour=navy&colour=black&pageSize=24")"
specs="$(uncached specs \
  "/api/catalog/products?category=tents&spec=capacity:2..&sort=spec:weight&pageSize=24" \
  "/api/catalog/products?category=footwear&spec=weight:..400&spec=waterproof-membrane:yes&pageSize=24" \
  "/api/catalog/products?category=sleeping-bags&spec=comfort-temperature:..0&spec=fill:down&pageSize=24" \
  "/api/catalog/products?category=jackets&spec=waterproof-rating:10000..&sort=spec:weight&pageSize=24")"
rated="$(uncached rated \
  "/api/catalog/products?q=jacket&sort=rating&pageSize=24" \
  "/api/catalog/products?q=tent&sort=rating&minRating=3&pageSize=24" \
  "/api/catalog/products?q=boots&sort=rating&pageSize=24" \
  "/api/catalog/products?q=sleeping%20bag&sort=rating&minRating=4&pageSize=24")"
deep="$(uncached deep "/api/catalog/products?category=clothing&sort=price-asc&page=50&pageSize=24")"

# Runs wrk; prints "requests/s p99_ms errors".
measure() {
  local out
  out="$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$@" 2>&1)"
  python3 -c '
import re, sys
out = sys.stdin.read()
if not re.search(r"Requests/sec:", out):
    print("wrk gave no figures:", out.strip()[-500:], file=sys.stderr)
    print("0 0.0 1")
    sys.exit(0)
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
errors += int(non2xx.group(1)) if non2xx else 0
print(f"{rps:.0f} {p99:.1f} {errors}")' <<< "$out"
}

status=0
# report NAME TARGET_PERCENT MAX_P99_MS PATH [wrk options]: TARGET "-" only informs.
report() {
  local name="$1" target="$2" max_p99="$3" path="$4"; shift 4
  local alive result
  alive=($(measure "$catalog/alive"))
  result=($(measure "$@" "$catalog$path"))
  printf "%-44s %10s %9s %8s\n" "  /alive (just before)" "${alive[0]}" "${alive[1]}" "${alive[2]}"
  local ratio verdict
  ratio="$(python3 -c "print(f'{100 * ${result[0]} / ${alive[0]}:.1f}')")"
  if [[ "$target" == "-" ]]; then
    verdict="info"
  elif python3 -c "import sys; sys.exit(0 if ${result[0]} >= ${target} / 100 * ${alive[0]} and ${result[1]} < ${max_p99} and ${result[2]} == 0 else 1)"; then
    verdict="PASS"
  else
    verdict="FAIL"; status=1
  fi
  [[ "$target" == "-" ]] && target="-" || target=">=${target}%, <${max_p99}ms"
  printf "%-44s %10s %9s %8s %9s%% %17s %6s\n" "$name" "${result[0]}" "${result[1]}" "${result[2]}" "$ratio" "$target" "$verdict"
}

for size in $sizes; do
  if [[ -n "$app_pid" ]]; then
    kill -TERM "$app_pid"; wait "$app_pid" 2> /dev/null || true
    app_pid=""; rm -f "$app_state"
  fi
  echo
  echo "Starting the app with Catalog:SeedProducts=$size..."
  app_start "--Catalog:SeedProducts=$size"
  catalog="$(app_url catalog-api)"
  catalog_log="$work/data/logs/catalog-api.log"
  # The index loads in the background after start-up: wait for it (a listing answers once it is loaded).
  curl -sf -o /dev/null --max-time 120 "$catalog/api/catalog/products?pageSize=1" || { echo "The listing did not answer" >&2; exit 1; }

  product="$(curl -sf "$catalog/api/catalog/products?category=rain-jackets&pageSize=1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])')"
  detail="/api/catalog/products/$product"
  listing="/api/catalog/products?category=clothing&inStock=true&sort=price-asc&pageSize=24"
  for path in /alive "$detail" "$listing"; do
    curl -sf -o /dev/null "$catalog$path" || { echo "GET $path failed" >&2; exit 1; }
  done

  # Start-up work of the other services runs on the same two cores: the demo history (reads the whole catalog, writes
  # two years of orders, then reviews, whose ratings it sends to the catalog) and the forecaster's first run over it.
  # Measure after both, as a shop runs between its forecast runs (every 6 hours).
  app_wait_demo_history | sed 's/^/  /'
  for _ in $(seq 1 180); do
    curl -sf "$catalog/api/catalog/products?sort=rating&pageSize=1" | python3 -c 'import json, sys; sys.exit(0 if json.load(sys.stdin)["items"][0]["rating"]["count"] > 0 else 1)' && break
    sleep 1
  done
  app_wait_first_forecast 600 | sed 's/^/  /'

  # Warm-up: JIT, connection pools, caches.
  wrk -t"$threads" -c"$connections" -d3s "$catalog/alive" > /dev/null
  for path in "$detail" "$listing"; do wrk -t"$threads" -c"$connections" -d2s "$catalog$path" > /dev/null; done
  for script in "$typos" "$filtered" "$specs" "$rated"; do wrk -t"$threads" -c"$connections" -d2s -s "$script" "$catalog/" > /dev/null; done

  echo
  echo "catalog-api at $catalog with $(curl -sf "$catalog/api/catalog/products?pageSize=1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])') products: wrk -t$threads -c$connections, ${seconds} s per measurement, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  grep -ho "Seeded the catalog: .*" "$catalog_log" | sed 's/^/  /' || true
  grep -ho "Catalog index loaded: .*" "$catalog_log" | tail -1 | sed 's/^/  /' || true
  printf "%-44s %10s %9s %8s %10s %17s %6s\n" "target" "req/s" "p99 ms" "errors" "vs /alive" "target" "result"
  report "product detail" 60 50 "$detail"
  report "listing page (clothing, in stock)" 40 50 "$listing"
  report "search with typos, never cached" 5 200 "/" -s "$typos"
  report "listing with facet filters, never cached" 10 150 "/" -s "$filtered"
  report "listing with spec filters, never cached" 10 150 "/" -s "$specs"
  report "search sorted by rating, never cached" 5 200 "/" -s "$rated"
  report "page 50 of clothing, never cached" - 1000 "/" -s "$deep"
  echo "  catalog-api memory (PSS) after the runs: $(app_pss "$app_pid" | grep -i '^CatalogApi' | awk '{print $2, $3}')"
done
exit $status
