#!/usr/bin/env bash
# Builds the pbtnas images and, with --kind NAME, loads them into that Kind cluster:
#   pbtnas/operator:<version>   operator/Dockerfile (operator + the `pbtnas mix` command)
#   pbtnas/trainer:<version>    trainer-image/Dockerfile (CPU)
#   pbtnas/trainer:<version>-cuda  trainer-image/Dockerfile.cuda, only with --cuda
# Needs Docker (and kind for --kind). Not run in CI: the build machines have no Docker engine.
# Usage: hack/build-images.sh [--kind CLUSTER] [--cuda] [--skip-maven]
set -euo pipefail
cd "$(dirname "$0")/.."

version="0.1.0"
kind_cluster="" cuda=false maven=true
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kind) kind_cluster="${2:?--kind needs a cluster name}"; shift 2 ;;
    --cuda) cuda=true; shift ;;
    --skip-maven) maven=false; shift ;;
    *) echo "build-images: unknown argument '$1' (known: --kind CLUSTER, --cuda, --skip-maven)" >&2; exit 2 ;;
  esac
done
command -v docker >/dev/null || { echo "build-images: docker is not installed" >&2; exit 1; }

if $maven; then
  ./mvnw -B -ntp -q package -DskipTests -pl operator,cli,trainer-image -am
fi

images=("pbtnas/operator:$version" "pbtnas/trainer:$version")
docker build -f operator/Dockerfile -t "pbtnas/operator:$version" .
docker build -f trainer-image/Dockerfile -t "pbtnas/trainer:$version" .
if $cuda; then
  docker build -f trainer-image/Dockerfile.cuda -t "pbtnas/trainer:$version-cuda" .
  images+=("pbtnas/trainer:$version-cuda")
fi

if [[ -n "$kind_cluster" ]]; then
  for image in "${images[@]}"; do
    kind load docker-image "$image" --name "$kind_cluster"
  done
fi
printf 'build-images: built %s\n' "${images[@]}"
