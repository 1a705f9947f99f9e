//! Per-voxel assignment of the liver (tumour included) to the segments, in one
//! parallel pass over the liver's bounding box.

use super::anatomy::{Segment, SegmentSet};
use super::landmarks::LandmarkError;
use super::planes::{LHV, MHV, PORTAL, RHV, SegmentPlanes};
use crate::segmentation::Layer;
use crate::volume::Geometry;
use rayon::prelude::*;

/// The segment of a point (patient mm) under the planes.
pub fn classify(p: &SegmentPlanes, x: [f64; 3]) -> Segment {
    if p.caudate.contains(x) {
        return Segment::S1;
    }
    let sup = p.portal.signed(x) > 0.0;
    let pick = |a, b| if sup { a } else { b };
    if p.mhv.signed(x) > 0.0 {
        if p.rhv.signed(x) > 0.0 {
            pick(Segment::S7, Segment::S6)
        } else {
            pick(Segment::S8, Segment::S5)
        }
    } else if p.lhv.signed(x) > 0.0 {
        pick(Segment::S2, Segment::S3)
    } else {
        pick(Segment::S4a, Segment::S4b)
    }
}

/// The liver's bounding box (liver or tumour bit), as [lo, hi) per axis.
pub fn liver_bbox(bits: &[u8], dims: [usize; 3]) -> Option<([usize; 3], [usize; 3])> {
    let [nx, ny, _] = dims;
    let liver = Layer::Liver.bit() | Layer::Tumour.bit();
    let per_slice: Vec<Option<([usize; 3], [usize; 3])>> = bits
        .par_chunks(nx * ny)
        .enumerate()
        .map(|(k, sl)| {
            let mut lo = [usize::MAX, usize::MAX, k];
            let mut hi = [0, 0, k + 1];
            let mut any = false;
            for (j, row) in sl.chunks(nx).enumerate() {
                let Some(first) = row.iter().position(|&b| b & liver != 0) else {
                    continue;
                };
                let last = row.iter().rposition(|&b| b & liver != 0).unwrap_or(first);
                any = true;
                lo[0] = lo[0].min(first);
                hi[0] = hi[0].max(last + 1);
                lo[1] = lo[1].min(j);
                hi[1] = hi[1].max(j + 1);
            }
            any.then_some((lo, hi))
        })
        .collect();
    per_slice
        .into_iter()
        .flatten()
        .reduce(|(la, ha), (lb, hb)| {
            (
                [0, 1, 2].map(|a| la[a].min(lb[a])),
                [0, 1, 2].map(|a| ha[a].max(hb[a])),
            )
        })
}

/// Segment codes ([`Segment::code`], 0 = not liver) over the liver's bounding box.
#[derive(Clone, PartialEq)]
pub struct SegmentMap {
    pub lo: [usize; 3],
    pub size: [usize; 3],
    pub codes: Vec<u8>,
    /// Voxels of each code (liver and tumour), index = code.
    pub voxels: [u64; 10],
    /// Tumour voxels of each code.
    pub tumour_voxels: [u64; 10],
}

impl std::fmt::Debug for SegmentMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SegmentMap {{ lo: {:?}, size: {:?}, voxels: {:?} }}",
            self.lo, self.size, self.voxels
        )
    }
}

impl SegmentMap {
    /// The code of grid voxel (i, j, k) (0 outside the liver).
    pub fn code_at(&self, p: [usize; 3]) -> u8 {
        if (0..3).any(|a| p[a] < self.lo[a] || p[a] >= self.lo[a] + self.size[a]) {
            return 0;
        }
        let l = (p[0] - self.lo[0])
            + self.size[0] * ((p[1] - self.lo[1]) + self.size[1] * (p[2] - self.lo[2]));
        self.codes[l]
    }

    /// Crop-local index of a grid voxel inside the box.
    pub fn local(&self, p: [usize; 3]) -> usize {
        (p[0] - self.lo[0])
            + self.size[0] * ((p[1] - self.lo[1]) + self.size[1] * (p[2] - self.lo[2]))
    }

    /// The segment codes as a full-grid label map (0 outside the liver).
    pub fn to_grid(&self, dims: [usize; 3]) -> Vec<u8> {
        let mut out = vec![0u8; dims[0] * dims[1] * dims[2]];
        let [sx, sy, sz] = self.size;
        for k in 0..sz {
            for j in 0..sy {
                let src = sx * (j + sy * k);
                let dst = self.lo[0] + dims[0] * ((j + self.lo[1]) + dims[1] * (k + self.lo[2]));
                out[dst..dst + sx].copy_from_slice(&self.codes[src..src + sx]);
            }
        }
        out
    }

    /// Where to write each segment's number in 3-D: the mean voxel position (i, j, k)
    /// of its voxels, for each segment that has any, in anatomical order (1 ... 8).
    pub fn centroids(&self) -> Vec<(Segment, [f64; 3])> {
        let mut sum = [[0.0f64; 3]; 10];
        let mut n = [0u64; 10];
        let [sx, sy, sz] = self.size;
        for k in 0..sz {
            for j in 0..sy {
                let row = sx * (j + sy * k);
                for (i, &c) in self.codes[row..row + sx].iter().enumerate() {
                    let c = c as usize;
                    if c != 0 {
                        n[c] += 1;
                        let s = &mut sum[c];
                        s[0] += i as f64;
                        s[1] += j as f64;
                        s[2] += k as f64;
                    }
                }
            }
        }
        Segment::ALL
            .into_iter()
            .filter(|seg| n[seg.code() as usize] > 0)
            .map(|seg| {
                let c = seg.code() as usize;
                let (s, m) = (sum[c], n[c] as f64);
                (seg, [0, 1, 2].map(|a| self.lo[a] as f64 + s[a] / m))
            })
            .collect()
    }

    /// Where to write each segment's number on slice `slice` of voxel axis `normal`:
    /// the mean voxel position (i, j, k) of its voxels on that slice.
    pub fn slice_centroids(&self, normal: usize, slice: usize) -> Vec<(Segment, [f64; 3])> {
        if slice < self.lo[normal] || slice >= self.lo[normal] + self.size[normal] {
            return Vec::new();
        }
        let mut sum = [[0.0f64; 3]; 10];
        let mut n = [0u64; 10];
        let [sx, sy, sz] = self.size;
        let s = slice - self.lo[normal];
        let (ri, rj, rk) = match normal {
            0 => (s..s + 1, 0..sy, 0..sz),
            1 => (0..sx, s..s + 1, 0..sz),
            _ => (0..sx, 0..sy, s..s + 1),
        };
        for k in rk {
            for j in rj.clone() {
                for i in ri.clone() {
                    let c = self.codes[i + sx * (j + sy * k)] as usize;
                    if c != 0 {
                        n[c] += 1;
                        for (a, v) in [i, j, k].into_iter().enumerate() {
                            sum[c][a] += (v + self.lo[a]) as f64;
                        }
                    }
                }
            }
        }
        Segment::ALL
            .into_iter()
            .filter(|s| n[s.code() as usize] > 0)
            .map(|s| {
                let c = s.code() as usize;
                (s, sum[c].map(|v| v / n[c] as f64))
            })
            .collect()
    }

    /// Liver voxels (tumour included) in the segments of `set`.
    pub fn voxels_in(&self, set: SegmentSet) -> u64 {
        set.segments()
            .iter()
            .map(|s| self.voxels[s.code() as usize])
            .sum()
    }

    /// Each plane must leave liver on both of its sides (within the hemiliver it
    /// divides): the error names the vein whose plane does not.
    fn check_cuts(&self) -> Result<(), LandmarkError> {
        let n =
            |segs: &[Segment]| -> u64 { segs.iter().map(|s| self.voxels[s.code() as usize]).sum() };
        use Segment::*;
        if n(&[S5, S6, S7, S8]) == 0 || n(&[S2, S3, S4a, S4b]) == 0 {
            return Err(LandmarkError::NoCut(MHV));
        }
        if n(&[S6, S7]) == 0 || n(&[S5, S8]) == 0 {
            return Err(LandmarkError::NoCut(RHV));
        }
        if n(&[S2, S3]) == 0 || n(&[S4a, S4b]) == 0 {
            return Err(LandmarkError::NoCut(LHV));
        }
        if n(&[S2, S4a, S7, S8]) == 0 || n(&[S3, S4b, S5, S6]) == 0 {
            return Err(LandmarkError::NoCut(PORTAL));
        }
        Ok(())
    }
}

/// Assign every liver voxel of `bits` to a segment. Errors: no liver, or a plane that
/// does not cut the liver (named).
pub fn assign(
    bits: &[u8],
    g: &Geometry,
    planes: &SegmentPlanes,
) -> Result<SegmentMap, LandmarkError> {
    if bits.len() != g.voxel_count() {
        return Err(LandmarkError::NoLiver);
    }
    let (lo, hi) = liver_bbox(bits, g.dims).ok_or(LandmarkError::NoLiver)?;
    let size = [0, 1, 2].map(|a| hi[a] - lo[a]);
    let mut codes = vec![0u8; size[0] * size[1] * size[2]];
    let [nx, ny, _] = g.dims;
    let liver = Layer::Liver.bit() | Layer::Tumour.bit();
    let tumour = Layer::Tumour.bit();
    let m = g.linear();
    let col = |c: usize| [m[0][c], m[1][c], m[2][c]];
    let ci = col(0);
    let (counts, tcounts) = codes
        .par_chunks_mut(size[0] * size[1])
        .enumerate()
        .map(|(kk, slab)| {
            let mut c = [0u64; 10];
            let mut t = [0u64; 10];
            let k = kk + lo[2];
            for jj in 0..size[1] {
                let j = jj + lo[1];
                let row = nx * (j + ny * k);
                let w0 = g.to_world([lo[0] as f64, j as f64, k as f64]);
                for ii in 0..size[0] {
                    let b = bits[row + lo[0] + ii];
                    if b & liver == 0 {
                        continue;
                    }
                    let f = ii as f64;
                    let x = [w0[0] + ci[0] * f, w0[1] + ci[1] * f, w0[2] + ci[2] * f];
                    let code = classify(planes, x).code();
                    slab[ii + size[0] * jj] = code;
                    c[code as usize] += 1;
                    if b & tumour != 0 {
                        t[code as usize] += 1;
                    }
                }
            }
            (c, t)
        })
        .reduce(
            || ([0u64; 10], [0u64; 10]),
            |(mut a, mut ta), (b, tb)| {
                for i in 0..10 {
                    a[i] += b[i];
                    ta[i] += tb[i];
                }
                (a, ta)
            },
        );
    let map = SegmentMap {
        lo,
        size,
        codes,
        voxels: counts,
        tumour_voxels: tcounts,
    };
    map.check_cuts()?;
    Ok(map)
}
