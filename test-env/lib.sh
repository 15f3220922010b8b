# shellcheck shell=bash
# Shared by build.sh, build-node.sh and node.sh (sourced, after versions.env): where the cached
# binaries live, how Go is found, and the wrapper module that builds commands of k8s.io/kubernetes.

log() { echo "[test-env] $*" >&2; }
die() { echo "[test-env] ERROR: $*" >&2; exit 1; }

cache_root="${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}"
# API-server tier (build.sh): etcd, kube-apiserver, kubectl
kube_bin_dir="$cache_root/kube/v${KUBERNETES_VERSION}-etcd-v${ETCD_VERSION}"
# node tier (build-node.sh): kubelet, kube-scheduler, kube-controller-manager, kube-proxy
node_bin_dir="$cache_root/kube/v${KUBERNETES_VERSION}-node"
node_binaries=(kubelet kube-scheduler kube-controller-manager kube-proxy)
# containerd, ctr and the runc shim (build-node.sh)
containerd_bin_dir="$cache_root/containerd/v${CONTAINERD_VERSION:-unpinned}"
containerd_binaries=(containerd ctr containerd-shim-runc-v2)
# the S3 server of the tests (build.sh): versitygw with its posix back end
versitygw_bin_dir="$cache_root/versitygw/v${VERSITYGW_VERSION:-unpinned}"

find_go() {
  GO="$(command -v go || true)"
  if [[ -z "$GO" && -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go; fi
  [[ -n "$GO" ]] || die "Go is not installed (neither 'go' on PATH nor /usr/local/go/bin/go); install Go >= 1.26 to build the test binaries"
  export GOFLAGS="${GOFLAGS:--p=2}" CGO_ENABLED=0 GOTOOLCHAIN=local
}

# Writes <dir>/go.mod: a module requiring k8s.io/kubernetes at the pinned release. That module
# requires its staging modules (k8s.io/api, ...) at v0.0.0 and replaces them with ./staging paths
# that do not exist outside its repository; each is pointed at its published release v0.<minor>.<patch>.
kube_wrapper_module() {
  local dir="$1" k8s="v${KUBERNETES_VERSION}" staging="v0.${KUBERNETES_VERSION#*.}"
  local kmod; kmod="$(cd "$dir" && "$GO" mod download -json "k8s.io/kubernetes@$k8s" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
  [[ -f "$kmod" ]] || die "could not download k8s.io/kubernetes@$k8s from the Go module proxy (is it reachable, is the version pinned in test-env/versions.env right?)"
  local replaces; replaces="$(awk '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" {print $1}' "$kmod" | sort -u)"
  [[ -n "$replaces" ]] || die "found no 'k8s.io/* v0.0.0' requirements in $kmod; the wrapper module needs updating for this release"
  kube_go_version="$(awk '$1 == "go" {print $2; exit}' "$kmod")"
  {
    echo "module pbtnas.test/kube-build"
    echo
    echo "go $kube_go_version"
    echo
    echo "require k8s.io/kubernetes $k8s"
    echo
    echo "replace ("
    while read -r m; do echo "	$m => $m $staging"; done <<<"$replaces"
    echo ")"
  } >"$dir/go.mod"
  log "wrapper go.mod: k8s.io/kubernetes $k8s, $(wc -l <<<"$replaces") staging modules replaced by $staging"
}

# The version stamps Kubernetes' own build (hack/lib/version.sh) puts in, so /version and --version are right.
kube_ldflags() {
  local minor_patch="${KUBERNETES_VERSION#*.}" ld="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=v${KUBERNETES_VERSION} -X $pkg.gitMajor=${KUBERNETES_VERSION%%.*} -X $pkg.gitMinor=${minor_patch%%.*}"
    ld+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  echo "$ld"
}

# go get + go build of k8s.io/kubernetes commands into <out>: kube_build <work> <out> <cmd>...
kube_build() {
  local work="$1" out="$2"; shift 2
  local k8s="v${KUBERNETES_VERSION}" c pkgs=()
  mkdir -p "$work" "$out"
  kube_wrapper_module "$work"
  for c in "$@"; do pkgs+=("k8s.io/kubernetes/cmd/$c@$k8s"); done
  (cd "$work" && "$GO" get "${pkgs[@]}") \
    || die "go get of k8s.io/kubernetes $k8s failed (see above; it needs Go >= $kube_go_version, this is $("$GO" env GOVERSION))"
  local ld; ld="$(kube_ldflags)"
  for c in "$@"; do
    local t0; t0=$(date +%s)
    (cd "$work" && "$GO" build -trimpath -ldflags="$ld" -o "$out/$c" "k8s.io/kubernetes/cmd/$c") \
      || die "building $c $k8s failed (see above)"
    log "built $c in $(( $(date +%s) - t0 ))s"
  done
}

# Publishes a finished build directory by one rename, so a crash never leaves a half cache.
publish() {
  local from="$1" to="$2"
  rm -rf "$to"
  mv "$from" "$to"
}

# Kueue (build-kueue.sh): its controller manager and, from the same module, its CRDs and webhook manifests
kueue_dir="$cache_root/kueue/v${KUEUE_VERSION:-unpinned}"
