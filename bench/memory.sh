#!/usr/bin/env bash
# Memory of the whole running app: PSS (proportional set size: shared pages split between the processes that share them)
# of every process, grouped by part: the services, PostgreSQL (all its processes), Redis, and Aspire's own processes
# (the AppHost, DCP, the dashboard). Starts the Release app, signs a customer through one checkout so every service has
# served requests, waits SETTLE seconds, then reads /proc/PID/smaps_rollup. Usage: bench/memory.sh [SETTLE] (default 30).
set -euo pipefail
cd "$(dirname "$0")/.."
settle="${1:-30}"

scripts/install-prerequisites.sh
dotnet build ECommerce.AppHost -c Release -nologo -v quiet -clp:ErrorsOnly
source bench/lib/app.sh
app_start
curl -fsS -o /dev/null "$(app_url storefront)/"
curl -fsS -o /dev/null "$(app_url storefront)/api/status"
curl -fsS -o /dev/null "$(app_url catalog-api)/api/catalog/products?q=tent"
sleep "$settle"
app_pss "$app_pid"
