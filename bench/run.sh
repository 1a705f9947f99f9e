#!/usr/bin/env bash
# One command for the performance table: makes the 512 x 424 x 448 bench CT (once),
# installs the reference tools, runs the benchmark, writes bench/out/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${REMNANT_BENCH_DIR:-bench/out/data}
mkdir -p "$data" bench/out
python3 -c "import numpy, scipy, nibabel, SimpleITK" 2>/dev/null || python3 -m pip install -q numpy scipy nibabel SimpleITK
command -v libdeflate-gunzip >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libdeflate-tools >/dev/null; }
[ -f "$data/bench_ct.nii.gz" ] || python3 ../shared/tools/make_bench_ct.py "$data"
cargo bench --bench perf -- "$data" | tee bench/out/results.md
