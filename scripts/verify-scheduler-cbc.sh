#!/usr/bin/env bash
# Runs the scheduler's exact-optimum checks against Debian's COIN-OR CBC (an oracle, never a
# runtime dependency): bipartite schedules and campaign plans must equal CBC's optimum on small
# random instances; general schedules must reach >= 99% of it. See docs/scheduling.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cbc >/dev/null 2>&1; then
  echo "cbc not found: apt-get install coinor-cbc" >&2
  exit 1
fi
dotnet test tests/TechMarket.Scheduling.Tests --filter "Category=Oracle" --logger "console;verbosity=detailed" "$@"
