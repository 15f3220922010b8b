#!/usr/bin/env bash
# Builds the real node's binaries from their Go modules, beside what build.sh builds for the
# API-server tier (which works without these):
#   kubelet, kube-scheduler, kube-controller-manager, kube-proxy  from k8s.io/kubernetes (the
#       same wrapper module as kube-apiserver, lib.sh)
#   containerd, ctr, containerd-shim-runc-v2  from github.com/containerd/containerd/v2
#       (CGO_ENABLED=0, tags no_btrfs no_devmapper no_zfs no_aufs; the shim also no_grpc)
#
# Cache:  ${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/kube/v<k8s>-node/{kubelet,...}
#         ${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/containerd/v<containerd>/{containerd,ctr,containerd-shim-runc-v2}
# Each of the two steps is cached on its own and published by one rename after its binaries ran
# --version, so an interrupted build leaves no half cache: rerun the script. Idempotent.
# Needs: Go >= 1.26 and, cold, the Go module proxy. Debian packages the node needs at run time
# (runc, CNI plugins, iptables, conntrack, openssl) are installed by node.sh packages.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
: "${KUBERNETES_VERSION:?missing in test-env/versions.env}" "${CONTAINERD_VERSION:?missing in test-env/versions.env}"
# shellcheck source=lib.sh
source "$here/lib.sh"
find_go

runs() { "$1" --version >/dev/null 2>&1; }

kube_cached() {
  local b
  for b in "${node_binaries[@]}"; do [[ -x "$node_bin_dir/$b" ]] && runs "$node_bin_dir/$b" || return 1; done
}

containerd_cached() {
  [[ -x "$containerd_bin_dir/containerd-shim-runc-v2" ]] || return 1
  runs "$containerd_bin_dir/containerd" && runs "$containerd_bin_dir/ctr" && "$containerd_bin_dir/containerd-shim-runc-v2" -v >/dev/null 2>&1
}

build_kube() {
  local work; work="$(mktemp -d "$cache_root/kube/build-node.XXXXXX")"
  trap "rm -rf '$work'" EXIT
  log "building ${node_binaries[*]} v${KUBERNETES_VERSION} into $work with $("$GO" version) (GOFLAGS=$GOFLAGS)"
  kube_build "$work/kube" "$work/out" "${node_binaries[@]}"
  local b
  for b in "${node_binaries[@]}"; do runs "$work/out/$b" || die "built $b does not run"; done
  publish "$work/out" "$node_bin_dir"
  rm -rf "$work"; trap - EXIT
}

build_containerd() {
  local v="v${CONTAINERD_VERSION}" pkg=github.com/containerd/containerd/v2
  local work; work="$(mktemp -d "$cache_root/containerd/build.XXXXXX")"
  trap "rm -rf '$work'" EXIT
  mkdir -p "$work/mod" "$work/out"
  printf 'module pbtnas.test/containerd-build\n\ngo 1.26\n\nrequire %s %s\n' "$pkg" "$v" >"$work/mod/go.mod"
  (cd "$work/mod" && "$GO" get "$pkg/cmd/containerd@$v" "$pkg/cmd/ctr@$v" "$pkg/cmd/containerd-shim-runc-v2@$v") \
    || die "go get of $pkg $v failed (see above; is the Go module proxy reachable, is CONTAINERD_VERSION in test-env/versions.env right?)"
  local tags="no_btrfs no_devmapper no_zfs no_aufs urfave_cli_no_docs"
  # the stamps containerd's Makefile sets, so `containerd --version` and the CRI version are right
  local ld="-s -w -X $pkg/version.Version=$v -X $pkg/version.Package=$pkg"
  local c t0
  for c in containerd ctr containerd-shim-runc-v2; do
    t0=$(date +%s)
    local ctags="$tags"; [[ "$c" == containerd-shim-runc-v2 ]] && ctags+=" no_grpc"
    (cd "$work/mod" && "$GO" build -trimpath -tags "$ctags" -ldflags="$ld" -o "$work/out/$c" "$pkg/cmd/$c") \
      || die "building $c $v failed (see above)"
    log "built $c in $(( $(date +%s) - t0 ))s"
  done
  runs "$work/out/containerd" && runs "$work/out/ctr" && "$work/out/containerd-shim-runc-v2" -v >/dev/null 2>&1 \
    || die "built containerd binaries do not run"
  publish "$work/out" "$containerd_bin_dir"
  rm -rf "$work"; trap - EXIT
}

mkdir -p "$cache_root/kube" "$cache_root/containerd"
start=$(date +%s)
if kube_cached; then log "cached: $node_bin_dir"; else
  log "no cached node binaries for kubernetes ${KUBERNETES_VERSION}; building (a few minutes on a warm Go cache)"
  build_kube
fi
if containerd_cached; then log "cached: $containerd_bin_dir"; else
  log "no cached containerd ${CONTAINERD_VERSION}; building (a few minutes)"
  build_containerd
fi
log "node binaries ready in $(( $(date +%s) - start ))s"
echo "NODE_BIN_DIR=$node_bin_dir"
echo "CONTAINERD_BIN_DIR=$containerd_bin_dir"
