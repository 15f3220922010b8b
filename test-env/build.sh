#!/usr/bin/env bash
# Builds the real control-plane binaries the Java tests run (kube-apiserver, etcd, kubectl, and
# through build-argocd-lua.sh the Argo CD health script runner)
# from their Go modules, so no Docker and no binary downloads are needed: only Go and a
# reachable Go module proxy (on a cold cache).
#
# Cache:  ${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/kube/v<k8s>-etcd-v<etcd>/{etcd,kube-apiserver,kubectl}
# Layout: $KUBE_API_TEST_DIR/k8s/<k8s>-linux-<arch>/{etcd,kube-apiserver,kubectl}   (what
#         io.fabric8:kube-api-test looks for in offline mode)
#         default KUBE_API_TEST_DIR=${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/kube-api-test
# A second run finds the cache and only refreshes the layout (seconds). Idempotent.
# Last line of output: KUBE_API_TEST_DIR=<dir>
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
: "${KUBERNETES_VERSION:?missing in test-env/versions.env}" "${ETCD_VERSION:?missing in test-env/versions.env}"
: "${VERSITYGW_VERSION:?missing in test-env/versions.env}"
# shellcheck source=lib.sh
source "$here/lib.sh"
find_go

bin_dir="$kube_bin_dir"
api_test_dir="${KUBE_API_TEST_DIR:-$cache_root/kube-api-test}"
goarch="$("$GO" env GOARCH)"
layout_dir="$api_test_dir/k8s/${KUBERNETES_VERSION}-linux-${goarch}"
binaries=(etcd kube-apiserver kubectl)

cached() {
  local b
  for b in "${binaries[@]}"; do [[ -x "$bin_dir/$b" ]] || return 1; done
  # a binary that does not start is not a cache hit (e.g. truncated by a crash before the rename)
  "$bin_dir/kube-apiserver" --version >/dev/null 2>&1 && "$bin_dir/etcd" --version >/dev/null 2>&1
}

build() {
  local etcd="v${ETCD_VERSION}"
  local work; work="$(mktemp -d "$cache_root/kube/build.XXXXXX")"
  # expanded now: $work is local and gone when the EXIT trap runs
  trap "rm -rf '$work'" EXIT
  log "building into $work with $("$GO" version) (GOFLAGS=$GOFLAGS)"

  # --- kube-apiserver + kubectl: wrapper module requiring k8s.io/kubernetes (lib.sh) ---
  mkdir -p "$work/etcd"
  log "compiling kube-apiserver and kubectl (the slow part on a cold Go build cache)"
  kube_build "$work/kube" "$work/out" kube-apiserver kubectl

  # --- etcd: a three-line main over etcdmain ---
  cat >"$work/etcd/main.go" <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  printf 'module pbtnas.test/etcd-build\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$etcd" >"$work/etcd/go.mod"
  log "compiling etcd $etcd"
  (cd "$work/etcd" && "$GO" mod tidy && "$GO" build -trimpath -ldflags="-s -w" -o "$work/out/etcd" .) \
    || die "building etcd $etcd failed (see above)"

  # publish all three at once: a crash before this rename leaves no half cache behind
  local b
  for b in "${binaries[@]}"; do "$work/out/$b" --version >/dev/null 2>&1 || "$work/out/$b" version --client >/dev/null 2>&1 || die "built $b does not run"; done
  publish "$work/out" "$bin_dir"
}

versitygw_cached() {
  [[ -x "$versitygw_bin_dir/versitygw" ]] && "$versitygw_bin_dir/versitygw" --version >/dev/null 2>&1
}

# versitygw, the tests' S3 server: its own module, built and published on its own
build_versitygw() {
  local v="v${VERSITYGW_VERSION}" pkg=github.com/versity/versitygw
  local work; work="$(mktemp -d "$cache_root/versitygw/build.XXXXXX")"
  trap "rm -rf '$work'" EXIT
  mkdir -p "$work/mod" "$work/out"
  printf 'module pbtnas.test/versitygw-build\n\ngo 1.26\n\nrequire %s %s\n' "$pkg" "$v" >"$work/mod/go.mod"
  (cd "$work/mod" && "$GO" get "$pkg/cmd/versitygw@$v") \
    || die "go get of $pkg $v failed (see above; is the Go module proxy reachable, is VERSITYGW_VERSION in test-env/versions.env right?)"
  local t0; t0=$(date +%s)
  (cd "$work/mod" && "$GO" build -trimpath -ldflags="-s -w" -o "$work/out/versitygw" "$pkg/cmd/versitygw") \
    || die "building versitygw $v failed (see above)"
  "$work/out/versitygw" --version >/dev/null 2>&1 || die "built versitygw does not run"
  log "built versitygw in $(( $(date +%s) - t0 ))s"
  publish "$work/out" "$versitygw_bin_dir"
  rm -rf "$work"; trap - EXIT
}

mkdir -p "$cache_root/kube" "$cache_root/versitygw"
start=$(date +%s)
if cached; then
  log "cached: $bin_dir"
else
  log "no cached binaries for kubernetes ${KUBERNETES_VERSION} / etcd ${ETCD_VERSION}; building (cold: tens of minutes)"
  build
  log "built in $(( $(date +%s) - start ))s: $bin_dir"
fi

if versitygw_cached; then
  log "cached: $versitygw_bin_dir"
else
  log "no cached versitygw ${VERSITYGW_VERSION}; building (a few minutes on a cold Go cache)"
  build_versitygw
fi

# kube-api-test layout: fresh links each run, so a version bump or a moved cache is picked up
mkdir -p "$layout_dir"
for b in "${binaries[@]}"; do
  ln -sfn "$bin_dir/$b" "$layout_dir/$b.tmp" && mv -Tf "$layout_dir/$b.tmp" "$layout_dir/$b"
done
"$layout_dir/kube-apiserver" --version >&2
# the Argo CD health script runner deploy-tests uses (seconds; cached like the above)
bash "$here/build-argocd-lua.sh" >&2
log "layout: $layout_dir  (done in $(( $(date +%s) - start ))s)"
echo "KUBE_API_TEST_DIR=$api_test_dir"
