#!/usr/bin/env bash
# Build the Debian package with cargo-deb: prints the .deb's path (under TARGET/debian/).
#   scripts/package.sh
# Installs cargo-deb if missing (cargo install, ~2 min of compiling). Builds the release
# binary and examples/package_files (a no-op after `cargo test --release`, which built
# both with the same features), writes TARGET/release/package-files/ (the binary, man
# pages and shell completions from the clap definitions, the third-party licences), then
# `cargo deb --no-build` packs the files listed in Cargo.toml's [package.metadata.deb].
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
if ! cargo deb --version >/dev/null 2>&1; then
  # (without .ci/run's clippy wrapper: cargo-deb's own code is not ours to lint)
  env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS cargo install cargo-deb --locked --version 3.8.0 >&2
fi
target=$(cargo metadata --format-version 1 --no-deps \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
files="$target/release/package-files"
rm -rf "$files"
mkdir -p "$files"
# the paths of the two executables as cargo reports them (not the uplifted
# target/release/remnant, which another checkout sharing CARGO_TARGET_DIR may overwrite)
cargo build --release --bin remnant --example package_files --message-format=json-render-diagnostics \
  | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable"):
        print(m["target"]["name"], m["executable"])' >"$files/executables"
exe() { sed -n "s/^$1 //p" "$files/executables"; }
cp "$(exe remnant)" "$files/remnant"
"$(exe package_files)" "$files" >&2
gzip -9n "$files"/man/*.1     # Debian policy: man pages compressed (cargo-deb leaves files under target/ as they are)
python3 scripts/third_party_licenses.py "$files/THIRD-PARTY-LICENSES.txt" >&2
# the package's file dates: the commit's (reproducible), unless given
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
# --strip: no symbol table in the package either
deb=$(cargo deb --no-build --strip)
echo "$deb"
