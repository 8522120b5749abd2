#!/bin/sh
# Installs what npugen's main job and tests need on a fresh Debian/Ubuntu machine:
# npm packages when node_modules is missing (npm ci; its `prepare` compiles dist/), a fresh
# dist/ when it is missing or older than the sources, and iverilog/verilator/yosys through apt
# when missing and we are root (or have passwordless sudo). Never fails the run just
# because a simulator could not be installed: the CLI falls back to the built-in simulator.
set -u
cd "$(dirname "$0")/.." || exit 1
if [ ! -d node_modules ] || [ ! -x node_modules/.bin/tsx ]; then
  echo "npugen setup: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund || exit 1
fi
node scripts/build.mjs --if-stale --no-check || exit 1
missing=""
command -v iverilog >/dev/null 2>&1 || missing="$missing iverilog"
command -v verilator >/dev/null 2>&1 || missing="$missing verilator"
command -v yosys >/dev/null 2>&1 || missing="$missing yosys"
command -v ccache >/dev/null 2>&1 || missing="$missing ccache"
if [ -n "$missing" ] && [ "${NPUGEN_NO_APT:-0}" != 1 ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO="none"; fi
  fi
  if [ "$SUDO" = none ]; then
    echo "npugen setup: missing$missing; not root and no passwordless sudo, skipping apt (run: sudo apt-get install$missing)"
  else
    echo "npugen setup: installing$missing with apt-get"
    $SUDO apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null 2>&1 \
      || echo "npugen setup: apt-get install$missing failed; simulator runs will fall back or be skipped"
  fi
fi
exit 0
