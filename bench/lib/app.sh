# Sourced by the benchmarks (from the repository root): the built Release AppHost on free ports with throw-away data.
#   work       a scratch folder, removed at exit
#   app_start [AppHost options...]   starts it and waits until every resource is healthy (180 s at most)
#   app_url NAME                     a resource's URL from the state file
# The app is stopped at exit; KEEP_LOGS=DIR keeps the resources' logs (the ephemeral data dir goes at stop).
work="$(mktemp -d /tmp/ecommerce-bench.XXXXXX)"
app_state="$work/state.json"
app_pid=""
app_resources=7

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
    --data-dir "$work/data" --state-file "$app_state" "$@" > "$work/apphost.log" 2>&1 &
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
