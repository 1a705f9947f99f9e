//! The NIfTI reader on arbitrary bytes: as a CT, as a label map and as a mask, through
//! the same code as files on disk (`read_*_bytes`); the body is `remnant::fuzzing::nifti`.
//! Any error is fine; a panic, an allocation the header could not justify or a hang is a
//! bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    remnant::fuzzing::nifti(data);
});
