//! DICOM series with missing or invalid tags (beyond tests/dicom_broken.rs, which covers
//! a missing ImagePositionPatient, localizers, duplicates, gaps, junk files and
//! DICOMDIR): each must be refused or skipped with a message naming the problem.
//! The series come from tests/make_series.py and are edited with pydicom; the tests
//! skip without python3 + pydicom, except under CI=true or REMNANT_REQUIRE_TOOLS=1.

#[path = "dicom_common/mod.rs"]
mod dicom_common;

use remnant::task::Task;
use remnant::volume::dicom::{load_series, scan_folder};
use std::process::Command;

/// What became of the axial test series after `edit` (Python, with `ds` the dataset;
/// applied to the files whose index, in slice order, is in `which`): the load error, or the reasons
/// the scan skipped files when no series was left, or "loaded" + warnings.
fn after_edit(edit: &str, which: &[usize]) -> Option<String> {
    let g = dicom_common::make("axial", "explicit")?;
    let code = format!(
        "import pydicom, sys, glob\n\
         files = glob.glob(sys.argv[1] + '/**/*.dcm', recursive=True)\n\
         z = lambda f: float(pydicom.dcmread(f, stop_before_pixels=True).ImagePositionPatient[2])\n\
         files.sort(key=z)\n\
         for i in {which:?}:\n    \
             ds = pydicom.dcmread(files[i])\n    \
             {edit}\n    \
             ds.save_as(files[i], enforce_file_format=False)\n"
    );
    let out = Command::new("python3")
        .arg("-c")
        .arg(&code)
        .arg(&g.data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "edit failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let scan = match scan_folder(&g.data, Task::none()) {
        Ok(s) => s,
        Err(e) => return Some(format!("scan: {e}")),
    };
    let skipped: Vec<String> = scan.skipped.iter().map(|(_, r)| r.clone()).collect();
    let Some(series) = scan.series.first() else {
        return Some(format!("no series; skipped: {}", skipped.join(" | ")));
    };
    Some(match load_series(series, Task::none()) {
        Ok(v) => format!(
            "loaded {:?}; skipped: {}; warnings: {}",
            v.volume.geometry.dims,
            skipped.join(" | "),
            v.warnings.join(" | ")
        ),
        Err(e) => format!("refused: {e}"),
    })
}

const ALL: &[usize] = &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

fn expect(got: Option<String>, wanted: &[&str]) {
    let Some(got) = got else { return };
    println!("{got}");
    for w in wanted {
        assert!(got.contains(w), "expected \"{w}\" in: {got}");
    }
}

#[test]
fn missing_image_orientation() {
    expect(
        after_edit("del ds.ImageOrientationPatient", ALL),
        &[
            "refused: ImageOrientationPatient (0020,0037) is missing or invalid in 12 of 12 images",
            "the slices cannot be placed in the patient",
        ],
    );
}

#[test]
fn missing_pixel_spacing() {
    expect(
        after_edit("del ds.PixelSpacing", ALL),
        &["refused: PixelSpacing (0028,0030) is missing or invalid in 12 of 12 images"],
    );
}

#[test]
fn zero_pixel_spacing() {
    expect(
        after_edit("ds.PixelSpacing = ['0', '0.7']", ALL),
        &[
            "refused: PixelSpacing (0028,0030) is not positive in",
            ".dcm",
        ],
    );
}

#[test]
fn nan_image_position() {
    expect(
        after_edit("ds.ImagePositionPatient = ['nan', '0', '1']", &[3]),
        &["refused: ImagePositionPatient (0020,0032) is missing or invalid in 1 of 12 images"],
    );
}

#[test]
fn missing_rows_and_columns() {
    expect(
        after_edit("del ds.Rows", &[2]),
        // the image without Rows is left out (and said so); the gap it leaves is filled
        &[
            "loaded [40, 32, 12]",
            "skipped: no pixel data",
            "gap: 1 slice missing",
        ],
    );
}

#[test]
fn missing_pixel_data() {
    expect(
        after_edit("del ds.PixelData", &[4]),
        &[
            "loaded [40, 32, 12]",
            "skipped: truncated: the file has",
            "gap: 1 slice missing",
        ],
    );
}

#[test]
fn pixel_data_shorter_than_rows_times_columns() {
    expect(
        after_edit("ds.PixelData = ds.PixelData[:100]", &[5]),
        &[
            "loaded [40, 32, 12]",
            "its pixel data alone needs 2560",
            "gap: 1 slice missing",
        ],
    );
}

#[test]
fn non_numeric_rescale_slope() {
    expect(
        after_edit("ds.add_new(0x00281053, 'LO', 'abc')", &[1]),
        &["RescaleSlope (0028,1053)"],
    );
}

#[test]
fn missing_series_instance_uid() {
    // Anonymised exports: the series is still found, by what identifies it in
    // practice, and the load says so (it was skipped before).
    expect(
        after_edit("del ds.SeriesInstanceUID", ALL),
        &[
            "loaded [40, 32, 12]",
            "series identified without a UID: SeriesInstanceUID (0020,000E) is missing or empty",
        ],
    );
}

/// What the scan says about a damaged enhanced multi-frame file
/// (tests/make_series.py enhanced-bad-*): the skip reasons.
fn enhanced_bad(what: &str) -> Option<String> {
    let g = dicom_common::make(&format!("enhanced-bad-{what}"), "explicit")?;
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    assert!(scan.series.is_empty(), "{:?}", scan.series);
    Some(
        scan.skipped
            .iter()
            .map(|(_, r)| r.clone())
            .collect::<Vec<_>>()
            .join(" | "),
    )
}

#[test]
fn multi_frame_count_beyond_the_pixel_data() {
    expect(
        enhanced_bad("frames"),
        &[
            "frame count: NumberOfFrames (0028,0008) is 14 but the pixel data holds 49920 bytes, 13 whole frames of 3840 bytes",
        ],
    );
}

#[test]
fn multi_frame_without_per_frame_groups() {
    expect(
        enhanced_bad("no-per-frame"),
        &[
            "multi-frame image: per-frame functional groups missing: PerFrameFunctionalGroupsSequence (5200,9230) is absent for 14 frames",
        ],
    );
}

#[test]
fn multi_frame_groups_inconsistent_with_the_frame_count() {
    expect(
        enhanced_bad("item-count"),
        &["multi-frame image: functional groups inconsistent: 13 per-frame items for 14 frames"],
    );
}

#[test]
fn multi_frame_frame_without_a_position() {
    expect(
        enhanced_bad("no-position"),
        &["functional groups inconsistent: frame 4 has no PlanePositionSequence (0020,9113)"],
    );
}

#[test]
fn unsupported_bits_allocated() {
    expect(
        after_edit("ds.BitsAllocated = 12", ALL),
        &["refused: ", ".dcm: BitsAllocated 12 is not supported"],
    );
}

#[test]
fn colour_image() {
    expect(
        after_edit(
            "ds.SamplesPerPixel = 3; ds.PhotometricInterpretation = 'RGB'",
            ALL,
        ),
        &["no series; skipped: colour image: 3 samples per pixel"],
    );
}
