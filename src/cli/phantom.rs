//! `remnant phantom --out DIR`: write the known-answer phantom (CT + label map).

use crate::segmentation::io::save_labels;
use crate::volume::nifti::write_volume;

/// `remnant phantom --out DIR`.
#[derive(Debug, clap::Args)]
pub struct PhantomArgs {
    /// The folder to write phantom_ct.nii.gz and phantom_labels.nii.gz into
    #[arg(long, value_name = "DIR")]
    pub out: std::path::PathBuf,
}

pub fn run(a: PhantomArgs) -> Result<(), String> {
    let dir = a.out;
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
