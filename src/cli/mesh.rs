//! `remnant mesh`: one layer's surface as a binary STL or an OBJ, in patient mm (RAS+).

use crate::mesh::{MeshLayer, MeshOptions, export, mesh_layer};
use crate::segmentation::io::load_label_map;
use crate::task::Task;
use std::path::PathBuf;
use std::time::Instant;

/// `remnant mesh`: the surface of one layer for 3-D printing or another planner.
#[derive(Debug, clap::Args)]
pub struct MeshArgs {
    /// The CT: a NIfTI file, or a DICOM folder / DICOMDIR / image file
    #[arg(long, value_name = "CT.nii.gz|DICOM_DIR")]
    pub ct: PathBuf,
    /// With a DICOM folder holding several series: the SeriesInstanceUID to use
    #[arg(long, value_name = "UID")]
    pub series: Option<String>,
    /// A Remnant label map on the CT's grid (values 0-6, or Remnant's layer bits)
    #[arg(long, value_name = "LABELS.nii.gz")]
    pub labels: PathBuf,
    /// Which surface: liver (every liver voxel), remnant, resection (liver in it) or tumour
    #[arg(long, value_name = "liver|remnant|resection|tumour", value_parser = args_mesh_layer)]
    pub layer: MeshLayer,
    /// The file to write: .stl (binary) or .obj, in patient mm, RAS+ (SPACE=RAS in its header)
    #[arg(long, value_name = "SURFACE.stl|SURFACE.obj", value_parser = surface_path)]
    pub out: PathBuf,
}

/// `liver`, `remnant`, `resection` or `tumour`.
fn args_mesh_layer(s: &str) -> Result<MeshLayer, String> {
    MeshLayer::parse(s).ok_or_else(|| "must be liver, remnant, resection or tumour".into())
}

/// A path ending in .stl or .obj.
fn surface_path(s: &str) -> Result<PathBuf, String> {
    let p = PathBuf::from(s);
    export::Format::from_path(&p)
        .map(|_| p)
        .ok_or_else(|| "must end in .stl or .obj".into())
}

pub fn run(a: MeshArgs) -> Result<(), super::CliError> {
    let t0 = Instant::now();
    let (g, _) = super::volumetry::ct_geometry(&a.ct, a.series.as_deref())?;
    let map = load_label_map(&a.labels, &g, Task::none())?;
    let mesh = mesh_layer(
        &map.bits,
        &g,
        a.layer,
        &MeshOptions::default(),
        Task::none(),
    )
    .map_err(|e| format!("{}: {e}", a.labels.display()))?;
    let title = format!("{} surface", a.layer.name());
    export::write(&mesh, &a.out, &title).map_err(|e| e.to_string())?;
    let (lo, hi) = mesh.bounds().unwrap_or(([0.0; 3], [0.0; 3]));
    println!(
        "wrote the {} surface to {}: {} triangles, {} vertices, x {:.1}..{:.1} y {:.1}..{:.1} z {:.1}..{:.1} mm (RAS+), {:.2} s",
        a.layer.name(),
        a.out.display(),
        mesh.triangles.len(),
        mesh.positions.len(),
        lo[0],
        hi[0],
        lo[1],
        hi[1],
        lo[2],
        hi[2],
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}
