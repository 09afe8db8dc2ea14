#!/usr/bin/env bash
# Quality and speed of TechMarket's hand-written LambdaMART, ML.NET's LightGBM lambdarank
# (bench console, mlnet-*) and Debian's xgboost 1.7.4 CLI on the same .svm files. Figures go to docs/ranking.md. Usage: bench/ranking/run.sh [out-dir] [quality|speed|all]
# SYNTH_FLAGS=--fixed-shares reproduces the first generator version (same share of relevant documents in every query).
# SEEDS="1 2 3" (default) are the generator seeds of the quality part.
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

Q="$OUT/q" # the data set of the current seed

evaluate() { # name scores-file
  printf '%-72s %s  load %s\n' "$1" "$("$TM" rank eval --data "$Q/test.svm" --scores "$2")" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/quality.txt"
}

ours() { # name extra-args...
  local name=$1; shift
  "$TM" rank train --train "$Q/train.svm" --valid "$Q/valid.svm" --model "$OUT/$name.json" --seed 1 "$@" > "$OUT/$name.log"
  "$TM" rank predict --model "$OUT/$name.json" --data "$Q/test.svm" --output "$OUT/$name.pred"
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
    echo "data = \"$Q/train.svm?format=libsvm\""
    echo "eval[valid] = \"$Q/valid.svm?format=libsvm\""
    echo "model_out = \"$OUT/$name.model\""
    printf '%s\n' "$@"
  } > "$conf"
  (cd "$OUT" && "$XGB" "$conf" > "$OUT/$name.log" 2>&1)
  for n in ${preds//,/ }; do
    (cd "$OUT" && "$XGB" "$conf" task=pred model_in="$OUT/$name.model" test:data="$Q/test.svm?format=libsvm" \
      name_pred="$OUT/$name.$n.pred" ntree_limit="$n" >/dev/null 2>&1)
    evaluate "xgboost $name @$n trees ($(echo "$@" | tr '\n' ' '))" "$OUT/$name.$n.pred"
  done
}

mlnet() { # name trees extra key=value...
  local name=$1 trees=$2; shift 2
  "$BENCH" mlnet-predict "$Q/train.svm" "$Q/valid.svm" "$Q/test.svm" "$trees" "$OUT/$name.pred" "$@" > "$OUT/$name.log"
  evaluate "ML.NET LightGBM $name ($trees trees $*)" "$OUT/$name.pred"
}

if [[ $WHAT == all || $WHAT == quality ]]; then
  : > "$OUT/quality.txt"
  # 800 train / 200 valid / 400 test queries of 20–80 documents, 31 leaves, learning rate 0.1;
  # everything else rank train's defaults (lambda_l2 1, min_sum_hessian 1, bagging 0.8 every
  # round), the same values handed to ML.NET's LightGBM explicitly (sigmoid 1, 31 label gains
  # 2^i-1, no categorical splits). "lgbm-defaults" repeats both with LightGBM's own defaults for
  # those three (lambda_l2 0, min_sum_hessian 1e-3, no bagging).
  LGBM_DEFAULTS=(--lambda-l2 0 --min-sum-hessian 1e-3 --feature-fraction 1 --bagging-fraction 1 --bagging-freq 0)
  ML_LGBM_DEFAULTS=(l2=0 min_hess=0.001 ff=1 bag=1 bag_freq=0)
  for seed in ${SEEDS:-1 2 3}; do
    Q="$OUT/q$seed"
    "$TM" rank synth --output-dir "$Q" --seed "$seed" ${SYNTH_FLAGS:-} >/dev/null
    echo "== generator seed $seed" | tee -a "$OUT/quality.txt"
    ours s$seed-lambdamart-100 --trees 100 --leaves 31 --learning-rate 0.1
    mlnet s$seed-mlnet-100 100
    ours s$seed-lambdamart-300 --trees 300 --leaves 31 --learning-rate 0.1
    mlnet s$seed-mlnet-300 300
    ours s$seed-lgbm-defaults-lambdamart-300 --trees 300 --leaves 31 --learning-rate 0.1 "${LGBM_DEFAULTS[@]}"
    mlnet s$seed-lgbm-defaults-mlnet-300 300 "${ML_LGBM_DEFAULTS[@]}"
    xgb s$seed-xgb-ndcg-leaves31 100,300 'objective = rank:ndcg' 'eval_metric = ndcg@10' 'grow_policy = lossguide' 'max_depth = 0' 'max_leaves = 31' 'num_round = 300'
  done
  Q="$OUT/q$(echo ${SEEDS:-1 2 3} | cut -d' ' -f1)"
  echo "== early stopping and other xgboost settings on $Q" | tee -a "$OUT/quality.txt"
  ours lambdamart-es --trees 1000 --leaves 31 --learning-rate 0.1 --early-stopping 50
  mlnet mlnet-es 1000 es=50
  xgb ndcg-leaves31-eta03 300 'objective = rank:ndcg' 'eval_metric = ndcg@10' 'grow_policy = lossguide' 'max_depth = 0' 'max_leaves = 31' 'eta = 0.3' 'num_round = 300'
  xgb squared-leaves31 100,300 'objective = reg:squarederror' 'eval_metric = rmse' 'grow_policy = lossguide' 'max_depth = 0' 'max_leaves = 31' 'num_round = 300'
fi

if [[ $WHAT == all || $WHAT == speed ]]; then
  # 40,000 rows × 30 features: 800 queries of exactly 50 documents.
  "$TM" rank synth --output-dir "$OUT/s" --train-queries 800 --valid-queries 0 --test-queries 40 --min-docs 50 --max-docs 50 --seed 2
  # SPEED_EXTRA_MODEL=path/to/a-300-tree-model.json also times scoring with that model.
  # Every learner on one thread (the machine has 2 cores, shared).
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/speed.txt"
  "$BENCH" speed "$OUT/s/train.svm" "$OUT/s/test.svm" 100 1 ${SPEED_EXTRA_MODEL:-} | tee -a "$OUT/speed.txt"
  "$BENCH" mlnet-speed "$OUT/s/train.svm" "$OUT/s/test.svm" 100 1 | tee -a "$OUT/speed.txt"
  head -n 1000 "$OUT/s/test.svm" > "$OUT/s/candidates.svm"
  for obj in rank:ndcg; do
    cat > "$OUT/s/xgb-$obj.conf" <<CONF
booster = gbtree
tree_method = hist
objective = $obj
eta = 0.1
grow_policy = lossguide
max_depth = 0
max_leaves = 31
max_bin = 255
nthread = 1
num_round = 100
data = "$OUT/s/train.svm?format=libsvm"
model_out = "$OUT/s/xgb.model"
CONF
    start=$(date +%s.%N)
    /usr/bin/time -f "%U s user, %S s sys" -o "$OUT/s/time.txt" "$XGB" "$OUT/s/xgb-$obj.conf" >/dev/null 2>&1
    end=$(date +%s.%N)
    echo "xgboost $obj 100 trees, nthread 1: $(echo "$end - $start" | bc) s wall, CPU $(cat "$OUT/s/time.txt") (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$OUT/speed.txt"
    # The CLI's predict task on 1,000 candidates: process start and model load included.
    for run in 1 2 3; do
      start=$(date +%s.%N)
      (cd "$OUT/s" && "$XGB" "$OUT/s/xgb-$obj.conf" task=pred model_in="$OUT/s/xgb.model" test:data="$OUT/s/candidates.svm?format=libsvm" name_pred="$OUT/s/xgb.pred" >/dev/null 2>&1)
      end=$(date +%s.%N)
      echo "xgboost CLI task=pred, 1,000 candidates, run $run: $(echo "($end - $start) * 1000" | bc) ms wall (whole process)" | tee -a "$OUT/speed.txt"
    done
  done
fi
