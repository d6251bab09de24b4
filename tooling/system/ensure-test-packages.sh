#!/usr/bin/env bash
# Debian packages the test suite drives: chromium for the browser tests (through playwright-core,
# never a downloaded browser), tmux for the terminal tests (onboard, tui) and ffmpeg for the
# WhatsApp voice-note conversion.
# Installs what is missing with apt when this shell may; otherwise says what to run.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "== installing Debian's ${missing[*]} for the browser, terminal and voice-note tests (apt-get install ${missing[*]})" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "The tests need Debian's ${missing[*]}: run 'sudo apt-get install ${missing[*]}' and try again." >&2
exit 1
