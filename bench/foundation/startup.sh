#!/usr/bin/env bash
# Measures cold start to first response and memory after start, for the Release server on SQLite:
#   1. an empty database (schema created + demo market seeded before the first response),
#   2. the same database again (schema check only).
# Start time = from launching the process to the first 200 of GET /api/needs?pageSize=1 (polled every 20 ms).
# Memory = VmRSS (and VmHWM) of the process right after that first response, and after 200 more requests.
#   bench/foundation/startup.sh [runs=3]
# TECHMARKET_SERVER_DLL=path measures another build (an older commit's, say) with the same method.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
dll=${TECHMARKET_SERVER_DLL:-}
if [ -z "$dll" ]; then
  dotnet build src/TechMarket.Server -c Release -v q -nologo >/dev/null
  dll=src/TechMarket.Server/bin/Release/net10.0/TechMarket.Server.dll
fi
port=5199
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # $1 = label
  local start end pid
  start=$(date +%s%N)
  Storage__DataDirectory=$work Demo__Texts=$PWD/seeds/csl-achievements.jsonl ASPNETCORE_ENVIRONMENT=Production \
    dotnet "$dll" --urls "http://127.0.0.1:$port" --contentRoot "$PWD/src/TechMarket.Server" > "$work/server.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/api/needs?pageSize=1"; do sleep 0.02; done
  end=$(date +%s%N)
  local rss1 hwm1 rss2
  rss1=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
  for _ in $(seq 200); do curl -sf -o /dev/null "http://127.0.0.1:$port/api/achievements?page=3&pageSize=20"; done
  rss2=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
  hwm1=$(awk '/VmHWM/{print $2}' /proc/$pid/status)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  printf '%-28s first response %6d ms   RSS after start %4d MB   after 200 requests %4d MB   peak %4d MB\n' \
    "$1" $(( (end - start) / 1000000 )) $((rss1 / 1024)) $((rss2 / 1024)) $((hwm1 / 1024))
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$runs"); do
  rm -f "$work"/techmarket.db*
  measure "empty db + demo seed #$i"
  measure "existing db #$i"
done
