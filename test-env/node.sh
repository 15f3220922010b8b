#!/usr/bin/env bash
# A real single-node Kubernetes on this machine, from the binaries build.sh and build-node.sh
# cached: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, containerd + runc + CNI,
# kubelet and kube-proxy. Root only; one node per machine (fixed ports).
#
# Usage: test-env/node.sh up | down | status | env | packages | acquire PID | release PID
#   up        starts the node, or reuses it when one is already healthy; cleans up what a crashed
#             run left first. Imports the images listed in images/current.txt. Last line:
#             KUBECONFIG=<admin kubeconfig>
#   down      stops everything it started, unmounts what it mounted, removes its network and
#             iptables rules; keeps the image store (and the certificates) for the next up
#   status    exit 0 when the node is up and Ready
#   env       prints KUBECONFIG=... and the node's name and IP
#   packages  installs the Debian packages the node needs (runc, CNI plugins, iptables, conntrack, openssl)
#   acquire PID / release PID   up / down on behalf of a process (the testkit's JUnit extension): the
#             node stays up while any live process holds it, or until down after an up by hand
#
# State (one directory, PBTNAS_NODE_DIR, default /var/lib/pbtnas-node): pki/, etcd/, containerd/,
# kubelet/, cni/, logs/<component>.log, run/<component>.pid, admin.kubeconfig.
# Images: each line of PBTNAS_NODE_IMAGES (files separated by ':'; default
# ${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/images/current.txt) is `<image-name> <archive>`; an
# archive is imported with `ctr -n k8s.io images import` unless the same file was imported before.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
# shellcheck source=lib.sh
source "$here/lib.sh"
log() { echo "[node] $*" >&2; }
die() { echo "[node] ERROR: $*" >&2; exit 1; }

S="${PBTNAS_NODE_DIR:-/var/lib/pbtnas-node}"
# the first list naming an image wins: our images and the real pause image (hack/build-images.sh), the
# tests' busybox (test-images.sh, made by up), a test-only pause image (test-images.sh --pause)
IMAGE_LISTS="${PBTNAS_NODE_IMAGES:-$cache_root/images/current.txt:$cache_root/images/test-env.txt:$cache_root/images/test-pause.txt}"
# containerd v2.4.2's default sandbox image (and kubeadm 1.36's pause version); hack/build-images.sh builds it
SANDBOX_IMAGE="registry.k8s.io/pause:3.10.2"
SERVICE_CIDR=10.96.0.0/12
SERVICE_IP=10.96.0.1
POD_CIDR=10.244.0.0/24
BRIDGE=pbtnas0
ETCD_PORT=12379 ETCD_PEER_PORT=12380 API_PORT=6443
CNI_BIN_DIR=/usr/lib/cni
RUNC=/usr/sbin/runc
COMPONENTS=(kube-proxy kubelet kube-scheduler kube-controller-manager kube-apiserver etcd containerd)

KUBECTL="$kube_bin_dir/kubectl"
ADMIN="$S/admin.kubeconfig"
SOCK="$S/containerd/containerd.sock"

# --- where we are ---------------------------------------------------------------------------

node_ip() {
  if [[ -n "${PBTNAS_NODE_IP:-}" ]]; then echo "$PBTNAS_NODE_IP"; return; fi
  local ip
  ip="$(ip -4 route get 192.0.2.123 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' | head -1)"
  [[ -n "$ip" && "$ip" != 127.* ]] || ip="$(ip -4 -o addr show scope global 2>/dev/null | awk '{sub("/.*","",$4); print $4; exit}')"
  [[ -n "$ip" ]] || die "this machine has no non-loopback IPv4 address; the node needs one (kubelet's node IP, the API server's advertise address); set PBTNAS_NODE_IP"
  echo "$ip"
}
NODE_IP=""
[[ "${1:-}" == packages ]] || NODE_IP="$(node_ip)"
NODE_NAME="$(hostname | tr '[:upper:]' '[:lower:]')"

# --- prerequisites ---------------------------------------------------------------------------

missing_packages() {
  local need=()
  [[ -x "$RUNC" ]] || need+=(runc)
  local p; for p in bridge host-local loopback portmap; do [[ -x "$CNI_BIN_DIR/$p" ]] || { need+=(containernetworking-plugins); break; }; done
  command -v iptables-restore >/dev/null || need+=(iptables)
  command -v conntrack >/dev/null || need+=(conntrack)
  command -v openssl >/dev/null || need+=(openssl)
  [[ -x /bin/busybox ]] || need+=(busybox-static)
  echo "${need[*]}"
}

install_packages() {
  local need; need="$(missing_packages)"
  [[ -z "$need" ]] && return 0
  [[ $(id -u) -eq 0 ]] || die "missing Debian packages: $need (run as root: test-env/node.sh packages)"
  log "installing Debian packages: $need"
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
  need="$(missing_packages)"
  [[ -z "$need" ]] || die "still missing after apt-get install: $need"
}

require() {
  [[ $(id -u) -eq 0 ]] || die "the real node needs root (kubelet, containerd, runc, iptables); this is uid $(id -u)"
  local b
  for b in etcd kube-apiserver kubectl; do
    [[ -x "$kube_bin_dir/$b" ]] || die "no $b at $kube_bin_dir: run test-env/build.sh first"
  done
  for b in "${node_binaries[@]}"; do
    [[ -x "$node_bin_dir/$b" ]] || die "no $b at $node_bin_dir: run test-env/build-node.sh first"
  done
  for b in "${containerd_binaries[@]}"; do
    [[ -x "$containerd_bin_dir/$b" ]] || die "no $b at $containerd_bin_dir: run test-env/build-node.sh first"
  done
  install_packages
}

# --- processes ---------------------------------------------------------------------------------

pid_of() { local f="$S/run/$1.pid"; [[ -f "$f" ]] && cat "$f"; }
alive() { local p; p="$(pid_of "$1")" && [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null; }

start() { # start NAME BINARY ARGS...
  local name="$1"; shift
  mkdir -p "$S/logs" "$S/run"
  # 9>&-: not the lock's descriptor, or the daemon would hold the lock for its lifetime
  setsid "$@" >"$S/logs/$name.log" 2>&1 </dev/null 9>&- &
  echo $! >"$S/run/$name.pid"
}

# stop NAME...: TERM to each (ours only: its command line names the state dir), KILL what is left after 10 s
stop() {
  local name p pids=()
  for name in "$@"; do
    p="$(pid_of "$name")" || continue
    if [[ -n "$p" && "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" == *"$S"* ]]; then
      kill -TERM "$p" 2>/dev/null && pids+=("$p")
    fi
    rm -f "$S/run/$name.pid"
  done
  local i left
  for i in $(seq 100); do
    left=(); for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && left+=("$p"); done
    [[ ${#left[@]} -eq 0 ]] && return 0
    sleep 0.1
  done
  kill -KILL "${left[@]}" 2>/dev/null || true
  sleep 0.5
}

# Our binaries still running for this state dir (a daemon whose pid file was lost, the
# containerd shims, which outlive containerd by design).
strays() {
  local d exe cmd
  for d in /proc/[0-9]*; do
    exe="$(readlink "$d/exe" 2>/dev/null)" || continue
    case "$exe" in "$kube_bin_dir"/* | "$node_bin_dir"/* | "$containerd_bin_dir"/*) ;; *) continue ;; esac
    cmd="$(tr '\0' ' ' <"$d/cmdline" 2>/dev/null)" || continue
    if [[ "$cmd" == *"$S/"* ]]; then echo "${d#/proc/}"; fi
  done
}

# Every pod's processes: what runs in the kubelet's cgroups.
pod_pids() {
  local f
  for f in /sys/fs/cgroup/*/kubepods; do
    [[ -d "$f" ]] && find "$f" -name cgroup.procs -exec cat {} + 2>/dev/null
  done | sort -u
}

wait_for() { # wait_for SECONDS WHAT COMMAND...  (WHAT: for the reader of the call)
  local secs="$1"; shift 2
  local deadline=$(( $(date +%s) + secs ))
  until "$@" >/dev/null 2>&1; do
    [[ $(date +%s) -lt $deadline ]] || return 1
    sleep 0.2
  done
}

fail_with_log() { # fail_with_log COMPONENT MESSAGE
  local tail=""
  [[ -f "$S/logs/$1.log" ]] && tail="$(tail -n 15 "$S/logs/$1.log")"
  die "$2 (log: $S/logs/$1.log)
$tail"
}

# --- certificates and kubeconfigs ---------------------------------------------------------------

pki() {
  local d="$S/pki" stamp="ip=$NODE_IP name=$NODE_NAME v=2"
  if [[ -f "$d/stamp" && "$(cat "$d/stamp")" == "$stamp" ]]; then return 0; fi
  log "certificates for $NODE_NAME ($NODE_IP)"
  rm -rf "$d.tmp"; mkdir -p "$d.tmp"
  (
    cd "$d.tmp"
    # RSA, as kubeadm makes them: a pod's TLS client may not offer ECDSA signatures (busybox's wget does not)
    key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null; }
    key ca
    openssl req -x509 -new -key ca.key -subj "/CN=pbtnas-node-ca" -days 3650 -out ca.crt \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"
    cert() { # cert NAME CN O USAGE [SAN]
      key "$1"
      local subj="/CN=$2"; [[ -n "$3" ]] && subj="/O=$3/CN=$2"
      {
        echo "basicConstraints=critical,CA:FALSE"
        echo "keyUsage=critical,digitalSignature,keyEncipherment"
        echo "extendedKeyUsage=$4"
        [[ -n "${5:-}" ]] && echo "subjectAltName=$5"
      } >"$1.ext"
      openssl req -new -key "$1.key" -subj "$subj" 2>/dev/null \
        | openssl x509 -req -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile "$1.ext" -out "$1.crt" 2>/dev/null
      rm -f "$1.ext"
    }
    cert apiserver kube-apiserver "" serverAuth \
      "IP:$NODE_IP,IP:$SERVICE_IP,IP:127.0.0.1,DNS:$NODE_NAME,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
    cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters clientAuth
    cert admin pbtnas-admin system:masters clientAuth
    cert kubelet "system:node:$NODE_NAME" system:nodes clientAuth
    cert kubelet-serving "$NODE_NAME" "" serverAuth "IP:$NODE_IP,DNS:$NODE_NAME"
    cert controller-manager system:kube-controller-manager "" clientAuth
    cert scheduler system:kube-scheduler "" clientAuth
    cert kube-proxy system:kube-proxy "" clientAuth
    key sa
    openssl pkey -in sa.key -pubout -out sa.pub 2>/dev/null
    chmod 600 ./*.key
  ) || die "generating certificates with openssl failed"
  echo "$stamp" >"$d.tmp/stamp"
  rm -rf "$d"; mv "$d.tmp" "$d"
}

kubeconfig() { # kubeconfig FILE CERT_NAME
  cat >"$1.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: pbtnas-node
  cluster:
    server: https://$NODE_IP:$API_PORT
    certificate-authority-data: $(base64 -w0 "$S/pki/ca.crt")
users:
- name: $2
  user:
    client-certificate-data: $(base64 -w0 "$S/pki/$2.crt")
    client-key-data: $(base64 -w0 "$S/pki/$2.key")
contexts:
- name: pbtnas-node
  context: {cluster: pbtnas-node, user: $2}
current-context: pbtnas-node
EOF
  mv "$1.tmp" "$1"
}

# --- configuration files -----------------------------------------------------------------------

write_configs() {
  local c="$S/conf"
  mkdir -p "$c" "$S/cni/net.d"
  local n; for n in controller-manager scheduler kubelet kube-proxy; do kubeconfig "$c/$n.kubeconfig" "$n"; done

  cat >"$c/containerd.toml" <<EOF
version = 3
root = "$S/containerd/root"
state = "$S/containerd/state"

[grpc]
  address = "$SOCK"

[plugins.'io.containerd.cri.v1.images']
  snapshotter = "overlayfs"
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = "$SANDBOX_IMAGE"

[plugins.'io.containerd.cri.v1.runtime']
  # no CAP_SYS_RESOURCE here: a container may not lower its oom_score_adj below containerd's
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  [plugins.'io.containerd.cri.v1.runtime'.containerd]
    default_runtime_name = "runc"
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
        BinaryName = "$RUNC"
        Root = "$S/runc"
        SystemdCgroup = false
  # its own config dir: podman may leave a config in /etc/cni/net.d
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ["$CNI_BIN_DIR"]
    conf_dir = "$S/cni/net.d"

[plugins.'io.containerd.grpc.v1.cri']
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
EOF

  cat >"$S/cni/net.d/10-pbtnas.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "pbtnas",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$S/cni/ipam",
        "ranges": [[{"subnet": "$POD_CIDR"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF

  cat >"$c/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: $S/pki/kubelet-serving.crt
tlsPrivateKeyFile: $S/pki/kubelet-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $S/pki/ca.crt}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$SOCK
podLogsDir: $S/pod-logs
# this host: cgroup v1 (hybrid), no systemd, swap allowed, kernel defaults as they are
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
protectKernelDefaults: false
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
# imported images cannot be pulled again: never garbage-collect them, never evict for disk
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
serializeImagePulls: false
EOF

  cat >"$c/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $c/kube-proxy.kubeconfig}
hostnameOverride: $NODE_NAME
mode: iptables
clusterCIDR: $POD_CIDR
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# leave the kernel's conntrack settings alone (no CAP_SYS_RESOURCE / read-only sysctls here)
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
iptables: {localhostNodePorts: false}
# NodePorts on the node's own address only
nodePortAddresses: [primary]
EOF
}

# --- images --------------------------------------------------------------------------------------

ctr() { "$containerd_bin_dir/ctr" --address "$SOCK" -n k8s.io "$@"; }

# docker.io/library/ normalisation, as the CRI plugin resolves a pod's image
normalize() {
  local n="$1" first="${1%%/*}"
  if [[ "$n" != */* ]]; then n="docker.io/library/$n"
  elif [[ "$first" != *.* && "$first" != *:* && "$first" != localhost ]]; then n="docker.io/$n"; fi
  [[ "${n##*/}" == *:* || "$n" == *@* ]] || n="$n:latest"
  echo "$n"
}

has_image() { ctr images ls -q "name==$1" 2>/dev/null | grep -qxF "$1"; }

import_images() {
  local list name archive stamp imported="$S/images.imported" any=false seen=" "
  touch "$imported"
  local lists; IFS=':' read -ra lists <<<"$IMAGE_LISTS"
  for list in "${lists[@]}"; do
    [[ -f "$list" ]] || { log "no image list at $list"; continue; }
    while read -r name archive _; do
      [[ -z "$name" || "$name" == \#* ]] && continue
      [[ "$seen" == *" $name "* ]] && continue
      seen+="$name "
      [[ -f "$archive" ]] || die "image list $list names $archive for $name, but there is no such file: rerun hack/build-images.sh"
      any=true
      local full; full="$(normalize "$name")"
      stamp="$full $archive $(stat -c %s-%Y "$archive")"
      if grep -qxF "$stamp" "$imported" && has_image "$full"; then continue; fi
      local t0 out; t0=$(date +%s)
      out="$(ctr images import --snapshotter overlayfs "$archive" 2>&1)" || die "ctr images import $archive failed: $out"
      if ! has_image "$full"; then
        # the archive names it differently (e.g. without docker.io/): tag what it brought
        local got; got="$(sed -n 's/^unpacking \([^ ]*\) (sha256:.*/\1/p' <<<"$out" | head -1)"
        [[ -n "$got" ]] || die "ctr images import $archive imported no image: $out"
        ctr images tag --force "$got" "$full" >/dev/null
      fi
      awk -v n="$full" '$1 != n' "$imported" >"$imported.tmp"
      echo "$stamp" >>"$imported.tmp"; mv "$imported.tmp" "$imported"
      log "imported $full from $archive in $(( $(date +%s) - t0 ))s"
    done <"$list"
  done
  $any || log "no images imported (PBTNAS_NODE_IMAGES=$IMAGE_LISTS)"
  has_image "$SANDBOX_IMAGE" || die "containerd has no sandbox image $SANDBOX_IMAGE, so no pod can start: run hack/build-images.sh (it builds it and lists it in $cache_root/images/current.txt)"
}

# Removes every container and sandbox from containerd's store (the image store stays), so a new
# cluster does not inherit the previous run's pods.
wipe_containers() {
  local id
  for id in $(ctr tasks ls -q 2>/dev/null); do ctr tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true; done
  for id in $(ctr tasks ls -q 2>/dev/null); do ctr tasks delete -f "$id" >/dev/null 2>&1 || true; done
  for id in $(ctr containers ls -q 2>/dev/null); do ctr containers delete "$id" >/dev/null 2>&1 || true; done
  for id in $(ctr sandboxes ls -q 2>/dev/null); do ctr sandboxes rm -f "$id" >/dev/null 2>&1 || true; done
}

# --- down ------------------------------------------------------------------------------------------

down() {
  mkdir -p "$S"
  stop kube-proxy kubelet kube-scheduler kube-controller-manager
  if alive containerd && [[ -S "$SOCK" ]]; then wipe_containers; fi
  stop kube-apiserver etcd containerd
  # what is left: shims, daemons without a pid file, pod processes
  local p
  for _ in 1 2 3; do
    for p in $(strays) $(pod_pids); do kill -KILL "$p" 2>/dev/null || true; done
    [[ -z "$(strays)$(pod_pids)" ]] && break
    sleep 0.3
  done
  # mounts under the state dir, deepest first (rootfs overlays, netns, kubelet volumes, shm)
  local m
  for m in $(awk -v s="$S/" 'index($5, s) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "cannot unmount $m"
  done
  # never remove files under a mount that is still there (a subPath bind mount is a user's volume)
  m="$(awk -v s="$S/" 'index($5, s) == 1 {print $5}' /proc/self/mountinfo | head -3)"
  [[ -z "$m" ]] || die "still mounted under $S, not removing its state: $m"
  for m in /sys/fs/cgroup/*/kubepods; do [[ -d "$m" ]] && find "$m" -depth -type d -exec rmdir {} + 2>/dev/null || true; done
  ip link del "$BRIDGE" 2>/dev/null || true
  # the kubelet's links to container logs (its directory for them is fixed)
  [[ -d /var/log/containers ]] && find /var/log/containers -maxdepth 1 -lname "$S/*" -delete 2>/dev/null || true
  if iptables -t nat -S KUBE-SERVICES >/dev/null 2>&1; then
    "$node_bin_dir/kube-proxy" --cleanup >/dev/null 2>&1 || true
  fi
  rm -rf --one-file-system "$S/run" "$S/etcd" "$S/kubelet" "$S/pod-logs" "$S/containerd/state" "$S/runc" "$S/cni/ipam" "$S/holders"
  rm -f "$S/dirty" "$SOCK" "$SOCK.ttrpc"
}

# --- status ----------------------------------------------------------------------------------------

api_ready() { "$KUBECTL" --kubeconfig "$ADMIN" get --raw /readyz --request-timeout=2s; }
node_ready() {
  [[ "$("$KUBECTL" --kubeconfig "$ADMIN" get node "$NODE_NAME" --request-timeout=2s \
    -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == True ]]
}
healthy() {
  local c
  for c in "${COMPONENTS[@]}"; do alive "$c" || return 1; done
  [[ -f "$ADMIN" ]] && api_ready >/dev/null 2>&1 && node_ready
}
print_env() {
  echo "NODE_NAME=$NODE_NAME"
  echo "NODE_IP=$NODE_IP"
  echo "KUBECONFIG=$ADMIN"
}

# --- up ----------------------------------------------------------------------------------------------

up() {
  require
  if healthy; then log "already up: $NODE_NAME ($NODE_IP)"; import_images; print_env; return 0; fi
  local t0; t0=$(date +%s.%N)
  [[ -e "$S/run" || -f "$S/dirty" ]] && log "cleaning up what the previous run left"
  down
  mkdir -p "$S/containerd" "$S/logs.prev"
  cp "$S"/logs/*.log "$S/logs.prev/" 2>/dev/null || true
  rm -rf "$S/logs"; mkdir -p "$S/logs" "$S/run" "$S/pod-logs" "$S/kubelet"
  pki
  write_configs
  touch "$S/dirty"
  sysctl -qw net.ipv4.ip_forward=1 >/dev/null 2>&1 || true
  local p="$S/pki"

  start containerd env PATH="$containerd_bin_dir:$PATH" "$containerd_bin_dir/containerd" --config "$S/conf/containerd.toml"
  start etcd "$kube_bin_dir/etcd" --name pbtnas-node --data-dir "$S/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "pbtnas-node=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync --log-level warn
  start kube-apiserver "$kube_bin_dir/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address "$NODE_IP" --advertise-address "$NODE_IP" --secure-port "$API_PORT" \
    --tls-cert-file "$p/apiserver.crt" --tls-private-key-file "$p/apiserver.key" --client-ca-file "$p/ca.crt" \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$p/sa.pub" --service-account-signing-key-file "$p/sa.key" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction --allow-privileged=true \
    --kubelet-client-certificate "$p/apiserver-kubelet-client.crt" --kubelet-client-key "$p/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority "$p/ca.crt" --kubelet-preferred-address-types InternalIP \
    --profiling=false --v=1

  wait_for 30 "containerd's socket" ctr version || fail_with_log containerd "containerd did not start within 30 s"
  if [[ -n "$(ctr containers ls -q 2>/dev/null)" ]]; then
    # a crashed run left containers in the store: remove them, and restart so the CRI plugin forgets them
    wipe_containers; stop containerd
    start containerd env PATH="$containerd_bin_dir:$PATH" "$containerd_bin_dir/containerd" --config "$S/conf/containerd.toml"
    wait_for 30 "containerd's socket" ctr version || fail_with_log containerd "containerd did not restart within 30 s"
  fi
  bash "$here/test-images.sh" >/dev/null
  import_images

  kubeconfig "$ADMIN" admin
  wait_for 60 "the API server" api_ready || fail_with_log kube-apiserver "the API server did not become ready on https://$NODE_IP:$API_PORT within 60 s"

  start kube-controller-manager "$node_bin_dir/kube-controller-manager" \
    --kubeconfig "$S/conf/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$S/conf/controller-manager.kubeconfig" --authorization-kubeconfig "$S/conf/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --use-service-account-credentials=true \
    --service-account-private-key-file "$p/sa.key" --root-ca-file "$p/ca.crt" \
    --service-cluster-ip-range "$SERVICE_CIDR" --v=1
  start kube-scheduler "$node_bin_dir/kube-scheduler" \
    --kubeconfig "$S/conf/scheduler.kubeconfig" \
    --authentication-kubeconfig "$S/conf/scheduler.kubeconfig" --authorization-kubeconfig "$S/conf/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --v=1
  start kubelet "$node_bin_dir/kubelet" --config "$S/conf/kubelet.yaml" --kubeconfig "$S/conf/kubelet.kubeconfig" \
    --root-dir "$S/kubelet" --node-ip "$NODE_IP" --hostname-override "$NODE_NAME" --v=1
  start kube-proxy "$node_bin_dir/kube-proxy" --config "$S/conf/kube-proxy.yaml" --v=1

  wait_for 60 "node $NODE_NAME Ready" node_ready || fail_with_log kubelet "node $NODE_NAME did not become Ready within 60 s"
  local k=("$KUBECTL" --kubeconfig "$ADMIN" --request-timeout=2s)
  wait_for 30 "the default service account" "${k[@]}" -n default get serviceaccount default \
    || fail_with_log kube-controller-manager "no 'default' service account within 30 s (the controller-manager makes it)"
  wait_for 30 "kube-proxy's rules for $SERVICE_IP" sh -c "iptables -t nat -S KUBE-SERVICES 2>/dev/null | grep -q '$SERVICE_IP/32'" \
    || fail_with_log kube-proxy "kube-proxy wrote no iptables rule for the kubernetes service ($SERVICE_IP) within 30 s"
  local c; for c in "${COMPONENTS[@]}"; do alive "$c" || fail_with_log "$c" "$c exited"; done
  log "up in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')s: node $NODE_NAME ($NODE_IP), API server https://$NODE_IP:$API_PORT"
  print_env
}

# --- holders (acquire/release) ---------------------------------------------------------------------

live_holders() {
  local f
  for f in "$S"/holders/*; do
    [[ -e "$f" ]] || continue
    # a name that is not a PID (cli: node.sh up by hand) holds until node.sh down
    if [[ ! "${f##*/}" =~ ^[0-9]+$ ]] || kill -0 "${f##*/}" 2>/dev/null; then echo "${f##*/}"; else rm -f "$f"; fi
  done
}

locked() { # serialises up/down/acquire/release between processes
  mkdir -p "$S"
  exec 9>"$S/.lock"
  flock -w 300 9 || die "another node.sh held $S/.lock for 300 s"
  "$@"
}

acquire() {
  local pid="${1:?acquire needs the holder PID}"
  # a bring-up that fails stops what it started (the logs stay), so nothing half-up holds the ports
  if ! (up); then log "bring-up failed: stopping what it started (logs: $S/logs)"; down; exit 1; fi
  mkdir -p "$S/holders"; touch "$S/holders/$pid"
}

release() {
  local pid="${1:?release needs the holder PID}"
  rm -f "$S/holders/$pid"
  if [[ -z "$(live_holders)" ]]; then log "no process holds the node any more: down"; down; else log "still held by $(live_holders | tr '\n' ' ')"; fi
}

case "${1:-}" in
  up) locked acquire cli ;;
  down) [[ $(id -u) -eq 0 ]] || die "down needs root"; locked down; log "down" ;;
  status) if healthy; then log "up: $NODE_NAME ($NODE_IP)"; else log "not up"; exit 1; fi ;;
  env) print_env ;;
  packages) install_packages ;;
  acquire) locked acquire "${2:-}" ;;
  release) locked release "${2:-}" ;;
  *) echo "usage: $0 up|down|status|env|packages|acquire PID|release PID" >&2; exit 2 ;;
esac
