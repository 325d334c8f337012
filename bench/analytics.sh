#!/usr/bin/env bash
# Sales analytics over the demo history: the built app (Release), then GET /api/sales/analytics as the admin page asks
# it (days in Europe/Berlin, the period before compared, categories and brands from the catalog) for 30 days, 12 months
# and 2 years. The first call of each period is timed apart (the catalog lookups of its products are not remembered
# yet), then RUNS more (default 5): prints each period's first and median times and the answer's size.
# Target: the analytics page over the two-year history renders in under a second (this call is most of it).
# Usage: bench/analytics.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"

scripts/install-prerequisites.sh
echo "Building (Release)..."
dotnet build ECommerce.AppHost -c Release -nologo -v quiet -clp:ErrorsOnly
source bench/lib/app.sh
app_start
ordering="$(app_url ordering-api)"
app_admin
app_wait_demo_history
token="$(curl -sf -H 'Content-Type: application/json' -H 'X-Forwarded-For: 2001:db8:a::1' \
  -d "{\"email\":\"$admin_email\",\"password\":\"$admin_password\"}" "$ordering/api/identity/login" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["accessToken"])')"

yesterday="$(TZ=Europe/Berlin date -d yesterday +%F)"
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %10s %12s %10s\n' period "first ms" "median ms" "KB"
for period in "29 days:30 days" "1 year + 1 day:12 months" "2 years + 1 day:2 years"; do
  from="$(date -d "$yesterday - ${period%%:*}" +%F)"
  url="$ordering/api/sales/analytics?from=$from&to=$yesterday&timeZone=Europe%2FBerlin"
  times=()
  for i in $(seq 0 "$runs"); do
    read -r t size < <(curl -sf -o /dev/null -w '%{time_total} %{size_download}\n' -H "Authorization: Bearer $token" "$url")
    times+=("$t")
  done
  python3 - "${period##*:}" "$size" "${times[@]}" << 'PY'
import statistics, sys
name, size, first, rest = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), [float(t) for t in sys.argv[4:]]
print(f"{name:<10} {first * 1000:>10.0f} {statistics.median(rest) * 1000:>12.0f} {size / 1000:>10.1f}")
PY
done

# The page itself, as the admin sees it in Chromium: until the chart's first bar shows (first load, then the median
# of RUNS more).
storefront="$(app_url storefront)"
echo "Admin analytics page, first meaningful render (ms):"
dotnet run bench/page-render.cs -- "$storefront" "$runs" "$admin_email" "$admin_password" \
  "/admin/analytics?period=30d&timeZone=Europe%2FBerlin" "[data-testid=sales-chart] rect" \
  "/admin/analytics?period=12m&timeZone=Europe%2FBerlin" "[data-testid=sales-chart] rect" \
  "/admin/analytics?period=24m&timeZone=Europe%2FBerlin" "[data-testid=sales-chart] rect"
