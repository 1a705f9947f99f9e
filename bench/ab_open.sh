#!/usr/bin/env bash
# A/B of opening the bench CT (512 x 424 x 448; .nii.gz and .nii) between two remnant
# binaries: wall time of `remnant session --ct CT` given only `quit` (the CT opened as the
# app opens it, voxels and all, then the end), alternating runs; `mask-only` opens the
# small liver mask file as the CT (start-up and end of the process, for scale).
#   bench/ab_open.sh BASE_BINARY HEAD_BINARY [RUNS]   (bench CT: REMNANT_BENCH_DIR or target/bench-data)
# Build BASE_BINARY from another commit in its own worktree and target dir, e.g.
#   git worktree add /tmp/base 3990370 && (cd /tmp/base && cargo build --release)
set -euo pipefail
base=${1:?usage: bench/ab_open.sh BASE_BINARY HEAD_BINARY [RUNS]}; head=${2:?HEAD_BINARY}; runs=${3:-5}
d=${REMNANT_BENCH_DIR:-$(dirname "$0")/../target/bench-data}
auto=$(mktemp -d); trap 'rm -rf "$auto"' EXIT
t() { local s; s=$(date +%s.%N); echo quit | "$@" >/dev/null 2>&1 || { echo "FAILED: $*" >&2; exit 1; }
      python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$s" "$(date +%s.%N)"; }
for r in $(seq "$runs"); do
  for v in base head; do
    b=$base; [ $v = head ] && b=$head
    rm -rf "$auto"/*
    gz=$(t "$b" session --autosave-dir "$auto" --ct "$d/bench_ct.nii.gz")
    raw=$(t "$b" session --autosave-dir "$auto" --ct "$d/bench_ct.nii")
    rest=$(t "$b" session --autosave-dir "$auto" --ct "$d/bench_liver.nii.gz")
    echo "$v run $r: .nii.gz $gz s, .nii $raw s, mask-only $rest s, load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
