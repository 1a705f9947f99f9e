//! Measurements on the scan, with no UI: rulers (distances in mm from the scan's
//! affine). The plane views place them, the case and the autosave keep them, the
//! PDF's key images show them.

pub mod ruler;

pub use ruler::{Ruler, RulerError};
