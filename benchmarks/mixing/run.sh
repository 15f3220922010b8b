#!/usr/bin/env bash
# Mixing throughput against a plain file copy (benchmarks/README.md).
#
#   benchmarks/mixing/run.sh [--sizes 100,1024] [--repeat 2] [--results DIR]
#
# Runs core's MixBenchmark (core/src/test/java/io/pbtnas/core/bench/MixBenchmark.java) once per checkpoint
# size (MiB) and repetition, in a JVM limited to 256 MiB of heap. Each run writes two synthetic
# checkpoints, then times two pairs on the same file, in the same process: a plain copy against a
# shrink-perturb mix (half the tensors swapped) both left in the page cache, and a copy + fsync
# against the mix fsynced as a checkpoint must be. Keeps every run's output under raw/ and writes
# summary.md with both ratios.
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
sizes="100,1024"
repeat=2
results="$repo/benchmarks/results/mixing"
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
mkdir -p "$results/raw"
# The checkpoints go to disk under the repository (git-ignored), not /tmp, which may be a small tmpfs.
work="$repo/benchmarks/work/mixing"
mkdir -p "$work"
rm -f "$results"/raw/*.txt

cd "$repo"
# Which code is measured: the commit and any uncommitted changes to core.
{ git rev-parse HEAD; git status --short -- core; } >"$results/raw/source.txt"
IFS=',' read -r -a size_list <<<"$sizes"
for mib in "${size_list[@]}"; do
  for r in $(seq 1 "$repeat"); do
    out="$results/raw/mix-${mib}MiB-run${r}.txt"
    disk="$(df -P "$work" | awk 'NR==2 {print $1}')"
    echo "== ${mib} MiB, run $r (load average: $(cut -d' ' -f1-3 /proc/loadavg); checkpoints on $disk)" | tee "$out.tmp"
    ./mvnw -q -B -ntp -o -pl core test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
      -Dexec.args="-Xmx256m -Dbench.mib=$mib -Dbench.dir=$work -classpath %classpath io.pbtnas.core.bench.MixBenchmark" \
      2>&1 | tee -a "$out.tmp"
    mv "$out.tmp" "$out"
  done
done
python3 "$here/summarize.py" "$results"
