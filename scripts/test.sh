#!/usr/bin/env bash
# Runs every test TechMarket has, from a fresh clone: installs the Debian packages the suite needs,
# starts a throwaway PostgreSQL and Redis, builds Release (a warning fails it), checks formatting, runs all
# test projects on SQLite and PostgreSQL (browser tests in Debian's Chromium), then the reference
# comparison of the segmenter with python3-jieba on every line of the seeds and CSL.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

scripts/install-deps.sh test

TECHMARKET_TEST_PG=$(scripts/pg-test-server.sh start)
TECHMARKET_TEST_REDIS=$(scripts/redis-test-server.sh start)
export TECHMARKET_TEST_PG TECHMARKET_TEST_REDIS
trap 'scripts/pg-test-server.sh stop; scripts/redis-test-server.sh stop' EXIT

echo "== 构建（Release，警告视为错误）"
dotnet build TechMarket.sln -c Release -v q -nologo

echo "== 代码格式检查"
dotnet format TechMarket.sln --verify-no-changes --no-restore -v q

echo "== 分词器与 python3-jieba 逐行对照（种子文档与全部 CSL 文本，三种模式）"
verify=0
scripts/verify-segmenter.sh || verify=$?

echo "== 测试"
results="$root/artifacts/test-results"
rm -rf "$results"
status=0
dotnet test TechMarket.sln -c Release --no-build -v q --logger "trx" --results-directory "$results" || status=$?

# One closing line for CI: sum the TRX counters of every test project.
/usr/bin/python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed")); failed += int(c.get("failed")) + int(c.get("error")) + int(c.get("timeout")) + int(c.get("aborted"))
    skipped += int(c.get("notExecuted"))
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
[ "$verify" -eq 0 ] || { echo "分词器与 jieba 的对照未通过（见 bench-out/segmenter-diff.txt）" >&2; exit "$verify"; }
exit "$status"

