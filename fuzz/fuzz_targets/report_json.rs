//! The report JSON reader (any schema version, with migration) on arbitrary bytes; the
//! body is `remnant::fuzzing::report_json`. A report it accepts must validate, survive a
//! save/load round trip unchanged, and render to PDF (photos dropped: they name files on
//! disk).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    remnant::fuzzing::report_json(data);
});
