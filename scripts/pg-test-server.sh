#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL server from Debian's packages for the test suite.
# Prints the connection string on stdout; tests read it from TECHMARKET_TEST_PG.
#   scripts/pg-test-server.sh start|stop
set -euo pipefail
cmd=${1:-start}
port=${TECHMARKET_PG_PORT:-55432}
dir=${TECHMARKET_PG_DIR:-/tmp/techmarket-pg-$port}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "未找到 PostgreSQL：请先安装 Debian 的 postgresql 软件包" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
      as_pg "$bin/initdb" -D "$dir" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null
    fi
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
  *) echo "用法：$0 start|stop" >&2; exit 2 ;;
esac
