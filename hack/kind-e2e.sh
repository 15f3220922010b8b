#!/usr/bin/env bash
# End to end on Kind, for a user with Docker: create a cluster, build and load the
# images, install the chart, give it a ReadWriteMany volume, run examples/cpu-small.yaml
# until it is Complete, and print the best member.
# Needs: docker, kind, kubectl, helm (scripts/install-helm.sh), Java 17 for the build.
# Takes: ~5 min to build and install, then ~10-20 min of search on 4 free cores.
# NOT run in CI: the build machines have no Docker engine; the chart and the examples
# are checked there against a real API server instead (module deploy-tests).
# Usage: hack/kind-e2e.sh [cluster-name]   (default pbtnas; delete with: kind delete cluster --name pbtnas)
set -euo pipefail
cd "$(dirname "$0")/.."

cluster="${1:-pbtnas}"
ns=pbtnas-system
search=fmnist-cpu-small
helm="$(command -v helm || echo "${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/bin/helm")"
for tool in docker kind kubectl "$helm"; do
  command -v "$tool" >/dev/null || { echo "kind-e2e: $tool not found" >&2; exit 1; }
done

step() { printf '\n== %s\n' "$*"; }

step "cluster $cluster"
kind get clusters | grep -qx "$cluster" || kind create cluster --name "$cluster" --wait 120s
kubectl config use-context "kind-$cluster" >/dev/null

step "images"
hack/build-images.sh --kind "$cluster"

step "helm install"
"$helm" upgrade --install pbtnas helm/pbtnas --namespace "$ns" --create-namespace --wait --timeout 5m

step "ReadWriteMany volume (hostPath: one node, so RWX is honest)"
docker exec "$cluster-control-plane" sh -c 'mkdir -p /var/local/pbtnas && chown 1001:1001 /var/local/pbtnas'
kubectl apply -f examples/storage/single-node-rwx.yaml

step "search"
kubectl apply -f examples/cpu-small.yaml
kubectl get pbtnassearch "$search"
if ! kubectl wait --for=condition=Complete "pbtnassearch/$search" --timeout=60m; then
  kubectl describe pbtnassearch "$search" | tail -30
  kubectl get pods -l "pbtnas.io/search=$search"
  exit 1
fi

step "best member"
kubectl get pbtnassearch "$search"
kubectl get pbtnassearch "$search" -o jsonpath='{.status.best}{"\n"}'
