//! Surfaces of the traced layers for the 3-D view, the PDF snapshot and STL/OBJ export.
//!
//! Surface nets on a layer's label bits (cropped to the layer's bounding box), light
//! Taubin smoothing, vertices in patient millimetres (RAS+, the NIfTI world) through
//! the CT's full affine, so sheared and oblique grids come out right. No UI here.
//!
//! Meshes are for looking at and for export only: every volume Remnant reports is a
//! voxel count x |det| of the affine (see `volumetry`), never a mesh's enclosed volume.

pub mod camera;
pub mod cut_handles;
pub mod export;
mod nets;
pub mod raster;
pub mod scene;
mod smooth;

pub use nets::{DISPLAY_TRIANGLES, MOVING_TRIANGLES, MaskBox, MeshOptions, mesh_layer, mesh_mask};

use crate::segmentation::Layer;

/// Which voxels a surface encloses, in the label map's terms (see `segmentation::labelmap`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeshLayer {
    /// Every liver voxel: remnant + resected + tumour (labels 1-4).
    Liver,
    /// Tumour-free liver outside the resection (label 1): the future liver remnant.
    Remnant,
    /// Liver inside the resection, tumours in it included (labels 2 and 3).
    Resection,
    /// Every tumour voxel (labels 3 and 4).
    Tumour,
}

impl MeshLayer {
    pub const ALL: [MeshLayer; 4] = [
        MeshLayer::Liver,
        MeshLayer::Remnant,
        MeshLayer::Resection,
        MeshLayer::Tumour,
    ];

    /// Does a voxel with these layer bits belong to the surface's inside?
    #[inline]
    pub fn selects(self, bits: u8) -> bool {
        let (l, r, t) = (
            Layer::Liver.bit(),
            Layer::Resection.bit(),
            Layer::Tumour.bit(),
        );
        let liver = bits & (l | t) != 0;
        // a two-stage plan's stage-1 resection is resected liver too
        let r = r | Layer::Stage1.bit();
        match self {
            MeshLayer::Liver => liver,
            MeshLayer::Remnant => liver && bits & (r | t) == 0,
            MeshLayer::Resection => liver && bits & r != 0,
            MeshLayer::Tumour => bits & t != 0,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            MeshLayer::Liver => "liver",
            MeshLayer::Remnant => "remnant",
            MeshLayer::Resection => "resection",
            MeshLayer::Tumour => "tumour",
        }
    }

    pub fn parse(s: &str) -> Option<MeshLayer> {
        match s.trim().to_ascii_lowercase().as_str() {
            "liver" => Some(MeshLayer::Liver),
            "remnant" => Some(MeshLayer::Remnant),
            "resection" | "resected" => Some(MeshLayer::Resection),
            "tumour" | "tumor" => Some(MeshLayer::Tumour),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MeshError {
    #[error("the {0} layer is empty: there is no surface to make")]
    Empty(&'static str),
    #[error("the label bytes ({got}) do not match the grid ({want} voxels)")]
    SizeMismatch { got: usize, want: usize },
    #[error("the grid's affine is singular (a zero voxel size): no surface in mm")]
    SingularAffine,
    #[error("cancelled")]
    Cancelled,
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Format(String),
}

/// A closed triangle surface in patient mm (RAS+), outward-facing counter-clockwise triangles.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mesh {
    pub positions: Vec<[f32; 3]>,
    pub triangles: Vec<[u32; 3]>,
}

/// How a mesh's edges are shared (a closed 2-manifold has every edge in exactly two
/// triangles, once in each direction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EdgeReport {
    pub edges: usize,
    /// Edges in only one triangle (holes).
    pub boundary: usize,
    /// Edges in more than two triangles.
    pub non_manifold: usize,
    /// Edges whose two triangles run along them in the same direction (flipped faces).
    pub inconsistent: usize,
}

impl EdgeReport {
    pub fn watertight(&self) -> bool {
        self.boundary == 0 && self.non_manifold == 0 && self.inconsistent == 0
    }
}

impl Mesh {
    pub fn is_empty(&self) -> bool {
        self.triangles.is_empty()
    }

    fn centroid(&self) -> [f64; 3] {
        let mut c = [0.0f64; 3];
        for p in &self.positions {
            for a in 0..3 {
                c[a] += p[a] as f64;
            }
        }
        let n = self.positions.len().max(1) as f64;
        c.map(|v| v / n)
    }

    fn tri(&self, t: &[u32; 3], c: [f64; 3]) -> [[f64; 3]; 3] {
        t.map(|i| {
            let p = self.positions[i as usize];
            [p[0] as f64 - c[0], p[1] as f64 - c[1], p[2] as f64 - c[2]]
        })
    }

    /// Enclosed volume in mm^3 (divergence theorem; meaningful for a closed mesh).
    pub fn enclosed_volume_mm3(&self) -> f64 {
        let c = self.centroid();
        let mut v = 0.0;
        for t in &self.triangles {
            let [a, b, d] = self.tri(t, c);
            v += dot(a, cross(b, d));
        }
        v / 6.0
    }

    /// Surface area in mm^2.
    pub fn area_mm2(&self) -> f64 {
        let c = self.centroid();
        self.triangles
            .iter()
            .map(|t| {
                let [a, b, d] = self.tri(t, c);
                0.5 * norm(cross(sub(b, a), sub(d, a)))
            })
            .sum()
    }

    /// Axis-aligned bounds (min, max) in mm, or None for an empty mesh.
    pub fn bounds(&self) -> Option<([f32; 3], [f32; 3])> {
        let first = *self.positions.first()?;
        let (mut lo, mut hi) = (first, first);
        for p in &self.positions {
            for a in 0..3 {
                lo[a] = lo[a].min(p[a]);
                hi[a] = hi[a].max(p[a]);
            }
        }
        Some((lo, hi))
    }

    /// Count how the edges are shared (see `EdgeReport`).
    pub fn edge_report(&self) -> EdgeReport {
        // directed edges packed as (a << 32 | b); an undirected edge is its sorted pair
        let mut directed: Vec<u64> = Vec::with_capacity(self.triangles.len() * 3);
        for t in &self.triangles {
            for e in 0..3 {
                let (a, b) = (t[e] as u64, t[(e + 1) % 3] as u64);
                directed.push(a << 32 | b);
            }
        }
        let mut undirected: Vec<u64> = directed
            .iter()
            .map(|&d| {
                let (a, b) = (d >> 32, d & 0xffff_ffff);
                a.min(b) << 32 | a.max(b)
            })
            .collect();
        undirected.sort_unstable();
        directed.sort_unstable();
        let mut r = EdgeReport::default();
        for run in undirected.chunk_by(|a, b| a == b) {
            r.edges += 1;
            match run.len() {
                1 => r.boundary += 1,
                2 => {}
                _ => r.non_manifold += 1,
            }
        }
        // the same directed edge twice: two faces disagree on orientation
        r.inconsistent = directed
            .chunk_by(|a, b| a == b)
            .filter(|c| c.len() > 1)
            .count();
        r
    }

    /// Per-vertex unit normals (area-weighted face normals), for shading.
    pub fn vertex_normals(&self) -> Vec<[f32; 3]> {
        let mut n = vec![[0.0f32; 3]; self.positions.len()];
        for t in &self.triangles {
            let [a, b, c] = t.map(|i| self.positions[i as usize]);
            let f = cross32(sub32(b, a), sub32(c, a));
            for &i in t {
                for k in 0..3 {
                    n[i as usize][k] += f[k];
                }
            }
        }
        for v in &mut n {
            let l = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
            if l > 0.0 {
                *v = v.map(|x| x / l);
            }
        }
        n
    }
}

pub(crate) fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}
pub(crate) fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}
pub(crate) fn sub(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}
pub(crate) fn norm(a: [f64; 3]) -> f64 {
    dot(a, a).sqrt()
}
pub(crate) fn sub32(a: [f32; 3], b: [f32; 3]) -> [f32; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}
pub(crate) fn cross32(a: [f32; 3], b: [f32; 3]) -> [f32; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

#[cfg(test)]
mod tests;
