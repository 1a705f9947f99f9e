//! Full-resolution refinement of the coarse grow result: the fine voxels of the
//! coarse cells on the coarse boundary are re-grown at full resolution, tile by
//! tile (in parallel), seeded by the coarse labels of the surrounding cells.

use super::super::geom::Bbox;
use super::super::grid::Grid;
use super::GrowError;
use super::level::Level;
use super::model::{BG, FG, Model};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};

/// Coarse cells per tile side.
const TILE: usize = 4;

/// Tiles re-grown by earlier runs with the same fine model, by tile index, with
/// a hash of their inputs: a tile whose inputs did not change is reused.
#[derive(Default)]
pub(super) struct TileCache {
    tiles: HashMap<usize, (u64, Tile)>,
}

impl TileCache {
    pub fn clear(&mut self) {
        self.tiles.clear();
    }
    /// Tiles reused by the last run.
    pub fn bytes(&self) -> usize {
        self.tiles.values().map(|(_, t)| t.mask.len() + 64).sum()
    }
}

pub(super) struct Job<'a> {
    pub grid: &'a Grid,
    pub ct: &'a [i16],
    pub factor: [usize; 3],
    pub coarse_dims: [usize; 3],
    /// Coarse foreground mask (0/1).
    pub coarse_mask: &'a [u8],
    pub fg: &'a [usize],
    pub bg: &'a [usize],
    pub model: &'a Model,
    pub refine: bool,
}

/// A re-grown tile: its box (grid coordinates) and 0/1 mask over it.
#[derive(Clone)]
struct Tile {
    b: Bbox,
    mask: Vec<u8>,
}

/// What a run did: tiles re-grown and tiles reused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RefineStats {
    pub regrown: usize,
    pub reused: usize,
}

impl Job<'_> {
    /// Fine mask (0/1) over `out` (grid coordinates).
    pub fn run(
        &self,
        cache: &mut TileCache,
        out: Bbox,
        cancel: &AtomicBool,
        progress: &dyn Fn(f32),
    ) -> Result<(Vec<u8>, RefineStats), GrowError> {
        let (d, f) = (self.coarse_dims, self.factor);
        let band = if self.refine {
            self.band()
        } else {
            vec![false; self.coarse_mask.len()]
        };
        let nt = d.map(|n| n.div_ceil(TILE));
        let tile_of = |c: [usize; 3]| c[0] / TILE + nt[0] * (c[1] / TILE + nt[1] * (c[2] / TILE));
        let mut seeds: HashMap<usize, Vec<([usize; 3], u8)>> = HashMap::new();
        for (list, lab) in [(self.fg, FG), (self.bg, BG)] {
            for &idx in list {
                let l = self.grid.ijk(idx);
                seeds
                    .entry(tile_of([0, 1, 2].map(|a| l[a] / f[a])))
                    .or_default()
                    .push((l, lab));
            }
        }
        let mut tiles: Vec<usize> = Vec::new();
        for (c, _) in band.iter().enumerate().filter(|(_, b)| **b) {
            tiles.push(tile_of([c % d[0], (c / d[0]) % d[1], c / (d[0] * d[1])]));
        }
        tiles.sort_unstable();
        tiles.dedup();
        let tc_of = |t: usize| [t % nt[0], (t / nt[0]) % nt[1], t / (nt[0] * nt[1])];
        let keys: Vec<u64> = tiles
            .iter()
            .map(|&t| self.key(tc_of(t), &band, seeds.get(&t).map(Vec::as_slice)))
            .collect();
        let mut old = std::mem::take(&mut cache.tiles);
        let mut stats = RefineStats::default();
        let mut todo = Vec::new();
        for (&t, &key) in tiles.iter().zip(&keys) {
            match old.remove(&t) {
                Some((k, tile)) if k == key => {
                    cache.tiles.insert(t, (k, tile));
                    stats.reused += 1;
                }
                _ => todo.push((t, key)),
            }
        }
        drop(old);
        stats.regrown = todo.len();
        let total = todo.len().max(1) as f32;
        // The progress callback is not Sync: report between parallel batches.
        for (n, batch) in todo.chunks(64).enumerate() {
            if cancel.load(Ordering::Relaxed) {
                return Err(GrowError::Cancelled);
            }
            let part: Vec<Result<Tile, GrowError>> = batch
                .par_iter()
                .map(|&(t, _)| self.tile(tc_of(t), &band, seeds.get(&t).map(Vec::as_slice), cancel))
                .collect();
            for (r, &(t, key)) in part.into_iter().zip(batch) {
                cache.tiles.insert(t, (key, r?));
            }
            progress((((n + 1) * 64) as f32 / total).min(1.0));
        }
        Ok((self.assemble(&band, cache, out), stats))
    }

    /// Hash of everything a tile's result depends on (besides the CT and the model):
    /// band and coarse labels of its cells and their neighbours, and its seeds.
    fn key(&self, t: [usize; 3], band: &[bool], seeds: Option<&[([usize; 3], u8)]>) -> u64 {
        let d = self.coarse_dims;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let lo = t.map(|v| (v * TILE).saturating_sub(1));
        let hi = [0, 1, 2].map(|a| ((t[a] + 1) * TILE + 1).min(d[a]));
        for k in lo[2]..hi[2] {
            for j in lo[1]..hi[1] {
                for i in lo[0]..hi[0] {
                    let c = i + d[0] * (j + d[1] * k);
                    (band[c], self.coarse_mask[c]).hash(&mut h);
                }
            }
        }
        seeds.unwrap_or(&[]).hash(&mut h);
        h.finish()
    }

    /// Output mask over `out`: coarse labels, band cells copied from their tile.
    fn assemble(&self, band: &[bool], cache: &TileCache, out: Bbox) -> Vec<u8> {
        let s = out.size();
        let (d, f) = (self.coarse_dims, self.factor);
        let nt = d.map(|n| n.div_ceil(TILE));
        let mut mask = vec![0u8; out.len()];
        mask.par_chunks_mut((s[0] * s[1]).max(1))
            .enumerate()
            .for_each(|(kk, slab)| {
                let k = out.lo[2] + kk;
                let ck = k / f[2];
                for jj in 0..s[1] {
                    let j = out.lo[1] + jj;
                    let cj = j / f[1];
                    let row = &mut slab[s[0] * jj..s[0] * (jj + 1)];
                    for (ii, v) in row.iter_mut().enumerate() {
                        let i = out.lo[0] + ii;
                        let ci = i / f[0];
                        let c = ci + d[0] * (cj + d[1] * ck);
                        *v = if band[c] {
                            let t = ci / TILE + nt[0] * (cj / TILE + nt[1] * (ck / TILE));
                            match cache.tiles.get(&t) {
                                Some((_, tl)) => {
                                    let (b, bs) = (tl.b, tl.b.size());
                                    tl.mask[(i - b.lo[0])
                                        + bs[0] * ((j - b.lo[1]) + bs[1] * (k - b.lo[2]))]
                                }
                                None => self.coarse_mask[c],
                            }
                        } else {
                            self.coarse_mask[c]
                        };
                    }
                }
            });
        mask
    }

    /// Coarse cells with a 6-neighbour of the other label.
    fn band(&self) -> Vec<bool> {
        let d = self.coarse_dims;
        let m = self.coarse_mask;
        let st = [1, d[0], d[0] * d[1]];
        (0..m.len())
            .into_par_iter()
            .map(|c| {
                let p = [c % d[0], (c / d[0]) % d[1], c / (d[0] * d[1])];
                (0..3).any(|a| {
                    (p[a] > 0 && m[c - st[a]] != m[c]) || (p[a] + 1 < d[a] && m[c + st[a]] != m[c])
                })
            })
            .collect()
    }
}

/// Model from the full-resolution values at the user's seeds.
pub(super) fn fine_model(
    grid: &Grid,
    ct: &[i16],
    fg: &[usize],
    bg: &[usize],
    gate_sd: f32,
    p: &super::GrowParams,
) -> Model {
    let at = |list: &[usize], smooth: bool| -> Vec<f32> {
        list.iter()
            .map(|&i| {
                if smooth {
                    smoothed_at(grid, ct, i)
                } else {
                    ct[i] as f32
                }
            })
            .collect()
    };
    Model::new(&at(fg, true), &at(fg, false), &at(bg, true), gate_sd, p)
}

impl Job<'_> {
    /// Re-grow one tile (`t` in tile units) with a one-voxel halo.
    fn tile(
        &self,
        t: [usize; 3],
        band: &[bool],
        seeds: Option<&[([usize; 3], u8)]>,
        cancel: &AtomicBool,
    ) -> Result<Tile, GrowError> {
        let (d, f, s) = (self.coarse_dims, self.factor, self.grid.dims);
        let lo = [0, 1, 2].map(|a| (t[a] * TILE * f[a]).min(s[a]));
        let hi = [0, 1, 2].map(|a| ((t[a] + 1) * TILE * f[a]).min(s[a]));
        let hlo = lo.map(|v| v.saturating_sub(1));
        let hhi = [0, 1, 2].map(|a| (hi[a] + 1).min(s[a]));
        let hd = [0, 1, 2].map(|a| hhi[a] - hlo[a]);
        let n = hd[0] * hd[1] * hd[2];
        let mut raw = Vec::with_capacity(n);
        let mut labels = Vec::with_capacity(n);
        for k in hlo[2]..hhi[2] {
            for j in hlo[1]..hhi[1] {
                let base = self.grid.flat(0, j, k);
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
            gas: Vec::new(),
        };
        level.smooth();
        for &(l, lab) in seeds.unwrap_or(&[]) {
            if (0..3).all(|a| l[a] >= hlo[a] && l[a] < hhi[a]) {
                labels[(l[0] - hlo[0]) + hd[0] * ((l[1] - hlo[1]) + hd[1] * (l[2] - hlo[2]))] = lab;
            }
        }
        let (mut dist, front) = level.start(&labels);
        level.compete(&mut labels, &mut dist, front, self.model, cancel, &|_| {})?;
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
