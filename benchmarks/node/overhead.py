#!/usr/bin/env python3
"""Per-step overhead of a search on a real node, from what record.py kept while it ran: for every member
pod, the time from its creation to the trainer's first training batch (scheduling, container start, the
stage or mix init container, JVM and libtorch load), the training, and from the trainer's result to the
pod being done (the trainer's exit, `pbtnas verify`, on a bucket the upload), then to the next pod.

Times: pod creation, binding to the node, "done" (phase Succeeded) and deletion are when the watch saw them (this machine's
clock, milliseconds); the trainer's events are the container runtime's nanosecond log timestamps;
container start and finish times have one-second resolution.
Usage: overhead.py --recorded FILE --out DIR [--title TEXT]
Writes DIR/pods.json (per-pod times) and DIR/summary.md; prints the summary.
"""
import argparse
import datetime as dt
import json
import os
import statistics
import sys


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


def events(log_lines):
    """(timestamp, event JSON) for each JSON line the trainer printed."""
    out = []
    for line in log_lines:
        stamp, _, rest = line.partition(" ")
        try:
            ev = json.loads(rest)
        except ValueError:
            continue
        if isinstance(ev, dict) and "event" in ev:
            out.append((ts(stamp), ev))
    return out


def pod_times(rec):
    pod = rec["pod"]
    meta, status = pod["metadata"], pod["status"]
    scheduled = rec.get("scheduledSeen")
    containers = status.get("initContainerStatuses", []) + status.get("containerStatuses", [])
    done = {s["name"]: s["state"]["terminated"] for s in containers if "terminated" in s.get("state", {})}
    before = done.get("mix") or done.get("stage")
    trainer, verify = done.get("trainer"), done.get("verify")
    if trainer is None or trainer.get("exitCode") != 0 or status.get("phase") != "Succeeded":
        return None
    evs = events(rec["log"])
    first = lambda kind: next((t for t, e in evs if e["event"] == kind), None)
    start, first_batch, result = first("start"), first("progress"), first("result")
    if None in (start, first_batch, result) or rec["doneSeen"] is None:
        return None
    return {
        "pod": meta["name"],
        "labels": meta.get("labels", {}),
        "created": rec["firstSeen"],
        "scheduled": scheduled,
        "before": before and {"name": "mix" if done.get("mix") else "stage",
                              "started": ts(before["startedAt"]), "finished": ts(before["finishedAt"])},
        "firstContainerStarted": min(ts(t["startedAt"]) for t in done.values()),
        "trainerStarted": ts(trainer["startedAt"]),
        "trainerReady": start,
        "firstBatch": first_batch,
        "lastBatch": max(t for t, e in evs if e["event"] == "progress"),
        "result": result,
        "trainerFinished": ts(trainer["finishedAt"]),
        "verifyStarted": ts(verify["startedAt"]) if verify else None,
        "verifyFinished": ts(verify["finishedAt"]) if verify else None,
        "done": rec["doneSeen"],
        "deleted": rec["deletedSeen"],
        # the first progress line is printed after batch 1: that batch belongs to training
        "batchesPerEpoch": next((e.get("batches") for t, e in evs if e["event"] == "progress"), None),
    }


def with_next_pod(rows):
    """One pod at a time (parallelism 1): the gap from a pod being done to the next pod's creation."""
    for a, b in zip(rows, rows[1:]):
        a["nextCreated"] = b["created"] if b["created"] >= a["done"] else None
    if rows:
        rows[-1]["nextCreated"] = None
    return rows


PARTS = [
    ("created -> scheduled", lambda r: r["scheduled"] - r["created"] if r["scheduled"] else None),
    ("scheduled -> first container started",
     lambda r: r["firstContainerStarted"] - r["scheduled"] if r["scheduled"] else None),
    ("stage init container (every step on a bucket)",
     lambda r: r["before"]["finished"] - r["before"]["started"] if r["before"] and r["before"]["name"] == "stage" else None),
    ("mix init container (replaced members)",
     lambda r: r["before"]["finished"] - r["before"]["started"] if r["before"] and r["before"]["name"] == "mix" else None),
    ("trainer container started -> JVM + libtorch ready", lambda r: r["trainerReady"] - r["trainerStarted"]),
    ("ready -> first batch done", lambda r: r["firstBatch"] - r["trainerReady"]),
    ("**before training: created -> first batch done**", lambda r: r["firstBatch"] - r["created"]),
    ("training and evaluation: first batch -> result", lambda r: r["result"] - r["firstBatch"]),
    ("of which evaluation: last batch -> result", lambda r: r["result"] - r["lastBatch"]),
    ("verify container (checks; on a bucket also the upload)",
     lambda r: r["verifyFinished"] - r["verifyStarted"] if r["verifyStarted"] else None),
    ("**after training: result -> pod done**", lambda r: r["done"] - r["result"]),
    ("whole step: created -> pod done", lambda r: r["done"] - r["created"]),
    ("teardown: pod done -> next member pod created (one at a time)",
     lambda r: r["nextCreated"] - r["done"] if r.get("nextCreated") else None),
    ("pod done -> pod deleted", lambda r: r["deleted"] - r["done"] if r["deleted"] else None),
]


def stats(rows, f):
    vals = [v for v in (f(r) for r in rows) if v is not None]
    return (statistics.median(vals), min(vals), max(vals), len(vals)) if vals else None


def shares(rows):
    """Overhead over the whole step: before training alone, and everything that is not training."""
    before = [(r["firstBatch"] - r["created"]) / (r["done"] - r["created"]) for r in rows]
    total = [1 - (r["result"] - r["firstBatch"]) / (r["done"] - r["created"]) for r in rows]
    return before, total


def summarize(rows, title):
    lines = [f"### {title}", "", "| part of a member step | median s | min s | max s | steps |", "|---|---|---|---|---|"]
    for label, f in PARTS:
        s = stats(rows, f)
        lines.append(f"| {label} | " + (" | ".join(f"{x:.2f}" for x in s[:3]) + f" | {s[3]}" if s else "- | - | - | 0") + " |")
    before, total = shares(rows)
    lines += ["", f"Overhead share of a step, over created -> pod done, {len(rows)} member steps: before training "
                  f"median {statistics.median(before):.1%} (min {min(before):.1%}, max {max(before):.1%}); everything "
                  f"but training median {statistics.median(total):.1%} (min {min(total):.1%}, max {max(total):.1%}). Rows that use a "
                  f"container's start or finish (first container started, the init and verify containers, trainer started) "
                  f"have the API's one-second resolution; the rest are milliseconds or better."]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--recorded", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--title", default="member steps")
    a = ap.parse_args()
    recorded = json.load(open(a.recorded))
    rows = sorted((r for r in (pod_times(rec) for rec in recorded.values() if "pod" in rec) if r),
                  key=lambda r: r["created"])
    if not rows:
        sys.exit(f"overhead: no succeeded member pods with trainer events in {a.recorded}")
    rows = with_next_pod(rows)
    os.makedirs(a.out, exist_ok=True)
    text = summarize(rows, a.title)
    for name, body in (("pods.json", json.dumps(rows, indent=1)), ("summary.md", text + "\n")):
        tmp = os.path.join(a.out, f".{name}.tmp")
        with open(tmp, "w") as f:
            f.write(body)
        os.replace(tmp, os.path.join(a.out, name))
    print(text)


if __name__ == "__main__":
    main()
