#!/usr/bin/env bash
# Installs the Debian packages TechMarket needs, only those missing.
#   scripts/install-deps.sh run    what the platform needs at run time
#   scripts/install-deps.sh test   plus what the test suite needs (PostgreSQL, Chromium, CJK fonts, reference tools)
set -euo pipefail
what=${1:-run}
# libgomp1: the OpenMP runtime of LightGBM's native library (the ranker; without it training falls back to FastTree).
pkgs=(python3-jieba libopencc1.1 libopencc-data libgomp1)
# npm: the build installs ECharts (the dashboard's charts) from npm into wwwroot/lib. A machine that already has
# Node.js from elsewhere (nodesource, nvm) keeps it: Debian's npm package would conflict with it.
command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
if [ "$what" = test ]; then
  pkgs+=(postgresql redis-server chromium fonts-noto-cjk xgboost coinor-cbc)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "正在安装 Debian 软件包：${missing[*]}" >&2
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
