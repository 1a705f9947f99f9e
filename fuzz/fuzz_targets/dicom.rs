//! The DICOM import on arbitrary bytes: the input is cut into 1 to 3 files at each
//! `SPLIT` marker, written into a private folder (in /dev/shm when there is one), and
//! the folder goes through the same calls as the app: scan (series grouping), then
//! loading each series found (slice stacking, geometry, pixel decoding); the body is
//! `remnant::fuzzing::dicom`. Any error is fine; a panic that escapes, or a hang, is a bug.
//!
//! The DICOM module runs the third-party parsers and codecs inside `catch_unwind`
//! (`volume/dicom/guard.rs`), turning their panics into an error for that file, as in
//! the app. libfuzzer-sys's panic hook would abort on those caught panics too, so this
//! target installs a quiet hook: a panic that is caught is what the app sees as an
//! error; one that escapes still aborts (libfuzzer-sys catches it and aborts).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn folder() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        std::panic::set_hook(Box::new(|_| {}));
        let d = base.join(format!("remnant-fuzz-dicom-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("a folder for the fuzz inputs");
        d
    })
}

fuzz_target!(|data: &[u8]| {
    remnant::fuzzing::dicom(data, folder());
});
