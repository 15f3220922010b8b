#!/usr/bin/env bash
# GPU idle share: the synchronous against the asynchronous schedule in the same run, on a real
# kube-apiserver (testkit) with the real operator and a test kubelet whose node has 4 nvidia.com/gpu.
# Population 8, 10 steps, 1 GPU per member pod; member step times follow the architecture's cost as
# measured for the built-in DJL trainer on this machine. See benchmarks/README.md, "GPU idle share".
#
#   benchmarks/schedule/run.sh                    # ~10 min on 2 cores (measures per-op costs first if absent)
#   benchmarks/schedule/run.sh --remeasure        # measure the per-op costs again (~3 min)
#   benchmarks/schedule/run.sh -Dpbtnas.bench.epochsPerStep=20 -Dpbtnas.bench.secondsPerRealMinute=1
#
# Knobs (-D...): pbtnas.bench.{gpus,population,generations,positions,seed,epochsPerStep,trainImages,
# secondsPerRealMinute,schedules}. Results: benchmarks/results/schedule/ (ops.json, schedule-raw.json,
# summary.md, timeline.svg, MACHINE.md). Needs test-env/build.sh run once.
set -euo pipefail
cd "$(dirname "$0")/../.."
results=benchmarks/results/schedule
mkdir -p "$results"
remeasure=0
if [ "${1:-}" = --remeasure ]; then remeasure=1; shift; fi
export DJL_OFFLINE=true
if [ "$remeasure" = 1 ] || [ ! -f "$results/ops.json" ]; then
  # The trainer's classpath, as the local mode runs it.
  ./pbtnas version >/dev/null
  python3 benchmarks/schedule/measure_ops.py --cp "cli/target/lib/*" --out "$results/ops.json"
fi
# -am: the operator's tests run against this tree's core, testkit and cli, not whatever is installed.
./mvnw -B -ntp -pl operator -am test -Dtest=ScheduleBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dpbtnas.bench=true -Dpbtnas.bench.out="$PWD/$results" -Dpbtnas.bench.ops="$PWD/$results/ops.json" "$@"
python3 benchmarks/schedule/summarize.py --results "$results"
benchmarks/machine.sh > "$results/MACHINE.md"
echo "results: $results/"
