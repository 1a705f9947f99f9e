#!/usr/bin/env bash
# One command for the performance table: makes the 512 x 424 x 448 bench CT (once),
# installs the reference tools, runs the benchmark, writes docs/performance.md (the commit,
# the date and the machine in its header; bench/out/results.md keeps a copy).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${REMNANT_BENCH_DIR:-bench/out/data}
mkdir -p "$data" bench/out
python3 -c "import numpy, scipy, nibabel, SimpleITK" 2>/dev/null || python3 -m pip install -q numpy scipy nibabel SimpleITK
command -v libdeflate-gunzip >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libdeflate-tools >/dev/null; }
[ -f "$data/bench_ct.nii.gz" ] || python3 ../shared/tools/make_bench_ct.py "$data"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo " (with uncommitted changes)" || true)
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | xargs || echo unknown)
{
  echo "# Performance"
  echo
  echo "Made by \`bash bench/run.sh\` at commit $commit$dirty on $(date -u +%F), on $(nproc) cores ($cpu),"
  echo "against the reference tools in the same run. Every figure below comes from that one run;"
  echo "how each part was made fast, and older measurements, are in [performance-notes.md](performance-notes.md)."
  echo
  cargo bench --bench perf -- "$data"
  echo
  echo "## DICOM import (512 x 512 x 400 series, against dcm2niix)"
  echo
  echo "From \`cargo test --release -j 1 --test dicom_timing -- --ignored --nocapture\` in the same run"
  echo "(best of 5 on a warm page cache; the series is written once by tests/make_series.py):"
  echo
  echo '```'
  REMNANT_TIMING_DIR="$PWD/bench/out/dicom_big" cargo test --release -j 1 --test dicom_timing -- --ignored --nocapture 2>/dev/null \
    | grep -v '^\(running\|test \|$\)' || true
  echo '```'
} | tee bench/out/results.md > docs/performance.md
