#!/usr/bin/env python3
"""The node benchmark's runs side by side: for each step size, the median of every part of a member step
on each back end (DIR/<step>-<storage>/pods.json, written by overhead.py). Usage: side_by_side.py DIR"""
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from overhead import PARTS, shares, stats  # noqa: E402

STEPS = ("quickstart", "epoch")
STORAGES = ("pvc", "s3")


def main():
    root = sys.argv[1]
    print("# Per-step overhead on the real node\n")
    print("Median seconds over the member steps of one search per column (4 members x 2 generations, one pod at a "
          "time); each column's own min/max are in its folder's summary.md. `benchmarks/node/run.sh`; the machine "
          "is in MACHINE.md.\n")
    for step in STEPS:
        runs = {s: json.load(open(os.path.join(root, f"{step}-{s}", "pods.json")))
                for s in STORAGES if os.path.exists(os.path.join(root, f"{step}-{s}", "pods.json"))}
        if not runs:
            continue
        print(f"## {step} step\n")
        print("| part of a member step | " + " | ".join(runs) + " |")
        print("|---|" + "---|" * len(runs))
        for label, f in PARTS:
            cells = []
            for rows in runs.values():
                s = stats(rows, f)
                cells.append(f"{s[0]:.2f}" if s else "-")
            print(f"| {label} | " + " | ".join(cells) + " |")
        for what, i in (("before training (created -> first batch)", 0), ("everything but training and evaluation", 1)):
            cells = [f"{statistics.median(shares(rows)[i]):.1%}" for rows in runs.values()]
            print(f"| share of the step: {what} | " + " | ".join(cells) + " |")
        print()


if __name__ == "__main__":
    main()
