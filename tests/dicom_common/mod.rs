//! Shared helpers: run tests/make_series.py, skip (or fail, under CI=true or
//! REMNANT_REQUIRE_TOOLS=1: `tools`) when the tools it needs are missing, and compare a
//! loaded volume with the expectation the script wrote.
#![allow(dead_code)]

// (the same file as common::tools: one decision for every test binary)
#[allow(clippy::duplicate_mod)]
#[path = "../common/tools.rs"]
pub mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;

use remnant::volume::dicom::DicomVolume;
use tempfile::TempDir;

pub const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/make_series.py");

/// The tools needed to write a series in `syntax` (missing: skipped with a message, or
/// a failure under CI=true / REMNANT_REQUIRE_TOOLS=1; see `tools`).
pub fn tools_for(syntax: &str) -> bool {
    tools::python(&["pydicom", "numpy"]).is_some()
        && match syntax {
            "explicit" => true,
            "j2k-lossless" | "j2k-lossy" => tools::python(&["pylibjpeg", "openjpeg"]).is_some(),
            "jpeg-lossless" => tools::tool("dcmcjpeg").is_some(),
            "jpegls" | "jpegls-near" => tools::tool("dcmcjpls").is_some(),
            "rle" => tools::tool("dcmcrle").is_some(),
            _ => tools::tool("dcmconv").is_some(),
        }
}

/// dcm2niix, and python3 with nibabel and numpy for the comparison scripts.
pub fn dcm2niix_ready() -> bool {
    tools::tool("dcm2niix").is_some() && tools::python(&["nibabel", "numpy"]).is_some()
}

/// A generated series in a temporary folder.
pub struct Generated {
    pub tmp: TempDir,
    pub data: PathBuf,
    pub case: String,
}

impl Generated {
    pub fn expected(&self) -> Expected {
        Expected::read(&self.tmp.path().join(&self.case))
    }
}

/// Run the generator; `None` when the tools are missing (test skipped).
pub fn make(case: &str, syntax: &str) -> Option<Generated> {
    if !tools_for(syntax) {
        return None;
    }
    let tmp = TempDir::new().expect("temp dir");
    let data = tmp.path().join("data");
    let out = Command::new("python3")
        .arg(SCRIPT)
        .arg(&data)
        .arg(case)
        .args(["--syntax", syntax])
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "make_series.py {case} --syntax {syntax} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(Generated {
        tmp,
        data,
        case: case.to_string(),
    })
}

/// What make_series.py says the volume must be.
pub struct Expected {
    pub dims: [usize; 3],
    pub affine: [[f64; 4]; 4],
    pub tolerance: i32,
    pub voxels: Vec<i16>,
}

impl Expected {
    pub fn read(prefix: &Path) -> Expected {
        let json =
            std::fs::read_to_string(prefix.with_extension("expected.json")).expect("expected.json");
        let v: serde_json::Value = serde_json::from_str(&json).expect("json");
        let dims: Vec<usize> = serde_json::from_value(v["dims"].clone()).expect("dims");
        let affine: [[f64; 4]; 4] = serde_json::from_value(v["affine"].clone()).expect("affine");
        let raw = std::fs::read(prefix.with_extension("expected.raw")).expect("expected.raw");
        Expected {
            dims: [dims[0], dims[1], dims[2]],
            affine,
            tolerance: v["tolerance"].as_i64().unwrap_or(0) as i32,
            voxels: raw
                .chunks_exact(2)
                .map(|b| i16::from_le_bytes([b[0], b[1]]))
                .collect(),
        }
    }

    /// Assert the volume has these dims, this affine (1e-3) and these voxels.
    pub fn check(&self, got: &DicomVolume) {
        let g = &got.volume.geometry;
        assert_eq!(g.dims, self.dims, "dims");
        for r in 0..4 {
            for c in 0..4 {
                assert!(
                    (g.affine[r][c] - self.affine[r][c]).abs() < 1e-3,
                    "affine[{r}][{c}]: got {:?}, expected {:?}",
                    g.affine,
                    self.affine
                );
            }
        }
        let v = got.volume.as_slice();
        assert_eq!(v.len(), self.voxels.len());
        let worst = v
            .iter()
            .zip(&self.voxels)
            .map(|(a, b)| (i32::from(*a) - i32::from(*b)).abs())
            .max()
            .unwrap_or(0);
        assert!(
            worst <= self.tolerance,
            "voxels differ by up to {worst} (tolerance {})",
            self.tolerance
        );
    }
}
