#!/usr/bin/env bash
# Per-step overhead on a real node: what a pod per member per generation costs, on a volume and on a
# bucket, at two step sizes.
#
#   benchmarks/node/run.sh [--storage pvc,s3] [--step quickstart,epoch] [--out DIR]
#
# Steps: `quickstart` is examples/quickstart.yaml's trainer settings (width 12, 6,000 training images,
# batch 64); `epoch` is one epoch of all 60,000 images (50,000 trained on, 10,000 validated). Each run is
# 4 members x 2 generations, one pod at a time with 2 threads (as the local mode runs on 2 cores), through
# the operator installed by hack/e2e-scenario.sh --setup-only. `pvc` is the node's hostPath ReadWriteMany
# volume; `s3` is a bucket on versitygw (test-env) listening on the node's IP, keys in a Secret. The runs
# interleave storage within each step size, so drift on the machine hits both back ends alike.
# While a search runs, record.py watches its pods and follows each trainer's log (the operator deletes a
# finished pod once its result is recorded); overhead.py then times every part of every member step:
# created -> first batch, training, result -> pod done (verify, the upload), pod done -> next pod.
# Uses the cluster in $KUBECONFIG (for s3 also NODE_IP: where pods reach this machine), or brings up the
# from-source node (test-env/node.sh) when KUBECONFIG is unset. Needs: test-env's tools, the images
# (hack/build-images.sh). Takes about 5 minutes per quickstart run and 12 per epoch run on 2 cores.
# Results: DIR/<step>-<storage>/{recorded.json,pods.json,summary.md,search.yaml}, DIR/summary.md (side by
# side), DIR/MACHINE.md. Default DIR: benchmarks/results/node.
set -euo pipefail
cd "$(dirname "$0")/../.."
storages=pvc,s3
steps=quickstart,epoch
out=benchmarks/results/node
while [[ $# -gt 0 ]]; do
  case "$1" in
    --storage) storages="${2:?--storage needs pvc, s3 or pvc,s3}"; shift 2 ;;
    --step) steps="${2:?--step needs quickstart, epoch or both}"; shift 2 ;;
    --out) out="${2:?--out needs a folder}"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "node/run.sh: unknown argument '$1' (known: --storage, --step, --out)" >&2; exit 2 ;;
  esac
done
for s in ${storages//,/ }; do [[ $s == pvc || $s == s3 ]] || { echo "node/run.sh: --storage $s: use pvc or s3" >&2; exit 2; }; done
for s in ${steps//,/ }; do [[ $s == quickstart || $s == epoch ]] || { echo "node/run.sh: --step $s: use quickstart or epoch" >&2; exit 2; }; done
mkdir -p "$out"
cleanup=()
on_exit() { for ((i = ${#cleanup[@]} - 1; i >= 0; i--)); do eval "${cleanup[i]}" || true; done; }
trap on_exit EXIT
if [[ -z "${KUBECONFIG:-}" ]]; then
  bash hack/build-images.sh >&2
  eval "$(bash test-env/node.sh up | grep -E '^[A-Z_]+=')"   # KUBECONFIG, NODE_NAME, NODE_IP
  export KUBECONFIG NODE_IP
  cleanup+=("bash test-env/node.sh down >&2")
  uid=$(awk '/^trainerPods:/ { t = 1; next } /^[^ #]/ { t = 0 } t && $1 == "runAsUser:" { print $2; exit }' helm/pbtnas/values.yaml)
  mkdir -p /var/local/pbtnas && chown "$uid:$uid" /var/local/pbtnas
fi
KUBECTL="${KUBECTL:-$(command -v kubectl || ls -d "${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}"/kube/v*/kubectl | tail -n 1)}"
export KUBECTL
ns=pbtnas-bench
bash hack/e2e-scenario.sh --namespace "$ns" --setup-only >&2

if [[ ",$storages," == *,s3,* ]]; then
  : "${NODE_IP:?node/run.sh: set NODE_IP to the address pods reach this machine on (the gateway listens there)}"
  # shellcheck source=../../test-env/versions.env
  source test-env/versions.env
  # shellcheck source=../../test-env/lib.sh
  source test-env/lib.sh
  [[ -x "$versitygw_bin_dir/versitygw" ]] || bash test-env/build.sh >&2
  gw="$(mktemp -d /var/tmp/pbtnas-bench-s3.XXXXXX)"   # a disk, as a real store's would be; not tmpfs
  mkdir -p "$gw/root" "$gw/meta"
  key=bench-key secret="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" port=17071
  ROOT_ACCESS_KEY=$key ROOT_SECRET_KEY=$secret "$versitygw_bin_dir/versitygw" --port "$NODE_IP:$port" \
    posix --sidecar "$gw/meta" "$gw/root" >"$gw/gateway.log" 2>&1 &
  cleanup+=("kill $! 2>/dev/null; wait $! 2>/dev/null; rm -rf '$gw'")
  endpoint="http://$NODE_IP:$port"
  empty_sha=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
  for _ in $(seq 50); do
    code="$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "x-amz-content-sha256: $empty_sha" \
      --aws-sigv4 "aws:amz:us-east-1:s3" --user "$key:$secret" "$endpoint/bench-bucket" || true)"
    [[ $code == 200 ]] && break
    sleep 0.2
  done
  [[ $code == 200 ]] || { cat "$gw/gateway.log" >&2; echo "node/run.sh: could not create the bucket at $endpoint (HTTP $code)" >&2; exit 1; }
  "$KUBECTL" -n "$ns" create secret generic bench-bucket-keys --from-literal=AWS_ACCESS_KEY_ID=$key \
    --from-literal=AWS_SECRET_ACCESS_KEY="$secret" --dry-run=client -o yaml | "$KUBECTL" apply -f - >/dev/null
fi

run_one() {   # step storage
  local step=$1 storage=$2 dir="$out/$1-$2" name="step-$1-$2"
  local args storage_spec
  mkdir -p "$dir"
  case $step in
    quickstart) args="$(python3 -c 'import re; print(re.search(r"^    args: \{(.*)\}$", open("examples/quickstart.yaml").read(), re.M).group(1))')" ;;
    epoch) args="batchSize: 64, learningRate: 0.002, width: 12, trainSubset: 0, validationSubset: 0, testSubset: 2000" ;;
  esac
  case $storage in
    pvc) storage_spec="{persistentVolumeClaim: {claimName: pbtnas-checkpoints}}" ;;
    s3) storage_spec="{s3: {bucket: bench-bucket, prefix: bench, endpoint: \"$endpoint\", region: us-east-1, forcePathStyle: true, credentialsSecret: {name: bench-bucket-keys}}}" ;;
  esac
  cat >"$dir/search.yaml.tmp" <<YAML
# Generated by benchmarks/node/run.sh: step '$step', storage '$storage'.
apiVersion: pbtnas.io/v1alpha1
kind: PbtNasSearch
metadata:
  name: $name
spec:
  population: 4
  generations: 2
  epochsPerGeneration: 1
  seed: 42
  searchSpace:
    genes:
      - {name: cell0, options: [conv3x3, conv5x5, sepconv3x3, dilconv3x3, maxpool, skip]}
      - {name: cell1, options: [conv3x3, conv5x5, sepconv3x3, dilconv3x3, maxpool, skip]}
      - {name: cell2, options: [conv3x3, conv5x5, sepconv3x3, dilconv3x3, maxpool, skip]}
      - {name: cell3, options: [conv3x3, conv5x5, sepconv3x3, dilconv3x3, maxpool, skip]}
  trainer:
    image: pbtnas/trainer:0.1.0
    task: fashion-mnist
    args: {$args, threads: 2, progressEvery: 1}
    resources:
      requests: {cpu: 1500m, memory: 2Gi}
      limits: {cpu: "2", memory: 2Gi}
  storage: $storage_spec
  parallelism: 1
YAML
  mv "$dir/search.yaml.tmp" "$dir/search.yaml"
  echo "== $step on $storage (load average: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  "$KUBECTL" -n "$ns" delete pbtnassearch "$name" --ignore-not-found --wait=true >&2
  python3 benchmarks/node/record.py --namespace "$ns" --search "$name" --out "$dir/recorded.json" &
  local recorder=$!
  "$KUBECTL" -n "$ns" apply -f "$dir/search.yaml" >&2
  local ok=true
  "$KUBECTL" -n "$ns" wait --for=condition=Complete "pbtnassearch/$name" --timeout=40m >&2 || ok=false
  kill -TERM "$recorder"; wait "$recorder" || true
  if ! $ok; then
    "$KUBECTL" -n "$ns" describe pbtnassearch "$name" >&2 || true
    echo "node/run.sh: $name did not complete" >&2; exit 1
  fi
  python3 benchmarks/node/overhead.py --recorded "$dir/recorded.json" --out "$dir" --title "$step step, $storage"
  "$KUBECTL" -n "$ns" delete pbtnassearch "$name" --wait=true >&2
}

for step in ${steps//,/ }; do
  for storage in ${storages//,/ }; do
    run_one "$step" "$storage"
  done
done
python3 benchmarks/node/side_by_side.py "$out" > "$out/.summary.md.tmp" && mv "$out/.summary.md.tmp" "$out/summary.md"
bash benchmarks/machine.sh > "$out/MACHINE.md"
cat "$out/summary.md"
