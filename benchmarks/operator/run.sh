#!/usr/bin/env bash
# Benchmarks 3 and 4: the operator on a real kube-apiserver (testkit), with a test kubelet whose
# trainers finish at once; 4b (growth) without an API server. Results:
# benchmarks/results/operator/{turnaround,scale,growth}.{json,md} + MACHINE.md.
#
#   benchmarks/operator/run.sh                 # all three (each in its own JVM), ~15 min
#   benchmarks/operator/run.sh turnaround      # 3: population 64, 6 generations x 3 repetitions
#   benchmarks/operator/run.sh scale           # 4: 20 searches x 50 members x 4 generations
#   benchmarks/operator/run.sh scale -Dpbtnas.bench.searches=10 -Dpbtnas.bench.timeoutMinutes=5
#   benchmarks/operator/run.sh growth          # 4b: one reconcile's work at population 50, 200, 1024 (pure)
#
# Knobs (-D...): pbtnas.bench.{population,generations,repetitions,floorRuns} for turnaround;
# pbtnas.bench.{searches,members,generations,timeoutMinutes,idleSeconds} for scale;
# pbtnas.bench.{populations,generations,repeats} for growth;
# pbtnas.bench.out=DIR (default benchmarks/results/operator). Needs test-env/build.sh run once.
set -euo pipefail
cd "$(dirname "$0")/../.."
which="${1:-all}"
[ $# -gt 0 ] && shift
case "$which" in
  turnaround) classes=(GenerationTurnaroundBenchmark) ;;
  scale) classes=(ScaleBenchmark) ;;
  growth) classes=(GrowthBenchmark) ;;
  all) classes=(GenerationTurnaroundBenchmark ScaleBenchmark GrowthBenchmark) ;;
  *) echo "usage: $0 [turnaround|scale|growth|all] [-Dpbtnas.bench.KEY=VALUE ...]" >&2; exit 2 ;;
esac
# The operator's tests need these modules and their parent POM installed (a no-op when they are up
# to date is not cheap on 2 cores, so only when missing; PBTNAS_BENCH_BUILD=1 forces it). The parent
# first: -pl of the modules alone does not install the root POM, which a fresh machine lacks.
if [ "${PBTNAS_BENCH_BUILD:-0}" = 1 ] || [ ! -d "${HOME}/.m2/repository/io/pbtnas/pbtnas-testkit" ] \
    || [ ! -d "${HOME}/.m2/repository/io/pbtnas/pbtnas-parent" ]; then
  ./mvnw -q -B -ntp -N install
  ./mvnw -q -B -ntp -pl core,trainer-image,testkit,cli install -DskipTests
fi
mkdir -p benchmarks/results/operator
for c in "${classes[@]}"; do
  # One JVM (and one fresh API server) per benchmark: the scale run must not inherit the other's pods.
  ./mvnw -B -ntp -pl operator test -Dtest="$c" -Dsurefire.failIfNoSpecifiedTests=false -Dpbtnas.bench=true "$@"
done
benchmarks/machine.sh > benchmarks/results/operator/MACHINE.md
echo "results: benchmarks/results/operator/"
