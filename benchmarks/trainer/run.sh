#!/usr/bin/env bash
# The built-in trainer against PyTorch 2.7.1 eager on the same network (benchmarks/README.md, section 5).
#
#   benchmarks/trainer/run.sh [--repeats 3] [--threads 1,2] [--genomes all-conv3x3,all-conv5x5,all-sepconv3x3,mixed]
#                             [--batches 20] [--eval-images 10000] [--ops 1] [--results DIR]
#
# Builds the trainer, installs torch==2.7.1 (+ numpy, safetensors) once into its own virtual environment
# under ${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/trainer-bench/ (never used by CI), then for every genome
# and thread count runs our trainer (TrainerBenchmark, one JVM per configuration, the local mode's JVM
# options) and the PyTorch twin (torch_side.py, one Python process) one after the other, alternating which
# goes first, for each repeat. Ours starts through the trainer's allocator launcher
# (trainer-image/image/pbtnas-with-allocator, the image's ENTRYPOINT and the cli's built-in trainer:
# jemalloc when installed), and again with its opt-out (PBTNAS_ALLOCATOR=glibc); the twin runs plain and
# through the same launcher. Both run with OMP_WAIT_POLICY=PASSIVE (the trainer sets it for itself; the
# twin gets it from here) and one inter-op thread. Writes raw/ and summary.md under the results directory.
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
results="$repo/benchmarks/results/trainer"
work="$repo/benchmarks/work/trainer"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --results) results="$2"; shift 2 ;;
    --repeats|--threads|--genomes|--batches|--eval-images|--ops) args+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

torch_version=2.7.1
py="$(python3 -c 'import sys; print(f"py{sys.version_info[0]}{sys.version_info[1]}")')"
venv="${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/trainer-bench/torch-$torch_version-$py"
if [ ! -f "$venv/.complete" ]; then
  echo "installing torch==$torch_version into $venv (once; the wheel pulls ~3 GB of CUDA libraries it does not use here)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "torch==$torch_version" numpy safetensors
  touch "$venv/.complete"
fi

cd "$repo"
export DJL_OFFLINE=true
./mvnw -q -B -ntp -pl trainer-image -am package -DskipTests
mkdir -p "$results/raw" "$work"
{ git rev-parse HEAD; git status --short -- trainer-image benchmarks/trainer; } >"$results/raw/source.txt"
bash "$repo/benchmarks/machine.sh" >"$results/MACHINE.md"
ti="$repo/trainer-image/target"
# The JVM options are the local mode's (pbtnas run --trainer-java-opts default), from their one place.
java_opts="$(java -cp "$ti/classes" io.pbtnas.trainer.TrainerJvm)"
java_cmd="java $java_opts -cp $ti/classes:$ti/test-classes:$ti/lib/* io.pbtnas.trainer.bench.TrainerBenchmark"
OMP_WAIT_POLICY=PASSIVE python3 "$here/bench.py" --java "$java_cmd" --python "$venv/bin/python" \
  --launcher "$repo/trainer-image/image/pbtnas-with-allocator" \
  --work "$work" --results "$results" \
  --wheel-libtorch "$("$venv/bin/python" -c 'import os, torch; print(os.path.dirname(torch.__file__))')/lib" "${args[@]}"
