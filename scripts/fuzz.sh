#!/usr/bin/env bash
# Fuzz the readers of untrusted files with libFuzzer (cargo fuzz), niced, one core.
#   scripts/fuzz.sh [TARGET|all] [SECONDS]
#     TARGET   nifti | report_json | dicom | all (default all; dicom only when fuzz/Cargo.toml has it)
#     SECONDS  run time per target (default 600)
# Works with the stable toolchain (RUSTC_BOOTSTRAP=1 lets cargo fuzz pass its -Z flags);
# installs cargo-fuzz from crates.io if missing. Release build with debug assertions and
# overflow checks (-O -a), no sanitizer (-s none: the fuzzed code is safe Rust; the one
# unsafe block, the file map, is not on the in-memory path), about 3x the executions/s.
# Builds go to fuzz/target (never the main target/). The working corpus is
# fuzz/corpus/TARGET (seeded from fuzz/seeds/TARGET, rebuilt by python3 fuzz/make_seeds.py);
# crashes land in fuzz/artifacts/TARGET.
# Each run's log is fuzz/logs/TARGET.log; the last lines printed are the figures
# (executions, crashes). Fix a crash, then keep its input in tests/fuzz_regressions/TARGET/
# (tests/fuzz_regressions.rs replays every kept input in `cargo test`).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
target=${1:-all}
secs=${2:-600}
export RUSTC_BOOTSTRAP=1 CARGO_BUILD_JOBS=1

command -v cargo-fuzz >/dev/null || nice -n 19 cargo install --locked -j 1 cargo-fuzz

if [ "$target" = all ]; then
  targets=$(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v '^remnant-fuzz$')
else
  targets=$target
fi
mkdir -p logs
status=0
for t in $targets; do
  mkdir -p "corpus/$t" "artifacts/$t"
  nice -n 19 cargo fuzz build -O -a -s none "$t"
  echo "== fuzzing $t for ${secs}s"
  # -rss_limit_mb: more than 2 GiB resident (or one allocation over it) counts as a crash,
  # so a header that makes the reader allocate what the input cannot fill is caught.
  set +e
  nice -n 19 cargo fuzz run -O -a -s none "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 -max_len=65536 \
    -print_final_stats=1 >"logs/$t.log" 2>&1
  rc=$?
  set -e
  # the dicom target's private folders of finished runs
  for d in /dev/shm/remnant-fuzz-dicom-* /tmp/remnant-fuzz-dicom-*; do
    if [ -d "$d" ] && ! kill -0 "${d##*-}" 2>/dev/null; then rm -rf "$d"; fi
  done
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "logs/$t.log" | tail -1)
  crashes=$(ls "artifacts/$t" | wc -l)
  cov=$(grep -o 'cov: [0-9]*' "logs/$t.log" | tail -1)
  echo "== $t: exit $rc, ${execs:-?} executions, $cov, $(ls "corpus/$t" | wc -l) corpus inputs, $crashes crash inputs in fuzz/artifacts/$t"
  if [ "$rc" -ne 0 ]; then
    status=1
    grep -m 5 -E 'panicked|ERROR: libFuzzer|SUMMARY|Test unit written' "logs/$t.log" || true
  fi
done
exit $status
