//! Helpers shared by the integration tests: a NIfTI-1 header builder that can write
//! any field (including wrong ones), paths to the bundled sample data, and the external
//! tools (`tools`: skip or fail when one is missing).
#![allow(dead_code)]

// (also included by report_fixtures and dicom_common, for tests that do not use common)
#[allow(clippy::duplicate_mod)]
pub mod tools;
pub mod ui;

#[allow(unused_imports)] // each test binary uses some of them
pub use tools::{python_code, tool};

use std::io::Write;
use std::path::{Path, PathBuf};

pub fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample_data")
        .join(name)
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_remnant"))
}

/// A NIfTI-1 header with every field settable; `bytes()` gives header + data.
#[derive(Clone)]
pub struct Nifti1 {
    pub dim: [i16; 8],
    pub datatype: i16,
    pub bitpix: i16,
    pub pixdim: [f32; 8],
    pub vox_offset: f32,
    pub scl_slope: f32,
    pub scl_inter: f32,
    pub qform_code: i16,
    pub sform_code: i16,
    pub quatern: [f32; 3],
    pub qoffset: [f32; 3],
    pub srow: [[f32; 4]; 3],
    pub magic: [u8; 4],
    pub xyzt_units: u8,
    pub big_endian: bool,
}

impl Nifti1 {
    pub fn new(dims: [usize; 3], datatype: i16, bitpix: i16) -> Self {
        Nifti1 {
            dim: [
                3,
                dims[0] as i16,
                dims[1] as i16,
                dims[2] as i16,
                1,
                1,
                1,
                1,
            ],
            datatype,
            bitpix,
            pixdim: [1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0],
            vox_offset: 352.0,
            scl_slope: 1.0,
            scl_inter: 0.0,
            qform_code: 0,
            sform_code: 0,
            quatern: [0.0; 3],
            qoffset: [0.0; 3],
            srow: [[0.0; 4]; 3],
            magic: *b"n+1\0",
            xyzt_units: 2,
            big_endian: false,
        }
    }

    pub fn header(&self) -> Vec<u8> {
        let mut h = vec![0u8; 352];
        let be = self.big_endian;
        let i16b = |v: i16| if be { v.to_be_bytes() } else { v.to_le_bytes() };
        let i32b = |v: i32| if be { v.to_be_bytes() } else { v.to_le_bytes() };
        let f32b = |v: f32| if be { v.to_be_bytes() } else { v.to_le_bytes() };
        h[0..4].copy_from_slice(&i32b(348));
        for i in 0..8 {
            h[40 + 2 * i..42 + 2 * i].copy_from_slice(&i16b(self.dim[i]));
            h[76 + 4 * i..80 + 4 * i].copy_from_slice(&f32b(self.pixdim[i]));
        }
        h[70..72].copy_from_slice(&i16b(self.datatype));
        h[72..74].copy_from_slice(&i16b(self.bitpix));
        h[108..112].copy_from_slice(&f32b(self.vox_offset));
        h[112..116].copy_from_slice(&f32b(self.scl_slope));
        h[116..120].copy_from_slice(&f32b(self.scl_inter));
        h[123] = self.xyzt_units;
        h[252..254].copy_from_slice(&i16b(self.qform_code));
        h[254..256].copy_from_slice(&i16b(self.sform_code));
        for i in 0..3 {
            h[256 + 4 * i..260 + 4 * i].copy_from_slice(&f32b(self.quatern[i]));
            h[268 + 4 * i..272 + 4 * i].copy_from_slice(&f32b(self.qoffset[i]));
        }
        for r in 0..3 {
            for c in 0..4 {
                let o = 280 + 16 * r + 4 * c;
                h[o..o + 4].copy_from_slice(&f32b(self.srow[r][c]));
            }
        }
        h[344..348].copy_from_slice(&self.magic);
        h
    }

    pub fn with_sform(mut self, a: [[f32; 4]; 3]) -> Self {
        self.sform_code = 1;
        self.srow = a;
        self
    }

    /// Write header + data; gzip when the name ends in .gz.
    pub fn write(&self, path: &Path, data: &[u8]) {
        let mut bytes = self.header();
        bytes.extend_from_slice(data);
        write_maybe_gz(path, &bytes);
    }
}

pub fn write_maybe_gz(path: &Path, bytes: &[u8]) {
    if path.extension().is_some_and(|e| e == "gz") {
        let f = std::fs::File::create(path).unwrap();
        let mut enc = flate2::write::GzEncoder::new(f, flate2::Compression::fast());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap();
    } else {
        std::fs::write(path, bytes).unwrap();
    }
}

pub fn i16_bytes(v: &[i16]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// The bundled phantom (scan and layers) as an open study, its scan copied into `dir` so a
/// test can move and change it.
pub fn phantom_study(dir: &Path) -> remnant::study::Study {
    let ct = dir.join("phantom_ct.nii.gz");
    std::fs::copy(sample("phantom_ct.nii.gz"), &ct).unwrap();
    let mut s = remnant::study::Study::open(&ct, remnant::task::Task::none()).unwrap();
    s.labels = remnant::segmentation::io::load_label_map(
        &sample("phantom_labels.nii.gz"),
        &s.ct.geometry,
        remnant::task::Task::none(),
    )
    .unwrap();
    s.touch();
    s
}

/// Issue 26's phantom: tumours in segment 3 and in segment 8 (as in the unit test).
pub const SEGMENT_TUMOURS: [([f64; 3], f64); 2] =
    [([-45.0, 0.0, -25.0], 4.0), ([20.0, 25.0, 25.0], 4.0)];

/// The phantom CT, its labels and the landmarks file in `dir`.
pub fn segments_files(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let (g, bits) = remnant::segments::phantom::phantom(&SEGMENT_TUMOURS);
    let ct = dir.join("ct.nii.gz");
    let s = remnant::segments::phantom::PHANTOM_SPACING;
    let o = remnant::segments::phantom::PHANTOM_ORIGIN;
    let hu: Vec<i16> = bits
        .iter()
        .map(|&b| if b != 0 { 60 } else { -100 })
        .collect();
    Nifti1::new(remnant::segments::phantom::PHANTOM_DIMS, 4, 16)
        .with_sform([
            [s[0] as f32, 0.0, 0.0, o[0] as f32],
            [0.0, s[1] as f32, 0.0, o[1] as f32],
            [0.0, 0.0, s[2] as f32, o[2] as f32],
        ])
        .write(&ct, &i16_bytes(&hu));
    let labels = dir.join("labels.nii.gz");
    remnant::segmentation::io::save_labels(
        &labels,
        &remnant::segmentation::LabelMap { geometry: g, bits },
        None,
    )
    .unwrap();
    let lm = dir.join("landmarks.json");
    std::fs::write(
        &lm,
        remnant::segments::phantom::phantom_landmarks().to_json(),
    )
    .unwrap();
    (ct, labels, lm)
}
