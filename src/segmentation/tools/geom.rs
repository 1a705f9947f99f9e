//! Grid helpers, axis-aligned boxes and slice planes.

use super::grid::Grid;

/// Index arithmetic on a [`Grid`].
impl Grid {
    /// Number of voxels (0 if the product overflows).
    pub fn n_voxels(&self) -> usize {
        self.dims[0]
            .checked_mul(self.dims[1])
            .and_then(|v| v.checked_mul(self.dims[2]))
            .unwrap_or(0)
    }

    pub fn has_no_voxels(&self) -> bool {
        self.n_voxels() == 0
    }

    /// Flat index of voxel (i, j, k); the caller guarantees it is inside.
    #[inline]
    pub fn flat(&self, i: usize, j: usize, k: usize) -> usize {
        i + self.dims[0] * (j + self.dims[1] * k)
    }

    /// Voxel coordinates of a flat index.
    #[inline]
    pub fn ijk(&self, idx: usize) -> [usize; 3] {
        let nx = self.dims[0].max(1);
        let ny = self.dims[1].max(1);
        [idx % nx, (idx / nx) % ny, idx / (nx * ny)]
    }

    /// Flat index of signed coordinates, `None` outside the volume.
    pub fn checked_flat(&self, p: [i64; 3]) -> Option<usize> {
        if p.iter()
            .zip(&self.dims)
            .any(|(&v, &n)| v < 0 || v as u64 >= n as u64)
        {
            return None;
        }
        Some(self.flat(p[0] as usize, p[1] as usize, p[2] as usize))
    }

    /// Nearest voxel of a continuous index-space point, `None` outside or non-finite.
    pub fn nearest_voxel(&self, p: [f64; 3]) -> Option<[usize; 3]> {
        let mut out = [0usize; 3];
        for a in 0..3 {
            let r = p[a].round();
            if !r.is_finite() || r < 0.0 || r >= self.dims[a] as f64 {
                return None;
            }
            out[a] = r as usize;
        }
        Some(out)
    }

    /// Spacing with non-finite or non-positive values replaced by 1 mm.
    pub fn safe_spacing(&self) -> [f64; 3] {
        self.spacing
            .map(|s| if s.is_finite() && s > 0.0 { s } else { 1.0 })
    }

    /// Volume of one voxel in millilitres.
    pub fn voxel_ml(&self) -> f64 {
        let s = self.safe_spacing();
        s[0] * s[1] * s[2] / 1000.0
    }

    /// Box covering the whole volume.
    pub fn full_box(&self) -> Bbox {
        Bbox {
            lo: [0; 3],
            hi: self.dims,
        }
    }

    /// True when a label/CT buffer of this length matches the grid.
    pub fn fits(&self, len: usize) -> bool {
        !self.has_no_voxels() && self.n_voxels() == len
    }
}

/// Axis-aligned box of voxels, `lo` inclusive, `hi` exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Bbox {
    pub lo: [usize; 3],
    pub hi: [usize; 3],
}

impl Bbox {
    pub fn is_empty(&self) -> bool {
        (0..3).any(|a| self.hi[a] <= self.lo[a])
    }

    pub fn size(&self) -> [usize; 3] {
        [0, 1, 2].map(|a| self.hi[a].saturating_sub(self.lo[a]))
    }

    /// Number of voxels (saturating).
    pub fn len(&self) -> usize {
        let s = self.size();
        s[0].saturating_mul(s[1]).saturating_mul(s[2])
    }

    pub fn contains(&self, p: [usize; 3]) -> bool {
        (0..3).all(|a| p[a] >= self.lo[a] && p[a] < self.hi[a])
    }

    /// Smallest box containing both.
    pub fn union(&self, o: &Bbox) -> Bbox {
        if self.is_empty() {
            return *o;
        }
        if o.is_empty() {
            return *self;
        }
        Bbox {
            lo: [0, 1, 2].map(|a| self.lo[a].min(o.lo[a])),
            hi: [0, 1, 2].map(|a| self.hi[a].max(o.hi[a])),
        }
    }

    /// Grow by `m[a]` voxels per side, clamped to the grid.
    pub fn expand(&self, m: [usize; 3], grid: &Grid) -> Bbox {
        if self.is_empty() {
            return *self;
        }
        Bbox {
            lo: [0, 1, 2].map(|a| self.lo[a].saturating_sub(m[a])),
            hi: [0, 1, 2].map(|a| self.hi[a].saturating_add(m[a]).min(grid.dims[a])),
        }
    }

    /// Intersection with the grid.
    pub fn clamp(&self, grid: &Grid) -> Bbox {
        Bbox {
            lo: self.lo,
            hi: [0, 1, 2].map(|a| self.hi[a].min(grid.dims[a])),
        }
    }

    /// Box of a single voxel.
    pub fn voxel(p: [usize; 3]) -> Bbox {
        Bbox {
            lo: p,
            hi: p.map(|v| v + 1),
        }
    }

    /// Bounding box of the voxels of `mask` (flat, grid order) where `pred` holds.
    pub fn of_mask(grid: &Grid, mask: &[u8], pred: impl Fn(u8) -> bool + Sync) -> Bbox {
        use rayon::prelude::*;
        let [nx, ny, nz] = grid.dims;
        if !grid.fits(mask.len()) {
            return Bbox::default();
        }
        (0..nz)
            .into_par_iter()
            .map(|k| {
                let mut b = Bbox::default();
                for j in 0..ny {
                    let row = &mask[grid.flat(0, j, k)..grid.flat(0, j, k) + nx];
                    let first = row.iter().position(|&v| pred(v));
                    if let Some(f) = first {
                        let last = row.iter().rposition(|&v| pred(v)).unwrap_or(f);
                        let r = Bbox {
                            lo: [f, j, k],
                            hi: [last + 1, j + 1, k + 1],
                        };
                        b = b.union(&r);
                    }
                }
                b
            })
            .reduce(Bbox::default, |a, b| a.union(&b))
    }
}

/// A slice orientation: the slice is the set of voxels with this axis' index fixed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Axis {
    I,
    J,
    K,
}

impl Axis {
    /// Index of the fixed axis (0, 1, 2).
    pub fn n(self) -> usize {
        match self {
            Axis::I => 0,
            Axis::J => 1,
            Axis::K => 2,
        }
    }

    /// The two in-plane axes (u, v) in increasing order.
    pub fn in_plane(self) -> (usize, usize) {
        match self {
            Axis::I => (1, 2),
            Axis::J => (0, 2),
            Axis::K => (0, 1),
        }
    }

    /// 3-D voxel of in-plane coordinates (u, v) on slice `s`.
    pub fn voxel(self, s: usize, u: usize, v: usize) -> [usize; 3] {
        let (a, b) = self.in_plane();
        let mut p = [0usize; 3];
        p[self.n()] = s;
        p[a] = u;
        p[b] = v;
        p
    }
}
