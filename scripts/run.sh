#!/usr/bin/env bash
# Runs TechMarket on the embedded default: one SQLite file in .data/, the demo market (示例数据) on first start.
#   PORT=5080 scripts/run.sh        (any ASP.NET Core setting can be passed as an environment variable too)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh run
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/TechMarket.Server -c Release -v q -nologo
port=${PORT:-5080}
export Storage__DataDirectory=${Storage__DataDirectory:-$PWD/.data}
export Demo__Texts=${Demo__Texts:-$PWD/seeds/csl-achievements.jsonl}
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Production}
exec dotnet src/TechMarket.Server/bin/Release/net10.0/TechMarket.Server.dll --urls "http://0.0.0.0:$port" --contentRoot "$PWD/src/TechMarket.Server"
