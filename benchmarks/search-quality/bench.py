#!/usr/bin/env python3
"""Search-quality benchmark helper (standard library only).

  bench.py manifests --scale S --seeds 1,2,3 --methods a,b --out DIR   one manifest per (method, seed) + settings.json
  bench.py collect --work DIR --method M --seed K --scale S --eval FILE --seconds T --resumed 0|1 --out FILE
  bench.py summarize --results DIR                                       summary.md + best-vs-generation.svg

run.sh drives it; see benchmarks/README.md.
"""
import argparse
import json
import math
import os
import statistics
import string
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OPS = ["conv3x3", "conv5x5", "sepconv3x3", "dilconv3x3", "maxpool", "skip"]

# The methods compared, all in the same engine; only strategy and mixing differ. λ = shrink, γ = perturb.
METHODS = {
    "pbt-nas": {"strategy": "pbt-nas", "mixing": {"layerSwapProbability": 0.25, "shrink": 0.4, "perturb": 0.1},
                "label": "PBT-NAS (λ 0.4, γ 0.1)"},
    "copy-exactly": {"strategy": "pbt-nas", "mixing": {"layerSwapProbability": 0.25, "shrink": 1.0, "perturb": 0.0},
                     "label": "ablation: copy exactly [1, 0]"},
    "reinit": {"strategy": "pbt-nas", "mixing": {"layerSwapProbability": 0.25, "shrink": 0.0, "perturb": 1.0},
               "label": "ablation: re-initialise [0, 1]"},
    "no-new-arch": {"strategy": "pbt-nas",
                    "mixing": {"layerSwapProbability": 0.25, "shrink": 0.4, "perturb": 0.1, "selfMix": True},
                    "label": "ablation: no new architectures (self-mix)"},
    "mutation": {"strategy": "mutation", "mixing": {"perturb": 0.1}, "label": "SEARL-like mutation"},
    "random": {"strategy": "random", "mixing": {}, "label": "random search"},
    # PBT in full (issue: hyperparameters and the asynchronous schedule), same budget: every member still
    # trains exactly `generations` steps. The hyperparameter variant explores learningRate (log-uniform around
    # the other methods' fixed 0.002) and weightDecay (decoupled, AdamW: w -= lr * wd * w per batch).
    "pbt-nas-async": {"strategy": "pbt-nas", "mixing": {"layerSwapProbability": 0.25, "shrink": 0.4, "perturb": 0.1},
                      "schedule": "asynchronous", "label": "PBT-NAS, asynchronous schedule"},
    "pbt-nas-hp": {"strategy": "pbt-nas", "mixing": {"layerSwapProbability": 0.25, "shrink": 0.4, "perturb": 0.1},
                   "hyperparameters": [{"name": "learningRate", "logUniform": [5.0e-4, 8.0e-3]},
                                       {"name": "weightDecay", "uniform": [0.0, 0.1]}],
                   "explore": {"resampleProbability": 0.25, "perturbationFactors": [0.8, 1.2]},
                   "label": "PBT-NAS + learningRate, weightDecay explored"},
}

# Two sizes of the same comparison. The test set of the final best network is always the whole
# Fashion-MNIST test set (10,000 images, `pbtnas eval --task-args {"testSubset":0}`); testSubset
# below only limits the per-generation test figure the trainer reports (never used for decisions).
SCALES = {
    "smoke": {
        "population": 8, "generations": 3, "epochsPerGeneration": 1, "genes": 4,
        "trainerArgs": {"batchSize": 32, "learningRate": 0.002, "width": 8,
                        "trainSubset": 1024, "validationSubset": 512, "testSubset": 64},
        "estimate": "about 35-50 min for 6 methods x 3 seeds with --parallel 2 --threads 1 on 2 shared cores "
                    "(measured: 35 min at load average 5-16)",
    },
    "full": {
        "population": 8, "generations": 8, "epochsPerGeneration": 1, "genes": 4,
        "trainerArgs": {"batchSize": 64, "learningRate": 0.002, "width": 8,
                        "trainSubset": 6000, "validationSubset": 2000, "testSubset": 64},
        "estimate": "about 2 h for 6 methods x 3 seeds with --parallel 2 --threads 1 on 2 cores (measured: about "
                    "1 h 50 min in all; seed 1's six runs took 38 min at load 2.5-9, seed 3's 26 min at load 2-3): one member-epoch "
                    "of this configuration took 14 s wall (JVM start to exit) with 1 thread at load average 5, and "
                    "a run is 64 member-epochs, 2 at a time",
    },
}
# The full scale on the trainer's default 6-position space: a child copies its parent unchanged
# with probability 0.75^6 = 0.18 instead of 0.32, so the weight-inheritance variants separate more.
SCALES["wide"] = dict(SCALES["full"], genes=6,
                      estimate="about 1 h for the paper's ablations (pbt-nas, copy-exactly, reinit, no-new-arch) "
                               "x 3 seeds with --parallel 2 --threads 1 on 2 cores (measured: 57 min of runs at "
                               "load 2-3)")


def write_atomic(path: Path, text: str) -> None:
    """Temporary name, fsync, rename: a crash never leaves a half-written result."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def flow(obj) -> str:
    """JSON is a subset of YAML flow style, so nested settings drop into the template as they are."""
    return json.dumps(obj, separators=(", ", ": "))


def run_name(method: str, seed: int) -> str:
    return f"{method}-seed{seed}"


def manifest_text(method: str, seed: int, scale: str, threads: int) -> str:
    m, s = METHODS[method], SCALES[scale]
    args = dict(s["trainerArgs"], threads=threads)
    hparams = m.get("hyperparameters") or []
    for h in hparams:                   # an explored value is not also a fixed task argument
        args.pop(h["name"], None)
    extra = ""
    if hparams:
        extra = ("\n    hyperparameters:\n" + "\n".join(f"      - {flow(h)}" for h in hparams)
                 + f"\n  explore: {flow(m['explore'])}")
    genes = "\n".join(f"      - {{name: cell{i}, options: {flow(OPS)}}}" for i in range(s["genes"]))
    template = string.Template((HERE / "template.yaml").read_text(encoding="utf-8"))
    return template.substitute(
        name=f"sq-{scale}-{run_name(method, seed)}", strategy=m["strategy"], population=s["population"],
        generations=s["generations"], epochsPerGeneration=s["epochsPerGeneration"], seed=seed,
        mixing=flow(m["mixing"]), genes=genes, trainerArgs=flow(args),
        schedule=m.get("schedule", "synchronous"), hyperparameters=extra)


def cmd_manifests(a) -> None:
    seeds = [int(x) for x in a.seeds.split(",")]
    methods = a.methods.split(",")
    for method in methods:
        if method not in METHODS:
            sys.exit(f"bench.py: --methods: unknown method '{method}' (known: {', '.join(METHODS)})")
    out = Path(a.out)
    for method in methods:
        for seed in seeds:
            write_atomic(out / f"{run_name(method, seed)}.yaml", manifest_text(method, seed, a.scale, a.threads))
    s = SCALES[a.scale]
    settings = {
        "scale": a.scale, "seeds": seeds, "methods": {k: METHODS[k] for k in methods},
        "population": s["population"], "generations": s["generations"],
        "epochsPerGeneration": s["epochsPerGeneration"],
        "memberEpochsPerRun": s["population"] * s["generations"] * s["epochsPerGeneration"],
        "searchSpace": {"genes": s["genes"], "options": OPS}, "trainerArgs": dict(s["trainerArgs"], threads=a.threads),
        "selection": {"replaceFraction": 0.25, "parentFraction": 0.25},
        "finalTest": "pbtnas eval <run>/best --task-args '{\"testSubset\":0}': the whole 10,000-image test set",
        "parallel": a.parallel, "threads": a.threads, "estimate": s["estimate"],
    }
    write_atomic(out / "settings.json", json.dumps(settings, indent=2) + "\n")


def best_per_generation(status: dict, generations: int) -> list:
    """Best validation score among the members that finished each generation (the paper's curve)."""
    best = []
    for g in range(generations):
        scores = [sc for sc in (score_at(m, g) for m in status["members"]) if sc is not None]
        best.append(max(scores) if scores else None)
    return best


def score_at(member: dict, g: int):
    """Mirror of core's MemberStatus.scoreAt: scores skip the generations listed in failedAt."""
    failed = member.get("failedAt") or []
    if g in failed:
        return None
    i = g - sum(1 for f in failed if f < g)
    scores = member.get("scores") or []
    return scores[i] if 0 <= i < len(scores) else None


def replacements(status: dict) -> list:
    """Every child the method made: who replaced whom, from which parents, and which genes changed."""
    out = []
    for m in status["members"]:
        for e in m.get("lineage") or []:
            if e.get("kind") == "initial":
                continue
            out.append({"member": m["id"], "generation": e.get("generation"), "kind": e.get("kind"),
                        "parent": e.get("parent"), "donor": e.get("donor"),
                        "swappedGenes": e.get("swappedGenes") or [],
                        "resampledGenes": e.get("resampledGenes") or []})
    return sorted(out, key=lambda r: (r["generation"], r["member"]))


def is_exact_copy(r: dict) -> bool:
    """A child whose weights and genome are its parent's: no gene taken from a donor or resampled."""
    return r["kind"] in ("mix", "copy") and not r["swappedGenes"] and not r["resampledGenes"]


def cmd_collect(a) -> None:
    work = Path(a.work)
    status = json.loads((work / "status.json").read_text(encoding="utf-8"))
    if status.get("phase") != "Complete":
        sys.exit(f"bench.py collect: {work}/status.json: phase is {status.get('phase')}, not Complete")
    generations = SCALES[a.scale]["generations"]
    evaluation = json.loads(Path(a.eval).read_text(encoding="utf-8"))
    best = status["best"]
    raw = {
        "method": a.method, "seed": a.seed, "scale": a.scale,
        "bestValidationPerGeneration": best_per_generation(status, generations),
        "memberScores": {str(m["id"]): {"scores": m.get("scores"), "failedAt": m.get("failedAt"),
                                        "replacedAt": m.get("replacedAt"), "genome": m.get("genome")}
                         for m in status["members"]},
        "finalBest": {"member": best.get("member"), "generation": best.get("generation"),
                      "validationScore": best.get("score"), "genome": best.get("genome"),
                      "testAccuracy": evaluation.get("testAccuracy"),
                      "evalValidationAccuracy": evaluation.get("validationAccuracy"),
                      "testSet": "all 10,000 test images (testSubset 0)",
                      # The exported network must reproduce the score the search reported.
                      "evalReproducesSearchScore": evaluation.get("validationAccuracy") == best.get("score")},
        "evaluation": evaluation,
        "wallSeconds": a.seconds, "resumed": a.resumed == 1, "loadAverage": a.load,
        "finalBestWasReplaced": bool(next(m for m in status["members"] if m["id"] == best["member"]).get("replacedAt")),
        "failedMemberGenerations": sum(len(m.get("failedAt") or []) for m in status["members"]),
        "replacements": replacements(status),
    }
    write_atomic(Path(a.out), json.dumps(raw, indent=2) + "\n")


def best_was_replaced(raw: dict) -> bool:
    """Whether the final best network was created by the method rather than being an initial one."""
    return bool(raw["memberScores"][str(raw["finalBest"]["member"])].get("replacedAt"))


def distinct_architectures(rs) -> str:
    """How many different genomes the population holds after the last generation, seed by seed."""
    return ", ".join(str(len({json.dumps(m["genome"], sort_keys=True) for m in r["memberScores"].values()}))
                     for r in rs)


def mean_std(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None, None
    return statistics.fmean(xs), (statistics.stdev(xs) if len(xs) > 1 else 0.0)


def load_raw(results: Path):
    runs = {}
    for p in sorted((results / "raw").glob("*.json")):
        r = json.loads(p.read_text(encoding="utf-8"))
        runs.setdefault(r["method"], []).append(r)
    return runs


def cmd_summarize(a) -> None:
    results = Path(a.results)
    settings = json.loads((results / "settings.json").read_text(encoding="utf-8"))
    runs = load_raw(results)
    order = [m for m in METHODS if m in runs]
    if not order:
        sys.exit(f"bench.py summarize: no runs under {results}/raw")
    gens = settings["generations"]
    rows, curves = [], {}
    for m in order:
        rs = sorted(runs[m], key=lambda r: r["seed"])
        test = [r["finalBest"]["testAccuracy"] for r in rs]
        val = [r["finalBest"]["validationScore"] for r in rs]
        curve = [mean_std([r["bestValidationPerGeneration"][g] for r in rs]) for g in range(gens)]
        curves[m] = curve
        children = [c for r in rs for c in r["replacements"]]
        copies = "—" if m == "random" else f"{sum(1 for c in children if is_exact_copy(c))}/{len(children)}"
        rows.append((m, rs, mean_std(test), mean_std(val), sum(r["wallSeconds"] for r in rs),
                     sum(1 for r in rs if best_was_replaced(r)), copies))
    pbt = next((row for row in rows if row[0] == "pbt-nas"), None)
    lines = [f"# Search quality on Fashion-MNIST — scale `{settings['scale']}`", ""]
    if settings["scale"] == "smoke":
        lines += ["**A smoke-scale run**: tiny data subsets and few generations. It shows the benchmark works "
                  "end to end; differences between methods at this scale are mostly noise and are **not** "
                  "a reproduction of the paper's comparison. The full comparison is "
                  "`benchmarks/search-quality/run.sh --scale full`.", ""]
    s = settings
    swap = s["methods"]["pbt-nas"]["mixing"]["layerSwapProbability"]
    explores = any(m.get("hyperparameters") for m in s["methods"].values())
    seeds_done = sorted({r["seed"] for rs in runs.values() for r in rs})
    missing = [m for m in settings["methods"] if m not in runs]
    short = [f"{m} ({len(runs[m])} of {len(settings['seeds'])} seeds)" for m in settings["methods"]
             if m in runs and len(runs[m]) < len(settings["seeds"])]
    if len(seeds_done) < 3 or missing or short:
        lines += [f"**Partial**: seeds finished {seeds_done}"
                  + (f"; methods not run yet: {', '.join(missing)}" if missing else "")
                  + (f"; methods not finished: {', '.join(short)}" if short else "")
                  + ". Fewer than 3 seeds per method cannot separate the methods from seed noise; re-run the "
                  "same command with `--seeds 1,2,3` (finished runs are skipped).", ""]
    lines += [f"Population {s['population']}, {s['generations']} generations × {s['epochsPerGeneration']} epoch "
              f"= {s['memberEpochsPerRun']} member-epochs per run for every method; seeds finished: "
              f"{sorted({r['seed'] for rs in runs.values() for r in rs})} of {s['seeds']}; "
              f"{s['searchSpace']['genes']} genes × {len(s['searchSpace']['options'])} ops; trainer args "
              f"`{json.dumps(s['trainerArgs'])}`; final best network tested on the whole 10,000-image test set. "
              "The same seed gives every method the same initial population and generation-0 training"
              + ("; except that a method exploring hyperparameters draws each member's values at generation 0, "
                 "so its generation-0 training differs." if explores else "."), ""]
    for m in s["methods"].values():
        if m.get("hyperparameters"):
            lines += [f"*{m['label']}*: " + "; ".join(
                f"`{h['name']}` explored, prior " + ", ".join(f"{k} {v}" for k, v in h.items() if k != "name")
                for h in m["hyperparameters"]) + f"; explore {json.dumps(m.get('explore'))}; an explored name is "
                "dropped from the trainer args above.", ""]
    lines += ["| method | seeds | test acc. of final best (mean ± std) | its validation score (mean ± std) "
              "| per seed: test acc. | Δ test vs PBT-NAS (paired; PBT-NAS wins / ties / losses) | final best is a replaced member "
              "| children that are exact copies | distinct architectures at the end, per seed "
              "| wall time (s, all seeds) |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for m, rs, (tm, ts), (vm, vs), wall, replaced, copies in rows:
        per_seed = ", ".join(f"{r['seed']}: {r['finalBest']['testAccuracy']:.4f}" for r in rs)
        delta = "—"
        if pbt and m != "pbt-nas":
            by_seed = {r["seed"]: r["finalBest"]["testAccuracy"] for r in pbt[1]}
            d = [r["finalBest"]["testAccuracy"] - by_seed[r["seed"]] for r in rs if r["seed"] in by_seed]
            dm, ds = mean_std(d)
            if dm is not None:
                # PBT-NAS wins / ties / losses against this method, seed by seed.
                delta = (f"{dm:+.4f} ± {ds:.4f} ({sum(x < 0 for x in d)} / {sum(x == 0 for x in d)} / "
                         f"{sum(x > 0 for x in d)})")
        resumed = "*" if any(r["resumed"] for r in rs) else ""
        lines.append(f"| {METHODS[m]['label']} | {len(rs)} | {tm:.4f} ± {ts:.4f} | {vm:.4f} ± {vs:.4f} "
                     f"| {per_seed} | {delta} | {replaced}/{len(rs)} | {copies} | {distinct_architectures(rs)} "
                     f"| {wall:.0f}{resumed} |")
    lines += ["", "Best validation score per generation (mean ± std over seeds):", "",
              "| method | " + " | ".join(f"gen {g}" for g in range(gens)) + " |",
              "|---|" + "---|" * gens]
    for m in order:
        cells = [("—" if c[0] is None else f"{c[0]:.4f} ± {c[1]:.4f}") for c in curves[m]]
        lines.append(f"| {METHODS[m]['label']} | " + " | ".join(cells) + " |")
    failures = sum(r["failedMemberGenerations"] for rs in runs.values() for r in rs)
    lines += ["", "*Final best is a replaced member*: in how many seeds the best network at the end had been created "
              "by the method (a mix, mutation or re-initialisation) rather than being one of the initial random "
              "networks that was never replaced. When it is not, that network is one random search also trains for "
              "the same seed (same architecture, same trainer seeds, same training), so the two can tie exactly.",
              "",
              "*Children that are exact copies*: children (all seeds) in which no gene was taken from the donor "
              "(or, for mutation, the 'change nothing' branch), so the child is its parent: same genome, same "
              f"weights, whatever λ and γ are. Each gene swaps with probability `layerSwapProbability` ({swap}), so "
              f"with {s['searchSpace']['genes']} genes a child copies its parent with probability "
              f"{1 - swap:g}^{s['searchSpace']['genes']} = {(1 - swap) ** s['searchSpace']['genes']:.2f}. Those children are "
              "identical in PBT-NAS, copy-exactly and re-initialise for the same seed, which is why these "
              "methods can tie."]
    if any(r["resumed"] for rs in runs.values() for r in rs):
        lines += ["", "\\* includes a run that was interrupted and resumed: its wall time counts the resumed part only."]
    lines += ["", f"Failed member-generations across all runs: {failures}.",
              "Raw results: `raw/<method>-seed<k>.json`; settings: `settings.json`; "
              "plot: `best-vs-generation.svg`.", ""]
    text = "\n".join(lines)
    write_atomic(results / "summary.md", text)
    write_atomic(results / "best-vs-generation.svg", svg(curves, order, gens, settings["scale"]))
    print(text)


DASHES = {"pbt-nas": "", "copy-exactly": "6,3", "reinit": "2,3", "no-new-arch": "8,3,2,3", "mutation": "4,4",
          "random": "1,2", "pbt-nas-async": "10,2", "pbt-nas-hp": "3,1,3,6"}
COLOURS = {"pbt-nas": "#d62728", "copy-exactly": "#1f77b4", "reinit": "#2ca02c", "no-new-arch": "#9467bd",
           "mutation": "#ff7f0e", "random": "#7f7f7f", "pbt-nas-async": "#8c564b", "pbt-nas-hp": "#e377c2"}


def svg(curves, order, gens, scale) -> str:
    """A hand-written line chart: mean best validation score per generation, bands of ±1 std."""
    w, h, left, right, top, bottom = 840, 440, 70, 300, 40, 50
    pw, ph = w - left - right, h - top - bottom
    vals = [v for m in order for (mu, sd) in curves[m] if mu is not None for v in (mu - sd, mu + sd)]
    lo, hi = min(vals), max(vals)
    pad = max((hi - lo) * 0.08, 0.002)
    lo, hi = lo - pad, hi + pad

    def x(g):
        return left + (pw * g / (gens - 1) if gens > 1 else pw / 2)

    def y(v):
        return top + ph * (1 - (v - lo) / (hi - lo))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
           'font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{left}" y="22" font-size="14" font-weight="bold">Best validation accuracy per generation '
           f'(mean ± std over seeds), scale: {scale}</text>',
           f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="black"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="black"/>']
    for i in range(6):
        v = lo + (hi - lo) * i / 5
        out.append(f'<line x1="{left - 4}" y1="{y(v):.1f}" x2="{left + pw}" y2="{y(v):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 8}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.3f}</text>')
    for g in range(gens):
        out.append(f'<text x="{x(g):.1f}" y="{top + ph + 18}" text-anchor="middle">{g}</text>')
    out.append(f'<text x="{left + pw / 2}" y="{h - 10}" text-anchor="middle">generation</text>')
    for idx, m in enumerate(order):
        c = COLOURS.get(m, "black")
        pts = [(g, mu, sd) for g, (mu, sd) in enumerate(curves[m]) if mu is not None]
        if not pts:
            continue
        band = [f"{x(g):.1f},{y(mu + sd):.1f}" for g, mu, sd in pts] + \
               [f"{x(g):.1f},{y(mu - sd):.1f}" for g, mu, sd in reversed(pts)]
        out.append(f'<polygon points="{" ".join(band)}" fill="{c}" fill-opacity="0.08" stroke="none"/>')
        line = " ".join(f"{x(g):.1f},{y(mu):.1f}" for g, mu, _ in pts)
        dash = DASHES.get(m, "")
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<polyline points="{line}" fill="none" stroke="{c}" stroke-width="2"{dash_attr}/>')
        for g, mu, _ in pts:
            out.append(f'<circle cx="{x(g):.1f}" cy="{y(mu):.1f}" r="3" fill="{c}"/>')
        ly = top + 10 + idx * 20
        out.append(f'<line x1="{left + pw + 15}" y1="{ly}" x2="{left + pw + 35}" y2="{ly}" stroke="{c}" '
                   f'stroke-width="2"{dash_attr}/>')
        out.append(f'<text x="{left + pw + 40}" y="{ly + 4}">{escape(METHODS[m]["label"])}</text>')
    out.append(f'<text x="{left + pw + 15}" y="{top + 20 + len(order) * 20}" fill="#555">Identical results '
               'draw on top of each other.</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("manifests")
    m.add_argument("--scale", choices=SCALES, required=True)
    m.add_argument("--seeds", required=True)
    m.add_argument("--methods", required=True)
    m.add_argument("--threads", type=int, default=1)
    m.add_argument("--parallel", type=int, default=2)
    m.add_argument("--out", required=True)
    c = sub.add_parser("collect")
    for f in ("--work", "--method", "--scale", "--eval", "--out"):
        c.add_argument(f, required=True)
    c.add_argument("--seed", type=int, required=True)
    c.add_argument("--seconds", type=float, required=True)
    c.add_argument("--resumed", type=int, default=0)
    c.add_argument("--load", default=None, help="load averages at the start and end of the run")
    s = sub.add_parser("summarize")
    s.add_argument("--results", required=True)
    a = p.parse_args()
    {"manifests": cmd_manifests, "collect": cmd_collect, "summarize": cmd_summarize}[a.cmd](a)


if __name__ == "__main__":
    main()
