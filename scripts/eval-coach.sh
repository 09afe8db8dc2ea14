#!/usr/bin/env bash
# Measures need coaching (docs/matching.md, 需求辅导): eval match on M1x with the shipped model and in search order,
# raw needs against coached ones (--coach: the coach's keywords and field applied), and the two halves apart
# (--coach-apply keywords|field); scored by trec_metrics.py on all needs and on the held-out odd ones.
#   scripts/eval-coach.sh [csl-dir]     (default ../shared/data/csl)
set -euo pipefail
cd "$(dirname "$0")/.."
CSL=${1:-../shared/data/csl}
M1X=$CSL/M1x_need2supply_distractors
METRICS=$CSL/../../tools/trec_metrics.py
for f in "$M1X/docs.jsonl" "$M1X/queries.dev.tsv" "$M1X/qrels.dev.trec" "$M1X/needs_meta.dev.jsonl" "$METRICS"; do
  [ -f "$f" ] || { echo "缺少基准数据：$f" >&2; exit 1; }
done
dotnet build src/TechMarket.Cli -c Release -v q -nologo >/dev/null
TM=src/TechMarket.Cli/bin/Release/net10.0/techmarket
OUT=bench-out/coach
mkdir -p "$OUT"
awk 'NR%2==0' "$M1X/queries.dev.tsv" > "$OUT/odd.tsv"
run() { # name model extra-options...
  local name=$1 model=$2; shift 2
  "$TM" eval match --docs "$M1X/docs.jsonl" --queries "$M1X/queries.dev.tsv" --qrels "$M1X/qrels.dev.trec" \
    --needs-meta "$M1X/needs_meta.dev.jsonl" --model "$model" --run "$OUT/$name.run" "$@" >/dev/null 2>"$OUT/$name.err"
  grep 需求辅导 "$OUT/$name.err" || true
  echo "$name, held-out odd needs: $(python3 "$METRICS" "$OUT/$name.run" --bench "$M1X" --queries "$OUT/odd.tsv" | tr -d '\n ')"
  echo "$name, all needs: $(python3 "$METRICS" "$OUT/$name.run" --bench "$M1X" | tr -d '\n ')"
}
B=ml-models/match/bootstrap.model
run bootstrap-raw "$B"
run bootstrap-coached "$B" --coach
run bootstrap-coached-keywords "$B" --coach --coach-apply keywords
run bootstrap-coached-field "$B" --coach --coach-apply field
run none-raw none
run none-coached none --coach
