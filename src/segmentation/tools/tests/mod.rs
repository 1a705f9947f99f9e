//! Tests of the segmentation tools (synthetic phantoms with known answers, and
//! the real CT through [`data::load_real_ct`]).

mod brush;
mod data;
mod edt;
mod growcut;
mod interpolate;
mod polygon;
mod region;
mod score;
mod undo;

use super::grid::Grid;
use super::rules::{EditCtx, PaintRules};
use crate::segmentation::Layer;

/// A grid with every voxel of `labels` equal to `fill`.
pub(super) fn blank(dims: [usize; 3], spacing: [f64; 3]) -> (Grid, Vec<i16>, Vec<u8>) {
    let g = Grid { dims, spacing };
    (g, vec![0i16; g.n_voxels()], vec![0u8; g.n_voxels()])
}

pub(super) fn ctx<'a>(g: &'a Grid, ct: &'a [i16], layer: Layer) -> EditCtx<'a> {
    EditCtx::new(g, ct, layer, PaintRules::default())
}

/// Number of voxels with `bit` set.
pub(super) fn count(labels: &[u8], bit: u8) -> usize {
    labels.iter().filter(|&&v| v & bit != 0).count()
}

/// Deterministic pseudo-random numbers (xorshift) for noise.
pub(super) struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Approximately normal (sum of 4 uniforms), mean 0, sd `sd`.
    pub fn normal(&mut self, sd: f64) -> f64 {
        let s: f64 = (0..4).map(|_| self.unit()).sum::<f64>() - 2.0;
        s * sd * (3.0f64).sqrt()
    }
}
