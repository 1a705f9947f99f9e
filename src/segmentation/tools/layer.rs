//! The label layers the tools edit (one bit each): the crate's own [`Layer`].

pub use crate::segmentation::layer::Layer;
