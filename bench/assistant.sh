#!/usr/bin/env bash
# Chat assistant, local engine: per-turn latency (p50, p95) including the tool calls to the local services, and the
# development set's pass rate, from the built app (Release). Each turn is one POST /api/assistant/chat, sent one
# after another by the evaluation command, which replays ../shared/assistant/dev-questions.jsonl ROUNDS times
# (a different catalog product each round), then our paraphrase set once. Targets: p95 < 100 ms, pass rates >= 95%.
# Run it on an idle machine: the figures are wall-clock times of a 2-core box shared by every service.
# Usage: bench/assistant.sh [ROUNDS]   (default 8)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-8}"

scripts/install-prerequisites.sh
echo "Building (Release)..."
dotnet build ECommerce.AppHost -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build AssistantApi -c Release -nologo -v quiet -clp:ErrorsOnly
assistant=AssistantApi/bin/Release/net10.0/AssistantApi.dll
source bench/lib/app.sh
app_start --no-dashboard

# One warm-up round (JIT, the catalog index, connection pools), then the measured rounds.
args=(--url "$(app_url assistant-api)" --ordering-url "$(app_url ordering-api)" --catalog-url "$(app_url catalog-api)" --data-dir "$work/data")
dotnet "$assistant" eval "${args[@]}" --rounds 1 --seed 7 > "$work/warmup.log" 2>&1 || true
dotnet "$assistant" eval "${args[@]}" --rounds "$rounds" --seed 1 | tee "$work/eval.log" | grep -vE "^Round" || true
dotnet "$assistant" eval "${args[@]}" --questions AssistantApi/Evaluation/paraphrases.jsonl --seed 3 > "$work/paraphrases.log" || true
grep -E "^FAIL" "$work/paraphrases.log" || true
line="$(grep '^overall' "$work/eval.log")"
p95="$(sed -E 's/.*p95 ([0-9]+) ms.*/\1/' <<< "$line")"
echo
echo "assistant (local engine), development set: $line"
echo "assistant (local engine), paraphrase set:  $(grep '^overall' "$work/paraphrases.log")"
if (( p95 < 100 )); then echo "p95 per turn ${p95} ms < 100 ms: OK"; else echo "p95 per turn ${p95} ms >= 100 ms: over target"; exit 1; fi
