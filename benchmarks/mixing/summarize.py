#!/usr/bin/env python3
"""Summarise MixBenchmark outputs (raw/mix-<MiB>MiB-run<r>.txt) into summary.md. Standard library only."""
import os
import re
import sys
import tempfile
from pathlib import Path

# Lines MixBenchmark prints; a line it no longer prints shows as "?" rather than breaking the summary.
PATTERNS = {
    "size": r"^file size\s+([\d.]+) MB",
    "copy": r"^copy \(no fsync\)\s+([\d.]+ MB/s(?: \([\d.]+)?)",
    "mixPlain": r"^shrink-perturb, no fsync\s+([\d.]+ MB/s(?: \([\d.]+)?)",
    "copyFsync": r"^copy \+ fsync\s+([\d.]+ MB/s(?: \([\d.]+)?)",
    "mix": r"^shrink-perturb\s+([\d.]+ MB/s(?: \([\d.]+)?)",
    "ratioPlain": r"^ratio mix / copy, neither fsynced\s+([\d.]+(?: best, [\d.]+ median)?)",
    "ratioFsync": r"^ratio mix / \(copy \+ fsync\)\s+([\d.]+(?: best, [\d.]+ median)?)",
    "heap": r"peak heap used (\d+) MiB",
    "maxHeap": r"^max heap\s+(\d+) MiB",
    "load": r"load average: ([\d. ]+)[);]",
}


def parse(text: str) -> dict:
    row = {}
    for key, pat in PATTERNS.items():
        m = re.search(pat, text, re.MULTILINE)
        # "1150 MB/s (1063" -> "1150 (median 1063)": best and median of the counted rounds.
        v = m.group(1).strip() if m else "?"
        v = re.sub(r"^([\d.]+) MB/s \(([\d.]+)$", r"\1 (median \2)", v).replace(" MB/s", "")
        row[key] = re.sub(r"^([\d.]+) best, ([\d.]+) median$", r"\1 (median \2)", v)
    row["rounds"] = re.findall(r"^round \d+: .*$", text, re.MULTILINE)
    return row


def main() -> None:
    results = Path(sys.argv[1])
    files = sorted((results / "raw").glob("mix-*MiB-run*.txt"),
                   key=lambda p: [int(x) for x in re.findall(r"\d+", p.name)])
    if not files:
        sys.exit(f"summarize.py: no raw outputs under {results}/raw")
    lines = ["# Mixing throughput vs a plain file copy", "",
             "core's `MixBenchmark`: a synthetic checkpoint (F32 tensors of 16 MiB, 8 genes; 6 for the 6 tensors "
             "of 96 MiB), half of its tensors "
             "swapped and shrink-perturbed (λ 0.4, γ 0.1), compared with `Files.copy` of the same file in two pairs, "
             "timed side by side in the same JVM (best and median of the counted rounds after a warm-up round): "
             "both left in the page cache (no fsync; goal: ratio ≥ 0.8), and both fsynced, the child as the "
             "checkpoint contract needs (goal: ratio ≥ 0.9). Heap limited to 256 MiB (`-Xmx256m`). "
             "MB = 10^6 bytes. Ratio = mix throughput / copy throughput (1.0 = as fast as copying).", "",
             "| checkpoint | run | load avg (1/5/15 min) | copy MB/s | mix, no fsync MB/s | **ratio, no fsync** "
             "| copy+fsync MB/s | mix+fsync MB/s | **ratio, fsync** | peak heap MiB |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for f in files:
        r = parse(f.read_text(encoding="utf-8"))
        run = re.search(r"run(\d+)", f.name).group(1)
        lines.append(f"| {r['size']} MB | {run} | {r['load']} | {r['copy']} | {r['mixPlain']} | {r['ratioPlain']} "
                     f"| {r['copyFsync']} | {r['mix']} | {r['ratioFsync']} | {r['heap']} of {r['maxHeap']} |")
    source = results / "raw" / "source.txt"
    if source.exists():
        lines += ["", "Code measured (commit, then local changes under core/): "
                  + "; ".join(l.strip() for l in source.read_text(encoding="utf-8").splitlines() if l.strip()) + "."]
    lines += ["", "Raw outputs (every round's timings): `raw/`.", ""]
    text = "\n".join(lines)
    fd, tmp = tempfile.mkstemp(dir=results, prefix=".summary.md.")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(tmp, 0o644)
    os.replace(tmp, results / "summary.md")
    print(text)


if __name__ == "__main__":
    main()
