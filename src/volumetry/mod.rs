//! Liver volumetry and the FLR decision: pure functions over voxel counts.

pub mod assessment;
pub mod body;
pub mod flr;
pub mod volumes;

pub use assessment::{assess, Assessment, Decision, PlanInputs};
pub use flr::{LiverCondition, Thresholds};
pub use volumes::{Counts, Volumes};
