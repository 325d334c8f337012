#!/usr/bin/env bash
# Runs every test: unit, integration (the whole app on real PostgreSQL and Redis) and browser
# tests. Ends with one line: "N passed, N failed, N skipped" with the real totals.
set -uo pipefail
cd "$(dirname "$0")"

scripts/install-prerequisites.sh --browser || exit 1

results="$(mktemp -d /tmp/ecommerce-test-results.XXXXXX)"
trap 'rm -rf "$results"' EXIT

dotnet build ECommerce.sln -nologo -v quiet -clp:ErrorsOnly || { echo "Build failed."; echo "0 passed, 0 failed"; exit 1; }

# Test projects of the solution, one at a time (a 2-core machine; integration tests start the
# whole app): unit tests first, then the ones that start the app or a browser.
mapfile -t projects < <(dotnet sln ECommerce.sln list | grep -E '^tests/.*\.csproj$' \
  | while read -r p; do grep -q 'Microsoft.NET.Test.Sdk' "$p" && echo "$p"; done \
  | awk '{ print (/Integration|Browser/ ? 1 : 0) "\t" $0 }' | sort | cut -f2)

status=0 broken=()
for project in "${projects[@]}"; do
  echo "== $project"
  dotnet test "$project" --no-build -nologo \
    --results-directory "$results" --logger "trx" --logger "console;verbosity=normal" \
    --blame-hang-timeout 15m --blame-hang-dump-type none || { status=1; broken+=("$project"); }
done

# Every test assembly writes a TRX file; add up their counters.
passed=0 failed=0 skipped=0 files=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  files=$((files + 1))
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<< "$counters"; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed)
  e=$(get error); t=$(get timeout); a=$(get aborted)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done

for project in "${broken[@]}"; do echo "FAILED run of $project"; done
# Name every failed test with the first line of its message (and a browser test's "waiting for" step) and the line of
# test code it failed at, so the end of a CI log says what broke.
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  awk '
    function unxml(s) { gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s); gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&amp;/, "\\&", s); return s }
    /<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); name = unxml(substr($0, RSTART + 10, RLENGTH - 11)); failing = 1; named = 0; waiting = 0; located = 0 }
    failing && /<Message>/ { line = $0; sub(/.*<Message>/, "", line); sub(/<\/Message>.*/, "", line); inmessage = 1; print "FAILED " name ": " substr(unxml(line), 1, 400); named = 1 }
    failing && inmessage && /waiting for/ && !waiting { line = unxml($0); sub(/^[ -]*/, "", line); sub(/<\/Message>.*/, "", line); print "    " substr(line, 1, 300); waiting = 1 }
    failing && /<\/Message>/ { inmessage = 0 }
    failing && located < 2 && /\/tests\/.*:line [0-9]+/ { line = $0; sub(/.* in .*\/tests\//, "tests/", line); sub(/<.*/, "", line); print "    at " line; located++ }
    /<\/UnitTestResult>/ { if (failing && !named) print "FAILED " name; failing = 0; inmessage = 0 }
  ' "$trx"
done

if (( files == 0 )); then
  echo "No test results were written."
  status=1
elif (( status != 0 && failed == 0 )); then
  # The run failed without a failed test (a crashed or hung test host): count it.
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $(( status != 0 || failed > 0 ))
