#!/usr/bin/env bash
# Runs the README's test command under another Node major, in a clone of this checkout, so this
# checkout's install (its native modules built for the Node on PATH) stays as it is:
#
#   bash tooling/ci/suite-on-node.sh 24                                          # the whole suite
#   bash tooling/ci/suite-on-node.sh 22 --project gateway-core --project gateway # install, build, these projects
#
# Node comes from npm `node@<major>` (tooling/ci/install-node.sh, cached outside the repo). Its
# package ships the headers, so better-sqlite3 builds against them: the command's
# `npm_config_nodedir=/usr` (Node 20's headers) is swapped for them. With vitest arguments, the
# command's final `pnpm test` becomes `pnpm exec vitest run <arguments>`. The clone holds the
# committed files only (`git clone`), like CI's clean checkout; it is removed afterwards.
#
# Prints `node<major>: N passed, N failed, N skipped` (from vitest's JSON report when CI is set,
# as .ci/run sets it) and copies that report to .ci-results/vitest-node<major>.json here.
# Exit status: the test command's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo="$PWD"
major="${1:?usage: suite-on-node.sh <major> [vitest arguments]}"
shift

eval "$(bash tooling/ci/install-node.sh "$major")"

copy="$(mktemp -d "${TMPDIR:-/tmp}/openclaw-node$major-XXXXXX")"
trap 'rm -rf "$copy"' EXIT
git clone --quiet --no-hardlinks "$repo" "$copy/repo"
cd "$copy/repo"

test_command="$(awk -v marker="<!-- test-command -->" '$0 == marker { found = 1; next } found && /^```/ { if (inside) exit; inside = 1; next } inside { print; exit }' README.md)"
if [[ "$test_command" != *"npm_config_nodedir=/usr "* ]]; then
  echo "README's test command no longer sets npm_config_nodedir=/usr: $test_command" >&2
  exit 2
fi
test_command="${test_command//npm_config_nodedir=\/usr /npm_config_nodedir=$NODE_HEADERS }"
if [[ $# -gt 0 ]]; then
  if [[ "$test_command" != *" && pnpm test" ]]; then
    echo "README's test command does not end with \`pnpm test\`: $test_command" >&2
    exit 2
  fi
  test_command="${test_command% && pnpm test} && pnpm exec vitest run $*"
fi
# The README's command installs pnpm globally with npm; with this Node first on PATH, that is into
# this Node's own prefix in the cache folder.
export PATH="$(dirname "$NODE_BIN"):$PATH"
echo "== on $(node -v): $test_command"
status=0
bash -c "$test_command" || status=$?

report=.ci-results/vitest.json
if [[ -f "$report" ]]; then
  mkdir -p "$repo/.ci-results"
  cp "$report" "$repo/.ci-results/vitest-node$major.json"
  node -e '
    const r = require(process.argv[1]);
    console.log(`node${process.argv[2]}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
  ' "$PWD/$report" "$major"
fi
exit "$status"
