#!/usr/bin/env bash
# Listing edits through the REST API (PUT /api/needs/{id} with If-Match), measured by bench/TechMarket.Market.Bench:
#   1. one node on SQLite (the embedded default),
#   2. two nodes on one PostgreSQL (with Redis; one Orleans cluster in this version),
# for this checkout and, when a commit is given, for that commit built beside it, in the same run.
#   bench/market/edit.sh [old-commit] [workers=8] [seconds=20]
# Loopback only; every server is stopped at the end. Needs PostgreSQL and Redis from Debian (the test script's).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
old=${1:-}
workers=${2:-8}
seconds=${3:-20}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$old" ] && git worktree remove --force "$work/old" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

pg=$(scripts/pg-test-server.sh start)
redis=$(scripts/redis-test-server.sh start)
dotnet build src/TechMarket.Server -c Release -v q -nologo >/dev/null
dotnet build bench/TechMarket.Market.Bench -c Release -v q -nologo >/dev/null
bench="dotnet bench/TechMarket.Market.Bench/bin/Release/net10.0/TechMarket.Market.Bench.dll"
declare -A dll=([new]=src/TechMarket.Server/bin/Release/net10.0/TechMarket.Server.dll)
if [ -n "$old" ]; then
  git worktree add --detach "$work/old" "$old" >/dev/null 2>&1
  dotnet build "$work/old/src/TechMarket.Server" -c Release -v q -nologo >/dev/null
  dll[old]=$work/old/src/TechMarket.Server/bin/Release/net10.0/TechMarket.Server.dll
fi

start() { # $1 dll, $2 port, $3 silo port, then env assignments
  local d=$1 port=$2 silo=$3; shift 3
  env "$@" Cluster__SiloPort="$silo" Demo__Seed=false Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
    dotnet "$d" --urls "http://127.0.0.1:$port" --contentRoot "$root/src/TechMarket.Server" > "$work/server-$port.log" 2>&1 &
  pids+=($!)
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.1; done
}

stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; pids=(); }

for version in new old; do
  [ -n "${dll[$version]:-}" ] || continue
  echo "== $version ($([ "$version" = new ] && git rev-parse --short HEAD || git rev-parse --short "$old")) one node, SQLite   (load $(cut -d' ' -f1-3 /proc/loadavg))"
  mkdir -p "$work/sqlite-$version"
  start "${dll[$version]}" 5301 11301 Storage__DataDirectory="$work/sqlite-$version"
  $bench --nodes http://127.0.0.1:5301 --workers "$workers" --seconds "$seconds"
  stop_all

  db="bench_${version}_$$"
  psql "host=127.0.0.1 port=55432 user=postgres dbname=postgres" -qc "CREATE DATABASE $db" >/dev/null
  cs="Host=127.0.0.1;Port=55432;Username=postgres;Database=$db"
  echo "== $version two nodes, one PostgreSQL   (load $(cut -d' ' -f1-3 /proc/loadavg))"
  common=(Database__Provider=postgres "Database__ConnectionString=$cs" Cluster__Clustering=postgres Cluster__ClusterId="$db" Cluster__ServiceId="$db" Redis__Configuration="$redis")
  start "${dll[$version]}" 5301 11301 "${common[@]}"
  start "${dll[$version]}" 5302 11302 "${common[@]}"
  $bench --nodes http://127.0.0.1:5301,http://127.0.0.1:5302 --workers "$workers" --seconds "$seconds"
  stop_all
  psql "host=127.0.0.1 port=55432 user=postgres dbname=postgres" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
done
