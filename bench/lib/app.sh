# Sourced by the benchmarks (from the repository root): the built Release AppHost on free ports with throw-away data.
#   work       a scratch folder, removed at exit
#   app_start [AppHost options...]   starts it and waits until every resource is healthy (180 s at most);
#                                    REPLICAS=N runs each API as N replicas (the AppHost's --replicas; default 1)
#   app_url NAME                     a resource's URL from the state file
#   app_admin                        sets admin_email and admin_password (the AppHost's generated admin)
#   app_wait_demo_history            waits for OrderingApi's demo history (written after the first start), prints its line
#   app_wait_first_forecast [SECONDS] waits for ForecastWorker's first run over that history, prints its line
# The app is stopped at exit; KEEP_LOGS=DIR keeps the resources' logs (the ephemeral data dir goes at stop).
work="$(mktemp -d /tmp/ecommerce-bench.XXXXXX)"
app_state="$work/state.json"
app_pid=""
replicas="${REPLICAS:-1}"
# postgres, redis, the storefront, and each of the four APIs once per replica (a state-file entry per replica).
app_resources=$(( 3 + 4 * replicas ))

app_stop() {
  if [[ -n "${KEEP_LOGS:-}" ]]; then mkdir -p "$KEEP_LOGS" && cp "$work"/data/logs/*.log "$KEEP_LOGS"/ 2> /dev/null || true; fi
  if [[ -n "$app_pid" ]] && kill -0 "$app_pid" 2> /dev/null; then
    kill -TERM "$app_pid"
    wait "$app_pid" 2> /dev/null || true
  fi
  rm -rf "$work"
}
trap app_stop EXIT

app_start() {
  dotnet ECommerce.AppHost/bin/Release/net10.0/ECommerce.AppHost.dll --random-ports --ephemeral --quiet \
    --data-dir "$work/data" --state-file "$app_state" --replicas "$replicas" "$@" > "$work/apphost.log" 2>&1 &
  app_pid=$!
  local t0=$SECONDS
  until [[ -f "$app_state" ]] && (( $(grep -c '"state": "Healthy"' "$app_state") == app_resources )); do
    if ! kill -0 "$app_pid" 2> /dev/null; then echo "The AppHost exited:" >&2; tail -30 "$work/apphost.log" >&2; exit 1; fi
    if (( SECONDS - t0 > 180 )); then echo "Not healthy after 180 s" >&2; tail -30 "$work/apphost.log" >&2; exit 1; fi
    sleep 0.2
  done
}

app_url() {
  python3 -c '
import json, sys
state = json.load(open(sys.argv[1]))
print(next(r["urls"][0] for r in state["resources"] if r["name"] == sys.argv[2]))' "$app_state" "$1"
}

# Every process of the app: the AppHost's process tree, and DCP and the dashboard (DCP runs detached from the AppHost).
app_processes() {
  python3 - "$1" <<'PY'
import os, sys
root = int(sys.argv[1])
parent, cmd = {}, {}
for p in os.listdir("/proc"):
    if not p.isdigit():
        continue
    try:
        stat = open(f"/proc/{p}/stat").read()
        parent[int(p)] = int(stat[stat.rindex(")") + 2:].split()[1])
        cmd[int(p)] = open(f"/proc/{p}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        pass
def under(pid, roots):
    while pid > 1:
        if pid in roots:
            return True
        pid = parent.get(pid, 0)
    return False
def program(c):
    return (c.split(" ")[0] if c else "").lower()
roots = {root} | {p for p, c in cmd.items() if "aspire.hosting.orchestration" in program(c) or "aspire.dashboard" in program(c)}
for p in sorted(p for p in cmd if under(p, roots)):
    print(p, cmd[p])
PY
}

# PSS in MB by part (and in all), of app_processes.
app_pss() {
  app_processes "$1" | python3 -c '
import sys, collections, os
parts = collections.Counter()
for line in sys.stdin:
    pid, cmd = line.split(" ", 1)
    try:
        rollup = open(f"/proc/{pid}/smaps_rollup").read()
    except OSError:
        continue
    kb = next(int(l.split()[1]) for l in rollup.splitlines() if l.startswith("Pss:"))
    c = cmd.lower()
    if "ecommerce.apphost" in c: part = "AppHost (Aspire)"
    elif "aspire.dashboard" in c: part = "dashboard (Aspire)"
    elif "orchestration" in c and "dcp" in c: part = "DCP (Aspire)"
    elif "postgres" in c: part = "postgres"
    elif "redis-server" in c: part = "redis"
    else: part = os.path.basename(cmd.split()[0])
    parts[part] += kb
for part, kb in parts.most_common():
    print(f"{part:<22} {kb / 1024:8.1f} MB")
aspire = sum(kb for p, kb in parts.items() if "(Aspire)" in p)
print("%-22s %8.1f MB" % ("Aspire altogether", aspire / 1024))
print("%-22s %8.1f MB" % ("whole app", sum(parts.values()) / 1024))'
}

app_admin() {
  read -r admin_email admin_password < <(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
print(c["email"], c["password"])' "$work/data/admin-credentials.json")
}

# The demo history is written in the background at first start: wait for it (its log line has the timings).
app_wait_demo_history() {
  local log="$work/data/logs/ordering-api.log" t0=$SECONDS
  until grep -q "Demo history: [0-9]* orders" "$log" 2> /dev/null; do
    if grep -q "Demo history could not be generated" "$log" 2> /dev/null; then echo "The demo history failed:" >&2; grep -A5 "Demo history could not" "$log" >&2; exit 1; fi
    if (( SECONDS - t0 > 300 )); then echo "No demo history after 300 s" >&2; exit 1; fi
    sleep 0.5
  done
  grep -o "Demo history: [0-9]* orders.*" "$log" | head -1
}

# Waits (up to SECONDS, default 180) for the forecaster's first run over the demo history, start-up work too; prints its line.
# A run that started before the history was written found no sales (its mean RMSSE is null): the next one is waited for.
app_wait_first_forecast() {
  local log="$work/data/logs/forecast-worker.log" t0=$SECONDS
  until grep -q "Forecast run [0-9]* complete: .* mean RMSSE [0-9]" "$log" 2> /dev/null; do
    if (( SECONDS - t0 > ${1:-180} )); then echo "(no forecast run over the demo history within ${1:-180} s: measuring beside it)"; return; fi
    sleep 1
  done
  grep -o "Forecast run [0-9]* complete: .* mean RMSSE [0-9].*" "$log" | head -1
}
