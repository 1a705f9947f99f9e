//! `remnant phantom --out DIR`: write the known-answer phantom (CT + label map).

use super::args::{Args, Spec};
use crate::segmentation::io::save_labels;
use crate::volume::nifti::write_volume;

pub const SPEC: Spec = Spec {
    values: &["out"],
    switches: &[],
};

pub const USAGE: &str = "remnant phantom --out DIR";

pub fn run(argv: &[std::ffi::OsString]) -> Result<(), String> {
    let a = Args::parse(argv, &SPEC)?;
    let dir = a.require_path("out")?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("{}: cannot create the folder: {e}", dir.display()))?;
    let (ct, map) = crate::phantom::make();
    let ct_path = dir.join("phantom_ct.nii.gz");
    write_volume(
        &ct_path,
        ct.as_slice(),
        &ct.geometry,
        None,
        "Remnant phantom CT (HU)",
    )
    .map_err(|e| format!("{}: {e}", ct_path.display()))?;
    let lab_path = dir.join("phantom_labels.nii.gz");
    save_labels(&lab_path, &map, None)?;
    println!("wrote {} and {}", ct_path.display(), lab_path.display());
    Ok(())
}
