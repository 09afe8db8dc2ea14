#!/usr/bin/env bash
# Starts (or stops) a throwaway Redis server from Debian's redis-server package for the test suite.
# Prints its address (StackExchange.Redis syntax) on stdout; tests read it from TECHMARKET_TEST_REDIS.
#   scripts/redis-test-server.sh start|stop
set -euo pipefail
cmd=${1:-start}
port=${TECHMARKET_REDIS_PORT:-56379}
dir=${TECHMARKET_REDIS_DIR:-/tmp/techmarket-redis-$port}
command -v redis-server >/dev/null || { echo "未找到 redis-server：请先安装 Debian 的 redis-server 软件包" >&2; exit 1; }

case "$cmd" in
  start)
    mkdir -p "$dir"
    if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
      redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no \
        --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
      for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    fi
    echo "127.0.0.1:$port"
    ;;
  stop)
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
    ;;
  *) echo "用法：$0 start|stop" >&2; exit 2 ;;
esac
