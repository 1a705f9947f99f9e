//! Exact Euclidean distance transform (Felzenszwalb & Huttenlocher lower envelope of
//! parabolas), separable over the three axes, with anisotropic spacing.

use rayon::prelude::*;

/// Squared distance (mm²) from every voxel of a `dims` array (grid order) to the
/// nearest voxel where `feature` holds; `f32::INFINITY` when there is none.
pub fn sq_edt(
    dims: [usize; 3],
    spacing: [f64; 3],
    feature: impl Fn(usize) -> bool + Sync,
) -> Vec<f32> {
    let [nx, ny, nz] = dims;
    let n = match nx.checked_mul(ny).and_then(|v| v.checked_mul(nz)) {
        Some(n) if n > 0 => n,
        _ => return Vec::new(),
    };
    let sp = spacing.map(|s| if s.is_finite() && s > 0.0 { s } else { 1.0 });
    let mut d: Vec<f32> = (0..n)
        .into_par_iter()
        .map(|i| if feature(i) { 0.0 } else { f32::INFINITY })
        .collect();
    // Axis 0: contiguous rows.
    d.par_chunks_mut(nx)
        .for_each_init(Scratch::default, |s, row| {
            s.line(row.len(), |q| row[q], sp[0]);
            row.iter_mut().zip(&s.out).for_each(|(r, &o)| *r = o as f32);
        });
    // Axis 1: lines inside each k-slab.
    if ny > 1 {
        d.par_chunks_mut(nx * ny)
            .for_each_init(Scratch::default, |s, slab| {
                for i in 0..nx {
                    s.line(ny, |q| slab[i + nx * q], sp[1]);
                    for (q, &o) in s.out.iter().enumerate() {
                        slab[i + nx * q] = o as f32;
                    }
                }
            });
    }
    // Axis 2: gather xz planes for a chunk of j, transform, scatter back.
    if nz > 1 {
        let chunk = 16usize;
        let mut j0 = 0;
        while j0 < ny {
            let j1 = (j0 + chunk).min(ny);
            let planes: Vec<Vec<f32>> = (j0..j1)
                .into_par_iter()
                .map_init(Scratch::default, |s, j| {
                    let mut plane = vec![0f32; nx * nz];
                    for i in 0..nx {
                        s.line(nz, |q| d[i + nx * (j + ny * q)], sp[2]);
                        for (q, &o) in s.out.iter().enumerate() {
                            plane[i + nx * q] = o as f32;
                        }
                    }
                    plane
                })
                .collect();
            d.par_chunks_mut(nx * ny).enumerate().for_each(|(k, slab)| {
                for (jj, plane) in planes.iter().enumerate() {
                    let j = j0 + jj;
                    slab[nx * j..nx * (j + 1)].copy_from_slice(&plane[nx * k..nx * (k + 1)]);
                }
            });
            j0 = j1;
        }
    }
    d
}

/// 2-D signed distance (mm) of a `nu` x `nv` mask: negative inside (minus the
/// distance to the nearest outside pixel), positive outside (distance to the
/// nearest inside pixel). Infinite values are clamped to ±1e6.
pub fn signed_distance_2d(nu: usize, nv: usize, spacing: [f64; 2], inside: &[bool]) -> Vec<f32> {
    if nu.checked_mul(nv) != Some(inside.len()) || inside.is_empty() {
        return Vec::new();
    }
    let sp = [spacing[0], spacing[1], 1.0];
    let din = sq_edt([nu, nv, 1], sp, |i| inside[i]);
    let dout = sq_edt([nu, nv, 1], sp, |i| !inside[i]);
    din.iter()
        .zip(&dout)
        .map(|(&a, &b)| a.sqrt().min(1e6) - b.sqrt().min(1e6))
        .collect()
}

#[derive(Default)]
struct Scratch {
    f: Vec<f64>,
    out: Vec<f64>,
    v: Vec<usize>,
    z: Vec<f64>,
}

impl Scratch {
    /// 1-D squared distance transform of the sampled function `get(q)`, q < n.
    fn line(&mut self, n: usize, get: impl Fn(usize) -> f32, s: f64) {
        self.f.clear();
        self.f.extend((0..n).map(|q| get(q) as f64));
        self.out.clear();
        self.out.resize(n, f64::INFINITY);
        self.v.clear();
        self.z.clear();
        let f = &self.f;
        let Some(q0) = f.iter().position(|x| x.is_finite()) else {
            return;
        };
        self.v.push(q0);
        self.z.push(f64::NEG_INFINITY);
        self.z.push(f64::INFINITY);
        for q in q0 + 1..n {
            if !f[q].is_finite() {
                continue;
            }
            let xq = q as f64 * s;
            let isect = |p: usize| {
                let xp = p as f64 * s;
                ((f[q] + xq * xq) - (f[p] + xp * xp)) / (2.0 * (xq - xp))
            };
            // `v` always holds at least q0.
            let mut inter = isect(self.v[self.v.len() - 1]);
            while self.v.len() > 1 && inter <= self.z[self.v.len() - 1] {
                self.v.pop();
                self.z.pop();
                inter = isect(self.v[self.v.len() - 1]);
            }
            let last = self.z.len() - 1;
            self.z[last] = inter;
            self.v.push(q);
            self.z.push(f64::INFINITY);
        }
        let mut k = 0;
        for q in 0..n {
            let xq = q as f64 * s;
            while k + 1 < self.v.len() && self.z[k + 1] < xq {
                k += 1;
            }
            let p = self.v[k];
            let dx = xq - p as f64 * s;
            self.out[q] = dx * dx + f[p];
        }
    }
}
