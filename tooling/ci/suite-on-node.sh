#!/usr/bin/env bash
# Runs the README's test command under Node 24, in a copy of this checkout, so the Node 20
# install (whose native modules are built for Node 20's ABI) stays as it is.
#
#   bash tooling/ci/suite-on-node24.sh
#
# Node 24 comes from npm `node@24` (installed by tooling/interop/install.sh into the cache
# folder outside the repo). Its package ships the headers, so better-sqlite3 builds against
# them (npm_config_nodedir). The copy holds the committed files only (`git clone`), like CI's
# clean checkout; it is removed afterwards.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo="$PWD"

eval "$(bash tooling/interop/install.sh)"
node24_bin="$(dirname "$OPENCLAW_INTEROP_NODE")"
node24_home="$(dirname "$(dirname "$OPENCLAW_INTEROP_NODE")")"
headers="$(ls -d "$node24_home"/node_modules/node-linux-* 2>/dev/null | head -n 1)"
if [[ -z "$headers" || ! -f "$headers/include/node/node_api.h" ]]; then
  echo "node@24's headers were not found under $node24_home (expected node_modules/node-linux-*/include/node)" >&2
  exit 2
fi

copy="$(mktemp -d "${TMPDIR:-/tmp}/openclaw-node24-XXXXXX")"
trap 'rm -rf "$copy"' EXIT
git clone --quiet --no-hardlinks "$repo" "$copy/repo"
cd "$copy/repo"

test_command="$(awk -v marker="<!-- test-command -->" '$0 == marker { found = 1; next } found && /^```/ { if (inside) exit; inside = 1; next } inside { print; exit }' README.md)"
# The README's command installs pnpm globally with npm; on Node 24 that is this Node's npm.
export PATH="$node24_bin:$PATH"
export npm_config_nodedir="$headers"
echo "== README test command on $(node -v) (headers: $headers): $test_command"
# The command sets npm_config_nodedir=/usr for Node 20; for Node 24 the headers must be node@24's.
bash -c "${test_command//npm_config_nodedir=\/usr/npm_config_nodedir=$headers}"
