#!/usr/bin/env bash
# JVM start with and without the images' class-data sharing archives (AppCDS, made at image build by
# pbtnas-cds-archive; benchmarks/README.md, section 9), interleaved in one run.
#
#   benchmarks/jvm-start/run.sh [--rounds N] [--images LIST] [--out DIR]
#
# In containers of the image archives hack/build-images.sh wrote (the files the node imports; LIST, default
# ${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/images/current.txt), as the chart's uid, each round runs every
# command once with the archive and once without (PBTNAS_CDS=off, which the launchers honour), alternating
# which goes first, after one warm-up round that is not counted:
#   operator image  `pbtnas --version` (JVM start to main, and picocli), and as member pods run them on the
#                   quickstart's network: mix and verify on a volume, verify --upload and stage on a bucket
#                   (an S3 gateway on 127.0.0.1, test-env's versitygw)
#   trainer image   the ENTRYPOINT's trainer to its first training batch (the progress event after batch 1),
#                   and `pbtnas eval` of a checkpoint (its JVM and its built-in trainer's)
# Times are taken inside the container (round.sh), from just before the launcher to the process's exit or
# the first batch; container start-up is not in them. Prints min / median / max per command and mode.
# Results: DIR/results.md, DIR/raw.tsv (round, command, mode, microseconds), DIR/classes.tsv (classes each
# command loaded from the archive and from jars), DIR/MACHINE.md. Default DIR: benchmarks/results/jvm-start.
# Needs: root, buildah, the images, test-env's versitygw (test-env/build.sh). About 5 min for 15 rounds on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=15
images="${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/images/current.txt"
out=benchmarks/results/jvm-start
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="${2:?--rounds needs a number}"; shift 2 ;;
    --images) images="${2:?--images needs an image list (hack/build-images.sh writes current.txt)}"; shift 2 ;;
    --out) out="${2:?--out needs a folder}"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "jvm-start/run.sh: unknown argument '$1' (known: --rounds, --images, --out)" >&2; exit 2 ;;
  esac
done
die() { echo "jvm-start/run.sh: $*" >&2; exit 1; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "--rounds $rounds: give a positive number"
command -v buildah >/dev/null || die "needs buildah (hack/build-images.sh installs it)"
[[ -s $images ]] || die "no image list $images: run hack/build-images.sh first"
archive_of() {
  local a; a=$(awk -v n="$1" '$1 == n { print $2 }' "$images")
  [[ -n $a && -s $a ]] || die "$images lists no archive for $1 (or it is gone): rerun hack/build-images.sh"
  echo "$a"
}
operator_tar=$(archive_of pbtnas/operator:0.1.0)
trainer_tar=$(archive_of pbtnas/trainer:0.1.0)
# shellcheck source=../../test-env/versions.env
source test-env/versions.env
# shellcheck source=../../test-env/lib.sh
source test-env/lib.sh
[[ -x "$versitygw_bin_dir/versitygw" ]] || die "no versitygw in $versitygw_bin_dir: run test-env/build.sh"
uid=$(awk '/^trainerPods:/ { t = 1; next } /^[^ #]/ { t = 0 } t && $1 == "runAsUser:" { print $2; exit }' helm/pbtnas/values.yaml)

cleanup=()
on_exit() { for ((i = ${#cleanup[@]} - 1; i >= 0; i--)); do eval "${cleanup[i]}" || true; done; }
trap on_exit EXIT
work=$(mktemp -d /var/tmp/pbtnas-jvm-start.XXXXXX)   # a disk, as a volume's would be; not tmpfs
cleanup+=("rm -rf '$work'")
mkdir -p "$work/root" "$work/gw/root" "$work/gw/meta"
cp benchmarks/jvm-start/round.sh "$work/"
chmod 0755 "$work"
chown -R "$uid:$uid" "$work/root"

key=jvm-start secret=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n') port=17073
ROOT_ACCESS_KEY=$key ROOT_SECRET_KEY=$secret "$versitygw_bin_dir/versitygw" --port "127.0.0.1:$port" \
  posix --sidecar "$work/gw/meta" "$work/gw/root" > "$work/gw/log" 2>&1 &
cleanup+=("kill $! 2>/dev/null; wait $! 2>/dev/null")
empty_sha=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
for _ in $(seq 50); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "x-amz-content-sha256: $empty_sha" \
    --aws-sigv4 "aws:amz:us-east-1:s3" --user "$key:$secret" "http://127.0.0.1:$port/jvm-start" || true)
  [[ $code == 200 ]] && break
  sleep 0.2
done
[[ $code == 200 ]] || { cat "$work/gw/log" >&2; die "could not create the bucket (HTTP $code)"; }
printf 'export AWS_ENDPOINT_URL=http://127.0.0.1:%s AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s\n' \
  "$port" "$key" "$secret" > "$work/aws.env"
chmod a+r "$work/aws.env"

# buildah names an image from a docker archive as the archive does (docker.io/pbtnas/...): a name that was
# not here before goes again at the end (after the containers), so no stale name outlives the run.
for name in docker.io/pbtnas/operator:0.1.0 docker.io/pbtnas/trainer:0.1.0; do
  buildah inspect --type image "$name" > /dev/null 2>&1 || cleanup+=("buildah rmi '$name' >/dev/null")
done
operator=$(buildah from --pull-never "docker-archive:$operator_tar")
cleanup+=("buildah rm '$operator' >/dev/null")
trainer=$(buildah from --pull-never "docker-archive:$trainer_tar")
cleanup+=("buildah rm '$trainer' >/dev/null")
read -r -a entrypoint < <(buildah inspect --format '{{range .OCIv1.Config.Entrypoint}}{{.}} {{end}}' "$trainer"; echo)
in_image() { local ctr=$1; shift; buildah run --user "$uid:$uid" --network host -v "$work:/bench" "$ctr" -- "$@"; }

# The archives must map in these images with the launchers' options (-Xshare:on fails where auto skips).
in_image "$operator" sh -c 'PBTNAS_JAVA_OPTS=-Xshare:on pbtnas --version' > /dev/null \
  || die "the operator image's archive does not map (PBTNAS_JAVA_OPTS=-Xshare:on pbtnas --version failed)"
in_image "$trainer" sh -c 'JAVA_TOOL_OPTIONS=-Xshare:on "$@" --help' sh "${entrypoint[@]}" > /dev/null 2>&1 \
  || die "the trainer image's archive does not map (its ENTRYPOINT with -Xshare:on failed)"
in_image "$trainer" sh /bench/round.sh fixture "${entrypoint[@]}" >&2
in_image "$operator" sh /bench/round.sh bucket > /dev/null
{ in_image "$operator" sh /bench/round.sh classes operator
  in_image "$trainer" sh /bench/round.sh classes "${entrypoint[@]}"; } > "$work/classes.out"

sizes="operator $(in_image "$operator" stat -c %s /opt/pbtnas/cli/pbtnas.jsa) trainer $(in_image "$trainer" stat -c %s /opt/pbtnas/trainer.jsa)"

before=$(uptime)
echo "uptime before: $before" >&2
printf 'round\tcommand\tmode\tmicroseconds\n' > "$work/raw.tsv"
for ((r = 0; r <= rounds; r++)); do
  order="on off"
  (( r % 2 == 0 )) && order="off on"
  { in_image "$operator" sh /bench/round.sh operator "$r" "$order"
    in_image "$trainer" sh /bench/round.sh trainer "$r" "$order" "${entrypoint[@]}"; } > "$work/round.out"
  awk -v r="$r" '{ printf "%s\t%s\t%s\t%s\n", r, $1, $2, $3 }' "$work/round.out" >> "$work/raw.tsv"
  echo "round $r of $rounds ($order)$( ((r == 0)) && echo ', warm-up, not counted'): load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
after=$(uptime)
echo "uptime after: $after" >&2

mkdir -p "$out"
awk '{ printf "%s\t%s\t%s\n", $2, $3, $4 }' "$work/classes.out" > "$out/.classes.tsv.tmp"
python3 benchmarks/jvm-start/summarize.py --raw "$work/raw.tsv" --classes "$out/.classes.tsv.tmp" \
  --operator "$operator_tar" --trainer "$trainer_tar" --archives "$sizes" --before "$before" --after "$after" > "$out/.results.md.tmp"
cp "$work/raw.tsv" "$out/.raw.tsv.tmp"
mv "$out/.raw.tsv.tmp" "$out/raw.tsv"
mv "$out/.classes.tsv.tmp" "$out/classes.tsv"
mv "$out/.results.md.tmp" "$out/results.md"
bash benchmarks/machine.sh > "$out/.MACHINE.md.tmp" && mv "$out/.MACHINE.md.tmp" "$out/MACHINE.md"
cat "$out/results.md"
