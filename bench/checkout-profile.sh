# Sourced by bench/checkout.sh when PROFILE=1: where the work per order goes.
#   profile_prepare   before the app starts: the counting OTLP receiver (the services export to it, no dashboard), dotnet-trace
#   profile_start     before the load: PostgreSQL restarted with pg_stat_statements (killed: the AppHost starts it again), counters reset
#   profile_report R  after it (R: the load's result line): per order, statements by database, transactions, spans, log
#                     records, and the hottest methods of ordering-api and catalog-api (dotnet-trace's thread-time samples)

profile_prepare() {
  dotnet build bench/checkout-otlp-count.cs -c Release -o "$work/count" -nologo -v quiet -clp:ErrorsOnly > /dev/null
  dotnet tool install --tool-path "$work/tools" dotnet-trace --version 10.0.750501 > /dev/null
  otlp_port="$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")"
  dotnet "$work/count/checkout-otlp-count.dll" "$otlp_port" > /dev/null 2>&1 &
  otlp_pid=$!
  trap 'kill -TERM "$otlp_pid" 2> /dev/null || true; app_stop' EXIT
  # Without the dashboard, Aspire still gives the services its OTLP address: the receiver's, here.
  app_flags=(--no-dashboard "--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:$otlp_port")
}

profile_sql() {
  PGPASSWORD="$pg_password" psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -X -q -A -t -F $'\t' "$@"
}

profile_pid() {
  python3 -c '
import json, sys
print(next(r["pid"] for r in json.load(open(sys.argv[1]))["resources"] if r["name"] == sys.argv[2]))' "$app_state" "$1"
}

profile_start() {
  pg_port="$(app_url postgres | sed -E 's/.*:([0-9]+)\/?$/\1/')"
  pg_password="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["postgresPassword"])' "$work/data/secrets.json")"
  profile_sql -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
  kill -KILL "$(profile_pid postgres)"
  local t0=$SECONDS
  until profile_sql -c "SHOW shared_preload_libraries" 2> /dev/null | grep -q pg_stat_statements; do
    if (( SECONDS - t0 > 60 )); then echo "PostgreSQL did not come back with pg_stat_statements" >&2; exit 1; fi
    sleep 0.5
  done
  echo "(profiling: PostgreSQL restarted with pg_stat_statements; telemetry counted by bench/checkout-otlp-count.cs)"
  profile_sql -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" -c "SELECT pg_stat_statements_reset()" > /dev/null
  profile_sql -c "SELECT datname, xact_commit + xact_rollback FROM pg_stat_database WHERE datname LIKE '%db'" > "$work/xacts-before.tsv"
  curl -sf -X DELETE "http://127.0.0.1:$otlp_port/counts"
  local service
  trace_pids=()
  for service in ordering-api catalog-api; do
    ( sleep $(( warmup + 3 )); "$work/tools/dotnet-trace" collect -p "$(profile_pid "$service")" --profile dotnet-sampled-thread-time \
        --duration 00:00:00:15 -o "$work/$service.nettrace" > /dev/null 2>&1 ) &
    trace_pids+=($!)
  done
}

profile_report() {
  wait "${trace_pids[@]}" # the traces
  sleep 3 # the last exports
  local orders
  orders="$(python3 -c '
import sys
f = dict(p.split("=", 1) for p in sys.argv[1].split())
print(int(f["orders"]) + int(f["warmup_orders"]))' "$1")"
  echo
  echo "Per order ($orders orders since the counters were reset; the load's set-up, 8 products and 32 customers, included):"
  profile_sql -c "SELECT datname, xact_commit + xact_rollback FROM pg_stat_database WHERE datname LIKE '%db'" > "$work/xacts-after.tsv"
  profile_sql -c "
    SELECT d.datname, s.calls, s.rows, round(s.total_exec_time::numeric, 1), regexp_replace(left(s.query, 110), '\s+', ' ', 'g')
    FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
    WHERE s.calls >= $orders / 20 ORDER BY d.datname, s.calls DESC" > "$work/statements.tsv"
  curl -sf "http://127.0.0.1:$otlp_port/counts" > "$work/counts.tsv"
  python3 - "$work" "$orders" << 'PY'
import collections, sys
work, orders = sys.argv[1], int(sys.argv[2])
before = dict(l.split("\t") for l in open(f"{work}/xacts-before.tsv").read().split("\n") if l)
after = dict(l.split("\t") for l in open(f"{work}/xacts-after.tsv").read().split("\n") if l)
print("transactions per order: " + ", ".join(f"{db} {(int(after[db]) - int(before.get(db, 0))) / orders:.2f}" for db in sorted(after)))
rows = [l.split("\t") for l in open(f"{work}/statements.tsv").read().split("\n") if l]
for db in sorted({r[0] for r in rows}):
    mine = [r for r in rows if r[0] == db]
    print(f"\n{db}: {sum(int(r[1]) for r in mine) / orders:.2f} statements per order (those run at least once per 20 orders), exec ms per order {sum(float(r[3]) for r in mine) / orders:.3f}")
    print(f"  {'calls':>6} {'exec ms':>8}  statement")
    for r in mine:
        print(f"  {int(r[1]) / orders:6.2f} {float(r[3]) / orders:8.3f}  {r[4]}")
counts = [l.split("\t") for l in open(f"{work}/counts.tsv").read().split("\n") if l]
for signal in ("spans", "logs"):
    mine = [c for c in counts if c[0] == signal]
    print(f"\n{signal} per order: {sum(int(c[4]) for c in mine) / orders:.2f}")
    by_service = collections.Counter()
    for c in mine:
        by_service[c[1]] += int(c[4])
    for service, n in by_service.most_common():
        print(f"  {service}: {n / orders:.2f}")
        for c in sorted((c for c in mine if c[1] == service), key=lambda c: -int(c[4])):
            if int(c[4]) >= orders / 20:
                print(f"    {int(c[4]) / orders:6.2f}  {c[2]}  {c[3]}")
PY
  local service
  for service in ordering-api catalog-api; do
    echo
    echo "$service: the methods most often on top of the sampled stacks, waits left out (% of all samples; dotnet-trace, 15 s of the measured run)"
    "$work/tools/dotnet-trace" report "$work/$service.nettrace" topN -n 60 2>&1 \
      | grep -Ev "^$|Wait|Sleep|Interop\+Sys.Read|WorkerThreadStart|Missing Symbol|PollGC|SpinWait" | head -25 || true
  done
}
