#!/usr/bin/env bash
# Builds the pbtnas images from their Dockerfiles, the same way for users and CI:
#   pbtnas/operator:<version>       operator/Dockerfile (operator + `pbtnas mix`/`export`), context: repo root
#   pbtnas/trainer:<version>        trainer-image/Dockerfile (CPU, with `pbtnas eval`), context: repo root
#   pbtnas/byo-trainer:<version>    examples/byo-trainer/Dockerfile (PyTorch example), context: its directory
#   pbtnas/trainer:<version>-cuda   trainer-image/Dockerfile.cuda, only with --cuda (needs Docker and a registry)
#   the pod sandbox ("pause") image: Debian's static catatonit in a scratch image, only without Docker
#     (a node built here has no registry to pull it from), under the names in PAUSE_IMAGES below.
#
# With a Docker engine: `docker build`. Without one (CI): buildah from Debian packages. The Dockerfiles'
# base image (debian:bookworm-slim, every FROM here) is then made with mmdebstrap from this machine's own
# apt sources, committed with `buildah from scratch` + `add` + `commit` under the FROM name, and the
# images are built with `buildah bud --pull=never --isolation chroot`. Setup is idempotent: missing
# tools are installed with apt-get (root) or named (not root).
#
# The uid every image runs as is helm/pbtnas/values.yaml's trainerPods.runAsUser, the one place it is
# set: this script passes it to every Dockerfile as --build-arg PBTNAS_UID.
#
# Contract with test-env (the node imports these archives with `ctr -n k8s.io images import FILE`):
#   - each image is exported as a docker-archive under ${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/images/,
#     named <image>-<key>.tar, where <key> hashes the image's inputs (Dockerfile, context files, base
#     image key, uid); an archive that exists is not rebuilt;
#   - the archive carries the image name the chart and examples use (pbtnas/operator:0.1.0, ...);
#   - images/current.txt lists, for the current tree, one line per image: `<image-name> <absolute archive path>`
#     (written to a temp file, then renamed); the same lines are printed on stdout at the end.
#
# Measured on the 2-core CI machine (docs/install.md, "Images", has the sizes): cold 284 s (mmdebstrap
# 64 s, operator 26 s, trainer 38 s, BYO trainer 131 s), cached 0.4 s with --skip-maven. The class-data
# archive steps (pbtnas-cds-archive) add about 47 s to the operator and 19 s to the trainer (load 8).
# Usage: hack/build-images.sh [--kind CLUSTER] [--cuda] [--skip-maven] [--no-byo]
set -euo pipefail
shopt -s inherit_errexit  # a failure inside $(...) fails the script too
{ # read whole before it runs, so editing this file during a build cannot change the running build
cd "$(dirname "$0")/.."
repo=$(pwd)

version="0.1.0"
base_image="debian:bookworm-slim"
# The pod sandbox image names: containerd v2.4's default sandbox image and kubeadm 1.36's pause
# version (3.10.2), and 3.10 for nodes configured with that name.
PAUSE_IMAGES=("registry.k8s.io/pause:3.10.2" "registry.k8s.io/pause:3.10")
cache="${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/images"

kind_cluster="" cuda=false maven=true byo=true
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kind) kind_cluster="${2:?--kind needs a cluster name}"; shift 2 ;;
    --cuda) cuda=true; shift ;;
    --skip-maven) maven=false; shift ;;
    --no-byo) byo=false; shift ;;
    *) echo "build-images: unknown argument '$1' (known: --kind CLUSTER, --cuda, --skip-maven, --no-byo)" >&2; exit 2 ;;
  esac
done

log() { printf 'build-images: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.0f MiB", b / 1048576 }'; }

uid=$(awk '/^trainerPods:/ { t = 1; next } /^[^ #]/ { t = 0 } t && $1 == "runAsUser:" { print $2; exit }' \
  helm/pbtnas/values.yaml)
[[ "$uid" =~ ^[1-9][0-9]*$ ]] \
  || die "helm/pbtnas/values.yaml: trainerPods.runAsUser must be a positive integer (found '${uid}')"

if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  engine=docker
else
  engine=buildah
fi
if $cuda && [[ $engine != docker ]]; then
  die "--cuda needs a Docker engine and a registry (its base image is nvidia/cuda); none is here"
fi

# Idempotent setup: the Debian packages the buildah path uses.
setup_buildah() {
  local need=()
  command -v buildah >/dev/null || need+=(buildah)
  command -v mmdebstrap >/dev/null || need+=(mmdebstrap)
  [[ -x /usr/bin/catatonit ]] || need+=(catatonit)
  command -v runc >/dev/null || need+=(runc)
  command -v python3 >/dev/null || need+=(python3)
  [[ ${#need[@]} -eq 0 ]] && return
  if [[ $(id -u) -ne 0 ]]; then
    die "missing ${need[*]}: run 'sudo apt-get install -y ${need[*]}' (or install Docker) and retry"
  fi
  log "installing ${need[*]} with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >/dev/null \
    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
}
[[ $engine == buildah ]] && setup_buildah
command -v python3 >/dev/null || die "needs python3 (to hash the images' inputs)"
mkdir -p "$cache"

t_total=$(now)
if $maven; then
  t=$(now)
  DJL_OFFLINE=true ./mvnw -B -ntp -q package -DskipTests -pl operator,cli,trainer-image -am
  log "maven package: $(since "$t") s"
fi

# Hash of files (paths relative to $1, contents), stable across checkouts and machines. A jar counts by
# its entries (name, CRC, size), not its bytes: Maven stamps entries with the build time, so every
# `mvnw package` would otherwise look like new inputs. Quarkus's generated-bytecode.jar is left out: it
# differs from build to build of the same sources (recorder class order), and it is derived from the
# operator's app/ and lib/ jars, which are hashed.
hash_tree() {
  local dir=$1; shift
  (cd "$dir" && python3 - "$@" <<'PY'
import hashlib, os, sys, zipfile
h = hashlib.sha256()
files = []
for top in sys.argv[1:]:
    if os.path.isfile(top):
        files.append(top)
    for root, _, names in os.walk(top):
        files.extend(os.path.join(root, n) for n in names)
for f in sorted(files):
    if os.path.basename(f) == "generated-bytecode.jar":
        continue
    h.update(f.encode() + b"\0")
    if f.endswith(".jar"):
        with zipfile.ZipFile(f) as z:
            for i in sorted(z.infolist(), key=lambda i: i.filename):
                h.update(f"{i.filename} {i.CRC} {i.file_size}\n".encode())
    else:
        with open(f, "rb") as fh:
            h.update(hashlib.sha256(fh.read()).digest())
print(h.hexdigest()[:16])
PY
  )
}

# --- base image (buildah only; Docker pulls it) ----------------------------------------------------------
apt_sources() {
  local f
  for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
    [[ -s $f ]] && { echo "$f"; return; }
  done
  die "no apt sources file (/etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list) to build $base_image from"
}
# Slim like the Debian images: no man pages, docs or translations, and apt keeps no downloaded .debs
# (they would stay in the layer of every RUN apt-get install). openjdk's postinst registers a man page
# alternative, which fails without the directory, so the hook creates it.
mmdebstrap_args=(--variant=apt --format=tar
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-exclude=/usr/share/info/*'
  --customize-hook='mkdir -p "$1/usr/share/man/man1"'
  --customize-hook='echo "APT::Keep-Downloaded-Packages \"false\";" > "$1/etc/apt/apt.conf.d/90pbtnas-no-debs"')
base_key() {
  local sources; sources=$(apt_sources)
  { printf '%s\n' "${mmdebstrap_args[@]}" bookworm; cat "$sources"; } | sha256sum | cut -c1-16
}
has_image() { buildah inspect --type image "$1" >/dev/null 2>&1; }
label_of() { buildah inspect --type image --format "{{ index .OCIv1.Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }

ensure_base() {
  local key rootfs t ctr
  key=$(base_key)
  if has_image "$base_image" && [[ $(label_of "$base_image" io.pbtnas.base-key) == "$key" ]]; then
    echo "$key"; return
  fi
  rootfs="$cache/base-debian-bookworm-$key.tar"
  if [[ ! -s $rootfs ]]; then
    t=$(now)
    log "making $base_image with mmdebstrap from $(apt_sources)"
    rm -f "$rootfs.tmp"
    SOURCE_DATE_EPOCH=0 mmdebstrap "${mmdebstrap_args[@]}" bookworm "$rootfs.tmp" "$(apt_sources)" >&2 \
      || die "mmdebstrap failed (see above); nothing was committed as $base_image"
    mv "$rootfs.tmp" "$rootfs"
    log "base rootfs: $(since "$t") s, $(mib "$(stat -c %s "$rootfs")")"
  fi
  ctr=$(buildah from scratch)
  buildah add --quiet "$ctr" "$rootfs" / >/dev/null
  buildah config --cmd /bin/bash --env LANG=C.UTF-8 --label "io.pbtnas.base-key=$key" "$ctr"
  buildah commit --quiet --rm "$ctr" "$base_image" >/dev/null
  echo "$key"
}

# --- one image: build unless its archive exists, export, record ------------------------------------------
declare -a current=()
report=()
build_image() { # name dockerfile context base-key input-paths...
  local name=$1 dockerfile=$2 context=$3 bkey=$4; shift 4
  local key archive t size
  key=$( { cat "$dockerfile"; [[ -f $context/.dockerignore ]] && cat "$context/.dockerignore";
           echo "uid=$uid base=$bkey engine=$engine"; hash_tree "$context" "$@"; } | sha256sum | cut -c1-16)
  archive="$cache/$(echo "${name}" | tr '/:' '--')-$key.tar"
  if [[ -s $archive ]]; then
    report+=("$(printf '%-28s cached      %s' "$name" "$(mib "$(stat -c %s "$archive")")")")
  else
    t=$(now)
    log "building $name ($dockerfile, context $context)"
    if [[ $engine == docker ]]; then
      docker build -f "$dockerfile" --build-arg "PBTNAS_UID=$uid" -t "$name" "$context" >&2
      docker save -o "$archive.tmp" "$name"
    else
      buildah bud --pull=never --isolation chroot --layers -f "$dockerfile" --build-arg "PBTNAS_UID=$uid" \
        "${host_ca[@]}" -t "$name" "$context" >&2
      rm -f "$archive.tmp"
      buildah push --quiet "$name" "docker-archive:$archive.tmp:$name" >&2
    fi
    mv "$archive.tmp" "$archive"
    report+=("$(printf '%-28s built %6ss %s' "$name" "$(since "$t")" "$(mib "$(stat -c %s "$archive")")")")
  fi
  current+=("$name $archive")
}

build_pause() {
  local key archive t ctr name
  key=$( { stat -c %s /usr/bin/catatonit; sha256sum < /usr/bin/catatonit; } | sha256sum | cut -c1-16)
  for name in "${PAUSE_IMAGES[@]}"; do
    archive="$cache/pause-$(echo "${name##*:}")-$key.tar"
    if [[ ! -s $archive ]]; then
      t=$(now)
      ctr=$(buildah from scratch)
      buildah copy --quiet "$ctr" /usr/bin/catatonit /pause >/dev/null
      # catatonit -P: pause mode, the pod sandbox's only job (hold the namespaces, reap nothing).
      buildah config --entrypoint '["/pause", "-P"]' --user 65535:65535 "$ctr"
      buildah commit --quiet --rm "$ctr" "$name" >/dev/null
      rm -f "$archive.tmp"
      buildah push --quiet "$name" "docker-archive:$archive.tmp:$name" >&2
      mv "$archive.tmp" "$archive"
      report+=("$(printf '%-28s built %6ss %s' "$name" "$(since "$t")" "$(mib "$(stat -c %s "$archive")")")")
    else
      report+=("$(printf '%-28s cached      %s' "$name" "$(mib "$(stat -c %s "$archive")")")")
    fi
    current+=("$name $archive")
  done
}

# RUN steps that fetch from a package registry over TLS (pip in the BYO image) trust what this machine
# trusts: its CA bundle is mounted read-only where those Dockerfiles look (a machine behind a TLS-inspecting
# proxy has that proxy's CA only there). Not part of the image; with Docker the RUN steps use the image's own.
host_ca=()
[[ -s /etc/ssl/certs/ca-certificates.crt ]] \
  && host_ca=(--volume /etc/ssl/certs/ca-certificates.crt:/run/host-ca-certificates.crt:ro)

bkey=docker
[[ $engine == buildah ]] && bkey=$(ensure_base)

build_image "pbtnas/operator:$version" operator/Dockerfile . "$bkey" \
  operator/target/quarkus-app operator/image cli/target/operator-lib cli/target/pbtnas-cli-0.1.0-SNAPSHOT.jar
build_image "pbtnas/trainer:$version" trainer-image/Dockerfile . "$bkey" \
  cli/target/lib cli/target/pbtnas-cli-0.1.0-SNAPSHOT.jar trainer-image/image
if $byo; then
  build_image "pbtnas/byo-trainer:$version" examples/byo-trainer/Dockerfile examples/byo-trainer "$bkey" train.py
fi
if $cuda; then
  build_image "pbtnas/trainer:$version-cuda" trainer-image/Dockerfile.cuda . "$bkey" \
    cli/target/lib cli/target/pbtnas-cli-0.1.0-SNAPSHOT.jar trainer-image/image
fi
[[ $engine == buildah ]] && build_pause

printf '%s\n' "${current[@]}" > "$cache/current.txt.tmp"
mv "$cache/current.txt.tmp" "$cache/current.txt"
# Older archives of these images (other keys) are dropped: each is hundreds of MiB.
for line in "${current[@]}"; do
  keep=${line#* } stem=${keep%-*}
  for old in "$stem"-????????????????.tar; do
    [[ -e $old && $old != "$keep" ]] && rm -f "$old"
  done
done

if [[ -n "$kind_cluster" ]]; then
  [[ $engine == docker ]] || die "--kind needs Docker (kind loads images from the Docker engine)"
  for line in "${current[@]}"; do
    kind load docker-image "${line%% *}" --name "$kind_cluster"
  done
fi

log "engine $engine, uid $uid, total $(since "$t_total") s; archive sizes:"
printf '  %s\n' "${report[@]}" >&2
printf '%s\n' "${current[@]}"
exit 0
}
