//! What a scan's voxel values are: Hounsfield units for CT; for MR (and other
//! modalities) an intensity in the units the file gives, or arbitrary units.
//! Volumetry does not depend on it (voxel count x voxel volume); the wording,
//! the window presets and the histogram range do.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueUnits {
    /// DICOM Modality, e.g. "CT", "MR"; "CT" for a NIfTI scan (Remnant's
    /// assumption for NIfTI, which carries no modality).
    pub modality: String,
    /// The units: "HU" for CT; for other modalities RescaleType (0028,1054)
    /// when it names one, else `None` (arbitrary units).
    pub units: Option<String>,
    /// Window presets from the image's own percentiles (non-HU scans; empty
    /// for HU, where the CT presets apply). Set once the voxels are known.
    #[serde(default)]
    pub windows: Vec<WindowPreset>,
}

/// A named window: level (centre) and width, in the scan's units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowPreset {
    pub name: String,
    pub level: f32,
    pub width: f32,
}

impl Default for ValueUnits {
    fn default() -> Self {
        ValueUnits::hounsfield()
    }
}

impl ValueUnits {
    pub fn hounsfield() -> Self {
        ValueUnits {
            modality: "CT".into(),
            units: Some("HU".into()),
            windows: Vec::new(),
        }
    }

    /// From the DICOM Modality and RescaleType. A series without a modality
    /// is taken as CT, as before.
    pub fn of(modality: Option<&str>, rescale_type: Option<&str>) -> Self {
        let m = modality.map(str::trim).filter(|m| !m.is_empty());
        match m {
            None => ValueUnits::hounsfield(),
            Some(m) if m.eq_ignore_ascii_case("CT") => ValueUnits::hounsfield(),
            Some(m) => ValueUnits {
                modality: m.to_ascii_uppercase(),
                units: rescale_type
                    .map(str::trim)
                    // "US" is DICOM's "unspecified"; "HU" on an MR image is a copied default.
                    .filter(|t| !t.is_empty() && *t != "US" && *t != "HU")
                    .map(str::to_string),
                windows: Vec::new(),
            },
        }
    }

    /// Whether the values are Hounsfield units (CT).
    pub fn is_hounsfield(&self) -> bool {
        self.units.as_deref() == Some("HU")
    }

    /// The unit symbol for axes and read-outs: "HU", the file's units, or "a.u.".
    pub fn symbol(&self) -> &str {
        self.units.as_deref().unwrap_or("a.u.")
    }

    /// What the values are, for a sentence: "Hounsfield units (HU)",
    /// "intensity (arbitrary units)", "intensity (units: ...)".
    pub fn describe(&self) -> String {
        match &self.units {
            _ if self.is_hounsfield() => "Hounsfield units (HU)".into(),
            Some(u) => format!("intensity (units: {u})"),
            None => "intensity (arbitrary units)".into(),
        }
    }
}

/// The value at each fraction `qs` (0..=1) of the sorted voxel values, from a
/// histogram (exact for i16).
pub fn percentiles(values: &[i16], qs: &[f64]) -> Vec<i16> {
    let mut counts = vec![0u64; 1 << 16];
    for &v in values {
        counts[(i32::from(v) + 32768) as usize] += 1;
    }
    let n = values.len() as u64;
    qs.iter()
        .map(|&q| {
            if n == 0 {
                return 0;
            }
            let rank = ((q.clamp(0.0, 1.0) * (n - 1) as f64).round() as u64).min(n - 1);
            let mut seen = 0u64;
            for (i, &c) in counts.iter().enumerate() {
                seen += c;
                if seen > rank {
                    return (i as i32 - 32768) as i16;
                }
            }
            i16::MAX
        })
        .collect()
}

/// Window presets for a scan whose values are not HU, from its own
/// percentiles. "Full" spans the 1st to 99th percentile, "Bright" the 50th to
/// 99.5th (tissue over the dark background of most MR).
pub fn percentile_windows(values: &[i16]) -> Vec<WindowPreset> {
    let p = percentiles(values, &[0.01, 0.5, 0.99, 0.995]);
    let win = |name: &str, lo: i16, hi: i16| {
        let (lo, hi) = (f32::from(lo), f32::from(hi).max(f32::from(lo) + 1.0));
        WindowPreset {
            name: name.into(),
            level: (lo + hi) / 2.0,
            width: hi - lo,
        }
    };
    vec![
        win("Full (p1-p99)", p[0], p[2]),
        win("Bright (p50-p99.5)", p[1], p[3]),
    ]
}

/// The histogram's range and bin width for a scan: -1000..1500 HU in 10 HU
/// bins for CT; the 0.5th to 99.5th percentile in about 250 bins otherwise.
pub fn histogram_range(units: &ValueUnits, values: &[i16]) -> (i16, i16, i16) {
    if units.is_hounsfield() {
        return (-1000, 1500, 10);
    }
    let p = percentiles(values, &[0.005, 0.995]);
    let bin = ((i32::from(p[1]) - i32::from(p[0])) / 250).clamp(1, 1000) as i16;
    (p[0], p[1].max(p[0].saturating_add(bin)), bin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_from_modality() {
        assert!(ValueUnits::of(Some("CT"), Some("HU")).is_hounsfield());
        assert!(ValueUnits::of(None, None).is_hounsfield());
        let mr = ValueUnits::of(Some("MR"), Some("US"));
        assert!(!mr.is_hounsfield());
        assert_eq!(mr.describe(), "intensity (arbitrary units)");
        assert_eq!(mr.symbol(), "a.u.");
        let adc = ValueUnits::of(Some("MR"), Some("10^-6 mm2/s"));
        assert_eq!(adc.describe(), "intensity (units: 10^-6 mm2/s)");
    }

    #[test]
    fn percentiles_of_a_ramp() {
        let v: Vec<i16> = (0..=1000).collect();
        assert_eq!(
            percentiles(&v, &[0.0, 0.01, 0.5, 1.0]),
            vec![0, 10, 500, 1000]
        );
        let w = percentile_windows(&v);
        assert_eq!((w[0].level, w[0].width), (500.0, 980.0));
        let mr = ValueUnits::of(Some("MR"), None);
        assert_eq!(histogram_range(&mr, &v), (5, 995, 3));
        assert_eq!(
            histogram_range(&ValueUnits::hounsfield(), &v),
            (-1000, 1500, 10)
        );
    }
}
