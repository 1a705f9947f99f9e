//! Bench rows of the Lesion tool: one click inside a 12 mm-radius hypodense lesion
//! (-30 HU) implanted at the deepest point of the bench liver (the bench CT has none),
//! clicked 4 mm off its centre; its Dice against the implant. Called from perf.rs.

use super::{Row, row, time};
use remnant::segmentation::lesion::{self, LesionParams, Scan, phantom};
use remnant::segmentation::tools::Grid;
use remnant::segmentation::{LabelMap, Layer};
use remnant::volume::Volume;

pub fn rows(ct: &Volume<i16>, map: &LabelMap, rows: &mut Vec<Row>) {
    let grid = Grid::of(&ct.geometry);
    let Some((centre, depth)) = phantom::deepest_point(&grid, &map.bits, 4) else {
        return;
    };
    let mut hu = ct.as_slice().to_vec();
    let truth = phantom::implant(&grid, &mut hu, centre, 12.0_f64.min(depth - 5.0), -30.0);
    let off = (4.0 / grid.spacing[0]).round() as usize;
    let click = [centre[0] + off, centre[1], centre[2]];
    let scan = Scan {
        grid: &grid,
        ct: &hu,
        labels: &map.bits,
        liver_bits: Layer::Liver.bit() | Layer::Tumour.bit(),
    };
    let mut found = None;
    let t = time(5, || {
        found = lesion::segment(&scan, &[click], &LesionParams::default()).ok();
    });
    let Some(l) = found else {
        rows.push(row(
            "lesion tool: one click (no lesion found!)",
            t,
            None,
            "< 1 s",
        ));
        return;
    };
    let both = truth
        .iter()
        .filter(|&&i| l.preview.contains(grid.ijk(i)))
        .count();
    let dice = 2.0 * both as f64 / (truth.len() + l.voxels) as f64;
    rows.push(row(
        &format!(
            "lesion tool: one click, {:.1} mL lesion (Dice {dice:.3} vs implant)",
            l.volume_ml
        ),
        t,
        None,
        "< 1 s",
    ));
}
