#!/usr/bin/env bash
# Rebuilds ml-models/match/bootstrap.model from public data, and measures it, as its card says.
#   ml-models/match/train-bootstrap.sh [csl-dir]     (default ../shared/data/csl; fails loudly when absent)
# 1. pair features of M1's even-numbered dev needs (by line), computed by the server's own pipeline
#    (techmarket match features), with the need's discipline given for half of them;
# 2. LightGBM lambdarank through ML.NET (techmarket match train, defaults: 100 trees, 31 leaves, rate 0.1);
# 3. eval match on M1x, scored by trec_metrics.py on the held-out odd needs and on all needs, beside the
#    pipeline's own search order (--model none).
set -euo pipefail
cd "$(dirname "$0")/../.."
CSL=${1:-../shared/data/csl}
M1=$CSL/M1_need2supply
M1X=$CSL/M1x_need2supply_distractors
for f in "$M1/docs.jsonl" "$M1/queries.dev.tsv" "$M1/qrels.dev.trec" "$M1/needs_meta.dev.jsonl" "$M1X/docs.jsonl" "$CSL/../../tools/trec_metrics.py"; do
  [ -f "$f" ] || { echo "缺少基准数据：$f" >&2; exit 1; }
done
METRICS=$CSL/../../tools/trec_metrics.py
dotnet build src/TechMarket.Cli -c Release -v q -nologo >/dev/null
TM=src/TechMarket.Cli/bin/Release/net10.0/techmarket
OUT=bench-out/match
mkdir -p "$OUT"
"$TM" match features --docs "$M1/docs.jsonl" --queries "$M1/queries.dev.tsv" --qrels "$M1/qrels.dev.trec" \
  --needs-meta "$M1/needs_meta.dev.jsonl" --field-share 0.5 --split even --output "$OUT/m1-even.svm"
"$TM" match train --base "$OUT/m1-even.svm" --no-market --model ml-models/match/bootstrap.model
awk 'NR%2==0' "$M1X/queries.dev.tsv" > "$OUT/odd.tsv"
for model in none ml-models/match/bootstrap.model; do
  name=$(basename "$model" .model)
  "$TM" eval match --docs "$M1X/docs.jsonl" --queries "$M1X/queries.dev.tsv" --qrels "$M1X/qrels.dev.trec" --model "$model" --run "$OUT/$name.run" >/dev/null
  echo "$name, held-out odd needs: $(python3 "$METRICS" "$OUT/$name.run" --bench "$M1X" --queries "$OUT/odd.tsv" | tr -d '\n ')"
  echo "$name, all needs: $(python3 "$METRICS" "$OUT/$name.run" --bench "$M1X" | tr -d '\n ')"
done
