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
//!   liver resection"`, `99RMNT REMNANT "Future liver remnant"` and `99RMNT STAGE1
//!   "Planned stage-1 liver resection"` (two-stage hepatectomy).
//! - Couinaud segments (written when landmarks are placed; PS3.16 CID 7170 Couinaud
//!   Liver Segment): SCT 71133005 "Couinaud hepatic segment I", 277956007 II,
//!   277957003 III, 277958008 IV, 277959000 V, 277960005 VI, 277961009 VII, 277962002
//!   VIII; segments 4a and 4b both carry segment IV with the Segmented Property Type
//!   Modifier SCT 264217000 "Superior" / 261089000 "Inferior" (CID 2 Anatomic Modifier).

use crate::segmentation::Layer;
use crate::segments::Segment;

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
pub const STAGE1: &str = "STAGE1";
pub const SUPERIOR: &str = "264217000";
pub const INFERIOR: &str = "261089000";
/// SNOMED CT "Couinaud hepatic segment I" ... "VIII" (PS3.16 CID 7170).
pub const COUINAUD: [(&str, &str); 8] = [
    ("71133005", "Couinaud hepatic segment I"),
    ("277956007", "Couinaud hepatic segment II"),
    ("277957003", "Couinaud hepatic segment III"),
    ("277958008", "Couinaud hepatic segment IV"),
    ("277959000", "Couinaud hepatic segment V"),
    ("277960005", "Couinaud hepatic segment VI"),
    ("277961009", "Couinaud hepatic segment VII"),
    ("277962002", "Couinaud hepatic segment VIII"),
];

fn couinaud_code(s: Segment) -> Code {
    let n = match s {
        Segment::S4a | Segment::S4b => 4,
        other => other.code() as usize,
    };
    let (v, m) = COUINAUD[n - 1];
    Code::new(v, SCT, m)
}

fn couinaud_label(s: Segment) -> &'static str {
    match s {
        Segment::S1 => "Couinaud segment 1",
        Segment::S2 => "Couinaud segment 2",
        Segment::S3 => "Couinaud segment 3",
        Segment::S4a => "Couinaud segment 4a",
        Segment::S4b => "Couinaud segment 4b",
        Segment::S5 => "Couinaud segment 5",
        Segment::S6 => "Couinaud segment 6",
        Segment::S7 => "Couinaud segment 7",
        Segment::S8 => "Couinaud segment 8",
    }
}

/// sRGB (D65) to CIELab, scaled as [`SegmentKind::cielab`].
fn rgb_to_cielab(rgb: [u8; 3]) -> [u16; 3] {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let [r, g, b] = rgb.map(lin);
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f64| {
        if t > 216.0 / 24389.0 {
            t.cbrt()
        } else {
            (24389.0 / 27.0 * t + 16.0) / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    let (l, a, bb) = (116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz));
    let s =
        |v: f64, lo: f64, hi: f64| ((v.clamp(lo, hi) - lo) / (hi - lo) * 65535.0).round() as u16;
    [s(l, 0.0, 100.0), s(a, -128.0, 127.0), s(bb, -128.0, 127.0)]
}

/// The segments Remnant writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SegmentKind {
    /// Liver voxels (tumours included) of one Couinaud segment, as the landmark planes
    /// assign them.
    Couinaud(Segment),
    /// The whole liver (liver and tumour layers: tumours are part of the liver).
    Liver,
    /// The planned resection inside the liver (tumour in it included).
    Resection,
    /// The tumour layer.
    Tumour,
    /// Tumour-free liver outside the resection (derived, as the FLR counts it).
    Remnant,
    /// Two-stage hepatectomy: the liver removed at stage 1 (the Stage-1 layer).
    Stage1,
}

impl SegmentKind {
    pub const ALL: [SegmentKind; 5] = [
        SegmentKind::Liver,
        SegmentKind::Resection,
        SegmentKind::Tumour,
        SegmentKind::Remnant,
        SegmentKind::Stage1,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SegmentKind::Liver => "Liver",
            SegmentKind::Resection => "Planned resection",
            SegmentKind::Tumour => "Tumour",
            SegmentKind::Remnant => "Future liver remnant",
            SegmentKind::Stage1 => "Stage-1 resection",
            SegmentKind::Couinaud(s) => couinaud_label(s),
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
                "Tumour-free liver outside the planned resection (derived: liver - resection - stage-1 resection - tumour)"
            }
            SegmentKind::Stage1 => {
                "Liver removed at stage 1 of a two-stage hepatectomy, tumours in it included (Remnant Stage-1 resection layer within the liver)"
            }
            SegmentKind::Couinaud(_) => {
                "Liver voxels, tumours included, of this Couinaud segment as Remnant's landmark planes assign them \
                 (an estimate of the portal territory: Fischer et al., J Comput Assist Tomogr 2002)"
            }
        }
    }

    pub fn category(self) -> Code {
        match self {
            SegmentKind::Liver | SegmentKind::Remnant | SegmentKind::Couinaud(_) => {
                Code::new(ANATOMICAL_STRUCTURE, SCT, "Anatomical Structure")
            }
            SegmentKind::Tumour => Code::new(
                ABNORMAL_STRUCTURE,
                SCT,
                "Morphologically Abnormal Structure",
            ),
            SegmentKind::Resection | SegmentKind::Stage1 => {
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
            SegmentKind::Stage1 => Code::new(STAGE1, LOCAL, "Planned stage-1 liver resection"),
            SegmentKind::Couinaud(s) => couinaud_code(s),
        }
    }

    /// Segmented Property Type Modifier (0062,0011): superior / inferior for 4a / 4b.
    pub fn property_modifier(self) -> Option<Code> {
        match self {
            SegmentKind::Couinaud(Segment::S4a) => Some(Code::new(SUPERIOR, SCT, "Superior")),
            SegmentKind::Couinaud(Segment::S4b) => Some(Code::new(INFERIOR, SCT, "Inferior")),
            _ => None,
        }
    }

    /// Anatomic Region Sequence (the liver), for segments that are not the liver itself.
    pub fn region(self) -> Option<Code> {
        (self != SegmentKind::Liver).then(|| Code::new(LIVER, SCT, "Liver"))
    }

    /// Recommended Display CIELab Value (0062,000D): L*, a*, b* scaled to 0-65535
    /// (PS3.3 C.10.7.1.1); colours close to the app's layer colours.
    pub fn cielab(self) -> [u16; 3] {
        if let SegmentKind::Couinaud(s) = self {
            return rgb_to_cielab(s.colour());
        }
        let (l, a, b) = match self {
            SegmentKind::Liver => (45.0, 35.0, 30.0),
            SegmentKind::Resection => (70.0, 25.0, 65.0),
            SegmentKind::Tumour => (50.0, 70.0, 50.0),
            SegmentKind::Remnant => (65.0, -55.0, 45.0),
            SegmentKind::Stage1 => (60.0, 10.0, -50.0),
            SegmentKind::Couinaud(_) => unreachable!("returned above"),
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
        if COUINAUD.iter().any(|(v, _)| t.is(v, SCT)) {
            return Mapping::Ignored(
                "Couinaud segments are recomputed from the landmarks (load the landmarks file)"
                    .into(),
            );
        }
        if t.is(REMNANT, LOCAL) {
            return Mapping::Ignored(
                "the future liver remnant is recomputed from the liver, resection and tumour layers"
                    .into(),
            );
        }
        if t.is(STAGE1, LOCAL) {
            return Mapping::Layer {
                layer: Layer::Stage1,
                how: format!("code {t}"),
            };
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
    if trimmed.contains("resect") && trimmed.contains("stage") && trimmed.contains('1') {
        return Mapping::Layer {
            layer: Layer::Stage1,
            how: "label".into(),
        };
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
                SegmentKind::Stage1 => Some(Layer::Stage1),
                SegmentKind::Couinaud(_) => None,
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
    fn couinaud_segments_are_not_imported_as_layers() {
        for s in Segment::ALL {
            let k = SegmentKind::Couinaud(s);
            let m = map_segment(Some(&k.property_type()), k.region().as_ref(), k.label());
            assert!(
                matches!(m, Mapping::Ignored(ref why) if why.contains("landmarks")),
                "{s:?}"
            );
        }
    }

    #[test]
    fn couinaud_cielab_of_pure_colours() {
        // sRGB white is L* 100, a* = b* = 0; pure red is about L* 53, a* 80, b* 67
        assert_eq!(rgb_to_cielab([255, 255, 255])[0], 65535);
        let [l, a, b] = rgb_to_cielab([255, 0, 0]);
        let back = |v: u16, lo: f64, hi: f64| lo + f64::from(v) / 65535.0 * (hi - lo);
        assert!((back(l, 0.0, 100.0) - 53.2).abs() < 0.5, "{l}");
        assert!((back(a, -128.0, 127.0) - 80.1).abs() < 0.5, "{a}");
        assert!((back(b, -128.0, 127.0) - 67.2).abs() < 0.5, "{b}");
    }

    #[test]
    fn cielab_is_scaled_to_16_bits() {
        let [l, a, b] = SegmentKind::Remnant.cielab();
        assert_eq!(l, (0.65f64 * 65535.0).round() as u16);
        assert!(a < 32768 && b > 32768);
    }
}
