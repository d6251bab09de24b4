#!/usr/bin/env bash
# The browser tests drive Debian's chromium through playwright-core (never a downloaded browser).
# Installs it with apt when it is missing and this shell may; otherwise says what to run.
set -euo pipefail
CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "== installing Debian's chromium for the browser tests (apt-get install chromium)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
  "$CHROMIUM" --version >&2
  exit 0
fi
echo "The browser tests need Debian's chromium at $CHROMIUM: run 'sudo apt-get install chromium' and try again." >&2
exit 1
