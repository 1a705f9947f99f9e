//! What this binary is: version, commit and build date (set by `build.rs`), and the
//! licences it ships under (shown by `remnant --version` and Help > About).

/// The crate version (Cargo.toml).
pub const VERSION_NUMBER: &str = env!("CARGO_PKG_VERSION");
/// `git rev-parse --short HEAD` at build time, or "unknown" (built without git).
pub const COMMIT: &str = env!("REMNANT_COMMIT");
/// `SOURCE_DATE_EPOCH` as a date if set at build time, else the commit's date, else "unknown".
pub const BUILD_DATE: &str = env!("REMNANT_BUILD_DATE");
/// What `remnant --version` prints after the name: `0.1.0 (commit abc1234, built 2026-12-07)`.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("REMNANT_COMMIT"),
    ", built ",
    env!("REMNANT_BUILD_DATE"),
    ")"
);
/// Remnant's own licence (the SPDX name from Cargo.toml).
pub const LICENSE: &str = env!("CARGO_PKG_LICENSE");
/// Remnant's licence text (LICENSE).
pub const LICENSE_TEXT: &str = include_str!("../LICENSE");
/// Where the package puts the licence texts of the libraries compiled in.
pub const THIRD_PARTY_PATH: &str = "/usr/share/doc/remnant/THIRD-PARTY-LICENSES.txt";
