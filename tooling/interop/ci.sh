#!/usr/bin/env bash
# Interop CI: installs the real OpenClaw 2026.9.6 CLI (cached, see install.sh), then runs
# the interop runners against our gateway (apps/gateway/dist/cli.js and the SDK's
# packages/client/dist, so `pnpm build` first):
#   - run-cli-interop.mjs       the real CLI's read-only commands (+ `agent`)
#   - run-handshake-errors.mjs  the 21 cases of fixtures/openclaw-2026.9.6/handshake-errors.txt
#   - run-node-interop.mjs      the real `openclaw node run` host: connect, node.list, approve, node.invoke
#   - run-tui-interop.mjs       the real `openclaw tui` in tmux: connect, a reply, /new, /think, /status, /reset, /exit
#   - run-sdk-interop.mjs       our SDK: device identity, hello-ok, health, status, device token, tick
#   - run-conformance.mjs       the conformance kit against our gateway and the real one side by side;
#                               a difference not in conformance-expected.json fails (docs/CONFORMANCE.md)
# and ends with one combined `N passed, N failed` line. install.sh also installs tmux (apt) when missing.
#
# run-sdk-interop.mjs spends ~30 s waiting for the gateway's first `tick` (both gateways tick
# every 30 s and `gateway run` has no flag to change it), so it runs in the background while
# the other five run one after the other; its output is printed when it is done.
#
#   bash tooling/interop/ci.sh [--verbose]      # extra arguments go to every runner
#
# Exit code: 0 all passed, 1 a check failed, 2 setup failed (no build, install failed,
# gateway did not start).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

GATEWAY_CMD="node apps/gateway/dist/cli.js gateway run"
BACKGROUND_RUNNER=run-sdk-interop.mjs
FOREGROUND_RUNNERS=(run-cli-interop.mjs run-handshake-errors.mjs run-node-interop.mjs run-tui-interop.mjs run-conformance.mjs)

for built in apps/gateway/dist/cli.js packages/client/dist/node.js; do
  if [[ ! -f "$built" ]]; then
    echo "$built not found; run: pnpm build" >&2
    echo "0 passed, 0 failed"
    exit 2
  fi
done

bash tooling/interop/install.sh >/dev/null

total_passed=0
total_failed=0
status=0
tmp="$(mktemp -d)"
background_pid=""
cleanup() {
  if [[ -n "$background_pid" ]] && kill -0 "$background_pid" 2>/dev/null; then
    kill -TERM "$background_pid" 2>/dev/null || true # the runner stops its gateway on SIGTERM
    wait "$background_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# Adds a runner's `N passed, N failed` line (from $2, its output) to the totals and folds its
# exit code ($3) into the overall status.
tally() {
  local runner="$1" output="$2" rc="$3" summary passed failed
  summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$output" | tail -n 1 || true)"
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
}

started=$SECONDS
node "tooling/interop/$BACKGROUND_RUNNER" --gateway-cmd "$GATEWAY_CMD" "$@" >"$tmp/background.out" 2>&1 &
background_pid=$!

for runner in "${FOREGROUND_RUNNERS[@]}"; do
  echo "# $runner"
  runner_started=$SECONDS
  rc=0
  node "tooling/interop/$runner" --gateway-cmd "$GATEWAY_CMD" "$@" 2>&1 | tee "$tmp/out" || rc=$?
  echo "# $runner took $((SECONDS - runner_started)) s"
  tally "$runner" "$tmp/out" "$rc"
done

echo "# $BACKGROUND_RUNNER (ran in the background)"
rc=0
wait "$background_pid" || rc=$?
background_pid=""
cat "$tmp/background.out"
tally "$BACKGROUND_RUNNER" "$tmp/background.out" "$rc"

echo "# interop CI took $((SECONDS - started)) s"
echo "$total_passed passed, $total_failed failed"
exit "$status"
