//! Liver volumetry and the FLR decision: pure functions over voxel counts.

pub mod assessment;
pub mod body;
pub mod coverage;
pub mod decision_inputs;
pub mod flr;
pub mod growth;
pub mod margins;
pub mod pve_scan;
pub mod volumes;

pub use assessment::{Assessment, Decision, PlanInputs, measure};
pub use flr::{LiverCondition, Thresholds};
pub use volumes::{Counts, Volumes};
