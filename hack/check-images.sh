#!/usr/bin/env bash
# Runs the images hack/build-images.sh built the way the chart's pods run them: as trainerPods.runAsUser,
# read-only root filesystem, all capabilities dropped, no privilege escalation, no network, a writable
# /tmp (the pods' emptyDir) and a writable bind-mounted volume at /data (the search directory). Checks:
#   1. pbtnas/trainer --engine-info (the natives come from the image's read-only DJL cache, offline), with
#      -Xshare:on, so it fails unless the image's class-data archive maps;
#   2. pbtnas/trainer trains two members one epoch on a few hundred Fashion-MNIST images: model.safetensors;
#   3. pbtnas/operator: `pbtnas version` (with -Xshare:on, as 1), then `pbtnas mix` of the two checkpoints
#      (a child's input);
#   4. pbtnas/trainer resumes the child from that input for one more epoch;
#   5. pbtnas/byo-trainer (if built) trains one member through the same contract.
# Needs podman and runc (as root: apt-get install -y podman runc); uses the images in local container
# storage (where buildah put them). rlimits are set below this machine's (runc could not raise them
# without CAP_SYS_RESOURCE, and podman's defaults ask for more). Takes about a minute.
# Usage: hack/check-images.sh
set -euo pipefail
cd "$(dirname "$0")/.."

version="0.1.0"
uid=$(awk '/^trainerPods:/ { t = 1; next } /^[^ #]/ { t = 0 } t && $1 == "runAsUser:" { print $2; exit }' \
  helm/pbtnas/values.yaml)
command -v podman >/dev/null || { echo "check-images: needs podman (apt-get install -y podman runc)" >&2; exit 1; }

work=$(mktemp -d /tmp/pbtnas-check-images.XXXXXX)
trap 'rm -rf "$work"' EXIT
chown "$uid:$uid" "$work"
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
fail() { echo "check-images: FAILED: $*" >&2; exit 1; }

pod() { # image, then the container's arguments; env comes from the PBTNAS_* variables set by the caller
  local image=$1; shift
  podman --cgroup-manager cgroupfs --runtime runc run --rm --network none \
    --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
    --user "$uid:$uid" --read-only --tmpfs /tmp:rw,mode=1777 --cap-drop ALL --security-opt no-new-privileges \
    -v "$work:/data" "${envs[@]}" "$image" "$@"
}
genome='{"cell0":"conv3x3","cell1":"sepconv3x3","cell2":"dilconv3x3","cell3":"maxpool","cell4":"conv5x5","cell5":"skip"}'
task_args='{"trainSubset":384,"validationSubset":128,"testSubset":128,"batchSize":64,"threads":2}'
train_env() { # member generation epoch-from [input]
  envs=(-e "PBTNAS_GENOME=$genome" -e "PBTNAS_OUTPUT_DIR=/data/members/$1/gen-$2" -e "PBTNAS_EPOCH_FROM=$3"
        -e "PBTNAS_EPOCH_TO=$(($3 + 1))" -e "PBTNAS_SEED=$1" -e PBTNAS_TASK=fashion-mnist
        -e "PBTNAS_TASK_ARGS=$task_args" -e "PBTNAS_TERMINATION_LOG=/data/termination-$1-$2")
  [[ -n ${4:-} ]] && envs+=(-e "PBTNAS_INPUT=/data/$4")
  return 0
}

t=$(now); envs=(-e JAVA_TOOL_OPTIONS=-Xshare:on)
pod "pbtnas/trainer:$version" --engine-info | grep -q '"event":"engine"' \
  || fail "trainer --engine-info with -Xshare:on (does /opt/pbtnas/trainer.jsa map?)"
echo "check-images: trainer --engine-info as uid $uid, read-only root, class-data archive mapped: $(since "$t") s"

for m in 0 1; do
  t=$(now); train_env "$m" 0 0
  pod "pbtnas/trainer:$version" >/dev/null || fail "trainer member $m"
  [[ -s $work/members/$m/gen-0/model.safetensors ]] || fail "no members/$m/gen-0/model.safetensors"
  echo "check-images: trainer member $m, 1 epoch on 384 images: $(since "$t") s," \
    "score $(grep -o '"score": *[0-9.]*' "$work/members/$m/gen-0/metrics.json")"
done

t=$(now); envs=(-e DJL_CACHE_DIR=/tmp/djl -e PBTNAS_JAVA_OPTS=-Xshare:on)
pod "pbtnas/operator:$version" pbtnas version || fail "operator pbtnas version with -Xshare:on (does /opt/pbtnas/cli/pbtnas.jsa map?)"
envs=(-e DJL_CACHE_DIR=/tmp/djl)
space='{"genes":['
for i in 0 1 2 3 4 5; do
  space+="{\"name\":\"cell$i\",\"options\":[\"conv3x3\",\"conv5x5\",\"sepconv3x3\",\"dilconv3x3\",\"maxpool\",\"skip\"]}"
  [[ $i -lt 5 ]] && space+=","
done
space+=']}'
plan='{"parent":0,"donor":1,"swappedGenes":["cell0","cell2"],"shrink":0.4,"perturb":0.1,"seed":7,
  "parentCheckpoint":"members/0/gen-0/model.safetensors","donorCheckpoint":"members/1/gen-0/model.safetensors",
  "output":"members/0/gen-1/input.safetensors"}'
pod "pbtnas/operator:$version" pbtnas mix --root /data --plan "$plan" --search-space "$space" >/dev/null \
  || fail "operator pbtnas mix"
[[ -s $work/members/0/gen-1/input.safetensors ]] || fail "no mixed members/0/gen-1/input.safetensors"
echo "check-images: operator pbtnas version + mix as uid $uid: $(since "$t") s"

t=$(now); train_env 0 1 1 members/0/gen-1/input.safetensors
pod "pbtnas/trainer:$version" >/dev/null || fail "trainer resuming the mixed child"
[[ -s $work/members/0/gen-1/model.safetensors ]] || fail "no members/0/gen-1/model.safetensors"
echo "check-images: trainer resumes the mixed child for epoch 1: $(since "$t") s"

if podman image exists "pbtnas/byo-trainer:$version"; then
  t=$(now); genome='{"cell0":"conv3x3","cell1":"maxpool","cell2":"conv5x5","cell3":"skip"}'
  task_args='{"trainSubset":384,"validationSubset":128,"batchSize":64,"threads":2}'
  train_env 5 0 0
  envs+=(-e 'PBTNAS_SEARCH_SPACE={"genes":[{"name":"cell0","options":["conv3x3","skip"]},{"name":"cell1","options":["maxpool","skip"]},{"name":"cell2","options":["conv5x5","skip"]},{"name":"cell3","options":["conv3x3","skip"]}]}')
  pod "pbtnas/byo-trainer:$version" >/dev/null || fail "byo-trainer member"
  [[ -s $work/members/5/gen-0/model.safetensors ]] || fail "no byo members/5/gen-0/model.safetensors"
  echo "check-images: byo-trainer (PyTorch) 1 epoch on 384 images: $(since "$t") s," \
    "score $(grep -o '"score": *[0-9.]*' "$work/members/5/gen-0/metrics.json")"
fi
echo "check-images: all passed"
