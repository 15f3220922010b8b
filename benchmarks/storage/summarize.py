#!/usr/bin/env python3
"""Summarise S3Benchmark's raw/s3-<MiB>MiB.json into results.md. Standard library only.

Ratios are ours / baseline in MB/s, paired by round (both measured in the same round of the same run),
given as the median over rounds with the lowest and highest round in brackets."""
import json
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

# op -> (what it is, the baselines its ratio is given against)
OPS = {
    "put plain": ("baseline: PutObject, multipart in parts of our part size", []),
    "upload": ("ours: `verify --upload` (S3Objects.putAttempt: the model, then metrics.json)", ["put plain"]),
    "get plain": ("baseline: one GetObject into a file", []),
    "get plain + fsync": ("baseline: the same, then fsync", []),
    "stage": ("ours: `pbtnas stage` (HeadBucket, HeadObject, GetObject into a temp file, link)", ["get plain"]),
    "mix": ("ours: `pbtnas mix --root s3://…` (half the tensors from each parent, streamed; child fsynced)",
            ["get plain", "get plain + fsync"]),
    "mix, no prefetch": ("the same, the source's prefetch off (only in prefetch-ab/: the prefetch, tried, was dropped)",
                         ["get plain", "get plain + fsync"]),
    "reads alone": ("reference: both parents' bytes the mix reads, through the same source, nothing written",
                    ["get plain"]),
    "reads alone, no prefetch": ("the same, prefetch off (only in prefetch-ab/)", ["get plain"]),
    "mix local": ("reference: the same mix from local files (no S3)", ["get plain"]),
}


def mb_s(s):
    return s["bytes"] / 1e6 / s["seconds"]


def spread(values, fmt):
    """median (lowest–highest), or the one value when all round to it."""
    if len({fmt.format(v) for v in values}) == 1:
        return fmt.format(values[0])
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def load(loadavg):
    """/proc/loadavg's first three fields."""
    return " / ".join(loadavg.split()[:3])


def table(run):
    by_op = {}
    for s in run["samples"]:
        by_op.setdefault(s["op"], {})[s["repetition"]] = s
    lines = ["| operation | s | MB/s | **ratio ours / baseline** (MB/s) | CPU s (this JVM) | GETs "
             "| MiB read by the client | MiB written by the gateway |", "|---|---|---|---|---|---|---|---|"]
    for op, (_, baselines) in OPS.items():
        rounds = by_op.get(op)
        if not rounds:
            continue
        samples = [rounds[r] for r in sorted(rounds)]
        ratios = []
        for b in baselines:
            paired = [mb_s(rounds[r]) / mb_s(by_op[b][r]) for r in sorted(rounds) if r in by_op.get(b, {})]
            if paired:
                ratios.append(f"{spread(paired, '{:.2f}')} vs {b}")
        gets = sorted({s["client"]["gets"] for s in samples})
        read = [s["client"]["getBytes"] / 1048576 for s in samples]
        sent = [s["gateway"]["wchar"] / 1048576 for s in samples]
        lines.append(f"| {op} | {spread([s['seconds'] for s in samples], '{:.2f}')} "
                     f"| {spread([mb_s(s) for s in samples], '{:.0f}')} | {'; '.join(ratios) or '—'} "
                     f"| {spread([s['cpuSeconds'] for s in samples], '{:.2f}')} "
                     f"| {'/'.join(map(str, gets))} | {spread(read, '{:.1f}')} | {spread(sent, '{:.1f}')} |")
    return lines


def legend(runs):
    seen = {s["op"] for run in runs for s in run["samples"]}
    return [f"- **{op}**: {what}" for op, (what, _) in OPS.items() if op in seen]


def prefetch_ab(run):
    """Per round: mix with prefetch / without, and reads alone likewise (same round, same client); only the
    prefetch-ab/ results have both."""
    by_op = {}
    for s in run["samples"]:
        by_op.setdefault(s["op"], {})[s["repetition"]] = s
    out = []
    for op in ("mix", "reads alone"):
        a, b = by_op.get(op, {}), by_op.get(op + ", no prefetch", {})
        paired = [mb_s(a[r]) / mb_s(b[r]) for r in sorted(a) if r in b]
        if paired:
            out.append(f"{op}: prefetch on / off {spread(paired, '{:.2f}')} in MB/s, per round "
                       + ", ".join(f"{p:.2f}" for p in paired))
    return out


def main() -> None:
    results = Path(sys.argv[1])
    files = sorted((results / "raw").glob("s3-*MiB.json"), key=lambda p: int(re.search(r"(\d+)MiB", p.name).group(1)))
    if not files:
        sys.exit(f"summarize.py: no raw/s3-*MiB.json under {results}")
    lines = ["# Checkpoints on S3: throughput against plain GET/PUT", "",
             "cli's `S3Benchmark` (`benchmarks/storage/throughput.sh`): a real versitygw (posix back end, "
             "its bucket on disk) on this machine, one S3 client (the one pbtnas builds: SDK v2, "
             "url-connection) shared by our code and the plain SDK calls, every operation in the same JVM, "
             "interleaved, each round in a new (seeded, shuffled) order after a warm-up round that is not counted, "
             "with a `sync` between operations so that none pays for the previous one's writeback. "
             "MB = 10^6 bytes; MB/s over the checkpoint's bytes (the child's for a mix, the bytes read for "
             "the reads alone). Values are the median over rounds (lowest–highest); ratios are paired by "
             "round. \"MiB read by the client\" counts the GET response bytes the client read off the wire; "
             "\"written by the gateway\" is its `wchar` (every byte it wrote: response bodies, and for a PUT "
             "the object's file, twice for a multipart upload: parts, then the object).", ""]
    runs = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    lines += ["The operations:", ""] + legend(runs) + [""]
    for run in runs:
        lines += [f"## {run['checkpointBytes'] / 1048576:.0f} MiB checkpoint ({run['tensors']} F32 tensors, "
                  f"{run['genes']} genes, {len(run['swappedGenes'])} swapped: half the child from each parent)", "",
                  f"{run['repetitions']} rounds; part size {run['partSize'] >> 20} MiB; {run['cores']} cores; "
                  f"load average (1/5/15 min) {load(run['loadBefore'])} before, {load(run['loadAfter'])} after; data under `{os.path.dirname(run['dataDisk'])}`.", ""]
        lines += table(run)
        ab = prefetch_ab(run)
        if ab:
            lines += [""] + [f"- {x}" for x in ab]
        lines.append("")
    source = results / "raw" / "source.txt"
    if source.exists():
        lines += ["Code measured (commit, then local changes under cli/, core/, testkit/):", "", "```",
                  source.read_text(encoding="utf-8").strip(), "```", ""]
    text = "\n".join(lines)
    fd, tmp = tempfile.mkstemp(dir=results, prefix=".results.md.")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, results / "results.md")
    print(text)


if __name__ == "__main__":
    main()
