#!/usr/bin/env bash
# Builds argocd-lua (test-env/argocd-lua/main.go): an Argo CD health script runner on gopher-lua, the
# Lua 5.1 interpreter Argo CD runs resource health customizations with, at GOPHER_LUA_VERSION
# (versions.env). deploy-tests' ArgoCdHealthTest runs docs/health/pbtnassearch.lua with it.
#
# Cache:  ${PBTNAS_CACHE_DIR:-$HOME/.cache/pbtnas}/argocd-lua/v<gopher-lua>/argocd-lua
#         (with source.sha256: a changed main.go is a cache miss)
# Published by one rename after the binary ran a script, so an interrupted build leaves no half cache.
# Called by build.sh. Last line of output: ARGOCD_LUA=<binary>
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
: "${GOPHER_LUA_VERSION:?missing in test-env/versions.env}"
# shellcheck source=lib.sh
source "$here/lib.sh"
find_go

dir="$cache_root/argocd-lua/v${GOPHER_LUA_VERSION}"
src="$here/argocd-lua/main.go"
sum="$(sha256sum "$src" | cut -d' ' -f1)"

# A runner that runs a script and reads its table back is a cache hit; anything less is rebuilt.
smoke() {
  local bin="$1" t; t="$(mktemp -d)"
  printf 'return {status = "Healthy", message = obj.metadata.name}\n' >"$t/h.lua"
  printf '{"metadata": {"name": "smoke"}}\n' >"$t/o.json"
  local out; out="$("$bin" "$t/h.lua" "$t/o.json" 2>&1 || true)"
  rm -rf "$t"
  [[ "$out" == '{"status":"Healthy","message":"smoke"}' ]]
}

start=$(date +%s)
if [[ -x "$dir/argocd-lua" && "$(cat "$dir/source.sha256" 2>/dev/null)" == "$sum" ]] && smoke "$dir/argocd-lua"; then
  log "cached: $dir/argocd-lua"
else
  mkdir -p "$cache_root/argocd-lua"
  work="$(mktemp -d "$cache_root/argocd-lua/build.XXXXXX")"
  trap "rm -rf '$work'" EXIT
  mkdir -p "$work/src" "$work/out"
  cp "$src" "$work/src/main.go"
  printf 'module pbtnas.test/argocd-lua\n\ngo 1.24\n\nrequire github.com/yuin/gopher-lua v%s\n' "$GOPHER_LUA_VERSION" >"$work/src/go.mod"
  log "compiling argocd-lua with gopher-lua v$GOPHER_LUA_VERSION"
  (cd "$work/src" && "$GO" mod tidy && "$GO" build -trimpath -ldflags="-s -w" -o "$work/out/argocd-lua" .) \
    || die "building argocd-lua (gopher-lua v$GOPHER_LUA_VERSION) failed (see above)"
  smoke "$work/out/argocd-lua" || die "the built argocd-lua does not run a health script"
  echo "$sum" >"$work/out/source.sha256"
  publish "$work/out" "$dir"
  log "built in $(( $(date +%s) - start ))s: $dir/argocd-lua"
fi
echo "ARGOCD_LUA=$dir/argocd-lua"
