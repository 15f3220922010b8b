#!/usr/bin/env bash
# Builds the real control-plane binaries the Java tests run (kube-apiserver, etcd, kubectl)
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

log() { echo "[test-env] $*" >&2; }
die() { echo "[test-env] ERROR: $*" >&2; exit 1; }

GO="$(command -v go || true)"
if [[ -z "$GO" && -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go; fi
[[ -n "$GO" ]] || die "Go is not installed (neither 'go' on PATH nor /usr/local/go/bin/go); install Go >= 1.26 to build the test control plane"

cache_root="${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}"
bin_dir="$cache_root/kube/v${KUBERNETES_VERSION}-etcd-v${ETCD_VERSION}"
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
  local k8s="v${KUBERNETES_VERSION}" etcd="v${ETCD_VERSION}"
  local minor_patch="${KUBERNETES_VERSION#*.}"            # 36.3
  local staging="v0.${minor_patch}"                       # v0.36.3
  local work; work="$(mktemp -d "$cache_root/kube/build.XXXXXX")"
  # expanded now: $work is local and gone when the EXIT trap runs
  trap "rm -rf '$work'" EXIT
  export GOFLAGS="${GOFLAGS:--p=2}" CGO_ENABLED=0 GOTOOLCHAIN=local
  log "building into $work with $("$GO" version) (GOFLAGS=$GOFLAGS)"

  # --- kube-apiserver + kubectl: wrapper module requiring k8s.io/kubernetes ---
  mkdir -p "$work/kube" "$work/etcd" "$work/out"
  local kmod; kmod="$(cd "$work" && "$GO" mod download -json "k8s.io/kubernetes@$k8s" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
  [[ -f "$kmod" ]] || die "could not download k8s.io/kubernetes@$k8s from the Go module proxy (is it reachable, is the version pinned in test-env/versions.env right?)"
  # k8s.io/kubernetes requires its staging modules (k8s.io/api, ...) at v0.0.0 and replaces them with
  # ./staging paths that do not exist outside its repository; point each at its published release.
  local replaces; replaces="$(awk '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" {print $1}' "$kmod" | sort -u)"
  [[ -n "$replaces" ]] || die "found no 'k8s.io/* v0.0.0' requirements in $kmod; the wrapper module needs updating for this release"
  {
    echo "module pbtnas.test/kube-build"
    echo
    echo "go $(awk '$1 == "go" {print $2; exit}' "$kmod")"
    echo
    echo "require k8s.io/kubernetes $k8s"
    echo
    echo "replace ("
    while read -r m; do echo "	$m => $m $staging"; done <<<"$replaces"
    echo ")"
  } >"$work/kube/go.mod"
  log "wrapper go.mod: k8s.io/kubernetes $k8s, $(wc -l <<<"$replaces") staging modules replaced by $staging"
  (cd "$work/kube" && "$GO" get "k8s.io/kubernetes/cmd/kube-apiserver@$k8s" "k8s.io/kubernetes/cmd/kubectl@$k8s") \
    || die "go get of k8s.io/kubernetes $k8s failed (see above; it needs Go >= $(awk '$1 == "go" {print $2; exit}' "$kmod"), this is $("$GO" env GOVERSION))"
  # the same version stamps Kubernetes' own build (hack/lib/version.sh) puts in, so /version is right
  local ld="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=$k8s -X $pkg.gitMajor=${KUBERNETES_VERSION%%.*} -X $pkg.gitMinor=${minor_patch%%.*}"
    ld+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  log "compiling kube-apiserver and kubectl (the slow part on a cold Go build cache)"
  (cd "$work/kube" && "$GO" build -trimpath -ldflags="$ld" -o "$work/out/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver) \
    || die "building kube-apiserver $k8s failed (see above)"
  (cd "$work/kube" && "$GO" build -trimpath -ldflags="$ld" -o "$work/out/kubectl" k8s.io/kubernetes/cmd/kubectl) \
    || die "building kubectl $k8s failed (see above)"

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
  rm -rf "$bin_dir"
  mv "$work/out" "$bin_dir"
}

mkdir -p "$cache_root/kube"
start=$(date +%s)
if cached; then
  log "cached: $bin_dir"
else
  log "no cached binaries for kubernetes ${KUBERNETES_VERSION} / etcd ${ETCD_VERSION}; building (cold: tens of minutes)"
  build
  log "built in $(( $(date +%s) - start ))s: $bin_dir"
fi

# kube-api-test layout: fresh links each run, so a version bump or a moved cache is picked up
mkdir -p "$layout_dir"
for b in "${binaries[@]}"; do
  ln -sfn "$bin_dir/$b" "$layout_dir/$b.tmp" && mv -Tf "$layout_dir/$b.tmp" "$layout_dir/$b"
done
"$layout_dir/kube-apiserver" --version >&2
log "layout: $layout_dir  (done in $(( $(date +%s) - start ))s)"
echo "KUBE_API_TEST_DIR=$api_test_dir"
