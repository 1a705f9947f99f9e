//! Taubin smoothing (Taubin 1995, "A signal processing approach to fair surface
//! design"): alternate a shrinking Laplacian step (lambda > 0) and an inflating one
//! (mu < -lambda), a low-pass filter that removes voxel stair steps without the
//! shrinkage of plain Laplacian smoothing. Uniform weights, so the result does not
//! depend on whether it runs in voxel or patient coordinates (the umbrella operator
//! commutes with the affine map).

use rayon::prelude::*;

/// Each vertex's neighbours (compressed rows).
pub(crate) struct Adjacency {
    start: Vec<u32>,
    nbr: Vec<u32>,
}

impl Adjacency {
    /// From oriented quads: every edge a->b of a closed surface is walked once per
    /// direction, so each vertex's outgoing edges list its neighbours once.
    pub(crate) fn from_quads(n: usize, quads: &[[u32; 4]]) -> Adjacency {
        let mut count = vec![0u32; n + 1];
        for q in quads {
            for &a in q {
                count[a as usize + 1] += 1;
            }
        }
        for i in 0..n {
            count[i + 1] += count[i];
        }
        let mut fill = count.clone();
        let mut nbr = vec![0u32; quads.len() * 4];
        for q in quads {
            for e in 0..4 {
                let (a, b) = (q[e], q[(e + 1) % 4]);
                nbr[fill[a as usize] as usize] = b;
                fill[a as usize] += 1;
            }
        }
        Adjacency { start: count, nbr }
    }
}

pub(crate) fn taubin(
    v: &mut Vec<[f32; 3]>,
    adj: &Adjacency,
    iterations: usize,
    lambda: f32,
    mu: f32,
) {
    let mut tmp = v.clone();
    for _ in 0..iterations {
        for f in [lambda, mu] {
            tmp.par_iter_mut().enumerate().for_each(|(i, out)| {
                let (s, e) = (adj.start[i] as usize, adj.start[i + 1] as usize);
                let p = v[i];
                if e == s {
                    *out = p;
                    return;
                }
                let mut m = [0.0f32; 3];
                for &j in &adj.nbr[s..e] {
                    let q = v[j as usize];
                    m[0] += q[0];
                    m[1] += q[1];
                    m[2] += q[2];
                }
                let inv = 1.0 / (e - s) as f32;
                *out = [
                    p[0] + f * (m[0] * inv - p[0]),
                    p[1] + f * (m[1] * inv - p[1]),
                    p[2] + f * (m[2] * inv - p[2]),
                ];
            });
            std::mem::swap(v, &mut tmp);
        }
    }
}

/// Move every vertex along its normal by one distance so that the quad mesh encloses
/// `target` again (the volume change of an offset d is area x d to first order).
pub(crate) fn fix_volume(v: &mut [[f32; 3]], quads: &[[u32; 4]], target: f64) {
    for _ in 0..2 {
        let now = quad_volume(v, quads);
        let mut normals = vec![[0.0f64; 3]; v.len()];
        let mut area = 0.0f64;
        for q in quads {
            let p = q.map(|i| {
                let a = v[i as usize];
                [a[0] as f64, a[1] as f64, a[2] as f64]
            });
            // quad normal (twice its vector area) from its diagonals
            let n = super::cross(super::sub(p[2], p[0]), super::sub(p[3], p[1]));
            area += 0.5 * super::norm(n);
            for &i in q {
                for a in 0..3 {
                    normals[i as usize][a] += n[a];
                }
            }
        }
        if area <= 0.0 {
            return;
        }
        let d = (target - now) / area;
        if d.abs() < 1e-9 {
            return;
        }
        for (p, n) in v.iter_mut().zip(&normals) {
            let l = super::norm(*n);
            if l > 0.0 {
                for a in 0..3 {
                    p[a] += (d * n[a] / l) as f32;
                }
            }
        }
    }
}

/// Enclosed volume of a quad mesh (each quad as two triangles), in the vertices' units.
pub(crate) fn quad_volume(v: &[[f32; 3]], quads: &[[u32; 4]]) -> f64 {
    // relative to a point near the mesh, for precision
    let c = v.first().copied().unwrap_or([0.0; 3]);
    let p = |i: u32| {
        let a = v[i as usize];
        [
            (a[0] - c[0]) as f64,
            (a[1] - c[1]) as f64,
            (a[2] - c[2]) as f64,
        ]
    };
    quads
        .par_iter()
        .map(|q| {
            let [a, b, cc, d] = q.map(p);
            super::dot(a, super::cross(b, cc)) + super::dot(a, super::cross(cc, d))
        })
        .sum::<f64>()
        / 6.0
}
