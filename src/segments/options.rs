//! Resection options: every named hepatectomy, and the smallest segment sets that
//! remove every traced tumour, each measured as if it were the resection: FLR, sFLR
//! and the verdict by `clinical::assess_with_coverage`, the margins by
//! `volumetry::margins` (the same code the traced resection goes through).

use super::anatomy::{Hepatectomy, Segment, SegmentSet};
use super::assign::SegmentMap;
use super::table::TumourSegments;
use crate::segmentation::Layer;
use crate::segmentation::components::Component;
use crate::volume::Geometry;
use crate::volumetry::assessment::Decision;
use crate::volumetry::coverage::Coverage;
use crate::volumetry::margins::{MarginClass, Placement, margin_class, margins};
use crate::volumetry::{Counts, PlanInputs};
use serde::Serialize;

/// One resection option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResectionOption {
    /// `right-hemihepatectomy`, or `segments:2,3` for a segment set.
    pub name: String,
    /// "Right hemihepatectomy (5-8)" or "Segments 2, 3".
    pub label: String,
    pub hepatectomy: Option<Hepatectomy>,
    pub segments: Vec<Segment>,
    pub resected_ml: f64,
    pub remnant_ml: f64,
    pub flr_percent: Option<f64>,
    pub sflr_percent: Option<f64>,
    pub decision: Decision,
    /// Closest margin of the removed tumours, mm (None: none within the search radius,
    /// or no tumour removed).
    pub closest_margin_mm: Option<f64>,
    /// Every tumour removed with a margin > 10 mm: true, false, or None when 10 mm
    /// lies within the one-voxel uncertainty of the closest margin.
    pub margin_over_1cm: Option<bool>,
    /// True when the option removes every traced tumour.
    pub clears_all_tumours: bool,
    /// The tumours (ids) it leaves wholly or partly in the remnant.
    pub tumours_left: Vec<usize>,
    #[serde(skip)]
    pub set: SegmentSet,
}

/// The liver's box of the layers, its geometry and the tumours with seeds in it.
struct Crop {
    bits: Vec<u8>,
    geometry: Geometry,
    tumours: Vec<Component>,
}

fn crop(bits: &[u8], g: &Geometry, map: &SegmentMap, tumours: &[Component]) -> Crop {
    let [sx, sy, sz] = map.size;
    let [nx, ny, _] = g.dims;
    let mut out = vec![0u8; sx * sy * sz];
    for k in 0..sz {
        for j in 0..sy {
            let src = map.lo[0] + nx * ((j + map.lo[1]) + ny * (k + map.lo[2]));
            let dst = sx * (j + sy * k);
            out[dst..dst + sx].copy_from_slice(&bits[src..src + sx]);
        }
    }
    let o = g.to_world(map.lo.map(|v| v as f64));
    let mut geometry = g.clone();
    geometry.dims = map.size;
    for r in 0..3 {
        geometry.affine[r][3] = o[r];
    }
    let tumours = tumours
        .iter()
        .map(|c| {
            let mut c = c.clone();
            c.seed = [0, 1, 2].map(|a| c.seed[a].saturating_sub(map.lo[a]));
            c
        })
        .collect();
    Crop {
        bits: out,
        geometry,
        tumours,
    }
}

/// Set the resection bit of `bits` (the crop) to exactly the liver of `set`.
fn resect(bits: &mut [u8], codes: &[u8], set: SegmentSet) {
    let table = set.code_table();
    let r = Layer::Resection.bit();
    for (b, &c) in bits.iter_mut().zip(codes) {
        *b &= !r;
        if c != 0 && table[c as usize] {
            *b |= r;
        }
    }
}

/// Measure one segment set as the resection.
fn measure(
    c: &mut Crop,
    map: &SegmentMap,
    set: SegmentSet,
    inputs: &PlanInputs,
    coverage: Coverage,
) -> ResectionOption {
    resect(&mut c.bits, &map.codes, set);
    let counts = Counts::from_bits(&c.bits);
    let a = crate::clinical::assess_with_coverage(
        &counts,
        c.geometry.voxel_volume_mm3(),
        inputs,
        coverage,
    );
    let ms = margins(&c.bits, &c.geometry, &c.tumours);
    let left: Vec<usize> = ms
        .iter()
        .filter(|m| m.placement != Placement::Resected)
        .map(|m| m.id)
        .collect();
    let closest = ms
        .iter()
        .filter_map(|m| m.margin_mm.filter(|_| m.placement == Placement::Resected))
        .fold(None, |acc: Option<f64>, d| {
            Some(acc.map_or(d, |x| x.min(d)))
        });
    let resolution = ms.first().map(|m| m.resolution_mm).unwrap_or(0.0);
    let over = if !left.is_empty() {
        Some(false)
    } else {
        match closest {
            None => Some(true),
            Some(d) => match margin_class(d, resolution) {
                MarginClass::Above => Some(true),
                MarginClass::Below => Some(false),
                MarginClass::Uncertain => None,
            },
        }
    };
    ResectionOption {
        name: format!(
            "segments:{}",
            set.segments()
                .iter()
                .map(|s| s.name())
                .collect::<Vec<_>>()
                .join(",")
        ),
        label: format!("Segments {}", set.describe()),
        hepatectomy: None,
        segments: set.segments(),
        resected_ml: a.volumes.resected_ml,
        remnant_ml: a.volumes.remnant_ml,
        flr_percent: a.flr_percent,
        sflr_percent: a.body.as_ref().map(|b| b.sflr_percent),
        decision: a.verdict.decision,
        closest_margin_mm: closest,
        margin_over_1cm: over,
        clears_all_tumours: left.is_empty(),
        tumours_left: left,
        set,
    }
}

/// The smallest set of segments holding every tumour voxel.
pub fn tumour_set(ts: &[TumourSegments]) -> SegmentSet {
    let mut s = SegmentSet::default();
    for t in ts {
        for (seg, _) in &t.segments {
            s.insert(*seg);
        }
    }
    s
}

/// Every named hepatectomy, then the smallest segment set removing every tumour and,
/// when its closest margin is not above 10 mm, that set grown by each single segment
/// whose addition brings every margin above 10 mm. `coverage` is the liver's (the
/// liver is the same for every option).
pub fn options(
    bits: &[u8],
    g: &Geometry,
    map: &SegmentMap,
    tumours: &[Component],
    ts: &[TumourSegments],
    inputs: &PlanInputs,
    coverage: Coverage,
) -> Vec<ResectionOption> {
    let mut c = crop(bits, g, map, tumours);
    let mut out: Vec<ResectionOption> = Hepatectomy::ALL
        .into_iter()
        .map(|h| {
            let mut o = measure(&mut c, map, h.segments(), inputs, coverage);
            o.name = h.key().to_string();
            o.label = format!("{} ({})", h.label(), h.segments().describe());
            o.hepatectomy = Some(h);
            o
        })
        .collect();
    let min = tumour_set(ts);
    if min.is_empty() {
        return out;
    }
    let known = |out: &[ResectionOption], s: SegmentSet| out.iter().any(|o| o.set == s);
    if !known(&out, min) {
        let o = measure(&mut c, map, min, inputs, coverage);
        out.push(o);
    }
    let base = out.iter().find(|o| o.set == min).cloned();
    if base.is_some_and(|b| b.margin_over_1cm != Some(true)) {
        for s in Segment::ALL.into_iter().filter(|s| !min.contains(*s)) {
            let mut set = min;
            set.insert(s);
            if known(&out, set) {
                continue;
            }
            let o = measure(&mut c, map, set, inputs, coverage);
            if o.margin_over_1cm == Some(true) {
                out.push(o);
            }
        }
    }
    out
}
