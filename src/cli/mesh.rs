//! `remnant mesh`: one layer's surface as a binary STL or an OBJ, in patient mm (RAS+).

use super::args::{Args, Spec};
use crate::mesh::{MeshLayer, MeshOptions, export, mesh_layer};
use crate::segmentation::io::load_label_map;
use crate::task::Task;
use std::time::Instant;

pub const SPEC: Spec = Spec {
    values: &["ct", "series", "labels", "layer", "out"],
    switches: &[],
};

pub const USAGE: &str =
    "remnant mesh --ct CT.nii.gz|DICOM_DIR [--series UID] --labels LABELS.nii.gz
        --layer liver|remnant|resection|tumour --out SURFACE.stl|SURFACE.obj   (patient mm, RAS+)";

pub fn run(argv: &[std::ffi::OsString]) -> Result<(), String> {
    let a = Args::parse(argv, &SPEC)?;
    let t0 = Instant::now();
    let ct = a.require_path("ct")?;
    let labels = a.require_path("labels")?;
    let out = a.require_path("out")?;
    let layer_text = a
        .text("layer")
        .ok_or("--layer is required (liver, remnant, resection or tumour)")?;
    let layer = MeshLayer::parse(&layer_text).ok_or_else(|| {
        format!("--layer \"{layer_text}\" must be liver, remnant, resection or tumour")
    })?;
    if export::Format::from_path(&out).is_none() {
        return Err(format!(
            "--out {}: the file name must end in .stl or .obj",
            out.display()
        ));
    }
    let (g, _) = super::volumetry::ct_geometry(&ct, a.text("series").as_deref())?;
    let map = load_label_map(&labels, &g, Task::none())?;
    let mesh = mesh_layer(&map.bits, &g, layer, &MeshOptions::default(), Task::none())
        .map_err(|e| format!("{}: {e}", labels.display()))?;
    let title = format!("{} surface", layer.name());
    export::write(&mesh, &out, &title).map_err(|e| e.to_string())?;
    let (lo, hi) = mesh.bounds().unwrap_or(([0.0; 3], [0.0; 3]));
    println!(
        "wrote the {} surface to {}: {} triangles, {} vertices, x {:.1}..{:.1} y {:.1}..{:.1} z {:.1}..{:.1} mm (RAS+), {:.2} s",
        layer.name(),
        out.display(),
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
