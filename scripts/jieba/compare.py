"""Compares two segmentation outputs line by line.

Usage: compare.py LABEL INPUT REFERENCE OURS DIFF_FILE
Prints "LABEL: same/total lines agree (pct%)" and appends each differing line (input, jieba,
ours) to DIFF_FILE. Exit status 1 when agreement is below 99.9%.
"""
import sys


def read(path):
    with open(path, encoding="utf-8", newline="\n") as f:
        text = f.read()
    if text.endswith("\n"):
        text = text[:-1]
    return text.split("\n") if text else []


def main():
    label, inp, ref, ours, diff_path = sys.argv[1:6]
    lines, a, b = read(inp), read(ref), read(ours)
    if not (len(lines) == len(a) == len(b)):
        print("%s: line counts differ: input %d, jieba %d, ours %d" % (label, len(lines), len(a), len(b)))
        return 1
    differing = [i for i in range(len(lines)) if a[i] != b[i]]
    same = len(lines) - len(differing)
    pct = 100.0 * same / len(lines) if lines else 100.0
    print("%-16s %7d / %7d lines agree (%.4f%%)" % (label, same, len(lines), pct))
    with open(diff_path, "a", encoding="utf-8") as out:
        for i in differing:
            out.write("== %s line %d\ninput: %s\njieba: %s\nours:  %s\n" % (label, i + 1, lines[i], a[i], b[i]))
    return 0 if pct >= 99.9 else 1


if __name__ == "__main__":
    sys.exit(main())
