//! Does the traced liver reach the border of the scan? Then it may extend beyond the
//! scanned field, and every volume measured from it is only a lower bound.

use crate::segmentation::Layer;
use serde::{Deserialize, Serialize};

/// Which borders of the image the liver (or tumour) layer touches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// The first slice (k = 0).
    pub first_slice: bool,
    /// The last slice (k = nz - 1).
    pub last_slice: bool,
    /// The in-plane edge of the image (i or j at 0 or its maximum).
    pub image_edge: bool,
}

impl Coverage {
    pub fn touches(&self) -> bool {
        self.first_slice || self.last_slice || self.image_edge
    }

    /// "the first slice and the image edge".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.first_slice {
            parts.push("the first slice");
        }
        if self.last_slice {
            parts.push("the last slice");
        }
        if self.image_edge {
            parts.push("the image edge");
        }
        match parts.len() {
            0 => String::new(),
            1 => parts[0].to_string(),
            n => format!("{} and {}", parts[..n - 1].join(", "), parts[n - 1]),
        }
    }
}

/// Scans the six faces of the grid for liver or tumour voxels.
pub fn liver_coverage(bits: &[u8], dims: [usize; 3]) -> Coverage {
    let [nx, ny, nz] = dims;
    let mut c = Coverage::default();
    if bits.len() != nx * ny * nz || bits.is_empty() {
        return c;
    }
    let m = Layer::Liver.bit() | Layer::Tumour.bit();
    let slice = |k: usize| &bits[k * nx * ny..(k + 1) * nx * ny];
    c.first_slice = slice(0).iter().any(|&b| b & m != 0);
    c.last_slice = slice(nz - 1).iter().any(|&b| b & m != 0);
    'outer: for k in 0..nz {
        let s = slice(k);
        for j in [0, ny - 1] {
            if s[j * nx..(j + 1) * nx].iter().any(|&b| b & m != 0) {
                c.image_edge = true;
                break 'outer;
            }
        }
        for j in 0..ny {
            if s[j * nx] & m != 0 || s[j * nx + nx - 1] & m != 0 {
                c.image_edge = true;
                break 'outer;
            }
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_border() {
        let dims = [5, 4, 3];
        let mut bits = vec![0u8; 60];
        let idx = |i: usize, j: usize, k: usize| i + 5 * (j + 4 * k);
        bits[idx(2, 2, 1)] = 1;
        assert!(!liver_coverage(&bits, dims).touches());
        bits[idx(2, 2, 2)] = 1;
        let c = liver_coverage(&bits, dims);
        assert!(c.last_slice && !c.first_slice && !c.image_edge);
        assert_eq!(c.describe(), "the last slice");
        bits[idx(4, 1, 1)] = 4; // a tumour voxel at the right edge
        let c = liver_coverage(&bits, dims);
        assert!(c.image_edge);
        bits[idx(1, 1, 0)] = 1;
        assert_eq!(
            liver_coverage(&bits, dims).describe(),
            "the first slice, the last slice and the image edge"
        );
        // resection alone does not count
        let mut r = vec![0u8; 60];
        r[0] = 2;
        assert!(!liver_coverage(&r, dims).touches());
    }
}
