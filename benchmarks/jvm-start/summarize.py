#!/usr/bin/env python3
"""results.md of benchmarks/jvm-start/run.sh: min / median / max per command, with and without the archive."""
import argparse
import csv
import os
import statistics

COMMANDS = [  # (name in raw.tsv, what it is)
    ("version", "operator image: `pbtnas --version` (JVM start to main, and picocli)"),
    ("mix", "operator image: `pbtnas mix` on a volume (the init container of a replaced member)"),
    ("verify", "operator image: `pbtnas verify` on a volume"),
    ("verify-upload", "operator image: `pbtnas verify --upload` to a bucket"),
    ("stage", "operator image: `pbtnas stage` from a bucket"),
    ("trainer-first-batch", "trainer image: ENTRYPOINT to the first training batch"),
    ("eval", "trainer image: `pbtnas eval` (its JVM and its built-in trainer's)"),
]


def main():
    ap = argparse.ArgumentParser()
    for flag in ("--raw", "--classes", "--operator", "--trainer", "--archives", "--before", "--after"):
        ap.add_argument(flag, required=True)
    a = ap.parse_args()
    times = {}
    by_round = {}
    rounds = set()
    with open(a.raw) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["round"] == "0":
                continue  # the warm-up round
            rounds.add(row["round"])
            ms = int(row["microseconds"]) / 1000
            times.setdefault((row["command"], row["mode"]), []).append(ms)
            by_round[(row["command"], row["mode"], row["round"])] = ms
    archives = a.archives.split()
    archive = dict(zip(archives[0::2], (int(x) for x in archives[1::2])))

    print("# JVM start with and without class-data sharing")
    print()
    print(f"`benchmarks/jvm-start/run.sh --rounds {len(rounds)}`: each round runs every command once with the image's")
    print("archive (`on`) and once without (`off`, `PBTNAS_CDS=off`), alternating which goes first; one warm-up round")
    print("is not counted. Milliseconds, timed inside the container (container start-up is not in them).")
    print()
    print(f"- uptime before: `{a.before.strip()}`")
    print(f"- uptime after: `{a.after.strip()}`")
    print(f"- operator image `{os.path.basename(a.operator)}`: {os.path.getsize(a.operator) / 1e6:.1f} MB, archive "
          f"/opt/pbtnas/cli/pbtnas.jsa {archive['operator'] / 2**20:.1f} MiB")
    print(f"- trainer image `{os.path.basename(a.trainer)}`: {os.path.getsize(a.trainer) / 1e6:.1f} MB, archive "
          f"/opt/pbtnas/trainer.jsa {archive['trainer'] / 2**20:.1f} MiB")
    print()
    print("| command | off: min / median / max | on: min / median / max | median on/off | saved (median) | on faster |")
    print("|---|---|---|---|---|---|")
    for name, what in COMMANDS:
        off, on = times.get((name, "off")), times.get((name, "on"))
        if not off or not on:
            print(f"| {what} | missing | missing | | |")
            continue
        fmt = lambda v: f"{min(v):.0f} / {statistics.median(v):.0f} / {max(v):.0f}"
        m_off, m_on = statistics.median(off), statistics.median(on)
        # Within a round the two runs are back to back: how often the archive won the pair.
        pairs = [(by_round[(name, "on", r)], by_round[(name, "off", r)]) for r in sorted(rounds)
                 if (name, "on", r) in by_round and (name, "off", r) in by_round]
        won = sum(1 for o, f in pairs if o < f)
        print(f"| {what} | {fmt(off)} | {fmt(on)} | {m_on / m_off:.2f} | {m_off - m_on:.0f} ms | {won} of {len(pairs)} rounds |")
    print()
    print("Classes each command's JVMs loaded from a shared archive (with `off`: the JDK's own) and from jars, "
          "in one extra run:")
    print()
    print("| command | off: archive / jars | on: archive / jars |")
    print("|---|---|---|")
    classes = {}
    with open(a.classes) as f:
        for line in f:
            key, shared, jars = line.split()
            command, mode = key.rsplit("-", 1)
            classes[(command, mode)] = f"{shared} / {jars}"
    for name, what in COMMANDS:
        print(f"| {what} | {classes.get((name, 'off'), '?')} | {classes.get((name, 'on'), '?')} |")


if __name__ == "__main__":
    main()
