#!/usr/bin/env python3
"""Per-step overhead of a search on a real node: for every member pod, the time from the pod's
creation to the trainer's first training batch (scheduling, image/container start, the mix init
container, JVM and libtorch load) next to the step's training time.

Reads `kubectl get pods -o json` of one search and `kubectl logs --timestamps` of each trainer
container (the container runtime's nanosecond timestamps on the trainer's JSON event lines).
Usage: overhead.py --namespace NS --search NAME --out DIR   (KUBECONFIG names the cluster)
Writes DIR/pods.json (raw per-pod times) and DIR/summary.md; prints the summary.
"""
import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys


def kubectl(*args):
    exe = os.environ.get("KUBECTL", "kubectl")
    return subprocess.run([exe, *args], check=True, capture_output=True, text=True).stdout


def ts(text):
    """RFC 3339 with up to nanoseconds -> seconds since the epoch (float)."""
    if text is None:
        return None
    text = text.rstrip("Z")
    frac = ""
    if "." in text:
        text, frac = text.split(".", 1)
    base = dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc).timestamp()
    return base + (float("0." + frac) if frac else 0.0)


def events(namespace, pod):
    """(timestamp, event JSON) for each JSON line the trainer printed."""
    out = []
    for line in kubectl("-n", namespace, "logs", "--timestamps", pod, "-c", "trainer").splitlines():
        stamp, _, rest = line.partition(" ")
        try:
            ev = json.loads(rest)
        except ValueError:
            continue
        if isinstance(ev, dict) and "event" in ev:
            out.append((ts(stamp), ev))
    return out


def pod_times(namespace, pod):
    meta, status = pod["metadata"], pod["status"]
    name = meta["name"]
    created = ts(meta["creationTimestamp"])
    scheduled = next((ts(c["lastTransitionTime"]) for c in status.get("conditions", [])
                      if c["type"] == "PodScheduled" and c["status"] == "True"), None)
    # The trainer is the last init container (the main container, `pbtnas verify`, checks its output).
    containers = status.get("initContainerStatuses", []) + status.get("containerStatuses", [])
    done = {s["name"]: s["state"]["terminated"] for s in containers if "terminated" in s["state"]}
    mix, trainer, verify = done.get("mix"), done.get("trainer"), done.get("verify")
    first_start = min((ts(t["startedAt"]) for t in done.values()), default=None)
    if trainer is None or trainer.get("exitCode") != 0:
        return None
    evs = events(namespace, name)
    first = lambda kind: next((t for t, e in evs if e["event"] == kind), None)
    start, first_batch, result = first("start"), first("progress"), first("result")
    if None in (start, first_batch, result):
        return None
    # The first progress line is printed after batch 1: the batch itself belongs to training.
    batches = next((e.get("batches") for t, e in evs if e["event"] == "progress"), None)
    return {
        "pod": name,
        "labels": meta.get("labels", {}),
        "created": created,
        "scheduled": scheduled,
        "mixStarted": ts(mix["startedAt"]) if mix else None,
        "mixFinished": ts(mix["finishedAt"]) if mix else None,
        "firstContainerStarted": first_start,
        "trainerStarted": ts(trainer["startedAt"]),
        "trainerReady": start,
        "firstBatch": first_batch,
        "result": result,
        "trainerFinished": ts(trainer["finishedAt"]),
        "finished": ts((verify or trainer)["finishedAt"]),
        "batchesPerEpoch": batches,
    }


def summarize(rows):
    def med(f):
        vals = [f(r) for r in rows if f(r) is not None]
        return (statistics.median(vals), min(vals), max(vals)) if vals else (float("nan"),) * 3

    parts = [
        ("created -> scheduled", lambda r: r["scheduled"] - r["created"] if r["scheduled"] else None),
        ("scheduled -> first container started",
         lambda r: r["firstContainerStarted"] - r["scheduled"] if r["scheduled"] else None),
        ("mix init container (replaced members only)",
         lambda r: r["mixFinished"] - r["mixStarted"] if r["mixStarted"] else None),
        ("trainer container started -> JVM + libtorch ready", lambda r: r["trainerReady"] - r["trainerStarted"]),
        ("ready -> first batch done", lambda r: r["firstBatch"] - r["trainerReady"]),
        ("overhead: created -> first batch done", lambda r: r["firstBatch"] - r["created"]),
        ("training: first batch -> result", lambda r: r["result"] - r["firstBatch"]),
        ("trainer finished -> output verified (pbtnas verify)", lambda r: r["finished"] - r["trainerFinished"]),
        ("whole step: created -> last container finished", lambda r: r["finished"] - r["created"]),
    ]
    lines = ["| part of a member step | median s | min s | max s |", "|---|---|---|---|"]
    for label, f in parts:
        m, lo, hi = med(f)
        lines.append(f"| {label} | {m:.2f} | {lo:.2f} | {hi:.2f} |")
    shares = [(r["firstBatch"] - r["created"]) / (r["finished"] - r["created"]) for r in rows]
    lines.append("")
    lines.append(f"Overhead share of a step (created -> first batch, over created -> finished): median "
                 f"{statistics.median(shares):.1%}, min {min(shares):.1%}, max {max(shares):.1%}, over {len(rows)} "
                 f"member steps. Pod creation timestamps have one-second resolution; the rest are the "
                 f"container runtime's nanosecond log timestamps.")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--namespace", required=True)
    ap.add_argument("--search", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    pods = json.loads(kubectl("-n", a.namespace, "get", "pods", "-l", f"pbtnas.io/search={a.search}", "-o", "json"))
    rows = [r for r in (pod_times(a.namespace, p) for p in pods["items"]
                        if p["metadata"].get("labels", {}).get("pbtnas.io/role", "member") == "member") if r]
    if not rows:
        sys.exit("overhead: no succeeded member pods with trainer events found")
    rows.sort(key=lambda r: r["created"])
    os.makedirs(a.out, exist_ok=True)
    for name, text in (("pods.json", json.dumps(rows, indent=1)), ("summary.md", summarize(rows) + "\n")):
        tmp = os.path.join(a.out, f".{name}.tmp")
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, os.path.join(a.out, name))
    print(summarize(rows))


if __name__ == "__main__":
    main()
