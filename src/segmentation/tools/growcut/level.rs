//! One resolution level of grow from seeds: a smoothed HU image and the
//! competitive bucket-queue Dijkstra on it.

use super::super::edt::sq_edt;
use super::super::geom::Bbox;
use super::super::grid::Grid;
use super::super::region::components;
use super::model::{BG, FG, Model};
use super::{GrowError, GrowParams};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// Cost units per HU.
const UNIT: f32 = 4.0;
/// Largest edge cost (units); also the bucket ring size - 1.
const MAX_EDGE: u32 = 4095;

/// A (smoothed) image on a box, with its voxel spacing.
pub(super) struct Level {
    pub dims: [usize; 3],
    pub sp: [f64; 3],
    /// Smoothed values (costs).
    pub img: Vec<f32>,
    /// Unsmoothed values (foreground gate).
    pub raw: Vec<f32>,
    /// Cells holding a CT voxel below [`super::AIR_HU`] (gas); empty on
    /// levels that do not need it.
    pub gas: Vec<bool>,
}

impl Level {
    pub fn len(&self) -> usize {
        self.dims.iter().product()
    }

    /// Block-mean downsampling of the CT inside `roi` by `f`, then smoothing.
    pub fn downsample(grid: &Grid, ct: &[i16], roi: &Bbox, f: [usize; 3]) -> Level {
        let size = roi.size();
        let dims = [0, 1, 2].map(|a| size[a].div_ceil(f[a].max(1)));
        let sp = grid.safe_spacing();
        let mut img = vec![0f32; dims.iter().product()];
        let mut gas = vec![false; img.len()];
        let plane = dims[0] * dims[1];
        let air = super::AIR_HU as i16;
        img.par_chunks_mut(plane.max(1))
            .zip(gas.par_chunks_mut(plane.max(1)))
            .enumerate()
            .for_each(|(ck, (out, gas))| {
                let mut sum = vec![0i64; plane];
                let mut cnt = vec![0u32; plane];
                let k0 = roi.lo[2] + ck * f[2];
                for k in k0..(k0 + f[2]).min(roi.hi[2]) {
                    for j in roi.lo[1]..roi.hi[1] {
                        let row0 = dims[0] * ((j - roi.lo[1]) / f[1]);
                        let base = grid.flat(0, j, k);
                        let row = &ct[base + roi.lo[0]..base + roi.hi[0]];
                        for (ci, chunk) in row.chunks(f[0].max(1)).enumerate() {
                            sum[row0 + ci] += chunk.iter().map(|&v| v as i64).sum::<i64>();
                            cnt[row0 + ci] += chunk.len() as u32;
                            if chunk.iter().any(|&v| v < air) {
                                gas[row0 + ci] = true;
                            }
                        }
                    }
                }
                for c in 0..plane {
                    out[c] = sum[c] as f32 / cnt[c].max(1) as f32;
                }
            });
        let mut l = Level {
            dims,
            sp: [0, 1, 2].map(|a| sp[a] * f[a] as f64),
            raw: img.clone(),
            img,
            gas,
        };
        l.smooth();
        l
    }

    /// Separable [1 2 1] / 4 smoothing along every axis (borders replicated).
    pub fn smooth(&mut self) {
        let d = self.dims;
        let plane = d[0] * d[1];
        if plane == 0 || d[2] == 0 {
            return;
        }
        let in_plane = |slab: &mut [f32]| {
            let mut line = Vec::new();
            for (a, n, stride) in [(0, d[0], 1), (1, d[1], d[0])] {
                if d[a] < 2 {
                    continue;
                }
                let starts: Vec<usize> = if a == 0 {
                    (0..d[1]).map(|j| j * d[0]).collect()
                } else {
                    (0..d[0]).collect()
                };
                for s0 in starts {
                    line.clear();
                    line.extend((0..n).map(|c| slab[s0 + c * stride]));
                    for c in 0..n {
                        let lo = line[c.saturating_sub(1)];
                        let hi = line[(c + 1).min(n - 1)];
                        slab[s0 + c * stride] = 0.25 * lo + 0.5 * line[c] + 0.25 * hi;
                    }
                }
            }
        };
        let big = self.img.len() >= 1 << 18;
        if big {
            self.img.par_chunks_mut(plane).for_each(in_plane);
        } else {
            self.img.chunks_mut(plane).for_each(in_plane);
        }
        if d[2] >= 2 {
            let src = self.img.clone();
            let across = |(k, slab): (usize, &mut [f32])| {
                let lo = &src[plane * k.saturating_sub(1)..][..plane];
                let mid = &src[plane * k..][..plane];
                let hi = &src[plane * (k + 1).min(d[2] - 1)..][..plane];
                for (n, v) in slab.iter_mut().enumerate() {
                    *v = 0.25 * lo[n] + 0.5 * mid[n] + 0.25 * hi[n];
                }
            };
            if big {
                self.img.par_chunks_mut(plane).enumerate().for_each(across);
            } else {
                self.img.chunks_mut(plane).enumerate().for_each(across);
            }
        }
    }

    /// Intensity model from the values at the seed voxels.
    pub fn model(&self, seeds: &[u8], gate_sd: f32, p: &GrowParams) -> Model {
        let pick = |l: u8, v: &[f32]| -> Vec<f32> {
            seeds
                .iter()
                .zip(v)
                .filter(|(s, _)| **s == l)
                .map(|(_, &x)| x)
                .collect()
        };
        Model::new(
            &pick(FG, &self.img),
            &pick(FG, &self.raw),
            &pick(BG, &self.img),
            gate_sd,
            p,
        )
    }

    /// Seed labels per voxel of this level (fine seeds mapped by `f`; a voxel with
    /// both kinds gets none). Without background seeds the box border is background.
    pub fn seed_labels(
        &self,
        grid: &Grid,
        roi: &Bbox,
        f: [usize; 3],
        fg: &[usize],
        bg: &[usize],
    ) -> Vec<u8> {
        let mut s = vec![0u8; self.len()];
        let d = self.dims;
        let cell = |idx: usize| {
            let p = grid.ijk(idx);
            if !roi.contains(p) {
                return None;
            }
            let c = [0, 1, 2].map(|a| (p[a] - roi.lo[a]) / f[a].max(1));
            Some(c[0] + d[0] * (c[1] + d[1] * c[2]))
        };
        for (list, lab) in [(fg, FG), (bg, BG)] {
            for c in list.iter().filter_map(|&i| cell(i)) {
                s[c] = if s[c] == 0 || s[c] == lab { lab } else { 3 };
            }
        }
        s.iter_mut().filter(|v| **v == 3).for_each(|v| *v = 0);
        if bg.is_empty() {
            for (n, v) in s.iter_mut().enumerate() {
                let p = [n % d[0], (n / d[0]) % d[1], n / (d[0] * d[1])];
                if *v == 0 && (0..3).any(|a| p[a] == 0 || p[a] + 1 == d[a]) {
                    *v = BG;
                }
            }
        }
        s
    }

    /// The 26-connected groups of `cells`.
    pub fn groups(&self, cells: &[usize]) -> Vec<Vec<usize>> {
        let d = self.dims;
        let index: std::collections::HashMap<usize, usize> =
            cells.iter().enumerate().map(|(n, &c)| (c, n)).collect();
        let mut seen = vec![false; cells.len()];
        let mut out = Vec::new();
        for start in 0..cells.len() {
            if seen[start] {
                continue;
            }
            seen[start] = true;
            let mut group = vec![start];
            let mut k = 0;
            while k < group.len() {
                let c = cells[group[k]];
                k += 1;
                let p = [c % d[0], (c / d[0]) % d[1], c / (d[0] * d[1])];
                for dz in 0..3usize {
                    for dy in 0..3usize {
                        for dx in 0..3usize {
                            // Shifted by one: q = p + delta + 1.
                            let q = [p[0] + dx, p[1] + dy, p[2] + dz];
                            if (0..3).any(|a| q[a] == 0 || q[a] > d[a]) {
                                continue;
                            }
                            let qc = (q[0] - 1) + d[0] * ((q[1] - 1) + d[1] * (q[2] - 1));
                            if let Some(&m) = index.get(&qc)
                                && !seen[m]
                            {
                                seen[m] = true;
                                group.push(m);
                            }
                        }
                    }
                }
            }
            out.push(group.into_iter().map(|g| cells[g]).collect());
        }
        out
    }

    /// Share of the cells within `r_mm` of `group` (its box grown by `r_mm`, cut
    /// to a ball around each cell) that `labels` gives the liver.
    pub fn liver_share(&self, labels: &[u8], group: &[usize], r_mm: f64) -> f32 {
        let d = self.dims;
        let at = |c: usize| [c % d[0], (c / d[0]) % d[1], c / (d[0] * d[1])];
        let reach = [0, 1, 2].map(|a| (r_mm / self.sp[a].max(1e-6)).floor() as usize);
        let (mut lo, mut hi) = ([usize::MAX; 3], [0usize; 3]);
        for &c in group {
            let p = at(c);
            for a in 0..3 {
                lo[a] = lo[a].min(p[a].saturating_sub(reach[a]));
                hi[a] = hi[a].max((p[a] + reach[a] + 1).min(d[a]));
            }
        }
        // Distance to the group by an exact EDT over the box: linear in the box
        // however big the stroke.
        let bd = [0, 1, 2].map(|a| hi[a] - lo[a]);
        let local = |c: usize| {
            let p = at(c);
            (p[0] - lo[0]) + bd[0] * ((p[1] - lo[1]) + bd[1] * (p[2] - lo[2]))
        };
        let mut inside = vec![false; bd[0] * bd[1] * bd[2]];
        group.iter().for_each(|&c| inside[local(c)] = true);
        let dist = sq_edt(bd, self.sp, |i| inside[i]);
        let r2 = (r_mm * r_mm) as f32;
        let (mut near, mut liver) = (0usize, 0usize);
        for k in 0..bd[2] {
            for j in 0..bd[1] {
                for i in 0..bd[0] {
                    if dist[i + bd[0] * (j + bd[1] * k)] <= r2 {
                        near += 1;
                        let c = (i + lo[0]) + d[0] * ((j + lo[1]) + d[1] * (k + lo[2]));
                        liver += (labels[c] == FG) as usize;
                    }
                }
            }
        }
        liver as f32 / near.max(1) as f32
    }

    /// Background seeds on the unlabelled cells within `r_mm` of gas (cells
    /// holding a voxel below [`super::AIR_HU`]); nothing when `r_mm` is negative.
    pub fn air_seeds(&self, seeds: &mut [u8], r_mm: f64) {
        if !(r_mm.is_finite() && r_mm >= 0.0) {
            return;
        }
        let r2 = (r_mm * r_mm) as f32;
        if self.gas.len() != seeds.len() {
            return;
        }
        let d = sq_edt(self.dims, self.sp, |i| self.gas[i]);
        for (s, &x) in seeds.iter_mut().zip(&d) {
            if *s == 0 && x <= r2 {
                *s = BG;
            }
        }
    }

    /// Start of a competition: distance 0 at the seeds, and the seeds that have an
    /// unlabelled neighbour as the first front.
    pub fn start(&self, labels: &[u8]) -> (Vec<u32>, Vec<u32>) {
        let d = self.dims;
        let strides = [1usize, d[0], d[0] * d[1]];
        let mut dist = vec![u32::MAX; labels.len()];
        let mut front = Vec::new();
        for k in 0..d[2] {
            for j in 0..d[1] {
                for i in 0..d[0] {
                    let idx = i + d[0] * (j + d[1] * k);
                    if labels[idx] == 0 {
                        continue;
                    }
                    dist[idx] = 0;
                    let p = [i, j, k];
                    let open = (0..3).any(|a| {
                        (p[a] > 0 && labels[idx - strides[a]] == 0)
                            || (p[a] + 1 < d[a] && labels[idx + strides[a]] == 0)
                    });
                    if open {
                        front.push(idx as u32);
                    }
                }
            }
        }
        (dist, front)
    }

    /// Competitive Dijkstra: every voxel takes the label of the seed with the
    /// cheapest path. `labels`/`dist` hold a solution (or just the seeds, from
    /// [`Level::start`]); `front` are voxels at distance 0 to propagate from (new
    /// seeds when refining a previous solution: distances only decrease, so the
    /// result is nearly a run from scratch with all the seeds - a cell that
    /// another label had reached through a cell the new seeds take keeps its
    /// distance).
    pub fn compete(
        &self,
        labels: &mut [u8],
        dist: &mut [u32],
        front: Vec<u32>,
        m: &Model,
        cancel: &AtomicBool,
        progress: &dyn Fn(f32),
    ) -> Result<(), GrowError> {
        let d = self.dims;
        let n = self.len();
        if labels.len() != n || self.img.len() != n || dist.len() != n {
            return Err(GrowError::SizeMismatch);
        }
        let strides = [1usize, d[0], d[0] * d[1]];
        let step: [f32; 3] = self.sp.map(|s| s as f32);
        // Per-mm region cost of entering each cell, per label (negative =
        // impassable): one model evaluation per cell instead of one per edge.
        let region = |q: usize| {
            let (i, r) = (self.img[q], self.raw[q]);
            [
                m.region(FG, i, r).unwrap_or(-1.0),
                m.region(BG, i, r).unwrap_or(-1.0),
            ]
        };
        // (Small levels - the refinement's tiles - reach few of their cells.)
        let costs: Vec<[f32; 2]> = if n >= 1 << 16 {
            (0..n).into_par_iter().map(region).collect()
        } else {
            Vec::new()
        };
        let ring = MAX_EDGE as usize + 1;
        let mut buckets: Vec<Vec<u32>> = vec![Vec::new(); ring];
        let mut pending = front.len();
        let unknown = labels.iter().filter(|&&l| l == 0).count().max(n / 2).max(1);
        buckets[0] = front;
        let mut cur: u32 = 0;
        let mut done = 0usize;
        while pending > 0 {
            let b = cur as usize % ring;
            let mut items = std::mem::take(&mut buckets[b]);
            for &pu in &items {
                pending -= 1;
                let p = pu as usize;
                if dist[p] != cur {
                    continue;
                }
                done += 1;
                if done.is_multiple_of(65536) {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(GrowError::Cancelled);
                    }
                    progress((done as f32 / unknown as f32).min(1.0));
                }
                let lab = labels[p];
                let floor = if lab == FG {
                    m.edge_floor
                } else {
                    m.edge_floor_bg
                };
                // The liver and the pooled background have their costs cached;
                // a stroke class looks its own up.
                let li = (lab != FG) as usize;
                let pooled = lab <= BG;
                let ip = self.img[p];
                let c = [p % d[0], (p / d[0]) % d[1], p / (d[0] * d[1])];
                for a in 0..3 {
                    for dir in [false, true] {
                        let q = if dir {
                            if c[a] + 1 >= d[a] {
                                continue;
                            }
                            p + strides[a]
                        } else {
                            if c[a] == 0 {
                                continue;
                            }
                            p - strides[a]
                        };
                        if dist[q] == 0 {
                            continue;
                        }
                        let r = match costs.get(q) {
                            Some(c) if pooled => c[li],
                            _ => m.region(lab, self.img[q], self.raw[q]).unwrap_or(-1.0),
                        };
                        if r < 0.0 {
                            continue;
                        }
                        let iq = self.img[q];
                        let e = edge_units(iq - ip, floor, m.hu_per_mm + r, step[a]);
                        let nd = cur.saturating_add(e);
                        if nd < dist[q] {
                            dist[q] = nd;
                            labels[q] = lab;
                            buckets[nd as usize % ring].push(q as u32);
                            pending += 1;
                        }
                    }
                }
            }
            items.clear();
            buckets[b] = items;
            cur = cur.wrapping_add(1);
        }
        Ok(())
    }

    /// Continue a finished competition after the foreground's costs fell (its
    /// gate or tolerance widened from `old` to `m`): the cells `m` lets the
    /// foreground enter more cheaply are reached from their foreground
    /// neighbours, and the
    /// foreground spreads on from them (Dijkstra on a heap: few cells change).
    /// The result is nearly the competition with `m` from the start: a cell the
    /// background had reached through a cell the foreground now takes keeps its
    /// background distance (from scratch the foreground might reach it first).
    pub fn widen(
        &self,
        labels: &mut [u8],
        dist: &mut [u32],
        old: &Model,
        m: &Model,
        cancel: &AtomicBool,
    ) -> Result<usize, GrowError> {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let d = self.dims;
        let n = self.len();
        if labels.len() != n || dist.len() != n {
            return Err(GrowError::SizeMismatch);
        }
        let step: [f32; 3] = self.sp.map(|s| s as f32);
        let nbs = |p: usize| neighbours6(d, p);
        let edge = |p: usize, q: usize, a: usize| -> Option<u32> {
            let r = m.region(FG, self.img[q], self.raw[q])?;
            let jump = self.img[q] - self.img[p];
            Some(edge_units(jump, m.edge_floor, m.hu_per_mm + r, step[a]))
        };
        let opened: Vec<u32> = (0..n as u32)
            .into_par_iter()
            .filter(|&q| {
                let q = q as usize;
                let (i, r) = (self.img[q], self.raw[q]);
                dist[q] != 0
                    && match (m.region(FG, i, r), old.region(FG, i, r)) {
                        (Some(_), None) => true,
                        (Some(a), Some(b)) => a < b,
                        _ => false,
                    }
            })
            .collect();
        let mut heap = BinaryHeap::new();
        for &q in &opened {
            let q = q as usize;
            for (p, a) in nbs(q) {
                if labels[p] != FG || dist[p] == u32::MAX {
                    continue;
                }
                if let Some(e) = edge(p, q, a) {
                    let nd = dist[p].saturating_add(e);
                    if nd < dist[q] {
                        dist[q] = nd;
                        labels[q] = FG;
                        heap.push(Reverse((nd, q as u32)));
                    }
                }
            }
        }
        let mut changed = 0usize;
        while let Some(Reverse((dp, p))) = heap.pop() {
            let p = p as usize;
            if dp != dist[p] || labels[p] != FG {
                continue;
            }
            changed += 1;
            if changed.is_multiple_of(65536) && cancel.load(Ordering::Relaxed) {
                return Err(GrowError::Cancelled);
            }
            for (q, a) in nbs(p) {
                if dist[q] == 0 {
                    continue;
                }
                if let Some(e) = edge(p, q, a) {
                    let nd = dp.saturating_add(e);
                    if nd < dist[q] {
                        dist[q] = nd;
                        labels[q] = FG;
                        heap.push(Reverse((nd, q as u32)));
                    }
                }
            }
        }
        Ok(changed)
    }

    /// The foreground cells at least `r` cells from any other label along every
    /// axis (the core of a grown organ).
    pub fn core_cells(&self, labels: &[u8], r: usize) -> Vec<usize> {
        let d = self.dims;
        let strides = [1usize, d[0], d[0] * d[1]];
        (0..labels.len())
            .into_par_iter()
            .filter(|&c| {
                labels[c] == FG && {
                    let p = [c % d[0], (c / d[0]) % d[1], c / (d[0] * d[1])];
                    (0..3).all(|a| {
                        p[a] >= r
                            && p[a] + r < d[a]
                            && (1..=r).all(|k| {
                                labels[c - k * strides[a]] == FG && labels[c + k * strides[a]] == FG
                            })
                    })
                }
            })
            .collect()
    }

    /// Foreground mask (0/1) of the labels, cleaned with shape priors:
    /// morphological opening by `p.opening_mm` (cuts thin bridges into
    /// neighbouring tissue), then only the components holding a foreground seed
    /// (or else the largest). With `p.fill_holes`, enclosed background (vessels,
    /// tumours inside the liver) is filled in 3-D and then per transverse slice,
    /// before the opening and again at the end; background holding a background
    /// seed is never filled.
    ///
    /// The work is done on the box of the foreground cells plus a margin wider
    /// than the closing (every step only looks that far), not on the whole scan.
    pub fn clean(&self, labels: &[u8], seeds: &[u8], p: &GrowParams) -> Vec<u8> {
        let d = self.dims;
        let n = self.len();
        let mut out = vec![0u8; n];
        if labels.len() != n || seeds.len() != n {
            return out;
        }
        let (mut lo, mut hi) = ([usize::MAX; 3], [0usize; 3]);
        for k in 0..d[2] {
            for j in 0..d[1] {
                let row = &labels[d[0] * (j + d[1] * k)..][..d[0]];
                let Some(i0) = row.iter().position(|&l| l == FG) else {
                    continue;
                };
                let i1 = row.iter().rposition(|&l| l == FG).unwrap_or(i0);
                for (a, (l, h)) in [(i0, i1), (j, j), (k, k)].into_iter().enumerate() {
                    lo[a] = lo[a].min(l);
                    hi[a] = hi[a].max(h + 1);
                }
            }
        }
        if lo[0] == usize::MAX {
            return out;
        }
        let reach = p.closing_mm.max(p.opening_mm).max(0.0);
        let reach = if reach.is_finite() { reach } else { 0.0 };
        for a in 0..3 {
            let m = (reach / self.sp[a].max(1e-6)).ceil() as usize + 2;
            lo[a] = lo[a].saturating_sub(m);
            hi[a] = (hi[a] + m).min(d[a]);
        }
        let cd = [0, 1, 2].map(|a| hi[a] - lo[a]);
        if std::env::var_os("REMNANT_GROW_TIMES").is_some() {
            eprintln!("    clean box {cd:?} of {d:?}");
        }
        let crop = Level {
            dims: cd,
            sp: self.sp,
            img: Vec::new(),
            raw: Vec::new(),
            gas: Vec::new(),
        };
        let take = |v: &[u8]| -> Vec<u8> {
            let mut c = Vec::with_capacity(cd.iter().product());
            for k in lo[2]..hi[2] {
                for j in lo[1]..hi[1] {
                    let b = d[0] * (j + d[1] * k);
                    c.extend_from_slice(&v[b + lo[0]..b + hi[0]]);
                }
            }
            c
        };
        let kept = crop.clean_box(&take(labels), &take(seeds), p);
        let mut src = kept.chunks(cd[0].max(1));
        for k in lo[2]..hi[2] {
            for j in lo[1]..hi[1] {
                let b = d[0] * (j + d[1] * k);
                if let Some(r) = src.next() {
                    out[b + lo[0]..b + hi[0]].copy_from_slice(r);
                }
            }
        }
        out
    }

    /// [`Level::clean`] on the whole of this level.
    fn clean_box(&self, labels: &[u8], seeds: &[u8], p: &GrowParams) -> Vec<u8> {
        let t0 = std::time::Instant::now();
        let times = std::env::var_os("REMNANT_GROW_TIMES").is_some();
        let lap = |what: &str| {
            if times {
                eprintln!("    {what}: {:.3} s", t0.elapsed().as_secs_f64());
            }
        };
        let mut m: Vec<bool> = labels.iter().map(|&l| l == FG).collect();
        if p.fill_holes {
            m = self.fill_enclosed(&m, seeds);
        }
        lap("fill");
        let inner = sq_edt(self.dims, self.sp, |i| !m[i]);
        let fg = open_with(self.dims, self.sp, &m, &inner, p.opening_mm);
        lap("open");
        let (id, sizes) = components(self.dims, &fg);
        let mut keep = vec![false; sizes.len() + 1];
        for (n, &s) in seeds.iter().enumerate() {
            if s == FG {
                keep[id[n] as usize] = id[n] > 0;
            }
        }
        if !keep.iter().any(|&k| k)
            && let Some(c) = (0..sizes.len()).max_by_key(|&c| sizes[c])
        {
            keep[c + 1] = true;
        }
        let mut kept: Vec<bool> = id.iter().map(|&c| keep[c as usize]).collect();
        if p.thin_opening_mm >= 0.0 {
            let thin = open_with(self.dims, self.sp, &m, &inner, p.thin_opening_mm);
            self.restore_thin(&thin, &fg, &mut kept, p.thin_reach_mm);
        }
        lap("components+thin");
        if p.fill_holes && p.closing_mm > 0.0 {
            kept = close(self.dims, self.sp, &kept, p.closing_mm);
            lap("close");
            for (v, &s) in kept.iter_mut().zip(seeds) {
                *v = *v && s < BG;
            }
        }
        if p.fill_holes {
            kept = self.fill_enclosed(&kept, seeds);
            self.fill_slices(&mut kept, seeds);
            lap("fill again");
        }
        kept.into_iter().map(u8::from).collect()
    }

    /// Give back what the opening removed from the kept part (`kept`, a subset of
    /// the opened mask `opened`): every part of `thin` (the mask opened by a
    /// smaller radius) minus `opened` that touches the kept part, no discarded
    /// part of `opened`, and reaches no further than `reach_mm` from the kept
    /// part (walking inside it). The thin tip of the left lobe and the liver's
    /// edges return; a bridge into a cut-off neighbour does not, nor does a long
    /// tube or sheet (the IVC, a muscle) that the opening cut off.
    fn restore_thin(&self, thin: &[bool], opened: &[bool], kept: &mut [bool], reach_mm: f64) {
        let d = self.dims;
        let residual: Vec<bool> = thin.iter().zip(opened).map(|(&a, &o)| a && !o).collect();
        let (rid, rsizes) = components(d, &residual);
        if rsizes.is_empty() {
            return;
        }
        // Per residual part: touches the kept part (bit 1), a discarded part (bit 2).
        let mut touch = vec![0u8; rsizes.len() + 1];
        let nbs = |n: usize| neighbours6(d, n);
        let mut front = Vec::new();
        for (n, &c) in rid.iter().enumerate().filter(|(_, c)| **c > 0) {
            for (nb, _) in nbs(n) {
                if kept[nb] {
                    touch[c as usize] |= 1;
                } else if opened[nb] {
                    touch[c as usize] |= 2;
                }
            }
            if touch[c as usize] & 1 != 0 && nbs(n).any(|(nb, _)| kept[nb]) {
                front.push(n);
            }
        }
        // How far each part reaches from the kept part (breadth-first, in mm).
        let mut dist = vec![f32::INFINITY; d[0] * d[1] * d[2]];
        let mut reach = vec![0f32; rsizes.len() + 1];
        let mut queue = std::collections::VecDeque::new();
        for &n in &front {
            dist[n] = 0.0;
            queue.push_back(n);
        }
        while let Some(n) = queue.pop_front() {
            let c = rid[n] as usize;
            reach[c] = reach[c].max(dist[n]);
            for (nb, a) in nbs(n) {
                let nd = dist[n] + self.sp[a] as f32;
                if rid[nb] as usize == c && nd < dist[nb] {
                    dist[nb] = nd;
                    queue.push_back(nb);
                }
            }
        }
        for (v, &c) in kept.iter_mut().zip(&rid) {
            let c = c as usize;
            if c > 0 && touch[c] == 1 && reach[c] as f64 <= reach_mm {
                *v = true;
            }
        }
    }

    /// Fill, on every transverse slice, the background regions (4-connected) that
    /// touch neither the slice border nor a background seed.
    fn fill_slices(&self, m: &mut [bool], seeds: &[u8]) {
        let d = self.dims;
        let plane = d[0] * d[1];
        if plane == 0 {
            return;
        }
        m.par_chunks_mut(plane)
            .zip(seeds.par_chunks(plane))
            .for_each(|(sl, sd)| {
                let bgc: Vec<bool> = sl.iter().map(|&k| !k).collect();
                let (bid, bsizes) = components([d[0], d[1], 1], &bgc);
                let mut outside = vec![false; bsizes.len() + 1];
                for (n, &c) in bid.iter().enumerate() {
                    let (i, j) = (n % d[0], n / d[0]);
                    if i == 0 || j == 0 || i + 1 == d[0] || j + 1 == d[1] || sd[n] >= BG {
                        outside[c as usize] = true;
                    }
                }
                for (v, &c) in sl.iter_mut().zip(&bid) {
                    *v = *v || (c > 0 && !outside[c as usize]);
                }
            });
    }

    /// `m` plus the background components that touch neither the box border nor
    /// a background seed.
    fn fill_enclosed(&self, m: &[bool], seeds: &[u8]) -> Vec<bool> {
        let bgc: Vec<bool> = m.iter().map(|&k| !k).collect();
        let (bid, bsizes) = components(self.dims, &bgc);
        let d = self.dims;
        let mut outside = vec![false; bsizes.len() + 1];
        for (n, &c) in bid.iter().enumerate() {
            let p = [n % d[0], (n / d[0]) % d[1], n / (d[0] * d[1])];
            let edge = (0..3).any(|a| p[a] == 0 || p[a] + 1 == d[a]);
            if edge || seeds[n] >= BG {
                outside[c as usize] = true;
            }
        }
        m.iter()
            .zip(&bid)
            .map(|(&k, &c)| k || (c > 0 && !outside[c as usize]))
            .collect()
    }
}

/// Cost units of a step between neighbours: the HU `jump` beyond `floor` (the
/// noise that costs nothing) plus `per_mm` (base and region cost) over `step_mm`,
/// at least 1 and at most [`MAX_EDGE`] (the bucket ring).
#[inline]
fn edge_units(jump: f32, floor: f32, per_mm: f32, step_mm: f32) -> u32 {
    let cost = (jump.abs() - floor).max(0.0) + per_mm * step_mm;
    ((cost * UNIT) as u32).clamp(1, MAX_EDGE)
}

/// The 6-neighbours of cell `p` of a grid of `d` cells, with the axis of each step.
fn neighbours6(d: [usize; 3], p: usize) -> impl Iterator<Item = (usize, usize)> {
    let st = [1, d[0], d[0] * d[1]];
    let c = [p % d[0], (p / d[0]) % d[1], p / (d[0] * d[1])];
    (0..3).flat_map(move |a| {
        [
            (c[a] > 0).then(|| (p - st[a], a)),
            (c[a] + 1 < d[a]).then(|| (p + st[a], a)),
        ]
        .into_iter()
        .flatten()
    })
}

/// Morphological opening by a ball of radius `r_mm` (exact EDT) given `d`, the
/// squared distance of every voxel to the nearest voxel outside `m` (shared by
/// openings of one mask by several radii); the mask is returned unchanged when
/// the radius is zero or the opening would empty it.
fn open_with(dims: [usize; 3], sp: [f64; 3], m: &[bool], d: &[f32], r_mm: f64) -> Vec<bool> {
    if !(r_mm.is_finite() && r_mm > 0.0) {
        return m.to_vec();
    }
    let r2 = (r_mm * r_mm) as f32;
    let eroded: Vec<bool> = d.iter().map(|&x| x > r2).collect();
    if !eroded.iter().any(|&e| e) {
        return m.to_vec();
    }
    let d2 = sq_edt(dims, sp, |i| eroded[i]);
    m.iter().zip(&d2).map(|(&v, &x)| v && x <= r2).collect()
}

/// Morphological closing by a ball of radius `r_mm` (exact EDT): what a dilation
/// by `r_mm` adds and the following erosion keeps.
pub(super) fn close(dims: [usize; 3], sp: [f64; 3], m: &[bool], r_mm: f64) -> Vec<bool> {
    if !(r_mm.is_finite() && r_mm > 0.0) {
        return m.to_vec();
    }
    let r2 = (r_mm * r_mm) as f32;
    let d = sq_edt(dims, sp, |i| m[i]);
    let dilated: Vec<bool> = d.iter().map(|&x| x <= r2).collect();
    let d2 = sq_edt(dims, sp, |i| !dilated[i]);
    m.iter().zip(&d2).map(|(&v, &x)| v || x > r2).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Continuing a finished competition after the gate widened gives nearly the
    /// competition with the wider gate from the start (under 1 % of the labels
    /// differ; the foreground's size within 0.5 %), and grows the foreground.
    #[test]
    fn widening_continues_to_the_competition_from_scratch() {
        let d = [40usize, 36, 20];
        let n = d[0] * d[1] * d[2];
        let mut s = 12345u64;
        let mut noise = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s % 1000) as f32 / 1000.0 - 0.5
        };
        // Liver HU on the left with a darker band, soft tissue on the right.
        let raw: Vec<f32> = (0..n)
            .map(|c| {
                let x = c % d[0];
                let base = match x {
                    0..=11 => 60.0,
                    12..=19 => 38.0,
                    _ => 10.0,
                };
                base + 30.0 * noise()
            })
            .collect();
        let mut level = Level {
            dims: d,
            sp: [1.5; 3],
            img: raw.clone(),
            raw,
            gas: Vec::new(),
        };
        level.smooth();
        let mut seeds = vec![0u8; n];
        for k in 8..12 {
            for j in 15..20 {
                seeds[3 + d[0] * (j + d[1] * k)] = FG;
                seeds[36 + d[0] * (j + d[1] * k)] = BG;
            }
        }
        let p = GrowParams::default();
        let pick = |l: u8, v: &[f32]| -> Vec<f32> {
            (0..n).filter(|&c| seeds[c] == l).map(|c| v[c]).collect()
        };
        let narrow = Model::new(
            &pick(FG, &level.img),
            &pick(FG, &level.raw),
            &pick(BG, &level.img),
            4.0,
            &p,
        );
        let mut wide = narrow.clone();
        assert!(wide.widen_gate(12.0));
        let no = AtomicBool::new(false);
        let run = |m: &Model| {
            let mut labels = seeds.clone();
            let (mut dist, front) = level.start(&labels);
            level
                .compete(&mut labels, &mut dist, front, m, &no, &|_| {})
                .expect("compete");
            (labels, dist)
        };
        let (mut l1, mut d1) = run(&narrow);
        let fg_narrow = l1.iter().filter(|&&l| l == FG).count();
        let changed = level
            .widen(&mut l1, &mut d1, &narrow, &wide, &no)
            .expect("widen");
        let (l2, _) = run(&wide);
        let fg_wide = l2.iter().filter(|&&l| l == FG).count();
        let fg_cont = l1.iter().filter(|&&l| l == FG).count();
        let differ = (0..n).filter(|&c| l1[c] != l2[c]).count();
        eprintln!(
            "foreground cells: narrow {fg_narrow}, continued {fg_cont}, from scratch {fg_wide}; \
             {differ} labels of {n} differ; {changed} cells changed"
        );
        assert!(
            changed > 0 && fg_wide > fg_narrow,
            "{fg_narrow} -> {fg_wide}"
        );
        // Not exact: a cell the background had reached through a cell the
        // foreground now takes keeps its distance (from scratch the background
        // might not reach it first).
        assert!(differ * 100 <= n, "{differ} labels differ");
        assert!(
            fg_cont.abs_diff(fg_wide) * 200 <= fg_wide,
            "{fg_cont} vs {fg_wide}"
        );
    }
}
