//! The report JSON reader (any schema version, with migration) on arbitrary bytes. A
//! report it accepts must validate, survive a save/load round trip unchanged, and
//! render to PDF (photos dropped: they name files on disk).
#![no_main]

use libfuzzer_sys::fuzz_target;
use remnant::report::{Report, render_pdf};

fuzz_target!(|data: &[u8]| {
    let Ok(mut report) = Report::from_json(data) else {
        return;
    };
    let _ = report.validate();
    let json = report.to_json().expect("an accepted report serialises");
    let back = Report::from_json(json.as_bytes()).expect("a saved report reads back");
    assert_eq!(back, report, "round trip changed the report");
    report.photos.clear();
    let pdf = render_pdf(&report, &[]).expect("every report renders");
    assert!(pdf.starts_with(b"%PDF"));
});
