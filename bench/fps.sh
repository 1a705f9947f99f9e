#!/usr/bin/env bash
# Frame rate of the 3-D view under Xvfb with Mesa's software renderer: opens SCAN_OR_CASE in a
# 1600 x 1000 virtual screen, the camera turning by itself, optional key presses (e.g. F7 for
# the 3-D view alone) after 10 s, and prints the last 8 one-second readings, sorted.
#   bench/fps.sh SCAN_OR_CASE [--key F7] ...     (BIN=path/to/remnant to measure another build)
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:?usage: bench/fps.sh SCAN_OR_CASE [--key K]...}; shift
out=$(mktemp -d)
mkdir -p "$out/cfg"
keys=(); for _ in $(seq 12); do keys+=(--key shift); done   # harmless keys: 12 s of turning
REMNANT_CONFIG_DIR=$out/cfg REMNANT_SPIN=2 REMNANT_FPS_LOG=1 LIBGL_ALWAYS_SOFTWARE=1 \
  timeout 120 ../shared/tools/screenshot.sh "$out/shot.png" --wait 10 "$@" "${keys[@]}" \
  -- "${BIN:-target/release/remnant}" "$what" >/dev/null 2>&1
grep "fps" "$out/shot.log" | tail -8 | awk '{print $4}' | sort -n | tr '\n' ' '
echo " fps (load $(cut -d' ' -f1 /proc/loadavg)); screenshot $out/shot.png"
