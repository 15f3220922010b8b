#!/usr/bin/env bash
# Small images for the real node's tests, put together by hand with tar (no image builder):
#   pbtnas-test/busybox:1   Debian's static busybox and openssl (with its libraries): a probe for tests
#                           that need a shell in a pod, e.g. an HTTPS call to the API server with the
#                           pod's token (busybox's wget speaks TLS through `openssl s_client`; its own
#                           TLS client shares no cipher suite with the API server).
#                           Listed in images/test-env.txt; node.sh up makes it.
#   --pause: TEST-ONLY registry.k8s.io/pause:3.10.2 (and :3.10), Debian's static catatonit as /pause -P,
#            listed in images/test-pause.txt. hack/build-images.sh builds the real pause image into
#            images/current.txt; node.sh prefers that one whenever both are there.
# Lists: ${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/images/*.txt, lines `<image-name> <archive>`
# (the format of images/current.txt). Idempotent: an archive is rebuilt only when its binary changed.
set -euo pipefail

cache="${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/images"
mkdir -p "$cache"
pause=false
[[ "${1:-}" == --pause ]] && pause=true
need() { [[ -x "$1" ]] || { echo "test-images: $1 is missing: apt-get install $2" >&2; exit 1; }; }

# archive OUT NAME... : the image's root from $root, its entrypoint (JSON) from $entrypoint, user from $user
archive() {
  local out="$1"; shift
  [[ -f "$out" ]] && return 0
  local w; w="$(mktemp -d)"
  tar -C "$root" --owner=0 --group=0 --numeric-owner --mtime=@0 --sort=name -cf "$w/layer.tar" .
  local diff; diff="$(sha256sum "$w/layer.tar" | cut -d' ' -f1)"
  mkdir "$w/$diff"; mv "$w/layer.tar" "$w/$diff/layer.tar"
  printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin:/usr/bin"],"Entrypoint":%s,"User":"%s","WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$entrypoint" "$user" "$diff" >"$w/config.json"
  local cfg; cfg="$(sha256sum "$w/config.json" | cut -d' ' -f1)"
  mv "$w/config.json" "$w/$cfg.json"
  local tags; tags="$(printf '"%s",' "$@")"
  printf '[{"Config":"%s.json","RepoTags":[%s],"Layers":["%s/layer.tar"]}]' "$cfg" "${tags%,}" "$diff" >"$w/manifest.json"
  tar -C "$w" --owner=0 --group=0 --numeric-owner -cf "$out.tmp" manifest.json "$cfg.json" "$diff"
  mv "$out.tmp" "$out"
  rm -rf "$w"
}

key() { sha256sum "$1" | cut -c1-12; }
write_list() { # write_list FILE LINE...
  local f="$1"; shift
  printf '%s\n' "$@" >"$f.tmp"
  mv "$f.tmp" "$f"
  echo "$f"
}

need /bin/busybox busybox-static
need /usr/bin/openssl openssl
root="$(mktemp -d)"; mkdir -p "$root/bin" "$root/usr/bin" "$root/tmp"; chmod 1777 "$root/tmp"; cp /bin/busybox "$root/bin/busybox"
for a in sh cat echo sleep wget ls id hostname printf; do ln -s busybox "$root/bin/$a"; done
cp /usr/bin/openssl "$root/usr/bin/openssl"
libs="$(ldd /usr/bin/openssl | awk '$2 == "=>" {print $3} $1 ~ /^\// {print $1}')"
for l in $libs; do mkdir -p "$root$(dirname "$l")"; cp -L "$l" "$root$l"; done
entrypoint='["/bin/sh"]'; user="0:0"
busybox="$cache/test-busybox-$( { cat /bin/busybox /usr/bin/openssl $libs; } | sha256sum | cut -c1-12).tar"
archive "$busybox" pbtnas-test/busybox:1
rm -rf "$root"
find "$cache" -maxdepth 1 -name "test-busybox-*.tar" ! -path "$busybox" -delete
write_list "$cache/test-env.txt" "pbtnas-test/busybox:1 $busybox"

if $pause; then
  need /usr/bin/catatonit catatonit
  root="$(mktemp -d)"; cp /usr/bin/catatonit "$root/pause"; entrypoint='["/pause","-P"]'; user="65535:65535"
  pause_tar="$cache/test-pause-$(key /usr/bin/catatonit).tar"
  archive "$pause_tar" registry.k8s.io/pause:3.10.2 registry.k8s.io/pause:3.10
  rm -rf "$root"
  write_list "$cache/test-pause.txt" "registry.k8s.io/pause:3.10.2 $pause_tar" "registry.k8s.io/pause:3.10 $pause_tar"
fi
