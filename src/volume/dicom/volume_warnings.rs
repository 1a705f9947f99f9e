//! Warnings about the voxel values and the files left out of a loaded volume.

use std::path::PathBuf;

use super::pixels::SliceStats;
use crate::volume::ValueUnits;

/// Clamped values, fractional slopes, and values that are not HU.
pub fn conversion_warnings(stats: &[SliceStats], units: &ValueUnits) -> Vec<String> {
    let mut out = Vec::new();
    if !units.is_hounsfield() {
        out.push(format!(
            "modality {}: the values are an {}, not Hounsfield units; HU thresholds \
             do not apply (windows come from the image's own percentiles)",
            units.modality,
            units.describe()
        ));
    }
    let clamped: usize = stats.iter().map(|s| s.clamped).sum();
    if clamped > 0 {
        out.push(format!(
            "{clamped} voxel values were outside -32768..32767 and were clamped"
        ));
    }
    let zero = stats.iter().filter(|s| s.zero_slope).count();
    if zero > 0 {
        out.push(format!(
            "RescaleSlope (0028,1053) is 0 in {zero} image{}: taken as 1",
            if zero == 1 { "" } else { "s" }
        ));
    }
    if let Some(s) = stats.iter().find(|s| s.slope.fract() != 0.0) {
        out.push(format!(
            "RescaleSlope {} is not a whole number: values were rounded to whole units",
            s.slope
        ));
    }
    out
}

/// One warning for the given files that were not images.
pub fn ignored_files_warning(ignored: &[(PathBuf, String)]) -> Option<String> {
    let (path, why) = ignored.first()?;
    let more = match ignored.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    Some(format!(
        "{} file{} ignored: {} ({why}){more}",
        ignored.len(),
        if ignored.len() == 1 { "" } else { "s" },
        path.display()
    ))
}
