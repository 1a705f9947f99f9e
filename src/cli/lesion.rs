//! `remnant lesion`: the Lesion tool, headless. One point (patient mm, RAS) per lesion;
//! each lesion is segmented in 3-D inside the liver and written as its number (1, 2,
//! ...) in a label map on the CT's grid. All or nothing: a point outside the scan or
//! the liver, in parenchyma, or in a lesion already found writes nothing.

use super::CliError;
use crate::segmentation::Layer;
use crate::segmentation::io::read_mask_on_grid;
use crate::segmentation::lesion::{self, Density, LesionParams, Scan};
use crate::segmentation::tools::Grid;
use crate::study::Study;
use crate::task::Task;
use crate::volume::nifti::MaskSelect;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Instant;

/// `remnant lesion --ct CT --liver LIVER --at X,Y,Z[;X,Y,Z...] --out TUMOUR [--json]`.
#[derive(Debug, clap::Args)]
pub struct LesionArgs {
    /// The CT (NIfTI file or DICOM folder)
    #[arg(long, value_name = "CT.nii.gz")]
    pub ct: PathBuf,
    /// The liver mask on the CT's grid (non-zero = liver; tumours may be in it or not)
    #[arg(long, value_name = "LIVER.nii.gz")]
    pub liver: PathBuf,
    /// One point inside each lesion, patient mm (RAS), points separated by ";"
    #[arg(long, value_name = "X,Y,Z[;X,Y,Z...]", value_parser = points, allow_hyphen_values = true)]
    pub at: Points,
    /// The label map to write: lesion n has value n, 0 elsewhere
    #[arg(long, value_name = "TUMOUR.nii.gz")]
    pub out: PathBuf,
    /// Print JSON (schema remnant.lesion/1)
    #[arg(long)]
    pub json: bool,
}

/// The points of `--at`.
#[derive(Debug, Clone, PartialEq)]
pub struct Points(pub Vec<[f64; 3]>);

/// `X,Y,Z;X,Y,Z...` (mm, RAS).
fn points(s: &str) -> Result<Points, String> {
    let mut out = Vec::new();
    for part in s.split(';').filter(|p| !p.trim().is_empty()) {
        let v: Vec<f64> = part
            .split(',')
            .map(|x| x.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| "must be points X,Y,Z (mm, RAS) separated by \";\"".to_string())?;
        match v[..] {
            [x, y, z] if v.iter().all(|c| c.is_finite()) => out.push([x, y, z]),
            _ => return Err("must be points X,Y,Z (mm, RAS) separated by \";\"".into()),
        }
    }
    if out.is_empty() {
        return Err("must give at least one point X,Y,Z (mm, RAS)".into());
    }
    Ok(Points(out))
}

#[derive(Serialize)]
struct LesionOut {
    number: usize,
    at_mm: [f64; 3],
    voxels: usize,
    volume_ml: f64,
    diameters_mm: lesion::Diameters,
    density: Density,
    lesion_hu: f64,
    liver_hu: f64,
    milliseconds: f64,
}

#[derive(Serialize)]
struct Out {
    schema: &'static str,
    out: String,
    lesions: Vec<LesionOut>,
    total_ml: f64,
    seconds: f64,
}

pub fn run(a: LesionArgs) -> Result<(), CliError> {
    let t0 = Instant::now();
    let study = Study::open(&a.ct, Task::none())?;
    let g = &study.ct.geometry;
    let grid = Grid::of(g);
    let liver = read_mask_on_grid(&a.liver, MaskSelect::NonZero, g, Task::none())?;
    let mut labels: Vec<u8> = liver.iter().map(|&v| v * Layer::Liver.bit()).collect();
    let mut numbers = vec![0u8; labels.len()];
    let mut found = Vec::new();
    for (n, &w) in a.at.0.iter().enumerate() {
        let name = format!(
            "--at point {} ({:.1}, {:.1}, {:.1})",
            n + 1,
            w[0],
            w[1],
            w[2]
        );
        let v = g
            .to_index(w)
            .and_then(|c| grid.nearest_voxel(c))
            .ok_or_else(|| format!("{name}: the point is outside the scan"))?;
        let idx = grid.flat(v[0], v[1], v[2]);
        if numbers[idx] != 0 {
            return Err(format!("{name} lies in lesion {} already found", numbers[idx]).into());
        }
        let scan = Scan {
            grid: &grid,
            ct: study.ct.as_slice(),
            labels: &labels,
            liver_bits: Layer::Liver.bit() | Layer::Tumour.bit(),
        };
        let l = lesion::segment(&scan, &[v], &LesionParams::default())
            .map_err(|e| format!("{name}: {e}"))?;
        let number = n + 1;
        if number > 255 {
            return Err("at most 255 lesions at a time".into());
        }
        l.preview.mark(&grid, &mut numbers, number as u8);
        let whole = Layer::Liver.bit() | Layer::Tumour.bit();
        l.preview.mark(&grid, &mut labels, whole);
        found.push(LesionOut {
            number,
            at_mm: w,
            voxels: l.voxels,
            volume_ml: l.volume_ml,
            diameters_mm: lesion::diameters(&l.preview, g),
            density: l.density,
            lesion_hu: l.lesion_hu,
            liver_hu: l.liver_hu,
            milliseconds: l.millis,
        });
    }
    crate::volume::nifti::write_volume(
        &a.out,
        &numbers,
        g,
        study.spatial(),
        "Remnant lesions: value n = lesion n",
    )?;
    let out = Out {
        schema: "remnant.lesion/1",
        out: a.out.display().to_string(),
        total_ml: found.iter().map(|l| l.volume_ml).sum(),
        lesions: found,
        seconds: t0.elapsed().as_secs_f64(),
    };
    print(&out, a.json)
}

fn print(out: &Out, json: bool) -> Result<(), CliError> {
    if json {
        println!("{}", serde_json::to_string_pretty(out)?);
        return Ok(());
    }
    for l in &out.lesions {
        let kind = match l.density {
            Density::Hypodense => "hypodense",
            Density::Hyperdense => "hyperdense",
        };
        println!(
            "lesion {}: {:.2} mL, {:.0} x {:.0} mm (largest {:.0} mm), {kind} ({:.0} HU, liver {:.0} HU), {:.0} ms",
            l.number,
            l.volume_ml,
            l.diameters_mm.long_axis_mm,
            l.diameters_mm.short_axis_mm,
            l.diameters_mm.max_3d_mm,
            l.lesion_hu,
            l.liver_hu,
            l.milliseconds
        );
    }
    println!(
        "{} lesions, {:.2} mL in all, written to {}",
        out.lesions.len(),
        out.total_ml,
        out.out
    );
    Ok(())
}
