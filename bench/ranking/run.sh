#!/usr/bin/env bash
# Quality and speed of TechMarket's ranker (LightGBM lambdarank through ML.NET) next to Debian's
# xgboost 1.7.4 CLI on the same .svm files and, when an old commit is given, next to that
# commit's ranker built in a temporary worktree (40bcc81 is the last commit of the hand-written
# LambdaMART learner). Figures go to docs/ranking.md.
#   bench/ranking/run.sh [out-dir] [quality|speed|all] [old-commit]
# SYNTH_FLAGS=--fixed-shares reproduces the first generator version (same share of relevant documents in every query).
# SEEDS="1 2 3" (default) are the generator seeds of the quality part.
# Needs: the .NET SDK, Debian's xgboost (apt-get install xgboost). Takes about ten minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-bench-out/ranking}
WHAT=${2:-all}
OLD=${3:-}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
work=$(mktemp -d)
cleanup() {
  [ -n "$OLD" ] && git worktree remove --force "$work/old" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build src/TechMarket.Cli -c Release -v q -nologo >/dev/null
dotnet build bench/TechMarket.Ranking.Bench -c Release -v q -nologo >/dev/null
TM=src/TechMarket.Cli/bin/Release/net10.0/techmarket
BENCH=bench/TechMarket.Ranking.Bench/bin/Release/net10.0/TechMarket.Ranking.Bench
if [ -n "$OLD" ]; then
  git worktree add --detach "$work/old" "$OLD" >/dev/null 2>&1
  dotnet build "$work/old/src/TechMarket.Cli" -c Release -v q -nologo >/dev/null
  dotnet build "$work/old/bench/TechMarket.Ranking.Bench" -c Release -v q -nologo >/dev/null
  OLD_TM=$work/old/src/TechMarket.Cli/bin/Release/net10.0/techmarket
  OLD_BENCH=$work/old/bench/TechMarket.Ranking.Bench/bin/Release/net10.0/TechMarket.Ranking.Bench
fi
XGB=${XGB:-/usr/bin/xgboost}
"$XGB" --version 2>/dev/null || true
echo "this checkout: $(git rev-parse --short HEAD)${OLD:+; old: $(git rev-parse --short "$OLD")}"

Q="$OUT/q" # the data set of the current seed

evaluate() { # name scores-file
  printf '%-72s %s  load %s\n' "$1" "$("$TM" rank eval --data "$Q/test.svm" --scores "$2")" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/quality.txt"
}

train_with() { # cli label name extra-args...
  local cli=$1 label=$2 name=$3; shift 3
  "$cli" rank train --train "$Q/train.svm" --valid "$Q/valid.svm" --model "$OUT/$name.model" --seed 1 "$@" > "$OUT/$name.log"
  "$cli" rank predict --model "$OUT/$name.model" --data "$Q/test.svm" --output "$OUT/$name.pred"
  evaluate "$label $name ($*)" "$OUT/$name.pred"
}

ours() { train_with "$TM" "ML.NET LightGBM" "$@"; }
old() { [ -z "$OLD" ] || train_with "$OLD_TM" "old $(git rev-parse --short "$OLD")" "$@"; }

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

if [[ $WHAT == all || $WHAT == quality ]]; then
  : > "$OUT/quality.txt"
  # 800 train / 200 valid / 400 test queries of 20–80 documents, 31 leaves, learning rate 0.1;
  # everything else rank train's defaults (lambda_l2 1, min_sum_hessian 1, bagging 0.8 every
  # round), the same for the old learner. "lgbm-defaults" uses LightGBM's own defaults for those
  # three (lambda_l2 0, min_sum_hessian 1e-3, no bagging).
  LGBM_DEFAULTS=(--lambda-l2 0 --min-sum-hessian 1e-3 --feature-fraction 1 --bagging-fraction 1 --bagging-freq 0)
  for seed in ${SEEDS:-1 2 3}; do
    Q="$OUT/q$seed"
    "$TM" rank synth --output-dir "$Q" --seed "$seed" ${SYNTH_FLAGS:-} >/dev/null
    echo "== generator seed $seed" | tee -a "$OUT/quality.txt"
    for trees in 100 300; do
      old s$seed-old-$trees --trees $trees --leaves 31 --learning-rate 0.1
      ours s$seed-mlnet-$trees --trees $trees --leaves 31 --learning-rate 0.1
    done
    old s$seed-old-lgbm-defaults-300 --trees 300 --leaves 31 --learning-rate 0.1 "${LGBM_DEFAULTS[@]}"
    ours s$seed-mlnet-lgbm-defaults-300 --trees 300 --leaves 31 --learning-rate 0.1 "${LGBM_DEFAULTS[@]}"
    ours s$seed-mlnet-pointwise-300 --objective regression --trees 300 --leaves 31 --learning-rate 0.1
    ours s$seed-fasttree-300 --trainer fasttree --trees 300 --leaves 31 --learning-rate 0.1
    xgb s$seed-xgb-ndcg-leaves31 100,300 'objective = rank:ndcg' 'eval_metric = ndcg@10' 'grow_policy = lossguide' 'max_depth = 0' 'max_leaves = 31' 'num_round = 300'
  done
  Q="$OUT/q$(echo ${SEEDS:-1 2 3} | cut -d' ' -f1)"
  echo "== early stopping on $Q" | tee -a "$OUT/quality.txt"
  old old-es --trees 1000 --leaves 31 --learning-rate 0.1 --early-stopping 50
  ours mlnet-es --trees 1000 --leaves 31 --learning-rate 0.1 --early-stopping 50
fi

if [[ $WHAT == all || $WHAT == speed ]]; then
  # 40,000 rows × 30 features: 800 queries of exactly 50 documents. Every learner on one thread.
  "$TM" rank synth --output-dir "$OUT/s" --train-queries 800 --valid-queries 0 --test-queries 40 --min-docs 50 --max-docs 50 --seed 2
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/speed.txt"
  "$BENCH" speed "$OUT/s/train.svm" "$OUT/s/test.svm" 100 1 | tee -a "$OUT/speed.txt"
  "$BENCH" speed "$OUT/s/train.svm" "$OUT/s/test.svm" 100 1 fasttree | tee -a "$OUT/speed.txt"
  [ -z "$OLD" ] || "$OLD_BENCH" speed "$OUT/s/train.svm" "$OUT/s/test.svm" 100 1 | tee -a "$OUT/speed.txt"
  head -n 1000 "$OUT/s/test.svm" > "$OUT/s/candidates.svm"
  cat > "$OUT/s/xgb.conf" <<CONF
booster = gbtree
tree_method = hist
objective = rank:ndcg
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
  /usr/bin/time -f "%U s user, %S s sys" -o "$OUT/s/time.txt" "$XGB" "$OUT/s/xgb.conf" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "xgboost rank:ndcg 100 trees, nthread 1: $(echo "$end - $start" | bc) s wall, CPU $(cat "$OUT/s/time.txt") (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$OUT/speed.txt"
  # The CLI's predict task on 1,000 candidates: process start and model load included.
  for run in 1 2 3; do
    start=$(date +%s.%N)
    (cd "$OUT/s" && "$XGB" "$OUT/s/xgb.conf" task=pred model_in="$OUT/s/xgb.model" test:data="$OUT/s/candidates.svm?format=libsvm" name_pred="$OUT/s/xgb.pred" >/dev/null 2>&1)
    end=$(date +%s.%N)
    echo "xgboost CLI task=pred, 1,000 candidates, run $run: $(echo "($end - $start) * 1000" | bc) ms wall (whole process)" | tee -a "$OUT/speed.txt"
  done
fi
