//! Box-local image operations of the lesion tool: a region of interest cut from the
//! scan, Gaussian smoothing, EDT-based morphology and hole filling, all on flat
//! box-local arrays (grid order inside the box).

use crate::segmentation::tools::edt::sq_edt;
use crate::segmentation::tools::{Bbox, Grid};
use rayon::prelude::*;

/// A box of the scan and its voxel spacing.
#[derive(Debug, Clone, Copy)]
pub struct Roi {
    pub bbox: Bbox,
    pub size: [usize; 3],
    pub spacing: [f64; 3],
}

impl Roi {
    pub fn new(bbox: Bbox, grid: &Grid) -> Roi {
        Roi {
            bbox,
            size: bbox.size(),
            spacing: grid.safe_spacing(),
        }
    }

    pub fn len(&self) -> usize {
        self.size[0] * self.size[1] * self.size[2]
    }

    /// Box-local index of a grid voxel inside the box.
    #[inline]
    pub fn local(&self, p: [usize; 3]) -> usize {
        let b = &self.bbox;
        (p[0] - b.lo[0]) + self.size[0] * ((p[1] - b.lo[1]) + self.size[1] * (p[2] - b.lo[2]))
    }

    /// Grid voxel of a box-local index.
    #[inline]
    pub fn voxel(&self, l: usize) -> [usize; 3] {
        let s = self.size;
        [
            self.bbox.lo[0] + l % s[0],
            self.bbox.lo[1] + (l / s[0]) % s[1],
            self.bbox.lo[2] + l / (s[0] * s[1]),
        ]
    }

    /// Copy `f(flat grid index)` over the box.
    pub fn gather<T: Send + Copy + Default>(
        &self,
        grid: &Grid,
        f: impl Fn(usize) -> T + Sync,
    ) -> Vec<T> {
        let s = self.size;
        let b = self.bbox;
        let mut out = vec![T::default(); self.len()];
        out.par_chunks_mut((s[0] * s[1]).max(1))
            .enumerate()
            .for_each(|(kk, slab)| {
                for jj in 0..s[1] {
                    let start = grid.flat(b.lo[0], b.lo[1] + jj, b.lo[2] + kk);
                    for ii in 0..s[0] {
                        slab[ii + s[0] * jj] = f(start + ii);
                    }
                }
            });
        out
    }

    /// Is a box-local voxel on a face of the box that is not a face of the scan?
    pub fn on_inner_face(&self, l: usize, grid: &Grid) -> bool {
        let p = self.voxel(l);
        (0..3).any(|a| {
            (p[a] == self.bbox.lo[a] && p[a] > 0)
                || (p[a] + 1 == self.bbox.hi[a] && p[a] + 1 < grid.dims[a])
        })
    }

    /// 6-neighbours of a box-local index.
    #[inline]
    pub fn neighbours(&self, l: usize, mut f: impl FnMut(usize)) {
        let s = self.size;
        let (i, j, k) = (l % s[0], (l / s[0]) % s[1], l / (s[0] * s[1]));
        let (sx, sxy) = (s[0], s[0] * s[1]);
        if i > 0 {
            f(l - 1);
        }
        if i + 1 < s[0] {
            f(l + 1);
        }
        if j > 0 {
            f(l - sx);
        }
        if j + 1 < s[1] {
            f(l + sx);
        }
        if k > 0 {
            f(l - sxy);
        }
        if k + 1 < s[2] {
            f(l + sxy);
        }
    }

    /// Separable Gaussian smoothing with standard deviation `sigma_mm` (an axis whose
    /// spacing is coarser than about 3 sigma is left alone).
    pub fn smooth(&self, v: &mut [f32], sigma_mm: f64) {
        for axis in 0..3 {
            let sv = sigma_mm / self.spacing[axis];
            if sv < 0.3 || self.size[axis] < 2 {
                continue;
            }
            let r = (2.5 * sv).ceil() as isize;
            let mut w: Vec<f32> = (-r..=r)
                .map(|d| (-(d as f64).powi(2) / (2.0 * sv * sv)).exp() as f32)
                .collect();
            let sum: f32 = w.iter().sum();
            w.iter_mut().for_each(|x| *x /= sum);
            self.convolve_axis(v, axis, &w);
        }
    }

    fn convolve_axis(&self, v: &mut [f32], axis: usize, w: &[f32]) {
        let s = self.size;
        let stride = [1, s[0], s[0] * s[1]][axis];
        let n = s[axis];
        let r = (w.len() / 2) as isize;
        // lines along `axis`: their starting indices
        let (a, b) = match axis {
            0 => (1, 2),
            1 => (0, 2),
            _ => (0, 1),
        };
        let unit = [1, s[0], s[0] * s[1]];
        let starts: Vec<usize> = (0..s[b])
            .flat_map(|y| (0..s[a]).map(move |x| x * unit[a] + y * unit[b]))
            .collect();
        let src = v.to_vec();
        let lines: Vec<(usize, Vec<f32>)> = starts
            .par_iter()
            .map(|&st| {
                let line: Vec<f32> = (0..n)
                    .map(|q| {
                        let mut acc = 0.0;
                        for (t, &wt) in w.iter().enumerate() {
                            let p = (q as isize + t as isize - r).clamp(0, n as isize - 1);
                            acc += wt * src[st + p as usize * stride];
                        }
                        acc
                    })
                    .collect();
                (st, line)
            })
            .collect();
        for (st, line) in lines {
            for (q, x) in line.into_iter().enumerate() {
                v[st + q * stride] = x;
            }
        }
    }

    /// Voxels within `r_mm` of a voxel of `m` (dilation, exact EDT).
    pub fn dilate(&self, m: &[bool], r_mm: f64) -> Vec<bool> {
        let d = sq_edt(self.size, self.spacing, |l| m[l]);
        let lim = (r_mm * r_mm * (1.0 + 1e-9) + 1e-9) as f32;
        d.par_iter().map(|&x| x <= lim).collect()
    }

    /// Voxels of `m` farther than `r_mm` from every voxel outside `m` (erosion; the
    /// box faces do not erode).
    pub fn erode(&self, m: &[bool], r_mm: f64) -> Vec<bool> {
        let d = sq_edt(self.size, self.spacing, |l| !m[l]);
        let lim = (r_mm * r_mm * (1.0 + 1e-9) + 1e-9) as f32;
        d.par_iter().zip(m).map(|(&x, &i)| i && x > lim).collect()
    }

    pub fn open(&self, m: &[bool], r_mm: f64) -> Vec<bool> {
        let e = self.erode(m, r_mm);
        let d = self.dilate(&e, r_mm);
        d.iter().zip(m).map(|(&a, &b)| a && b).collect()
    }

    pub fn close(&self, m: &[bool], r_mm: f64) -> Vec<bool> {
        let d = self.dilate(m, r_mm);
        let e = self.erode(&d, r_mm);
        e.iter().zip(m).map(|(&a, &b)| a || b).collect()
    }

    /// The 6-connected component of `m` holding any of `seeds` (box-local).
    pub fn component(&self, m: &[bool], seeds: &[usize]) -> Vec<bool> {
        let mut out = vec![false; m.len()];
        let mut stack: Vec<usize> = seeds.iter().copied().filter(|&s| m[s]).collect();
        for &s in &stack {
            out[s] = true;
        }
        while let Some(l) = stack.pop() {
            self.neighbours(l, |q| {
                if m[q] && !out[q] {
                    out[q] = true;
                    stack.push(q);
                }
            });
        }
        out
    }

    /// `m` with its holes filled: background not 6-connected to a face of the box.
    pub fn fill_holes(&self, m: &[bool]) -> Vec<bool> {
        let s = self.size;
        let face: Vec<usize> = (0..m.len())
            .filter(|&l| {
                let c = [l % s[0], (l / s[0]) % s[1], l / (s[0] * s[1])];
                !m[l] && (0..3).any(|a| c[a] == 0 || c[a] + 1 == s[a])
            })
            .collect();
        let bg: Vec<bool> = m.iter().map(|&x| !x).collect();
        let outside = self.component(&bg, &face);
        outside.iter().map(|&o| !o).collect()
    }
}
