#!/usr/bin/env bash
# Quality and speed of TechMarket's LambdaMART next to Debian's xgboost 1.7.4 CLI on the same
# .svm files. Figures go to docs/ranking.md. Usage: bench/ranking/run.sh [out-dir] [quality|speed|all]
# SYNTH_FLAGS=--fixed-shares reproduces the first generator version (same share of relevant documents in every query).
# Needs: the .NET SDK, Debian's xgboost (apt-get install xgboost). Takes tens of minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-bench-out/ranking}
WHAT=${2:-all}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

dotnet build src/TechMarket.Cli -c Release -v q -nologo >/dev/null
dotnet build bench/TechMarket.Ranking.Bench -c Release -v q -nologo >/dev/null
TM=src/TechMarket.Cli/bin/Release/net10.0/techmarket
BENCH=bench/TechMarket.Ranking.Bench/bin/Release/net10.0/TechMarket.Ranking.Bench
XGB=${XGB:-/usr/bin/xgboost}
"$XGB" --version 2>/dev/null || true

evaluate() { # name scores-file
  printf '%-58s %s\n' "$1" "$("$TM" rank eval --data "$OUT/q/test.svm" --scores "$2")" | tee -a "$OUT/quality.txt"
}

ours() { # name extra-args...
  local name=$1; shift
  "$TM" rank train --train "$OUT/q/train.svm" --valid "$OUT/q/valid.svm" --model "$OUT/$name.json" --seed 1 "$@" > "$OUT/$name.log"
  "$TM" rank predict --model "$OUT/$name.json" --data "$OUT/q/test.svm" --output "$OUT/$name.pred"
  evaluate "techmarket $name ($*)" "$OUT/$name.pred"
}

xgb() { # name rounds-to-predict(comma list) config-lines...
  local name=$1 preds=$2; shift 2
  local conf="$OUT/$name.conf"
  {
    echo 'booster = gbtree'
    echo 'tree_method = hist'
    echo 'max_bin = 255'
    echo 'eta = 0.1'
    echo 'nthread = 2'
    echo 'seed = 1'
    echo "data = \"$OUT/q/train.svm?format=libsvm\""
    echo "eval[valid] = \"$OUT/q/valid.svm?format=libsvm\""
    echo "model_out = \"$OUT/$name.model\""
    printf '%s\n' "$@"
  } > "$conf"
  (cd "$OUT" && "$XGB" "$conf" > "$OUT/$name.log" 2>&1)
  for n in ${preds//,/ }; do
    (cd "$OUT" && "$XGB" "$conf" task=pred model_in="$OUT/$name.model" test:data="$OUT/q/test.svm?format=libsvm" \
      name_pred="$OUT/$name.$n.pred" ntree_limit="$n" >/dev/null 2>&1)
    evaluate "xgboost $name @$n trees ($(echo "$@" | tr '\n' ' '))" "$OUT/$name.$n.pred"
  done
}

if [[ $WHAT == all || $WHAT == quality ]]; then
  : > "$OUT/quality.txt"
  # The issue's setting: 800 train / 200 valid / 400 test queries of 20–80 documents, seed 1.
  "$TM" rank synth --output-dir "$OUT/q" --seed 1 ${SYNTH_FLAGS:-}
  ours lambdamart-100 --trees 100 --leaves 31 --learning-rate 0.1
  ours lambdamart-300 --trees 300 --leaves 31 --learning-rate 0.1
  ours pointwise-100 --objective regression --trees 100 --leaves 31 --learning-rate 0.1
  ours pointwise-300 --objective regression --trees 300 --leaves 31 --learning-rate 0.1
  ours lambdamart-es --trees 1000 --leaves 31 --learning-rate 0.1 --early-stopping 50
  xgb ndcg-leaves31 100,300 'objective = rank:ndcg' 'eval_metric = ndcg@10' 'grow_policy = lossguide' 'max_depth = 0' 'max_leaves = 31' 'num_round = 300'
  xgb ndcg-leaves31-mcw0 100,300 'objective = rank:ndcg' 'eval_metric = ndcg@10' 'grow_policy = lossguide' 'max_depth = 0' 'max_leaves = 31' 'min_child_weight = 0' 'num_round = 300'
  xgb ndcg-leaves31-eta03 300 'objective = rank:ndcg' 'eval_metric = ndcg@10' 'grow_policy = lossguide' 'max_depth = 0' 'max_leaves = 31' 'eta = 0.3' 'num_round = 300'
  xgb ndcg-depth6 100,300 'objective = rank:ndcg' 'eval_metric = ndcg@10' 'max_depth = 6' 'num_round = 300'
  xgb pairwise-leaves31 300 'objective = rank:pairwise' 'eval_metric = ndcg@10' 'grow_policy = lossguide' 'max_depth = 0' 'max_leaves = 31' 'num_round = 300'
  xgb squared-leaves31 100,300 'objective = reg:squarederror' 'eval_metric = rmse' 'grow_policy = lossguide' 'max_depth = 0' 'max_leaves = 31' 'num_round = 300'
fi

if [[ $WHAT == all || $WHAT == speed ]]; then
  # 40,000 rows × 30 features: 800 queries of exactly 50 documents.
  "$TM" rank synth --output-dir "$OUT/s" --train-queries 800 --valid-queries 0 --test-queries 40 --min-docs 50 --max-docs 50 --seed 2
  # SPEED_EXTRA_MODEL=path/to/a-300-tree-model.json also times scoring with that model.
  "$BENCH" speed "$OUT/s/train.svm" "$OUT/s/test.svm" 100 "$(nproc)" ${SPEED_EXTRA_MODEL:-} | tee "$OUT/speed.txt"
  for obj in rank:ndcg reg:squarederror; do
    cat > "$OUT/s/xgb-$obj.conf" <<CONF
booster = gbtree
tree_method = hist
objective = $obj
eta = 0.1
grow_policy = lossguide
max_depth = 0
max_leaves = 31
max_bin = 255
nthread = 2
num_round = 100
data = "$OUT/s/train.svm?format=libsvm"
model_out = "$OUT/s/xgb.model"
CONF
    start=$(date +%s.%N)
    /usr/bin/time -f "%U s user, %S s sys" -o "$OUT/s/time.txt" "$XGB" "$OUT/s/xgb-$obj.conf" >/dev/null 2>&1
    end=$(date +%s.%N)
    echo "xgboost $obj 100 trees: $(echo "$end - $start" | bc) s wall, CPU $(cat "$OUT/s/time.txt")" | tee -a "$OUT/speed.txt"
  done
fi
