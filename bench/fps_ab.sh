#!/usr/bin/env bash
# Frame rates of two (or more) builds, alternating on the same load (the machine's speed drifts
# over an hour, so only alternating runs compare): bench/fps.sh per build per run, printing the
# median of its 8 one-second readings and the busiest other process mid-run.
#   bench/fps_ab.sh SCAN_OR_CASE RUNS BIN_A BIN_B ... [-- --key F7]
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:?usage: bench/fps_ab.sh SCAN_OR_CASE RUNS BIN_A BIN_B ... [-- KEYS]}; runs=${2:?RUNS}; shift 2
bins=(); while [ $# -gt 0 ] && [ "$1" != "--" ]; do bins+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
other=$(mktemp)
for r in $(seq "$runs"); do
  for b in "${bins[@]}"; do
    ( sleep 16; ps aux --sort=-%cpu | awk 'NR>1 && $11 !~ /remnant|Xvfb/ {print $3"% "$11; exit}' >"$other" ) &
    line=$(BIN=$b bench/fps.sh "$what" "$@" 2>&1)
    wait
    med=$(echo "$line" | awk '{print ($4+$5)/2}')
    echo "$b run $r: median $med fps :: $(echo "$line" | cut -d' ' -f1-8) [busiest other: $(cat "$other")]"
  done
done
