//! The Couinaud segment colours drawn on the slices: a full-grid copy of the segment
//! map and its palette, remade only when the segments change.

use crate::segments::{Couinaud, Segment};
use std::sync::Arc;

/// Segment colours on the slices: 40 % over the layers (value = segment code).
pub const SEGMENT_ALPHA: u8 = 110;

/// The segment codes on the full grid, remade when the segments change.
#[derive(Default, Clone)]
pub struct SegmentOverlay {
    key: usize,
    grid: Vec<u8>,
    rev: u64,
    palette: Vec<[u8; 4]>,
}

impl std::fmt::Debug for SegmentOverlay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SegmentOverlay {{ rev: {} }}", self.rev)
    }
}

impl SegmentOverlay {
    /// The grid, its palette (index = code - 1) and a revision for the slice cache.
    pub fn of(&mut self, c: &Arc<Couinaud>, dims: [usize; 3]) -> (&[u8], &[[u8; 4]], u64) {
        let key = Arc::as_ptr(c) as usize;
        if key != self.key || self.grid.is_empty() {
            self.grid = c.map.to_grid(dims);
            self.key = key;
            self.rev = self.rev.wrapping_add(1) | (1 << 62);
            self.palette = (1..=9u8)
                .map(|code| {
                    let [r, g, b] = Segment::from_code(code).map_or([0; 3], |s| s.colour());
                    [r, g, b, SEGMENT_ALPHA]
                })
                .collect();
        }
        (&self.grid, &self.palette, self.rev)
    }
}
