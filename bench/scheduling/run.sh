#!/usr/bin/env bash
# Reproduces the scheduling figures of docs/scheduling.md: the engine benchmark (Release), then the
# same event and campaign end to end through the techmarket CLI (process start and JSON included).
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-$(mktemp -d)}"
dotnet run -c Release --project bench/TechMarket.Scheduling.Bench -- --write-json "$out"
dotnet build src/TechMarket.Cli -v q >/dev/null
cli=src/TechMarket.Cli/bin/Debug/net10.0/techmarket
for verb in meetings campaign; do
  input="$out/event.json"; [ "$verb" = campaign ] && input="$out/campaign.json"
  for run in 1 2 3; do
    /usr/bin/time -f "cli schedule $verb: %e s wall, %M KB max RSS" "$cli" schedule "$verb" --input "$input" --output "$out/$verb-out.json" >/dev/null
  done
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
