#!/usr/bin/env bash
# Run every test, installing what the tests need first (idempotent; root or sudo for apt).
#   scripts/test.sh            -> the whole suite (cargo test --release)
# Needs: poppler-utils (pdftotext, for the PDF report test), Python nibabel (interop tests).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
# mount (tmpfs, read-only remount) and setpriv: the save-failure tests (tests/save_failures.rs,
# run as root; they fail rather than skip under REMNANT_REQUIRE_PYTHON=1 when mounting is impossible)
command -v mount >/dev/null || need_apt+=(mount)
command -v setpriv >/dev/null || need_apt+=(util-linux)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
python3 -c "import nibabel, numpy" 2>/dev/null || python3 -m pip install -q nibabel numpy
# The interop tests must not silently skip here: a missing nibabel is a failure.
export REMNANT_REQUIRE_PYTHON=1
cargo test --release "$@"
