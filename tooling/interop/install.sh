#!/usr/bin/env bash
# Installs the real OpenClaw CLI (npm `openclaw@2026.9.6`) and the Node 24 it needs
# (npm `node@24`) into a cache folder OUTSIDE the repo, then prints their paths. Also makes
# sure tmux is there for run-tui-interop.mjs (Debian's package, with apt-get, when root).
#
#   bash tooling/interop/install.sh            # install if missing, print paths
#   eval "$(bash tooling/interop/install.sh)"  # set them as shell variables
#
# Cache folder: ${OPENCLAW_INTEROP_CACHE:-$HOME/.cache/openclaw-interop}. Re-runs are
# no-ops once a part is installed (each part writes a stamp file when it is complete;
# a part without a stamp is wiped and installed again).
#
# Only the paths go to stdout (as KEY=VALUE lines); progress goes to stderr.
set -euo pipefail

CACHE="${OPENCLAW_INTEROP_CACHE:-$HOME/.cache/openclaw-interop}"
OPENCLAW_VERSION="${OPENCLAW_INTEROP_OPENCLAW_VERSION:-2026.9.6}"
# openclaw 2026.9.6 declares engines.node ">=24.16.0 <25 || >=26.1.0".
NODE_SPEC="${OPENCLAW_INTEROP_NODE_SPEC:-24}"
NODE_MIN_MINOR=16

OPENCLAW_DIR="$CACHE/openclaw-$OPENCLAW_VERSION"
NODE_BIN="$CACHE/node24/node_modules/node/bin/node"
OPENCLAW_CLI="$OPENCLAW_DIR/node_modules/openclaw/openclaw.mjs"
WS_DIR="$OPENCLAW_DIR/node_modules/ws"
STAMP=".interop-install-complete"

log() { printf '[interop-install] %s\n' "$*" >&2; }

# The user-level ~/.npmrc on these machines sets nodedir=/usr, which npm 11 only warns
# about; nothing here compiles native code, so keep the noise out of the log.
npm_quiet() { npm --no-audit --no-fund --loglevel=error "$@"; }

# Node 24 is installed (or found) by the same script CI uses for its Node 22/24 test passes.
install_node() {
  OPENCLAW_INTEROP_CACHE="$CACHE" bash "$(dirname "${BASH_SOURCE[0]}")/../ci/install-node.sh" 24 "$NODE_MIN_MINOR" "$NODE_SPEC" >/dev/null
}

openclaw_is_usable() {
  [[ -f "$OPENCLAW_CLI" && -f "$WS_DIR/package.json" ]] || return 1
  # An empty HOME, so the check never reads a developer's ~/.openclaw.
  local version home rc=0
  home="$(mktemp -d)"
  version="$(HOME="$home" "$NODE_BIN" "$OPENCLAW_CLI" --version 2>/dev/null)" || rc=$?
  rm -rf "$home"
  (( rc == 0 )) && [[ "$version" == *"$OPENCLAW_VERSION"* ]]
}

install_openclaw() {
  if [[ -f "$OPENCLAW_DIR/$STAMP" ]] && openclaw_is_usable; then
    log "openclaw $OPENCLAW_VERSION already in $OPENCLAW_DIR"
    return
  fi
  log "installing openclaw@$OPENCLAW_VERSION into $OPENCLAW_DIR"
  rm -rf "$OPENCLAW_DIR"
  mkdir -p "$OPENCLAW_DIR"
  # Install scripts in this tree (2026.9.6): openclaw's own postinstall finishes the
  # package lifecycle (prunes stale dist files, checks the fs-safe prebuild, removes
  # .openclaw-lifecycle-pending); without it the first CLI launch does the same work
  # lazily, which we'd rather not race. The rest are not needed by the CLI or by
  # `gateway run`: koffi would try a source build (FFI, unused here), protobufjs only
  # checks versions, @google/genai's preinstall is a no-op echo.
  cat >"$OPENCLAW_DIR/package.json" <<'JSON'
{
  "name": "openclaw-interop-cli",
  "private": true,
  "allowScripts": {
    "openclaw": true,
    "koffi": false,
    "protobufjs": false,
    "@google/genai": false
  }
}
JSON
  # npm runs on Node 24 here (first on PATH), so openclaw's postinstall runs on the
  # Node it supports and npm raises no engines warning.
  (cd "$OPENCLAW_DIR" &&
    PATH="$(dirname "$NODE_BIN"):$PATH" npm_quiet install --strict-allow-scripts \
      "openclaw@$OPENCLAW_VERSION" >&2)
  if [[ -e "$OPENCLAW_DIR/node_modules/openclaw/.openclaw-lifecycle-pending" ]]; then
    log "openclaw postinstall did not complete (lifecycle marker still present)"
    exit 1
  fi
  if ! openclaw_is_usable; then
    log "openclaw CLI does not report version $OPENCLAW_VERSION: $OPENCLAW_CLI"
    exit 1
  fi
  touch "$OPENCLAW_DIR/$STAMP"
  log "openclaw $OPENCLAW_VERSION installed"
}

# run-tui-interop.mjs drives `openclaw tui` inside tmux. Without it only that runner fails
# (it says why), so a failed apt-get is reported here but does not stop the install.
install_tmux() {
  if command -v tmux >/dev/null 2>&1; then
    log "$(tmux -V) already installed"
    return
  fi
  if [[ "$(id -u)" -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    log "tmux is missing and only root can apt-get it here; run: sudo apt-get install -y tmux"
    return
  fi
  log "installing tmux (apt-get install -y tmux)"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh image may have empty package lists; update only when the first try fails.
  if ! apt-get install -y -qq --no-install-recommends tmux >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 || true
    if ! apt-get install -y -qq --no-install-recommends tmux >/dev/null; then
      log "apt-get install tmux failed; run-tui-interop.mjs will not run"
      return
    fi
  fi
  log "$(tmux -V) installed"
}

started=$SECONDS
mkdir -p "$CACHE"
install_node
install_openclaw
install_tmux
log "done in $((SECONDS - started))s"

# Shell-quoted so `eval "$(install.sh)"` works even if the cache path has spaces.
printf 'OPENCLAW_INTEROP_CACHE=%q\n' "$CACHE"
printf 'OPENCLAW_INTEROP_NODE=%q\n' "$NODE_BIN"
printf 'OPENCLAW_INTEROP_CLI=%q\n' "$OPENCLAW_CLI"
printf 'OPENCLAW_INTEROP_WS=%q\n' "$WS_DIR"
