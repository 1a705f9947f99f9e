//! `Study::open` on DICOM (a folder, one file of a series, a DICOMDIR), the
//! patient fields it keeps for the report, and cases that refer to a DICOM
//! folder (checksum of its DICOM files).

mod dicom_common;

use remnant::case;
use remnant::report::Report;
use remnant::study::Study;
use remnant::task::Task;
use remnant::volume::AffineSource;
use remnant::volume::dicom::scan_folder;
use remnant::volumetry::PlanInputs;

#[test]
fn a_folder_with_one_series_opens_as_a_study_with_its_patient() {
    let Some(g) = dicom_common::make("axial", "explicit") else {
        return;
    };
    let s = Study::open(&g.data, Task::none()).expect("open");
    assert_eq!(s.ct.dims(), [40, 32, 12]);
    assert_eq!(s.ct.geometry.source, AffineSource::Dicom);
    assert!(s.header.is_none());
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    let p = s.patient.as_ref().expect("patient");
    assert_eq!(p.name.as_deref(), Some("TEST, PATIENT Q"));
    assert_eq!(p.accession_number.as_deref(), Some("ACC42"));
    let series = s.series.as_ref().expect("series");
    assert_eq!(series.image_count, 12);
    assert_eq!(series.series_description.as_deref(), Some("TEST SERIES"));
    g.expected().check(&remnant::volume::dicom::DicomVolume {
        volume: (*s.ct).clone(),
        patient: p.clone(),
        warnings: vec![],
        series: series.clone(),
        units: s.units.clone(),
        filled_slices: vec![],
        resampled: false,
        refs: Default::default(),
    });
}

#[test]
fn a_folder_with_two_series_is_refused_naming_them_but_one_file_picks_its_series() {
    let Some(g) = dicom_common::make("two-series", "explicit") else {
        return;
    };
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    let err = match Study::open(&g.data, Task::none()) {
        Ok(_) => panic!("two series must not open as one study"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("holds 2 image series"), "{err}");
    for s in &scan.series {
        assert!(err.contains(&s.key), "{err}");
    }
    // Opening one file of the coronal series opens that series.
    let coronal = &scan.series[1];
    let s = Study::open(&coronal.files[3], Task::none()).expect("open by file");
    assert_eq!(s.ct.dims(), [40, 32, 10]);
    assert_eq!(
        s.series.as_ref().map(|x| x.key.clone()),
        Some(coronal.key.clone())
    );
}

#[test]
fn a_dicomdir_opens_the_series_of_its_folder() {
    let Some(g) = dicom_common::make("dicomdir", "explicit") else {
        return;
    };
    let s = Study::open(&g.data.join("DICOMDIR"), Task::none()).expect("open");
    // One of the 12 listed images was removed: an end slice leaves 11 slices,
    // an inner one a gap filled by interpolation.
    assert_eq!(s.series.as_ref().map(|x| x.image_count), Some(11));
    let gap = s.warnings.iter().any(|w| w.starts_with("gap"));
    let n = s.ct.dims()[2];
    assert!(
        (n == 11 && !gap) || (n == 12 && gap),
        "{n} slices, {:?}",
        s.warnings
    );
}

#[test]
fn a_case_on_a_dicom_folder_notices_a_changed_image_but_not_itself() {
    let Some(g) = dicom_common::make("axial", "explicit") else {
        return;
    };
    let s = Study::open(&g.data, Task::none()).expect("open");
    // The case saved inside the DICOM folder itself.
    let cp = g.data.join("case.json");
    case::save(
        &cp,
        &remnant::workspace::Snapshot::of_parts(
            Some((&s.path, &s.labels)),
            &PlanInputs::default(),
            None,
            &Report::default(),
        ),
    )
    .expect("save");
    let o = case::open(&cp).expect("open case");
    assert!(o.warnings.is_empty(), "{:?}", o.warnings);
    assert_eq!(
        o.scan_path.as_deref(),
        Some(g.data.canonicalize().expect("abs").as_path())
    );
    let reopened = Study::open(o.scan_path.as_ref().expect("scan"), Task::none()).expect("reopen");
    assert_eq!(reopened.ct.as_slice(), s.ct.as_slice());

    // One byte of one image changes: the case says so.
    let victim = &s.series.as_ref().expect("series").files[0];
    let mut bytes = std::fs::read(victim).expect("read");
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(victim, bytes).expect("write");
    let o = case::open(&cp).expect("open case");
    assert!(
        o.warnings.iter().any(|w| w.contains("the scan changed")),
        "{:?}",
        o.warnings
    );
}
