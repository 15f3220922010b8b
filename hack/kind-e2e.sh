#!/usr/bin/env bash
# End to end on Kind, for a user with Docker: create a cluster, build and load the
# images, then run hack/e2e-scenario.sh: install the chart, give it a ReadWriteMany
# volume, run examples/cpu-small.yaml until it is Complete and exported, and check that
# `pbtnas eval` of the exported best network reproduces its score.
# Needs: docker, kind, kubectl, helm (scripts/install-helm.sh), Java 17 for the build.
# Takes: ~5 min to build and install, then ~10-20 min of search on 4 free cores.
# CI runs the same scenario (hack/e2e-scenario.sh) on a single node built from source
# (test-env/node.sh), since its machines have no Docker engine for Kind.
# PBTNAS_E2E_SEARCH=examples/cpu-smoke.yaml picks a search of a few minutes instead.
# Usage: hack/kind-e2e.sh [cluster-name]   (default pbtnas; delete with: kind delete cluster --name pbtnas)
set -euo pipefail
cd "$(dirname "$0")/.."

cluster="${1:-pbtnas}"
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

step "volume directory on the node (hostPath: one node, so RWX is honest)"
docker exec "$cluster-control-plane" sh -c 'mkdir -p /var/local/pbtnas && chown 1001:1001 /var/local/pbtnas'

step "the end-to-end scenario (the same script CI runs on its from-source node)"
KUBECONFIG="${KUBECONFIG:-$HOME/.kube/config}" hack/e2e-scenario.sh --search "${PBTNAS_E2E_SEARCH:-examples/cpu-small.yaml}" --timeout 60m
