#!/usr/bin/env bash
# Our trainer under two sets of JVM options, interleaved (benchmarks/README.md, section 5):
#
#   benchmarks/trainer/jvm-options.sh [--rounds 3] [--genome all-sepconv3x3] [--threads 1] [--batches 20] [--eval-images 2560] \
#       "-XX:+UseSerialGC" "-XX:+UseSerialGC -XX:TieredStopAtLevel=1"
#
# Each round runs TrainerBenchmark (the side-by-side benchmark's "ours", through the allocator launcher) once
# with each set and prints training and evaluation CPU per image (process, main thread, JIT compiler threads)
# and img/s. Run benchmarks/trainer/run.sh once before: it builds the trainer.
set -euo pipefail
repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
rounds=3 genome=all-sepconv3x3 threads=1 batches=20 eval=2560
while [ $# -gt 2 ]; do
  case "$1" in
    --rounds) rounds="$2" ;; --genome) genome="$2" ;; --threads) threads="$2" ;; --batches) batches="$2" ;; --eval-images) eval="$2" ;;
    *) echo "jvm-options.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift 2
done
[ $# -eq 2 ] || { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
ops="$(python3 -c "import sys; sys.path.insert(0, '$repo/benchmarks/trainer'); import bench; print(','.join(bench.GENOMES['$genome']))")"
ti="$repo/trainer-image/target"
one() {
  env -u LD_PRELOAD -u MALLOC_CONF -u PBTNAS_ALLOCATOR OMP_WAIT_POLICY=PASSIVE DJL_OFFLINE=true \
    "$repo/trainer-image/image/pbtnas-with-allocator" java -Xmx768m $1 -cp "$ti/classes:$ti/test-classes:$ti/lib/*" \
    io.pbtnas.trainer.bench.TrainerBenchmark "genome=$ops" "threads=$threads" width=16 batch=128 warmup=3 \
    "batches=$batches" "evalImages=$eval" lr=0.001 seed=1 2>/dev/null | grep '^{' | tail -1 | python3 -c '
import json, sys
x = json.load(sys.stdin)
jit = sum(v for k, v in x["trainCpuMsPerImageByThread"].items() if "Compiler" in k)
print("train CPU %.3f ms/img (main %.3f, JIT %.3f) %5.0f img/s | eval CPU %.3f (main %.3f) %5.0f img/s" % (
    x["trainCpuMsPerImage"], x["trainMainThreadCpuMsPerImage"], jit, x["trainImgPerS"],
    x["evalCpuMsPerImage"], x["evalMainThreadCpuMsPerImage"], x["evalImgPerS"]))'
}
echo "$genome, $threads thread(s), $batches timed batches, $eval images evaluated; A: $1; B: $2"
for r in $(seq "$rounds"); do
  echo "round $r A: $(one "$1")"
  echo "round $r B: $(one "$2")"
done
