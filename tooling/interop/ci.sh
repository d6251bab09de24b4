#!/usr/bin/env bash
# Interop CI: installs the real OpenClaw 2026.9.6 CLI (cached, see install.sh), then runs
# both interop runners against our gateway (apps/gateway/dist/cli.js, so `pnpm build` first):
#   - run-cli-interop.mjs       the real CLI's five read-only commands
#   - run-handshake-errors.mjs  the 21 cases of fixtures/openclaw-2026.9.6/handshake-errors.txt
# and ends with one combined `N passed, N failed` line.
#
#   bash tooling/interop/ci.sh [--verbose]      # extra arguments go to both runners
#
# Exit code: 0 all passed, 1 a check failed, 2 setup failed (no build, install failed,
# gateway did not start).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

GATEWAY_CMD="node apps/gateway/dist/cli.js gateway run"

if [[ ! -f apps/gateway/dist/cli.js ]]; then
  echo "apps/gateway/dist/cli.js not found; run: pnpm build" >&2
  echo "0 passed, 0 failed"
  exit 2
fi

bash tooling/interop/install.sh >/dev/null

total_passed=0
total_failed=0
status=0
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

for runner in run-cli-interop.mjs run-handshake-errors.mjs; do
  echo "# $runner"
  rc=0
  node "tooling/interop/$runner" --gateway-cmd "$GATEWAY_CMD" "$@" 2>&1 | tee "$out" || rc=$?
  summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1 || true)"
  if [[ -n "$summary" ]]; then
    read -r passed _ failed _ <<<"$summary"
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
  else
    # Setup failed before any check ran (the runner printed why); count it as one failure.
    total_failed=$((total_failed + 1))
  fi
  if ((rc != 0)); then
    echo "# $runner exited with $rc"
    if ((rc == 2 || status == 0)); then status=$rc; fi
  fi
done

echo "$total_passed passed, $total_failed failed"
exit "$status"
