#!/usr/bin/env bash
# Mixing code before and after a change, measured alternately (benchmarks/README.md).
#
#   benchmarks/mixing/ab.sh BASE_COMMIT [--sizes 1024] [--pairs 3] [--results DIR]
#
# Builds core's main classes as they were at BASE_COMMIT (under benchmarks/work/, git-ignored) and
# runs the current MixBenchmark against them and against the working tree's core, alternately,
# PAIRS times per size, so that both see the same machine load. Writes DIR/before and DIR/after
# (raw/ and summary.md each, as run.sh does). The benchmark itself is the working tree's: the base
# commit's core must have the API it calls (ShrinkPerturb.mix with a Durability, since 804279a).
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
[ $# -ge 1 ] && [ "${1#-}" = "$1" ] || { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
base="$(git -C "$repo" rev-parse --verify "$1^{commit}")"
shift
sizes="1024"
pairs=3
results="$repo/benchmarks/results/mixing/ab"
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --pairs) pairs="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ab.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

cd "$repo"
work="$repo/benchmarks/work/mixing"
mkdir -p "$work"
./mvnw -q -B -ntp -o -pl core test-compile dependency:build-classpath -Dmdep.outputFile="$work/deps.txt"
deps="$(cat "$work/deps.txt")"
src="$work/ab-src-${base:0:12}"
classes="$work/ab-classes-${base:0:12}"
rm -rf "$src" "$classes"
mkdir -p "$src" "$classes"
git archive "$base" core/src/main/java | tar -x -C "$src"
find "$src" -name '*.java' >"$src/files.txt"
javac -nowarn -encoding UTF-8 --release 17 -d "$classes" -cp "$deps" @"$src/files.txt"

for side in before after; do
  mkdir -p "$results/$side/raw"
  rm -f "$results/$side"/raw/*.txt
done
echo "$base (core main classes built from this commit)" >"$results/before/raw/source.txt"
{ git rev-parse HEAD; git status --short -- core; } >"$results/after/raw/source.txt"
IFS=',' read -r -a size_list <<<"$sizes"
for mib in "${size_list[@]}"; do
  for r in $(seq 1 "$pairs"); do
    for side in before after; do
      if [ "$side" = before ]; then main="$classes"; else main="$repo/core/target/classes"; fi
      out="$results/$side/raw/mix-${mib}MiB-run${r}.txt"
      disk="$(df -P "$work" | awk 'NR==2 {print $1}')"
      echo "== ${mib} MiB, run $r, $side (load average: $(cut -d' ' -f1-3 /proc/loadavg); checkpoints on $disk)" \
        | tee "$out.tmp"
      java -Xmx256m -Dbench.mib="$mib" -Dbench.dir="$work" \
        -classpath "$repo/core/target/test-classes:$main:$deps" io.pbtnas.core.bench.MixBenchmark 2>&1 | tee -a "$out.tmp"
      mv "$out.tmp" "$out"
    done
  done
done
for side in before after; do
  python3 "$here/summarize.py" "$results/$side" >/dev/null
done
echo "summaries: $results/before/summary.md, $results/after/summary.md"
