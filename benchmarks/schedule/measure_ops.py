#!/usr/bin/env python3
"""Per-op training cost of the built-in DJL trainer on this machine (standard library only).

  measure_ops.py --cp CLASSPATH --out FILE [--images 2048] [--positions 6] [--threads 1]

For each op, trains the network with that op at every position (the trainer's default width and batch,
1 thread) for 2 epochs on a training subset and takes the second epoch's wall seconds per image from the
trainer's own "epoch" event (the first epoch carries JIT and native warm-up);
of the --repeats runs (ops interleaved) the fastest counts, the least disturbed on a shared machine. A network's cost is then
modelled as linear in its cells: cost(genome) = base + sum over positions of (cost(all-op) - base) / K,
where base = cost(all-skip) (skip adds no computation; stem, head and loss remain). The schedule benchmark
reads the result (ops.json) to give each member a step time that follows its architecture.
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

OPS = ["conv3x3", "conv5x5", "sepconv3x3", "dilconv3x3", "maxpool", "skip"]


def run_one(cp: str, op: str, positions: int, images: int, threads: int) -> dict:
    genome = {f"cell{i}": op for i in range(positions)}
    with tempfile.TemporaryDirectory(prefix="pbtnas-ops-") as out:
        env = dict(os.environ, DJL_OFFLINE="true", PBTNAS_GENOME=json.dumps(genome), PBTNAS_OUTPUT_DIR=out,
                   PBTNAS_EPOCH_FROM="0", PBTNAS_EPOCH_TO="2", PBTNAS_SEED="1", PBTNAS_TASK="fashion-mnist",
                   PBTNAS_TASK_ARGS=json.dumps({"trainSubset": images, "validationSubset": 256, "testSubset": 64,
                                                "threads": threads}),
                   PBTNAS_TERMINATION_LOG=os.path.join(out, "termination-log"))
        t0 = time.monotonic()
        p = subprocess.run(["java", "-Xmx768m", "-XX:+UseSerialGC", "-cp", cp, "io.pbtnas.trainer.TrainerMain"],
                           env=env, capture_output=True, text=True)
        wall = time.monotonic() - t0
        if p.returncode != 0:
            raise SystemExit(f"measure_ops.py: trainer failed for {op} (exit {p.returncode}): {p.stderr[-2000:]}")
        epochs = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
        epochs = [e for e in epochs if e.get("event") == "epoch"]
        if len(epochs) != 2:
            raise SystemExit(f"measure_ops.py: expected 2 epoch events for {op}, got {len(epochs)}: {p.stdout[-2000:]}")
        second = epochs[1]
        return {"op": op, "images": second["images"], "seconds": second["seconds"],
                "msPerImage": round(1000 * second["seconds"] / second["images"], 4),
                "firstEpochSeconds": epochs[0]["seconds"], "processWallSeconds": round(wall, 2)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cp", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--images", type=int, default=2048)
    p.add_argument("--positions", type=int, default=6)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--repeats", type=int, default=3)
    a = p.parse_args()
    load_start = Path("/proc/loadavg").read_text().split()[:3]
    runs = []
    for rep in range(a.repeats):          # ops interleaved, so a change of load hits every op alike
        for op in OPS:
            r = dict(run_one(a.cp, op, a.positions, a.images, a.threads), repeat=rep)
            print(f"  [{rep}] all-{op}: {r['msPerImage']:.3f} ms/image ({r['images']} images in {r['seconds']:.2f} s)",
                  flush=True)
            runs.append(r)
    write(Path(a.out), derive(runs, a.positions, a.images, a.threads, load_start,
                              Path("/proc/loadavg").read_text().split()[:3],
                              time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())))


def derive(runs, positions, images, threads, load_start, load_end, measured_at) -> dict:
    """The cost model from the runs: the fastest repeat of each op (the least disturbed on a shared machine)."""
    median = {op: statistics.median(r["msPerImage"] for r in runs if r["op"] == op) for op in OPS}
    fastest = {op: min(r["msPerImage"] for r in runs if r["op"] == op) for op in OPS}
    base = fastest["skip"]
    per_op = {op: round(max(0.0, fastest[op] - base) / positions, 5) for op in OPS}
    return {
        "what": "wall ms per training image of the built-in DJL trainer (second of 2 epochs), network with one op "
                "at every position; fastest of the repeats; perPositionMsPerImage = (ms(all-op) - ms(all-skip)) / "
                "positions",
        "settings": {"positions": positions, "trainSubset": images, "threads": threads,
                     "width": 16, "batchSize": 128, "note": "the trainer's defaults for width and batch"},
        "fastestMsPerImage": fastest, "medianMsPerImage": median, "baseMsPerImage": base,
        "perPositionMsPerImage": per_op, "runs": runs,
        "loadAverage": {"start": load_start, "end": load_end}, "measuredAt": measured_at,
    }


def write(out: Path, result: dict) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name("." + out.name + ".tmp")
    tmp.write_text(json.dumps(result, indent=2) + "\n")
    os.replace(tmp, out)
    print(f"per-op costs: {out}")


if __name__ == "__main__":
    main()
