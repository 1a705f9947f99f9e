//! The liver keeps its tumours: the voxels left between the liver layer and a tumour
//! inside it or at its edge (a grow from seeds or a region fill stops a voxel or two
//! short of a tumour; a lesion found by a click stops at its own edge) are part of the
//! liver. They are the voxels in neither layer within `r_mm` of a tumour that the
//! morphological closing (radius `r_mm`) of liver + tumour adds or that lie within `r_mm`
//! of the liver layer too (between the two: where a tumour meets the liver's surface the
//! gap opens outwards and a closing alone leaves its mouth), and that are tissue, not fat
//! or air (HU above -30), so the fat around a tumour bulging from the liver is not taken.

use super::roi::Roi;
use crate::segmentation::Layer;
use crate::segmentation::tools::{Bbox, Grid};

/// Lowest HU a gap voxel may have (fat is about -100, bile and fluid 0-20).
pub const GAP_MIN_HU: i16 = -30;
/// The closing radius: gaps up to about twice this wide are closed.
pub const GAP_MM: f64 = 3.0;

/// Flat indices of the gap voxels between the liver and the tumours whose voxels lie
/// in `near` (a box of the scan; the search covers it and a margin around it).
pub fn liver_tumour_gap(
    grid: &Grid,
    ct: &[i16],
    labels: &[u8],
    near: Bbox,
    r_mm: f64,
) -> Vec<usize> {
    if near.is_empty() || !grid.fits(labels.len()) || ct.len() != labels.len() {
        return Vec::new();
    }
    let (l, t) = (Layer::Liver.bit(), Layer::Tumour.bit());
    let sp = grid.safe_spacing();
    let m = sp.map(|s| (3.0 * r_mm / s).ceil() as usize + 1);
    let roi = Roi::new(near.expand(m, grid), grid);
    let bits: Vec<u8> = roi.gather(grid, |i| labels[i]);
    if !bits.iter().any(|&b| b & t != 0) || !bits.iter().any(|&b| b & l != 0 && b & t == 0) {
        return Vec::new();
    }
    let whole: Vec<bool> = bits.iter().map(|&b| b & (l | t) != 0).collect();
    let tumour: Vec<bool> = bits.iter().map(|&b| b & t != 0).collect();
    let liver: Vec<bool> = bits.iter().map(|&b| b & l != 0).collect();
    let closed = roi.close(&whole, r_mm);
    let near_tumour = roi.dilate(&tumour, r_mm);
    let near_liver = roi.dilate(&liver, r_mm);
    (0..roi.len())
        .filter(|&x| !whole[x] && near_tumour[x] && (closed[x] || near_liver[x]))
        .map(|x| {
            let v = roi.voxel(x);
            grid.flat(v[0], v[1], v[2])
        })
        .filter(|&i| ct[i] > GAP_MIN_HU)
        .collect()
}
