"""Side-by-side driver: our trainer (a JVM per configuration) and the PyTorch twin (a Python process per
configuration), alternated in the same run, repeated; writes raw JSON and summary.md, prints the table."""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time

GENOMES = {
    "all-conv3x3": ["conv3x3"] * 6,
    "all-conv5x5": ["conv5x5"] * 6,
    "all-sepconv3x3": ["sepconv3x3"] * 6,
    "mixed": ["conv3x3", "sepconv3x3", "conv5x5", "dilconv3x3", "maxpool", "skip"],
}
# Loss agreement: step 0 (identical weights and images, no update yet) must agree to float32 rounding;
# later steps drift as float sums are reordered, so they are held to the drift our own trainer shows
# between 1 and 2 threads (measured in the same run), with a floor (see the README).
STEP0_TOL = 1e-5
# What each process of a configuration is: the side, whether it starts through the trainer's allocator
# launcher (trainer-image/image/pbtnas-with-allocator: jemalloc preloaded, as users get it) and extra env.
#   ours               our trainer as users run it (the launcher, jemalloc)
#   ours-glibc         the same with the launcher's opt-out, PBTNAS_ALLOCATOR=glibc (glibc tuned by mallopt)
#   pytorch            the PyTorch twin as a user runs it (glibc, defaults)
#   pytorch-jemalloc   the twin through the same launcher: the same allocator and settings as ours
VARIANTS = [("ours", "ours", True, {}), ("ours-glibc", "ours", True, {"PBTNAS_ALLOCATOR": "glibc"}),
            ("pytorch", "pytorch", False, {}), ("pytorch-jemalloc", "pytorch", True, {})]
# Variables that would change the allocator behind the benchmark's back: not inherited from the caller.
ALLOCATOR_ENV = ("LD_PRELOAD", "MALLOC_CONF", "GLIBC_TUNABLES", "PBTNAS_ALLOCATOR", "PBTNAS_JEMALLOC")
DRIFT_FLOOR = 2e-3


class LoadSampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.samples, self.stop = [], threading.Event()

    def run(self):
        while not self.stop.wait(5):
            with open("/proc/loadavg") as f:
                self.samples.append(float(f.read().split()[0]))


def run_one(cmd, env):
    t0 = time.time() * 1000
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-4000:]}")
    line = [l for l in p.stdout.splitlines() if l.startswith("{")][-1]
    r = json.loads(line)
    r["spawnMs"] = t0
    r["timeToFirstBatchS"] = (r["firstBatchEndMs"] - t0) / 1000
    r["wallS"] = time.time() - t0 / 1000
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--java", required=True, help="java command prefix, space-separated")
    ap.add_argument("--launcher", required=True, help="the trainer's allocator launcher (pbtnas-with-allocator)")
    ap.add_argument("--python", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--genomes", default=",".join(GENOMES))
    ap.add_argument("--batches", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--eval-images", type=int, default=10000,
                    help="as many as the test set: 2,560 took 0.3 s, too short to tell 10 %% from noise")
    ap.add_argument("--wheel-libtorch", default="",
                    help="torch/lib of the PyTorch wheel: op timings also run our trainer on that libtorch")
    ap.add_argument("--ops", type=int, default=1, help="0: skip the one-op-at-a-time timings")
    ap.add_argument("--width", type=int, default=16)
    ap.add_argument("--batch", type=int, default=128)
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    os.makedirs(a.work, exist_ok=True)
    os.makedirs(os.path.join(a.results, "raw"), exist_ok=True)
    threads = [int(t) for t in a.threads.split(",")]
    genomes = a.genomes.split(",")
    env = {k: v for k, v in os.environ.items() if k not in ALLOCATOR_ENV and not k.startswith("MALLOC_")}
    env["DJL_OFFLINE"] = "true"
    common = [f"width={a.width}", f"batch={a.batch}", f"warmup={a.warmup}", f"batches={a.batches}",
              f"evalImages={a.eval_images}", "lr=0.001", "seed=1"]

    def command(variant, g, t):
        _, side, launched, extra_env = variant
        init = os.path.join(a.work, f"init-{g}.safetensors")
        if side == "ours":
            cmd = a.java.split() + [f"genome={','.join(GENOMES[g])}", f"threads={t}"] + common
            if variant[0] == "ours":
                cmd.append(f"initOut={init}")
        else:
            cmd = [a.python, os.path.join(here, "torch_side.py"), f"genome={','.join(GENOMES[g])}",
                   f"threads={t}", f"initIn={init}"] + common
        return ([a.launcher] if launched else []) + cmd, dict(env, **extra_env)

    load = LoadSampler()
    load.start()
    runs, ops = [], []
    started = time.time()
    for rep in range(a.repeats):
        for g in genomes:
            for t in threads:
                # Alternate the order so a load spike does not always hit the same side; the first run of a
                # genome is ours, which writes the initial weights the others load.
                order = list(VARIANTS)
                if (rep + threads.index(t)) % 2 == 1:
                    order = order[:1] + order[1:][::-1] if rep == 0 else order[::-1]
                for v in order:
                    cmd, e = command(v, g, t)
                    r = run_one(cmd, e)
                    r.update(impl=v[0], genome=g, repeat=rep, requestedThreads=t)
                    runs.append(r)
                    print(f"  rep {rep} {g:15s} {t}t {v[0]:16s} train {r['trainImgPerS']:7.1f}  eval "
                          f"{r['evalImgPerS']:7.1f} img/s  peak RSS {r['peakRssTrainMiB']:6.1f} MiB  "
                          f"first batch {r['timeToFirstBatchS']:.2f} s", flush=True)
                # Results so far, so that a run stopped early (a loaded machine) still leaves its numbers.
                write_results(a, runs, ops, genomes, threads, load, started)
        for t in threads if a.ops else []:
            ops.extend(op_round(a, here, env, t, rep))
    load.stop.set()
    md, ok = write_results(a, runs, ops, genomes, threads, load, started)
    print(md)
    if not ok:
        sys.exit("the two sides do not compute the same thing (see the checks above)")


def write_results(a, runs, ops, genomes, threads, load, started):
    """Summarises every run so far into raw/ and summary.md; True when both sides compute the same thing."""
    elapsed = time.time() - started
    done = {(r["genome"], r["requestedThreads"], r["impl"]) for r in runs}
    complete = {(g, t) for g in genomes for t in threads if all((g, t, v[0]) in done for v in VARIANTS)}
    genomes = [g for g in genomes if any((g, t) in complete for t in threads)]

    def pick(g, t, impl, key):
        return [r[key] for r in runs if r["genome"] == g and r["requestedThreads"] == t and r["impl"] == impl]

    rows, checks, ok = [], [], True
    for g in genomes:
        done_threads = [t for t in threads if (g, t) in complete]
        ours_l = {t: pick(g, t, "ours", "losses")[0] for t in done_threads}
        drift = (max(abs(x - y) for x, y in zip(ours_l[done_threads[0]], ours_l[done_threads[-1]]))
                 if len(done_threads) > 1 else 0)
        tol = max(DRIFT_FLOOR, 2 * drift)
        for t in done_threads:
            ol, pl = ours_l[t], pick(g, t, "pytorch", "losses")[0]
            d0 = abs(ol[0] - pl[0])
            dmax = max(abs(x - y) for x, y in zip(ol, pl))
            params = (pick(g, t, "ours", "parameters")[0], pick(g, t, "pytorch", "parameters")[0])
            # The allocator must not change what is computed: ours on glibc against ours on jemalloc.
            dalloc = max(abs(x - y) for x, y in zip(ol, pick(g, t, "ours-glibc", "losses")[0]))
            passed = params[0] == params[1] and d0 <= STEP0_TOL and dmax <= tol and dalloc <= tol
            ok &= passed
            checks.append(dict(genome=g, threads=t, parameters=params, step0Diff=d0, maxLossDiff=dmax,
                               oursThreadDrift=drift, tolerance=tol, allocatorLossDiff=dalloc, passed=passed))
            row = dict(genome=g, threads=t)
            names = [v[0] for v in VARIANTS]
            for key in ("trainImgPerS", "evalImgPerS", "peakRssTrainMiB", "peakRssMiB", "timeToFirstBatchS",
                        "trainCpuMsPerImage", "evalCpuMsPerImage", "trainMainThreadCpuMsPerImage",
                        "evalMainThreadCpuMsPerImage", "trainMinorFaultsPerImage", "evalMinorFaultsPerImage"):
                row[key] = {n: dict(median=statistics.median(pick(g, t, n, key)), min=min(pick(g, t, n, key)),
                                    all=pick(g, t, n, key)) for n in names}
            # RSS after each step: growth over the 20 steps after the first 3 (warm-up), and over the last 10.
            row["rssGrowthMiB"] = {n: statistics.median(r[-1] - r[3] for r in pick(g, t, n, "rssMiB"))
                                   for n in names}
            row["rssGrowthLast10MiB"] = {n: statistics.median(r[-1] - r[max(0, len(r) - 11)] for r in pick(g, t, n, "rssMiB"))
                                         for n in names}
            row["allocator"] = {n: sorted(set(pick(g, t, n, "allocator"))) for n in names if n.startswith("ours")}
            # Per repeat: the sides of one repeat ran back to back, so their ratio is free of the machine's slow
            # drift; min and max over repeats show how far a single comparison can be trusted.
            row["pairedCpuRatio"] = {
                f"{phase}:{n}": [p / o for p, o in zip(pick(g, t, n, key), pick(g, t, "ours", key))]
                for phase, key in (("train", "trainCpuMsPerImage"), ("eval", "evalCpuMsPerImage"))
                for n in ("pytorch", "pytorch-jemalloc")}
            rows.append(row)

    meta = dict(repeats=a.repeats, repeatsDone=1 + max((r["repeat"] for r in runs), default=-1), threads=threads, width=a.width, batch=a.batch, warmup=a.warmup,
                batches=a.batches, evalImages=a.eval_images, elapsedS=elapsed,
                loadAverage=dict(min=min(load.samples, default=0), median=statistics.median(load.samples or [0]),
                                 max=max(load.samples, default=0), samples=load.samples),
                python=platform.python_version(), stamp=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    with open(os.path.join(a.results, "raw", "runs.json"), "w") as f:
        json.dump(dict(meta=meta, runs=runs, ops=ops), f, indent=1)
    with open(os.path.join(a.results, "raw", "summary.json"), "w") as f:
        json.dump(dict(meta=meta, rows=rows, checks=checks), f, indent=1)
    md = summary_md(meta, rows, checks) + ops_md(ops, threads)
    with open(os.path.join(a.results, "summary.md"), "w") as f:
        f.write(md)
    return md, ok




def op_round(a, here, env, t, rep):
    """The forward ops one by one: ours (through the launcher), PyTorch plain and through the launcher, and
    ours on the wheel's libtorch (the very binary PyTorch uses)."""
    ours = [a.launcher] + a.java.split() + ["ops=1", f"threads={t}"]
    py = [a.python, os.path.join(here, "torch_ops.py"), f"threads={t}"]
    variants = [("ours", ours, env), ("pytorch", py, env), ("pytorch-jemalloc", [a.launcher] + py, env)]
    if a.wheel_libtorch:
        variants.append(("ours on the wheel's libtorch", ours,
                         dict(env, PYTORCH_LIBRARY_PATH=a.wheel_libtorch, PYTORCH_VERSION="2.7.1",
                              PYTORCH_FLAVOR="cpu")))
    if rep % 2:
        variants = variants[::-1]
    out = []
    for name, cmd, e in variants:
        p = subprocess.run(cmd, env=e, capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-4000:]}")
        r = json.loads([l for l in p.stdout.splitlines() if l.startswith("{")][-1])
        r.update(variant=name, requestedThreads=t, repeat=rep)
        out.append(r)
    return out


def ops_md(ops, threads):
    if not ops:
        return ""
    keys = [k for k in ops[0] if k not in ("impl", "threads", "libtorch", "variant", "requestedThreads", "repeat")]
    variants = list(dict.fromkeys(r["variant"] for r in ops))
    out = ["", "Forward ops one at a time at the first stage's shapes (batch 128, 16 channels, 28x28): main-thread "
           "CPU µs per call, median over repeats of the best of 5 rounds (TrainerBenchmark ops=1 / torch_ops.py).",
           "", "| threads | op | " + " | ".join(variants) + " | ours / pytorch-jemalloc |",
           "|---|---|" + "---|" * len(variants) + "---|"]
    for t in threads:
        for k in keys:
            med = [statistics.median([r[k] for r in ops if r["variant"] == v and r["requestedThreads"] == t])
                   for v in variants]
            out.append(f"| {t} | {k} | " + " | ".join(f"{m:.1f}" for m in med) + f" | {med[0] / med[2]:.2f} |")
    return "\n".join(out) + "\n"


def summary_md(meta, rows, checks):
    la = meta["loadAverage"]
    out = ["# Built-in trainer vs PyTorch 2.7.1 eager, side by side", "",
           f"{meta['stamp']}: width {meta['width']}, batch {meta['batch']}, {meta['batches']} timed training "
           f"batches after {meta['warmup']} warm-up, {meta['evalImages']} evaluation images, {meta['repeatsDone']} "
           f"of {meta['repeats']} repeats alternating the sides (genomes: {', '.join(dict.fromkeys(r['genome'] for r in rows))}); load average during the run {la['min']:.1f} / "
           f"{la['median']:.1f} / {la['max']:.1f} (min / median / max); {meta['elapsedS'] / 60:.1f} min.", "",
           "Sides: **ours** = our trainer through the allocator launcher, as users get it (jemalloc); "
           "ours-glibc = the same with PBTNAS_ALLOCATOR=glibc; **pytorch** = the twin as a user runs it; "
           "pytorch-jemalloc = the twin through the same launcher (same allocator and settings as ours).", "",
           "CPU time per image (ms; process = every thread; median over repeats). CPU time is far less sensitive "
           "to other processes' load than img/s; ratio = PyTorch's / ours (≥ 1: we need no more CPU), of the medians; "
           "in brackets the lowest and highest ratio within one repeat (the sides of a repeat run back to back).", "",
           "| genome | threads | allocator of ours | train CPU ours / ours-glibc / pytorch / pytorch-jemalloc | "
           "**train ratio** (per repeat) | ratio vs pytorch-jemalloc (per repeat) | eval CPU ours / ours-glibc / "
           "pytorch / pytorch-jemalloc | **eval ratio** (per repeat) | ratio vs pytorch-jemalloc (per repeat) | "
           "main thread train / eval, ours / pytorch | "
           "faults/img train ours / ours-glibc / pytorch / pytorch-jemalloc |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]

    def four(d, fmt):
        return " / ".join(format(d[n]["median"], fmt) for n in ("ours", "ours-glibc", "pytorch", "pytorch-jemalloc"))

    for r in rows:
        tc, ec = r["trainCpuMsPerImage"], r["evalCpuMsPerImage"]
        tm, em = r["trainMainThreadCpuMsPerImage"], r["evalMainThreadCpuMsPerImage"]
        m = lambda d, n: d[n]["median"]

        def spread(phase, n):
            v = r["pairedCpuRatio"][f"{phase}:{n}"]
            return f"{min(v):.2f}–{max(v):.2f}" if len(v) > 1 else "one repeat"

        out.append(f"| {r['genome']} | {r['threads']} | {','.join(r['allocator']['ours'])} | {four(tc, '.3f')} | "
                   f"**{m(tc, 'pytorch') / m(tc, 'ours'):.2f}** ({spread('train', 'pytorch')}) | "
                   f"{m(tc, 'pytorch-jemalloc') / m(tc, 'ours'):.2f} ({spread('train', 'pytorch-jemalloc')}) | "
                   f"{four(ec, '.3f')} | **{m(ec, 'pytorch') / m(ec, 'ours'):.2f}** ({spread('eval', 'pytorch')}) | "
                   f"{m(ec, 'pytorch-jemalloc') / m(ec, 'ours'):.2f} ({spread('eval', 'pytorch-jemalloc')}) | "
                   f"{m(tm, 'ours'):.3f} / {m(tm, 'pytorch'):.3f}, "
                   f"{m(em, 'ours'):.3f} / {m(em, 'pytorch'):.3f} | {four(r['trainMinorFaultsPerImage'], '.1f')} |")
    out += ["", "Memory and start-up (medians): peak RSS (VmHWM) after training; RSS growth from step 3 (after "
            "warm-up) to step 23 (20 steps) and over the last 10 steps; time from spawning the process to the end "
            "of its first training batch.", "",
            "| genome | threads | peak RSS train ours / ours-glibc / pytorch / pytorch-jemalloc (MiB) | "
            "RSS growth 20 steps, same order (MiB) | growth last 10 steps (MiB) | first batch ours / pytorch (s) |",
            "|---|---|---|---|---|---|"]
    for r in rows:
        g20 = " / ".join(f"{r['rssGrowthMiB'][n]:+.1f}" for n in ("ours", "ours-glibc", "pytorch", "pytorch-jemalloc"))
        g10 = " / ".join(f"{r['rssGrowthLast10MiB'][n]:+.1f}"
                         for n in ("ours", "ours-glibc", "pytorch", "pytorch-jemalloc"))
        ft = r["timeToFirstBatchS"]
        out.append(f"| {r['genome']} | {r['threads']} | {four(r['peakRssTrainMiB'], '.0f')} | {g20} | {g10} | "
                   f"{ft['ours']['median']:.2f} / {ft['pytorch']['median']:.2f} |")
    out += ["", "img/s (median over repeats; min in brackets): wall clock, so it moves with the machine's load.", "",
            "| genome | threads | train ours | ours-glibc | pytorch | pytorch-jemalloc | ratio ours / pytorch | "
            "eval ours | ours-glibc | pytorch | pytorch-jemalloc | ratio ours / pytorch |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        cells = []
        for key in ("trainImgPerS", "evalImgPerS"):
            d = r[key]
            cells += [f"{d[n]['median']:.0f} ({d[n]['min']:.0f})" for n in ("ours", "ours-glibc", "pytorch",
                                                                          "pytorch-jemalloc")]
            cells.append(f"**{d['ours']['median'] / d['pytorch']['median']:.2f}**")
        out.append(f"| {r['genome']} | {r['threads']} | " + " | ".join(cells) + " |")
    out += ["", "Same computation (same initial weights exported by our trainer as safetensors, same images):", "",
            "| genome | threads | parameters ours / PyTorch | loss diff step 0 | max loss diff, 23 steps | "
            "tolerance | max loss diff ours / ours-glibc | ok |", "|---|---|---|---|---|---|---|---|"]
    for c in checks:
        out.append(f"| {c['genome']} | {c['threads']} | {c['parameters'][0]} / {c['parameters'][1]} | "
                   f"{c['step0Diff']:.1e} | {c['maxLossDiff']:.1e} | {c['tolerance']:.1e} | "
                   f"{c['allocatorLossDiff']:.1e} | "
                   f"{'yes' if c['passed'] else 'NO'} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
