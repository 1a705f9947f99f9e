//! Full-resolution refinement of the coarse grow result: the fine voxels of the
//! coarse cells on the coarse boundary are re-grown at full resolution, tile by
//! tile (in parallel), seeded by the coarse labels of the surrounding cells.

use super::super::geom::{Bbox, GridExt};
use super::super::grid::Grid;
use super::level::{BG, FG, Level};
use super::model::Model;
use super::{GrowError, GrowParams};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

/// Coarse cells per tile side.
const TILE: usize = 4;

pub(super) struct Job<'a> {
    pub grid: &'a Grid,
    pub ct: &'a [i16],
    pub roi: Bbox,
    pub factor: [usize; 3],
    pub coarse_dims: [usize; 3],
    /// Coarse foreground mask (0/1).
    pub coarse_mask: &'a [u8],
    pub fg: &'a [usize],
    pub bg: &'a [usize],
    pub params: &'a GrowParams,
}

/// A re-grown tile: ROI-local box and 0/1 mask over it.
struct Tile {
    b: Bbox,
    mask: Vec<u8>,
}

impl Job<'_> {
    /// Fine mask over the ROI (one byte per voxel, 0/1).
    pub fn run(&self, cancel: &AtomicBool, progress: &dyn Fn(f32)) -> Result<Vec<u8>, GrowError> {
        let (d, f) = (self.coarse_dims, self.factor);
        let band = if self.params.refine {
            self.band()
        } else {
            vec![false; self.coarse_mask.len()]
        };
        let nt = d.map(|n| n.div_ceil(TILE));
        let tile_of = |c: [usize; 3]| c[0] / TILE + nt[0] * (c[1] / TILE + nt[1] * (c[2] / TILE));
        let mut seeds: HashMap<usize, Vec<([usize; 3], u8)>> = HashMap::new();
        for (list, lab) in [(self.fg, FG), (self.bg, BG)] {
            for &idx in list {
                let p = self.grid.ijk(idx);
                if self.roi.contains(p) {
                    let l = [0, 1, 2].map(|a| p[a] - self.roi.lo[a]);
                    seeds
                        .entry(tile_of([0, 1, 2].map(|a| l[a] / f[a])))
                        .or_default()
                        .push((l, lab));
                }
            }
        }
        let mut tiles: Vec<usize> = Vec::new();
        for (c, _) in band.iter().enumerate().filter(|(_, b)| **b) {
            tiles.push(tile_of([c % d[0], (c / d[0]) % d[1], c / (d[0] * d[1])]));
        }
        tiles.sort_unstable();
        tiles.dedup();
        let model = self.fine_model();
        let total = tiles.len().max(1) as f32;
        let mut results: Vec<Tile> = Vec::with_capacity(tiles.len());
        // The progress callback is not Sync: report between parallel batches.
        for (n, batch) in tiles.chunks(64).enumerate() {
            if cancel.load(Ordering::Relaxed) {
                return Err(GrowError::Cancelled);
            }
            let part: Vec<Result<Tile, GrowError>> = batch
                .par_iter()
                .map(|&t| {
                    let tc = [t % nt[0], (t / nt[0]) % nt[1], t / (nt[0] * nt[1])];
                    self.tile(tc, &band, &model, seeds.get(&t).map(Vec::as_slice), cancel)
                })
                .collect();
            for r in part {
                results.push(r?);
            }
            progress((((n + 1) * 64) as f32 / total).min(1.0));
        }
        let mut slot = vec![u32::MAX; nt.iter().product()];
        for (n, &t) in tiles.iter().enumerate() {
            slot[t] = n as u32;
        }
        Ok(self.assemble(&band, &results, &slot))
    }

    /// Output mask: coarse labels, band cells copied from their tile.
    fn assemble(&self, band: &[bool], tiles: &[Tile], slot: &[u32]) -> Vec<u8> {
        let s = self.roi.size();
        let (d, f) = (self.coarse_dims, self.factor);
        let nt = d.map(|n| n.div_ceil(TILE));
        let mut out = vec![0u8; self.roi.len()];
        out.par_chunks_mut((s[0] * s[1]).max(1))
            .enumerate()
            .for_each(|(k, slab)| {
                let ck = k / f[2];
                for j in 0..s[1] {
                    let cj = j / f[1];
                    let row = &mut slab[s[0] * j..s[0] * (j + 1)];
                    for (ci, seg) in row.chunks_mut(f[0]).enumerate() {
                        let c = ci + d[0] * (cj + d[1] * ck);
                        let t = ci / TILE + nt[0] * (cj / TILE + nt[1] * (ck / TILE));
                        let tile = slot.get(t).and_then(|&n| tiles.get(n as usize));
                        match tile {
                            Some(tl) if band[c] => {
                                let (b, bs) = (tl.b, tl.b.size());
                                let start = (ci * f[0] - b.lo[0])
                                    + bs[0] * ((j - b.lo[1]) + bs[1] * (k - b.lo[2]));
                                seg.copy_from_slice(&tl.mask[start..start + seg.len()]);
                            }
                            _ => seg.fill(self.coarse_mask[c]),
                        }
                    }
                }
            });
        out
    }

    /// Coarse cells with a 6-neighbour of the other label.
    fn band(&self) -> Vec<bool> {
        let d = self.coarse_dims;
        let m = self.coarse_mask;
        let st = [1, d[0], d[0] * d[1]];
        (0..m.len())
            .map(|c| {
                let p = [c % d[0], (c / d[0]) % d[1], c / (d[0] * d[1])];
                (0..3).any(|a| {
                    (p[a] > 0 && m[c - st[a]] != m[c]) || (p[a] + 1 < d[a] && m[c + st[a]] != m[c])
                })
            })
            .collect()
    }

    /// Model from the full-resolution values at the user's seeds.
    fn fine_model(&self) -> Model {
        let at = |list: &[usize], smooth: bool| -> Vec<f32> {
            list.iter()
                .map(|&i| {
                    if smooth {
                        smoothed_at(self.grid, self.ct, i)
                    } else {
                        self.ct[i] as f32
                    }
                })
                .collect()
        };
        Model::new(
            &at(self.fg, true),
            &at(self.fg, false),
            &at(self.bg, true),
            self.params,
        )
    }

    /// Re-grow one tile (`t` in tile units) with a one-voxel halo.
    fn tile(
        &self,
        t: [usize; 3],
        band: &[bool],
        model: &Model,
        seeds: Option<&[([usize; 3], u8)]>,
        cancel: &AtomicBool,
    ) -> Result<Tile, GrowError> {
        let (d, f, s) = (self.coarse_dims, self.factor, self.roi.size());
        let lo = [0, 1, 2].map(|a| (t[a] * TILE * f[a]).min(s[a]));
        let hi = [0, 1, 2].map(|a| ((t[a] + 1) * TILE * f[a]).min(s[a]));
        let hlo = lo.map(|v| v.saturating_sub(1));
        let hhi = [0, 1, 2].map(|a| (hi[a] + 1).min(s[a]));
        let hd = [0, 1, 2].map(|a| hhi[a] - hlo[a]);
        let n = hd[0] * hd[1] * hd[2];
        let mut raw = Vec::with_capacity(n);
        let mut labels = Vec::with_capacity(n);
        let r = self.roi.lo;
        for k in hlo[2]..hhi[2] {
            for j in hlo[1]..hhi[1] {
                let base = self.grid.flat(r[0], r[1] + j, r[2] + k);
                raw.extend(
                    self.ct[base + hlo[0]..base + hhi[0]]
                        .iter()
                        .map(|&v| v as f32),
                );
                let crow = d[0] * (j / f[1] + d[1] * (k / f[2]));
                labels.extend((hlo[0]..hhi[0]).map(|i| {
                    let c = crow + i / f[0];
                    match (band[c], self.coarse_mask[c]) {
                        (true, _) => 0,
                        (false, 0) => BG,
                        _ => FG,
                    }
                }));
            }
        }
        let mut level = Level {
            dims: hd,
            sp: self.grid.safe_spacing(),
            img: raw.clone(),
            raw,
        };
        level.smooth();
        for &(l, lab) in seeds.unwrap_or(&[]) {
            if (0..3).all(|a| l[a] >= hlo[a] && l[a] < hhi[a]) {
                labels[(l[0] - hlo[0]) + hd[0] * ((l[1] - hlo[1]) + hd[1] * (l[2] - hlo[2]))] = lab;
            }
        }
        level.compete(&mut labels, model, cancel, &|_| {})?;
        let b = Bbox { lo, hi };
        let mut mask = Vec::with_capacity(b.len());
        for k in lo[2]..hi[2] {
            for j in lo[1]..hi[1] {
                let crow = d[0] * (j / f[1] + d[1] * (k / f[2]));
                let hrow = hd[0] * ((j - hlo[1]) + hd[1] * (k - hlo[2]));
                mask.extend((lo[0]..hi[0]).map(|i| match labels[hrow + i - hlo[0]] {
                    0 => self.coarse_mask[crow + i / f[0]],
                    x => (x == FG) as u8,
                }));
            }
        }
        Ok(Tile { b, mask })
    }
}

/// [1 2 1]^3 / 64 smoothed CT value at a voxel (borders replicated).
fn smoothed_at(grid: &Grid, ct: &[i16], idx: usize) -> f32 {
    let p = grid.ijk(idx);
    let mut sum = 0f32;
    for dk in 0..3usize {
        for dj in 0..3usize {
            for di in 0..3usize {
                let q = [(p[0] + di, 0), (p[1] + dj, 1), (p[2] + dk, 2)]
                    .map(|(v, a)| v.saturating_sub(1).min(grid.dims[a].saturating_sub(1)));
                let w: f32 = [di, dj, dk]
                    .iter()
                    .map(|&x| if x == 1 { 2.0 } else { 1.0 })
                    .product();
                sum += w * ct[grid.flat(q[0], q[1], q[2])] as f32;
            }
        }
    }
    sum / 64.0
}
