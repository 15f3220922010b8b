#!/usr/bin/env bash
# Builds Kueue's controller manager from its Go module (sigs.k8s.io/kueue/cmd/kueue at
# KUEUE_VERSION, versions.env) and copies, from that same module's source tree, its CRDs
# (config/components/crd/bases) and its webhook configurations (config/components/webhook/manifests.yaml).
# The testkit's KueueManager runs them against the test API server.
#
# Cache:  ${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/kueue/v<kueue>/{kueue,crds/*.yaml,webhook/manifests.yaml}
# published by one rename after the binary ran --help; a second run only checks (well under a second).
# Last line of output: KUEUE_DIR=<dir>
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
: "${KUEUE_VERSION:?missing in test-env/versions.env}"
# shellcheck source=lib.sh
source "$here/lib.sh"
find_go

cached() {
  [[ -x "$kueue_dir/kueue" && -f "$kueue_dir/webhook/manifests.yaml" ]] \
    && compgen -G "$kueue_dir/crds/*.yaml" >/dev/null \
    && "$kueue_dir/kueue" --help >/dev/null 2>&1
}

build() {
  local v="v${KUEUE_VERSION}"
  local work; work="$(mktemp -d "$cache_root/kueue/build.XXXXXX")"
  trap "rm -rf '$work'" EXIT
  mkdir -p "$work/out/crds" "$work/out/webhook" "$work/mod"
  printf 'module pbtnas.test/kueue-build\n\ngo 1.25\n' >"$work/mod/go.mod"
  local src; src="$(cd "$work/mod" && "$GO" mod download -json "sigs.k8s.io/kueue@$v" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  [[ -d "$src" ]] || die "could not download sigs.k8s.io/kueue@$v from the Go module proxy (is it reachable, is KUEUE_VERSION in test-env/versions.env right?)"
  log "compiling kueue $v with $("$GO" version) (GOFLAGS=$GOFLAGS; cold: about 7 minutes on 2 cores)"
  local t0; t0=$(date +%s)
  # go install pkg@version builds the module with its own go.mod and go.sum, as Kueue's release does
  GOBIN="$work/out" "$GO" install -trimpath \
    -ldflags="-s -w -X sigs.k8s.io/kueue/pkg/version.GitVersion=$v -X sigs.k8s.io/kueue/pkg/version.BuildDate=1970-01-01" \
    "sigs.k8s.io/kueue/cmd/kueue@$v" || die "building kueue $v failed (see above)"
  log "built kueue in $(( $(date +%s) - t0 ))s"
  cp "$src"/config/components/crd/bases/*.yaml "$work/out/crds/"
  cp "$src/config/components/webhook/manifests.yaml" "$work/out/webhook/"
  chmod -R u+w "$work/out"
  "$work/out/kueue" --help >/dev/null 2>&1 || die "built kueue does not run"
  publish "$work/out" "$kueue_dir"
}

mkdir -p "$cache_root/kueue"
start=$(date +%s)
if cached; then
  log "cached: $kueue_dir"
else
  log "no cached kueue ${KUEUE_VERSION}; building"
  build
  log "kueue ready in $(( $(date +%s) - start ))s: $kueue_dir"
fi
echo "KUEUE_DIR=$kueue_dir"
