#!/usr/bin/env bash
# Search quality on Fashion-MNIST with equal compute for every method (benchmarks/README.md).
#
#   benchmarks/search-quality/run.sh [--scale smoke|full|wide] [--seeds 1,2,3] [--methods LIST]
#                                    [--parallel 2] [--threads 1] [--work DIR] [--results DIR]
#
# For every (method, seed): writes the manifest from template.yaml, runs `pbtnas run` on it (resuming an
# interrupted run; skipping a finished one), evaluates the final best network on the whole test set with
# `pbtnas eval`, and keeps the raw result. Then writes summary.md and best-vs-generation.svg.
# Re-running the same command continues where it stopped.
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
scale="smoke"
seeds="1,2,3"
methods="pbt-nas,random,mutation,copy-exactly,reinit,no-new-arch"
parallel=2
threads=1
work=""
results=""

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    --methods) methods="$2"; shift 2 ;;
    --parallel) parallel="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
case "$scale" in
  smoke|full|wide) ;;
  *) echo "run.sh: --scale must be smoke, full or wide (got '${scale}')" >&2; exit 2 ;;
esac
echo "search-quality: scale $scale$([ "$scale" = smoke ] && echo ' (the default; --scale full for the comparison)')"
work="${work:-$repo/benchmarks/work/search-quality/$scale}"
results="${results:-$repo/benchmarks/results/search-quality/$scale}"
mkdir -p "$work/manifests" "$work/eval" "$work/runs" "$results/raw"

# Build the cli once (the launcher builds when sources changed), then run a private copy of its jars for
# the whole benchmark: every run uses the same code even while the source tree changes, and nothing is
# rebuilt between runs. A re-run of this script refreshes the copy only if it is absent.
snapshot="$work/cli"
if [ ! -f "$snapshot/pbtnas-cli.jar" ]; then
  "$repo/pbtnas" version >/dev/null
  rm -rf "$snapshot.tmp" && mkdir -p "$snapshot.tmp"
  cp "$repo/cli/target/pbtnas-cli-0.1.0-SNAPSHOT.jar" "$snapshot.tmp/pbtnas-cli.jar"
  cp -r "$repo/cli/target/lib" "$snapshot.tmp/lib"
  (cd "$repo" && git rev-parse HEAD && git status --short -- core cli trainer-image) >"$snapshot.tmp/source.txt"
  mv "$snapshot.tmp" "$snapshot"
fi
pbtnas() { DJL_OFFLINE=true java ${PBTNAS_JAVA_OPTS:--Xmx1g} -cp "$snapshot/pbtnas-cli.jar:$snapshot/lib/*" io.pbtnas.cli.Main "$@"; }
{ pbtnas version; echo "built from commit (then local changes):"; cat "$snapshot/source.txt"; } \
  >"$results/pbtnas-version.txt"

python3 "$here/bench.py" manifests --scale "$scale" --seeds "$seeds" --methods "$methods" \
  --threads "$threads" --parallel "$parallel" --out "$work/manifests"
cp "$work/manifests/settings.json" "$results/settings.json"
cp "$here/template.yaml" "$results/template.yaml"

IFS=',' read -r -a method_list <<<"$methods"
IFS=',' read -r -a seed_list <<<"$seeds"
total=$(( ${#method_list[@]} * ${#seed_list[@]} ))
n=0
for seed in "${seed_list[@]}"; do            # seed-major: a partial run still covers every method
  for method in "${method_list[@]}"; do
    n=$((n + 1))
    name="$method-seed$seed"
    raw="$results/raw/$name.json"
    if [ -f "$raw" ]; then
      echo "[$n/$total] $name: done already ($raw)"
      continue
    fi
    dir="$work/runs/$name"
    resumed=0
    [ -f "$dir/status.json" ] && resumed=1
    echo "[$n/$total] $name: pbtnas run$([ $resumed = 1 ] && echo ' (resuming)') ..."
    start=$(date +%s.%N)
    load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
    pbtnas run -f "$work/manifests/$name.yaml" --dir "$dir" --parallel "$parallel" --threads "$threads" \
      --output json >>"$work/runs/$name.events.jsonl" || {
      rc=$?; echo "run.sh: $name: pbtnas run exited $rc; logs in $dir/logs; run the same command to resume" >&2
      exit "$rc"; }
    end=$(date +%s.%N)
    # The whole test set (testSubset 0), never seen by the search.
    pbtnas eval "$dir/best" --json --task-args "{\"testSubset\":0,\"threads\":$threads}" \
      >"$work/eval/$name.json.tmp" || { echo "run.sh: $name: pbtnas eval failed; run the same command to retry" >&2
      exit 1; }
    mv "$work/eval/$name.json.tmp" "$work/eval/$name.json"
    python3 "$here/bench.py" collect --work "$dir" --method "$method" --seed "$seed" --scale "$scale" \
      --eval "$work/eval/$name.json" --seconds "$(awk "BEGIN{print $end - $start}")" --resumed "$resumed" \
      --load "start $load_start; end $(cut -d' ' -f1-3 /proc/loadavg)" --out "$raw"
    python3 - "$raw" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
b = r["finalBest"]
print(f"    best validation {b['validationScore']:.4f}, test {b['testAccuracy']:.4f}, {r['wallSeconds']:.0f} s")
EOF
  done
done
python3 "$here/bench.py" summarize --results "$results"
