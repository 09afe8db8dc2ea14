"""Writes the reference corpus for the segmenter comparison, one line per output line.

Sources: the seed documents split into lines, and every title and abstract (docs.jsonl
"title"/"text", split at newlines) and query text of ../shared/data/csl (all four folders).
Exact duplicate lines are kept once (first occurrence), so agreement is over distinct lines.
Usage: extract_lines.py SHARED_DIR OUT_SEEDS OUT_CSL
"""
import glob
import json
import os
import sys


def lines_of(text):
    # Same line breaks as .NET's TextReader.ReadLine and Python's universal newlines.
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def main():
    shared, out_seeds, out_csl = sys.argv[1:4]
    seen = set()
    with open(out_seeds, "w", encoding="utf-8", newline="\n") as out:
        for path in sorted(glob.glob(os.path.join(shared, "seeds", "*.txt"))):
            with open(path, encoding="utf-8", newline="") as f:
                for line in lines_of(f.read()):
                    if line not in seen:
                        seen.add(line)
                        out.write(line + "\n")
    seen = set()
    with open(out_csl, "w", encoding="utf-8", newline="\n") as out:
        def emit(text):
            for line in lines_of(text or ""):
                if line and line not in seen:
                    seen.add(line)
                    out.write(line + "\n")

        for folder in sorted(glob.glob(os.path.join(shared, "data", "csl", "*"))):
            docs = os.path.join(folder, "docs.jsonl")
            if os.path.exists(docs):
                with open(docs, encoding="utf-8") as f:
                    for raw in f:
                        doc = json.loads(raw)
                        emit(doc.get("title"))
                        emit(doc.get("text"))
            for queries in sorted(glob.glob(os.path.join(folder, "queries*.tsv"))):
                with open(queries, encoding="utf-8") as f:
                    for raw in f:
                        parts = raw.rstrip("\n").split("\t", 1)
                        if len(parts) == 2:
                            emit(parts[1])


if __name__ == "__main__":
    main()
