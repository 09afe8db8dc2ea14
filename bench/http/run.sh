#!/usr/bin/env bash
# HTTP load on loopback: wrk with 16 connections (2 threads) for 30 s against /api/search and /api/needs of a
# running server (default the run script's address). Bounded in time; loopback only.
#   bench/http/run.sh [http://127.0.0.1:5080]
set -euo pipefail
base=${1:-http://127.0.0.1:5080}
case "$base" in http://127.*|http://localhost*) ;; *) echo "只对本机地址做压测：$base" >&2; exit 2 ;; esac
command -v wrk >/dev/null || { echo "需要 wrk：apt-get install wrk" >&2; exit 2; }
dir=$(cd "$(dirname "$0")" && pwd)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== search (15 queries, half with a field filter)"
wrk -t2 -c16 -d30s --latency -s "$dir/search.lua" "$base"
echo "== browse published needs"
wrk -t2 -c16 -d30s --latency "$base/api/needs?page=3&pageSize=20"
