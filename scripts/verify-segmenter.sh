#!/usr/bin/env bash
# Compares `techmarket segment` with Debian's python3-jieba 0.42.1 (the reference) on every
# seed line (../shared/seeds/*.txt) and every title, abstract and query of ../shared/data/csl,
# in the three modes (precise, precise --no-hmm, search). Prints the agreement per source and
# mode and writes the differing lines to $DIFF (default bench-out/segmenter-diff.txt).
#
# Needs: apt-get install python3-jieba (run with Debian's /usr/bin/python3, not a pyenv one).
# SEGMENT_CMD overrides the command under test (it must read stdin and take the CLI's options),
# e.g. SEGMENT_CMD="bench/TechMarket.Text.Bench/bin/Release/net10.0/TechMarket.Text.Bench segment-cli".
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${SHARED_DIR:-$root/../shared}"
out="${OUT_DIR:-$root/bench-out/segmenter}"
diff_file="${DIFF:-$root/bench-out/segmenter-diff.txt}"
python=/usr/bin/python3

if ! "$python" -c "import jieba" 2>/dev/null; then
    echo "Debian's python3-jieba is missing: apt-get install python3-jieba" >&2
    exit 2
fi

mkdir -p "$out" "$(dirname "$diff_file")"
: > "$diff_file"

if [[ -z "${SEGMENT_CMD:-}" ]]; then
    dotnet build "$root/src/TechMarket.Cli" -c Release -v q -nologo >/dev/null
    SEGMENT_CMD="dotnet $root/src/TechMarket.Cli/bin/Release/net10.0/techmarket.dll segment"
fi

"$python" "$root/scripts/jieba/extract_lines.py" "$shared" "$out/seeds.txt" "$out/csl.txt"
echo "corpus: $(wc -l < "$out/seeds.txt") seed lines, $(wc -l < "$out/csl.txt") distinct CSL title/abstract/query lines"

status=0
for source in seeds csl; do
    for mode in precise nohmm search; do
        case "$mode" in
            precise) opts=() ;;
            nohmm) opts=(--no-hmm) ;;
            search) opts=(--mode search) ;;
        esac
        "$python" "$root/scripts/jieba/reference.py" "$mode" < "$out/$source.txt" > "$out/$source.$mode.jieba.txt"
        $SEGMENT_CMD "${opts[@]}" < "$out/$source.txt" > "$out/$source.$mode.ours.txt"
        "$python" "$root/scripts/jieba/compare.py" "$source/$mode" "$out/$source.txt" \
            "$out/$source.$mode.jieba.txt" "$out/$source.$mode.ours.txt" "$diff_file" || status=1
    done
done

echo "differing lines: $(grep -c '^== ' "$diff_file" || true) (written to $diff_file)"
exit $status
