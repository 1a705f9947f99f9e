//! Segmentation editing tools: brush, polygon fill, fill between slices, region
//! tools, grow from seeds and trainee scoring, all producing undoable edits.
//!
//! Data model: a [`Grid`] (dims, spacing in mm), CT as `&[i16]` HU and a label
//! map `&mut [u8]` (one bit per [`Layer`]), all flat in NIfTI (Fortran) order.
//! A tool gets an [`EditCtx`] (grid, CT, target layer, [`PaintRules`]), changes
//! only that layer's bit, and returns an [`Edit`] to push on an [`UndoStack`].
//! Tools that compute a result for the user to confirm (fill between slices,
//! grow from seeds) return a [`Preview`] instead; `Preview::accept` makes the edit.
//!
//! `Grid` holds dims and spacing (built from a scan's geometry by `Grid::of`); its
//! index helpers (`Grid::flat`, `ijk`, ...) are in `geom.rs`. Tests read the real sample CT only
//! through `tests/data.rs`.

pub mod brush;
pub mod edt;
pub mod geom;
pub mod grid;
pub mod growcut;
pub mod interpolate;
pub mod polygon;
pub mod preview;
pub mod region;
pub mod rules;
pub mod score;
pub mod undo;

pub use crate::segmentation::Layer;
pub use geom::{Axis, Bbox};
pub use grid::Grid;
pub use preview::Preview;
pub use rules::{EditCtx, PaintMode, PaintRules};
pub use undo::{Edit, UndoStack, Undone, diff};

#[cfg(test)]
mod tests;
