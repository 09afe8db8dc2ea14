"""Segments stdin line by line with Debian's jieba, as `techmarket segment` must.

Run with Debian's own interpreter: /usr/bin/python3 reference.py [precise|nohmm|search]
Output: one line per input line, tokens joined by single spaces, whitespace-only tokens dropped.
With --time, prints the speed of the segmentation alone (wall and CPU time) on stderr.
"""
import io
import logging
import sys
import time

import jieba

jieba.setLogLevel(logging.WARNING)


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "precise"
    timed = "--time" in sys.argv
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", newline=None)
    lines = [line[:-1] if line.endswith("\n") else line for line in stdin]
    jieba.initialize()
    if mode == "precise":
        cut = lambda s: jieba.cut(s, HMM=True)
    elif mode == "nohmm":
        cut = lambda s: jieba.cut(s, HMM=False)
    elif mode == "search":
        cut = lambda s: jieba.cut_for_search(s, HMM=True)
    else:
        raise SystemExit("unknown mode: " + mode)
    t0, c0 = time.perf_counter(), time.process_time()
    out = [" ".join(w for w in cut(line) if w and not w.isspace()) for line in lines]
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    if timed:
        chars = sum(len(line) for line in lines)
        sys.stderr.write("jieba %-8s %d chars: wall %.3f s (%.3f M chars/s), CPU %.3f s (%.3f M chars per CPU-second)\n"
                         % (mode, chars, elapsed, chars / elapsed / 1e6, cpu, chars / cpu / 1e6))
    sys.stdout.buffer.write(("\n".join(out) + ("\n" if out else "")).encode("utf-8"))


if __name__ == "__main__":
    main()
