//! Traced structures on the CT's grid: the label map, its file formats, components.

pub mod components;
pub mod io;
pub mod labelmap;
pub mod layer;
pub mod lesion;
pub mod plane_cut;
pub mod seeds;
pub mod tools;

pub use labelmap::LabelMap;
pub use layer::Layer;
