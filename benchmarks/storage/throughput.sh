#!/usr/bin/env bash
# Checkpoints on S3: our upload, stage and streaming mix against plain PUT/GET of the same bytes with the
# same client, in the same run (benchmarks/README.md, section 9).
#
#   benchmarks/storage/throughput.sh [--sizes 100,1024] [--repeat 3] [--out DIR]
#
# Runs cli's S3Benchmark (cli/src/test/java/io/pbtnas/cli/bench/S3Benchmark.java) against a real versitygw
# (built by test-env/build.sh; run that once first) whose bucket is on disk under ${PBTNAS_BENCH_DIR:-/var/tmp},
# as are the checkpoints. Per size (MiB asked: 100 is 96 MiB, 1024 is 1 GiB), a warm-up round and then
# --repeat rounds of every operation, interleaved, each round in a new (seeded) order, a sync between
# operations. Writes raw/s3-<MiB>MiB.json (every sample: seconds, bytes, GETs and their ranges, bytes read
# by the client, bytes the gateway wrote), raw/bench.log, raw/source.txt (the code measured), MACHINE.md
# and results.md under --out (default benchmarks/results/storage).
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
sizes="100,1024"
repeat=3
out="$repo/benchmarks/results/storage"
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "throughput.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$sizes" =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "throughput.sh: --sizes '$sizes': a comma-separated list of MiB, e.g. 100,1024" >&2; exit 2; }
[[ "$repeat" =~ ^[1-9][0-9]*$ ]] || { echo "throughput.sh: --repeat '$repeat': a whole number of rounds, at least 1" >&2; exit 2; }
data="${PBTNAS_BENCH_DIR:-/var/tmp}"
mkdir -p "$out/raw" "$data"
out="$(cd "$out" && pwd)"
rm -f "$out"/raw/s3-*MiB.json

cd "$repo"
# Which code is measured: the commit and any uncommitted changes to the modules it runs.
{ git rev-parse HEAD; git status --short -- cli core testkit; } >"$out/raw/source.txt"
{
  echo "load before: $(cat /proc/loadavg); data under $data on $(df -P "$data" | awk 'NR==2 {print $1}')"
  ./mvnw -B -ntp -pl core,trainer-image,testkit,cli test -Dtest=S3Benchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dpbtnas.bench=true -Dpbtnas.bench.sizes="$sizes" -Dpbtnas.bench.repeat="$repeat" \
    -Dpbtnas.bench.dir="$data" -Dpbtnas.bench.out="$out"
  echo "load after: $(cat /proc/loadavg)"
} 2>&1 | tee "$out/raw/bench.log.tmp" | grep --line-buffered -E '^\[bench\]|^load |Tests run:|BUILD|ERROR' || true
mv "$out/raw/bench.log.tmp" "$out/raw/bench.log"
grep -q 'BUILD SUCCESS' "$out/raw/bench.log" || { echo "throughput.sh: the benchmark failed; see $out/raw/bench.log" >&2; exit 1; }
"$repo/benchmarks/machine.sh" >"$out/MACHINE.md"
python3 "$here/summarize.py" "$out"
echo "results: $out/results.md"
