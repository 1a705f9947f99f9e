//! The inputs of a post-PVE comparison that the plan keeps: the second scan's counts
//! and the time figures (see [`super::growth`] for the comparison itself).

use serde::{Deserialize, Serialize};

/// A post-PVE scan kept with the plan (so a saved case and its PDF carry the growth):
/// its file name, voxel counts and voxel volume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostPveScan {
    pub name: String,
    pub counts: super::Counts,
    pub voxel_mm3: f64,
    /// Which borders of that scan its liver touches (absent in cases saved before it
    /// was kept: the post-PVE verdict is then graded as before, on volume alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<super::coverage::Coverage>,
}

/// Weeks Remnant accepts for either interval (a PVE interval is typically 2-8 weeks).
pub const WEEKS_RANGE: (f64, f64) = (0.5, 52.0);

/// The time figures of a post-PVE comparison.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timing {
    pub weeks_since_pve: Option<f64>,
    pub weeks_between_scans: Option<f64>,
}
