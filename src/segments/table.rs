//! Segment volumes (mL, % of the functional liver) and which segments each tumour
//! occupies.

use super::anatomy::Segment;
use super::assign::SegmentMap;
use crate::segmentation::Layer;
use crate::segmentation::components::Component;
use crate::volume::Geometry;
use serde::Serialize;

/// One segment's volume.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentVolume {
    pub id: Segment,
    /// Liver voxels of the segment, tumour included.
    pub voxels: u64,
    /// Whole segment (tumour included), mL.
    pub volume_ml: f64,
    /// Segment without tumour, mL.
    pub functional_ml: f64,
    /// Functional part of the segment, % of the functional liver (total - tumour).
    pub percent: Option<f64>,
    /// Ids of the tumours with voxels in this segment.
    pub tumours: Vec<usize>,
}

/// Which segments one tumour occupies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TumourSegments {
    pub tumour: usize,
    /// The segments holding its voxels, most voxels first, with the mL in each.
    pub segments: Vec<(Segment, f64)>,
}

impl TumourSegments {
    /// "7, 8" or "8 (mostly), 5".
    pub fn describe(&self) -> String {
        self.segments
            .iter()
            .map(|(s, _)| s.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The segments of every tumour: the component grown from its seed (face neighbours)
/// inside the segment map's box.
pub fn tumour_segments(
    bits: &[u8],
    g: &Geometry,
    map: &SegmentMap,
    tumours: &[Component],
) -> Vec<TumourSegments> {
    let t = Layer::Tumour.bit();
    let [nx, ny, _] = g.dims;
    let mut seen = vec![false; map.codes.len()];
    let mut out = Vec::new();
    let inside =
        |p: [usize; 3]| (0..3).all(|a| p[a] >= map.lo[a] && p[a] < map.lo[a] + map.size[a]);
    for c in tumours {
        let mut n = [0u64; 10];
        let mut stack = vec![c.seed];
        if inside(c.seed) {
            seen[map.local(c.seed)] = true;
        }
        while let Some(p) = stack.pop() {
            if !inside(p) || bits[p[0] + nx * (p[1] + ny * p[2])] & t == 0 {
                continue;
            }
            n[map.code_at(p) as usize] += 1;
            for a in 0..3 {
                for d in [-1i64, 1] {
                    let v = p[a] as i64 + d;
                    if v < 0 {
                        continue;
                    }
                    let mut q = p;
                    q[a] = v as usize;
                    if inside(q)
                        && !seen[map.local(q)]
                        && bits[q[0] + nx * (q[1] + ny * q[2])] & t != 0
                    {
                        seen[map.local(q)] = true;
                        stack.push(q);
                    }
                }
            }
        }
        let ml = g.voxel_volume_mm3() / 1000.0;
        let mut segs: Vec<(Segment, f64)> = Segment::ALL
            .into_iter()
            .filter(|s| n[s.code() as usize] > 0)
            .map(|s| (s, n[s.code() as usize] as f64 * ml))
            .collect();
        segs.sort_by(|a, b| b.1.total_cmp(&a.1));
        out.push(TumourSegments {
            tumour: c.id,
            segments: segs,
        });
    }
    out
}

/// The volume table of the segments (in [`Segment::ALL`] order).
pub fn volumes(map: &SegmentMap, g: &Geometry, tumours: &[TumourSegments]) -> Vec<SegmentVolume> {
    let ml = g.voxel_volume_mm3() / 1000.0;
    let total: u64 = map.voxels.iter().sum();
    let functional = total - map.tumour_voxels.iter().sum::<u64>();
    Segment::ALL
        .into_iter()
        .map(|s| {
            let c = s.code() as usize;
            let f = map.voxels[c] - map.tumour_voxels[c];
            SegmentVolume {
                id: s,
                voxels: map.voxels[c],
                volume_ml: map.voxels[c] as f64 * ml,
                functional_ml: f as f64 * ml,
                percent: (functional > 0).then(|| 100.0 * f as f64 / functional as f64),
                tumours: tumours
                    .iter()
                    .filter(|t| t.segments.iter().any(|(x, _)| *x == s))
                    .map(|t| t.tumour)
                    .collect(),
            }
        })
        .collect()
}
