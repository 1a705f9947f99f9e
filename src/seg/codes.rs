//! The codes of Remnant's segments, and how a segment made elsewhere is mapped to a
//! layer.
//!
//! Codes (DICOM PS3.16; values as in pydicom's copy of PS3.16, `pydicom.sr.codedict`):
//! - categories (CID 7150 Segmentation Property Categories): SCT 91723000 "Anatomical
//!   Structure", SCT 49755003 "Morphologically Abnormal Structure", SCT 309825002
//!   "Spatial and Relational Concept";
//! - liver: SCT 10200004 "Liver" (CID 7151 Segmentation Property Types);
//! - tumour: SCT 108369006 "Neoplasm" (CID 7159 Lesion Segmentation Types), with the
//!   anatomic region SCT 10200004 "Liver";
//! - the planned resection and the future liver remnant have no concept in PS3.16's
//!   segmentation context groups (nor a SNOMED CT concept we could verify), so they use
//!   a local coding scheme, `99RMNT` (designators starting with "99" are private,
//!   PS3.16 section 8), with the anatomic region Liver: `99RMNT RESECTION "Planned
//!   liver resection"` and `99RMNT REMNANT "Future liver remnant"`.

use crate::segmentation::Layer;

/// A coded concept: (code value, coding scheme designator, code meaning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub value: String,
    pub scheme: String,
    pub meaning: String,
}

impl Code {
    pub fn new(value: &str, scheme: &str, meaning: &str) -> Code {
        Code {
            value: value.into(),
            scheme: scheme.into(),
            meaning: meaning.into(),
        }
    }

    /// Same concept: same code value and coding scheme designator.
    pub fn is(&self, value: &str, scheme: &str) -> bool {
        self.value == value && self.scheme.eq_ignore_ascii_case(scheme)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} \"{}\"", self.scheme, self.value, self.meaning)
    }
}

pub const SCT: &str = "SCT";
pub const LOCAL: &str = "99RMNT";
pub const LIVER: &str = "10200004";
pub const NEOPLASM: &str = "108369006";
pub const ANATOMICAL_STRUCTURE: &str = "91723000";
pub const ABNORMAL_STRUCTURE: &str = "49755003";
pub const SPATIAL_CONCEPT: &str = "309825002";
pub const RESECTION: &str = "RESECTION";
pub const REMNANT: &str = "REMNANT";

/// The segments Remnant writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SegmentKind {
    /// The whole liver (liver and tumour layers: tumours are part of the liver).
    Liver,
    /// The planned resection inside the liver (tumour in it included).
    Resection,
    /// The tumour layer.
    Tumour,
    /// Tumour-free liver outside the resection (derived, as the FLR counts it).
    Remnant,
}

impl SegmentKind {
    pub const ALL: [SegmentKind; 4] = [
        SegmentKind::Liver,
        SegmentKind::Resection,
        SegmentKind::Tumour,
        SegmentKind::Remnant,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SegmentKind::Liver => "Liver",
            SegmentKind::Resection => "Planned resection",
            SegmentKind::Tumour => "Tumour",
            SegmentKind::Remnant => "Future liver remnant",
        }
    }

    /// Segment Description (0062,0006): what exactly the voxels are.
    pub fn description(self) -> &'static str {
        match self {
            SegmentKind::Liver => "Whole liver including tumours (Remnant liver layer)",
            SegmentKind::Resection => {
                "Liver planned for resection, tumours in it included (Remnant resection layer within the liver)"
            }
            SegmentKind::Tumour => "Tumours (Remnant tumour layer)",
            SegmentKind::Remnant => {
                "Tumour-free liver outside the planned resection (derived: liver - resection - tumour)"
            }
        }
    }

    pub fn category(self) -> Code {
        match self {
            SegmentKind::Liver | SegmentKind::Remnant => {
                Code::new(ANATOMICAL_STRUCTURE, SCT, "Anatomical Structure")
            }
            SegmentKind::Tumour => Code::new(
                ABNORMAL_STRUCTURE,
                SCT,
                "Morphologically Abnormal Structure",
            ),
            SegmentKind::Resection => {
                Code::new(SPATIAL_CONCEPT, SCT, "Spatial and Relational Concept")
            }
        }
    }

    pub fn property_type(self) -> Code {
        match self {
            SegmentKind::Liver => Code::new(LIVER, SCT, "Liver"),
            SegmentKind::Tumour => Code::new(NEOPLASM, SCT, "Neoplasm"),
            SegmentKind::Resection => Code::new(RESECTION, LOCAL, "Planned liver resection"),
            SegmentKind::Remnant => Code::new(REMNANT, LOCAL, "Future liver remnant"),
        }
    }

    /// Anatomic Region Sequence (the liver), for segments that are not the liver itself.
    pub fn region(self) -> Option<Code> {
        (self != SegmentKind::Liver).then(|| Code::new(LIVER, SCT, "Liver"))
    }

    /// Recommended Display CIELab Value (0062,000D): L*, a*, b* scaled to 0-65535
    /// (PS3.3 C.10.7.1.1); colours close to the app's layer colours.
    pub fn cielab(self) -> [u16; 3] {
        let (l, a, b) = match self {
            SegmentKind::Liver => (45.0, 35.0, 30.0),
            SegmentKind::Resection => (70.0, 25.0, 65.0),
            SegmentKind::Tumour => (50.0, 70.0, 50.0),
            SegmentKind::Remnant => (65.0, -55.0, 45.0),
        };
        let s = |v: f64, lo: f64, hi: f64| ((v - lo) / (hi - lo) * 65535.0).round() as u16;
        [s(l, 0.0, 100.0), s(a, -128.0, 127.0), s(b, -128.0, 127.0)]
    }
}

/// Where an imported segment goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapping {
    /// Into this layer; `how` says what decided it ("code SCT 10200004", "label").
    Layer { layer: Layer, how: String },
    /// Not used, and why.
    Ignored(String),
}

/// Tumour-like property types (CID 7159 Lesion Segmentation Types): neoplasm,
/// primary / secondary neoplasm, mass, lesion, nodule.
const TUMOUR_TYPES: [&str; 6] = [
    NEOPLASM, "86049000", "14799000", "4147007", "52988006", "27925004",
];

fn lower_words(label: &str) -> String {
    label.to_ascii_lowercase()
}

fn is_tumour_word(l: &str) -> bool {
    [
        "tumour",
        "tumor",
        "metasta",
        "lesion",
        "neoplasm",
        "cancer",
        "carcinoma",
        "hcc",
        "crlm",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// Map one segment (its codes and label) to a Remnant layer, or say why not.
pub fn map_segment(property_type: Option<&Code>, region: Option<&Code>, label: &str) -> Mapping {
    let l = lower_words(label);
    let in_liver =
        region.is_some_and(|r| r.is(LIVER, SCT)) || l.contains("liver") || l.contains("hepat");
    if let Some(t) = property_type {
        if t.is(REMNANT, LOCAL) {
            return Mapping::Ignored(
                "the future liver remnant is recomputed from the liver, resection and tumour layers"
                    .into(),
            );
        }
        if t.is(RESECTION, LOCAL) {
            return Mapping::Layer {
                layer: Layer::Resection,
                how: format!("code {t}"),
            };
        }
        if t.is(LIVER, SCT) {
            return Mapping::Layer {
                layer: Layer::Liver,
                how: format!("code {t}"),
            };
        }
        if TUMOUR_TYPES.iter().any(|v| t.is(v, SCT)) {
            return if in_liver {
                Mapping::Layer {
                    layer: Layer::Tumour,
                    how: format!("code {t} in the liver"),
                }
            } else {
                Mapping::Ignored(format!(
                    "{t} not stated to be in the liver (no anatomic region Liver, no \"liver\" in its label)"
                ))
            };
        }
    }
    // Codes not recognised: the label decides.
    let trimmed = l.trim();
    if is_tumour_word(trimmed) && !trimmed.contains("vessel") {
        let other_organ = region.is_some_and(|r| !r.is(LIVER, SCT));
        if !other_organ {
            return Mapping::Layer {
                layer: Layer::Tumour,
                how: "label".into(),
            };
        }
    }
    if trimmed.contains("resect") {
        return Mapping::Layer {
            layer: Layer::Resection,
            how: "label".into(),
        };
    }
    if ["liver", "whole liver", "liver parenchyma", "entire liver"].contains(&trimmed) {
        return Mapping::Layer {
            layer: Layer::Liver,
            how: "label".into(),
        };
    }
    let what = property_type
        .map(|t| t.to_string())
        .unwrap_or_else(|| "no property type".into());
    Mapping::Ignored(format!("not a liver, resection or tumour segment ({what})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(m: Mapping) -> Option<Layer> {
        match m {
            Mapping::Layer { layer, .. } => Some(layer),
            Mapping::Ignored(_) => None,
        }
    }

    #[test]
    fn our_own_codes_map_back_and_the_remnant_is_recomputed() {
        for kind in SegmentKind::ALL {
            let got = layer(map_segment(
                Some(&kind.property_type()),
                kind.region().as_ref(),
                kind.label(),
            ));
            let want = match kind {
                SegmentKind::Liver => Some(Layer::Liver),
                SegmentKind::Resection => Some(Layer::Resection),
                SegmentKind::Tumour => Some(Layer::Tumour),
                SegmentKind::Remnant => None,
            };
            assert_eq!(got, want, "{kind:?}");
        }
    }

    #[test]
    fn other_tools_segments() {
        let tissue = Code::new("85756007", SCT, "Tissue");
        // Slicer's default code with a typed name
        assert_eq!(
            layer(map_segment(Some(&tissue), None, "liver")),
            Some(Layer::Liver)
        );
        assert_eq!(
            layer(map_segment(Some(&tissue), None, "Tumor 1")),
            Some(Layer::Tumour)
        );
        // TotalSegmentator: other organs are ignored, the liver's vessels too
        let spleen = Code::new("78961009", SCT, "Spleen");
        assert_eq!(layer(map_segment(Some(&spleen), None, "spleen")), None);
        let vessel = Code::new("59820001", SCT, "Blood vessel");
        assert_eq!(
            layer(map_segment(Some(&vessel), None, "liver vessels")),
            None
        );
        // a lung nodule is not a liver tumour
        let nodule = Code::new("27925004", SCT, "Nodule");
        let lung = Code::new("39607008", SCT, "Lung");
        assert_eq!(
            layer(map_segment(Some(&nodule), Some(&lung), "nodule")),
            None
        );
        let liver = Code::new(LIVER, SCT, "Liver");
        assert_eq!(
            layer(map_segment(Some(&nodule), Some(&liver), "nodule")),
            Some(Layer::Tumour)
        );
    }

    #[test]
    fn cielab_is_scaled_to_16_bits() {
        let [l, a, b] = SegmentKind::Remnant.cielab();
        assert_eq!(l, (0.65f64 * 65535.0).round() as u16);
        assert!(a < 32768 && b > 32768);
    }
}
