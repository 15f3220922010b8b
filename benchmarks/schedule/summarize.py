#!/usr/bin/env python3
"""GPU idle share and skipped judgements from ScheduleBenchmark's raw results (standard library only).

  summarize.py --results benchmarks/results/schedule     reads schedule-raw.json, writes summary.md + timeline.svg

Idle share = 1 - busy GPU-seconds / (GPUs x wall time). A member pod is busy (holds its GPU) from the moment
the benchmark's watch first saw it bound to the node to the moment it saw it terminal; wall time runs from
the first member pod bound to the last one terminal. The same figure from the pods' own status times
(startTime to the last container's finishedAt; whole seconds, as Kubernetes writes them) is a cross-check.
"""
import argparse
import json
import os
import statistics
import tempfile
from datetime import datetime
from pathlib import Path

STEP_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                "#bcbd22", "#17becf", "#393b79", "#637939"]


def write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def step_millis(settings: dict, genome: dict) -> int:
    return settings["sleepMillis"] + sum(settings["sleepMillisPerOp"][op] for op in genome.values())


def label(genome: dict) -> str:
    return "-".join(genome[k] for k in sorted(genome, key=lambda g: int(g[4:]) if g[4:].isdigit() else g))


def iso(t):
    return None if t is None else datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()


def idle_share(intervals, gpus):
    start = min(a for a, _ in intervals)
    end = max(b for _, b in intervals)
    busy = sum(b - a for a, b in intervals)
    wall = end - start
    return 1 - busy / (gpus * wall), busy, wall


def analyse(run: dict, settings: dict) -> dict:
    gpus = settings["gpus"]
    gens = settings["generations"]
    pods = [p for p in run["pods"] if p["boundS"] is not None and p["terminalS"] is not None]
    watch = idle_share([(p["boundS"], p["terminalS"]) for p in pods], gpus)
    stat = [(iso(p["statusStartTime"]), iso(p["statusFinishedAt"])) for p in pods]
    status_idle = idle_share(stat, gpus) if all(a is not None and b is not None for a, b in stat) else None
    genome_of = {}
    for p in pods:  # the last attempt of (member, step) is the one that counted
        key = (p["member"], p["step"])
        if key not in genome_of or p["attempt"] >= genome_of[key][0]:
            genome_of[key] = (p["attempt"], json.loads(p["genome"]))
    # Judgement opportunities: a result of a step before the last; unjudged = went on without a ranking.
    per_arch = {}
    for a in run["status"].get("arrivals") or []:
        if a["step"] >= gens - 1 or a["verdict"] in ("retry", "failed"):
            continue
        g = genome_of[(a["member"], a["step"])][1]
        e = per_arch.setdefault(label(g), {"stepMillis": step_millis(settings, g), "results": 0, "unjudged": 0,
                                           "replaced": 0, "kept": 0})
        e["results"] += 1
        e[a["verdict"]] = e.get(a["verdict"], 0) + 1
    # A GPU waited wherever fewer than `gpus` pods held one: the gaps, summed per step boundary.
    waits = []
    by_member = {}
    for p in sorted(pods, key=lambda p: p["boundS"]):
        by_member.setdefault(p["member"], []).append(p)
    for m, ps in by_member.items():
        for a, b in zip(ps, ps[1:]):
            waits.append(b["boundS"] - a["terminalS"])
    # The end of a search: once fewer members than GPUs have steps left, GPUs idle whatever the schedule.
    last = {}
    for p in pods:
        last[p["member"]] = max(last.get(p["member"], 0.0), p["terminalS"])
    start = min(p["boundS"] for p in pods)
    drain = sorted(last.values())[-gpus] if len(last) >= gpus else start
    busy_before = sum(max(0.0, min(p["terminalS"], drain) - p["boundS"]) for p in pods if p["boundS"] < drain)
    before = 1 - busy_before / (gpus * (drain - start)) if drain > start else float("nan")
    return {"schedule": run["schedule"], "idle": watch[0], "busy": watch[1], "wall": watch[2],
            "idleBeforeDrain": before, "drainS": drain - start,
            "statusIdle": None if status_idle is None else status_idle[0],
            "statusWall": None if status_idle is None else status_idle[2],
            "pods": len(pods), "perArch": per_arch, "memberGaps": waits,
            "verdicts": run.get("verdicts", {}), "best": (run["status"].get("best") or {}).get("score")}


def lanes(pods):
    """Assigns each pod a GPU lane (interval partitioning, first free lane); the node does not say which."""
    free_at = []
    out = []
    for p in sorted(pods, key=lambda p: (p["boundS"], p["pod"])):
        for i, t in enumerate(free_at):
            if t <= p["boundS"] + 1e-6:
                free_at[i] = p["terminalS"]
                out.append((i, p))
                break
        else:
            free_at.append(p["terminalS"])
            out.append((len(free_at) - 1, p))
    return out, len(free_at)


def svg(raw: dict, analyses: list) -> str:
    settings = raw["settings"]
    w, left, right, panel_h, top = 980, 70, 20, 190, 50
    runs = [r for r in raw["runs"]]
    tmax = max(p["terminalS"] for r in runs for p in r["pods"] if p["terminalS"] is not None)
    pw = w - left - right
    h = top + len(runs) * (panel_h + 40) + 40

    def x(t):
        return left + pw * t / tmax

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
           'font-family="sans-serif" font-size="12">', f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{left}" y="22" font-size="14" font-weight="bold">GPU timeline: {settings["gpus"]} GPUs, '
           f'population {settings["population"]}, {settings["generations"]} steps</text>',
           f'<text x="{left}" y="40" fill="#555">bar = a member pod holding a GPU, colour = step, number = member; '
           'white = a GPU idle; ▲ = a replaced member’s child (mixed in the init container)</text>']
    for idx, (r, a) in enumerate(zip(runs, analyses)):
        y0 = top + 20 + idx * (panel_h + 40)
        pods = [p for p in r["pods"] if p["boundS"] is not None and p["terminalS"] is not None]
        assigned, n = lanes(pods)
        lane_h = panel_h / max(n, settings["gpus"])
        out.append(f'<text x="{left}" y="{y0 - 6}" font-weight="bold">{r["schedule"]}: idle share '
                   f'{100 * a["idle"]:.1f} %, wall {a["wall"]:.0f} s</text>')
        out.append(f'<rect x="{left}" y="{y0}" width="{pw}" height="{panel_h}" fill="white" stroke="#999"/>')
        replaced = {(m["id"], k) for m in r["status"]["members"] for k in (m.get("replacedAt") or [])}
        for lane, p in assigned:
            x0, x1 = x(p["boundS"]), x(p["terminalS"])
            yy = y0 + lane * lane_h + 2
            c = STEP_COLOURS[p["step"] % len(STEP_COLOURS)]
            out.append(f'<rect x="{x0:.1f}" y="{yy:.1f}" width="{max(x1 - x0, 0.5):.1f}" height="{lane_h - 4:.1f}" '
                       f'fill="{c}" stroke="white" stroke-width="0.5"><title>member {p["member"]} step {p["step"]}: '
                       f'{p["boundS"]:.2f}-{p["terminalS"]:.2f} s</title></rect>')
            if x1 - x0 > 12:
                out.append(f'<text x="{(x0 + x1) / 2:.1f}" y="{yy + lane_h / 2 + 2:.1f}" text-anchor="middle" '
                           f'fill="white" font-size="10">{p["member"]}</text>')
            if (p["member"], p["step"]) in replaced:
                out.append(f'<path d="M{x0:.1f},{yy + lane_h - 4:.1f} l4,-7 l4,7 z" fill="black"/>')
        for i in range(n):
            out.append(f'<text x="{left - 6}" y="{y0 + i * lane_h + lane_h / 2 + 4:.1f}" text-anchor="end">'
                       f'GPU {i}</text>')
        for s in range(0, int(tmax) + 1, max(1, int(tmax / 10) // 10 * 10 or 10)):
            out.append(f'<line x1="{x(s):.1f}" y1="{y0 + panel_h}" x2="{x(s):.1f}" y2="{y0 + panel_h + 4}" '
                       'stroke="black"/>')
            out.append(f'<text x="{x(s):.1f}" y="{y0 + panel_h + 16}" text-anchor="middle">{s}</text>')
    out.append(f'<text x="{left + pw / 2}" y="{h - 8}" text-anchor="middle">seconds since the first member pod '
               'was bound</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--results", required=True)
    a = p.parse_args()
    results = Path(a.results)
    raw = json.loads((results / "schedule-raw.json").read_text(encoding="utf-8"))
    s = raw["settings"]
    analyses = [analyse(r, s) for r in raw["runs"]]
    ops = s["ops"]
    where = (f"a Kueue ClusterQueue of {s['kueueQuota']} `nvidia.com/gpu` (the real Kueue, built from source; the "
             f"node has a GPU per member, so the quota is the limit; the idle share is of what the queue gave the "
             f"search, 1 − idle = its GPU-busy share of the quota)" if "kueueQuota" in s
             else f"{s['gpus']} `nvidia.com/gpu` on one test-kubelet node")
    lines = ["# GPU idle share: synchronous vs asynchronous", "",
             f"{where}, population {s['population']}, "
             f"{s['generations']} steps, {s['positions']} cells × {len(s['options'])} ops, 1 GPU per member pod "
             f"(parallelism {s.get('parallelism', s['gpus'])}), seed {s['seed']}; real API server, real operator (SearchReconciler), real "
             "checkpoints and `pbtnas mix` init containers; the trainer is the contract trainer, sleeping for the "
             "step time below.", "",
             f"Step time = {s['epochsPerStep']:g} epochs of {s['trainImages']:,} images at the built-in DJL trainer's "
             f"measured cost on this machine, scaled **{s['secondsPerRealMinute']:g} s per real minute**: "
             f"{s['sleepMillis']} ms (stem, head: an all-skip network) + per cell "
             + ", ".join(f"{op} {ms} ms" for op, ms in s["sleepMillisPerOp"].items())
             + f" (from `ops.json`, measured {ops.get('measuredAt')}, load average {ops['loadAverage']['start']} → "
             f"{ops['loadAverage']['end']}).", "",
             "| schedule | idle share (watch) | idle share (pod status times, 1 s resolution) "
             "| idle share until fewer members than GPUs have work left | wall (s) | busy GPU-s "
             "| member pods | mean gap between a member's steps (s) | verdicts | final best score |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for x in analyses:
        gaps = statistics.fmean(x["memberGaps"]) if x["memberGaps"] else float("nan")
        si = "—" if x["statusIdle"] is None else f"{100 * x['statusIdle']:.1f} %"
        lines.append(f"| {x['schedule']} | **{100 * x['idle']:.1f} %** | {si} | {100 * x['idleBeforeDrain']:.1f} % "
                     f"(first {x['drainS']:.0f} s) | {x['wall']:.1f} | {x['busy']:.1f} "
                     f"| {x['pods']} | {gaps:.2f} | {json.dumps(x['verdicts'])} | {x['best']} |")
    by = {x["schedule"]: x for x in analyses}
    if "synchronous" in by and "asynchronous" in by:
        sy, asy = by["synchronous"], by["asynchronous"]
        lines += ["", f"Asynchronous / synchronous wall time: {asy['wall'] / sy['wall']:.2f}; idle share "
                  f"{100 * asy['idle']:.1f} % against {100 * sy['idle']:.1f} % (goal: asynchronous under 5 %: "
                  f"**{'met' if asy['idle'] < 0.05 else 'not met'}**)."]
    for x in analyses:
        if x["schedule"] != "asynchronous":
            continue
        rows = sorted(x["perArch"].items(), key=lambda kv: kv[1]["stepMillis"])
        lines += ["", "## Skipped (unjudged) judgements per architecture, asynchronous", "",
                  "A result of a step before the last is a judgement opportunity; *unjudged* means the member went "
                  "on without a ranking (the asynchronous schedule's quorum of half the population was not met and a GPU would otherwise have idled).", "",
                  "| architecture (cell0-…) | step time (ms) | results | kept | replaced | unjudged |",
                  "|---|---|---|---|---|---|"]
        for arch, e in rows:
            lines.append(f"| {arch} | {e['stepMillis']} | {e['results']} | {e.get('kept', 0)} | "
                         f"{e.get('replaced', 0)} | {e.get('unjudged', 0)} |")
        tot = sum(e["results"] for _, e in rows)
        unj = sum(e.get("unjudged", 0) for _, e in rows)
        third = max(1, len(rows) // 3)
        cheap = rows[:third]
        dear = rows[-third:]

        def share(rs):
            n = sum(e["results"] for _, e in rs)
            u = sum(e.get("unjudged", 0) for _, e in rs)
            return u, n
        cu, cn = share(cheap)
        du, dn = share(dear)
        lines += ["", f"Unjudged: {unj} of {tot} judgement opportunities. Cheapest third of the architectures "
                  f"({len(cheap)}): {cu} of {cn}; dearest third ({len(dear)}): {du} of {dn}."]
    env = raw.get("environment") or {}
    lines += ["", f"Recorded {env.get('recordedAt')}; {env.get('availableProcessors')} cores, load average at the end "
              f"{env.get('systemLoadAverageAtEnd')} (a shared machine: other builds ran beside it)."]
    lines += ["", "Raw: `schedule-raw.json` (every member pod's bound/terminal times, the final statuses with the "
              "arrival logs, the settings); plot: `timeline.svg`; per-op costs: `ops.json`; machine: `MACHINE.md`.", ""]
    text = "\n".join(lines)
    write_atomic(results / "summary.md", text)
    write_atomic(results / "timeline.svg", svg(raw, analyses))
    print(text)


if __name__ == "__main__":
    main()
