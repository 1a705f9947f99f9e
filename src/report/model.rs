//! The structured operative report of peritoneal surface surgery.
//!
//! Its contents follow what expert groups (PSOGI) ask an operative report to
//! hold, the "five points": extent of disease (PCI), small bowel involvement,
//! completeness of cytoreduction, procedures done and HIPEC details; plus the
//! liver part that Remnant's volumetry fills in.
//!
//! Numbers the surgeon may not have yet are `Option`s (`None` = not
//! recorded). Every struct rejects unknown fields when read from JSON so that
//! a misspelt field is reported rather than silently dropped.

use serde::{Deserialize, Serialize};

use crate::pci::{CcScore, Pci};

/// One operative report. See `REPORT_SCHEMA.md` for the JSON layout.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Report {
    pub patient: Patient,
    pub surgeon: Option<String>,
    /// Date of the operation, as the surgeon wrote it (ISO 8601 advised).
    pub operation_date: Option<String>,
    pub ascites: Ascites,
    pub small_bowel: SmallBowel,
    pub right_diaphragm: RightDiaphragm,
    pub photos: Vec<Photo>,
    /// Completeness of cytoreduction; `None` = not recorded.
    pub cc_score: Option<CcScore>,
    pub peritonectomies: Peritonectomies,
    /// Other organ resections, one entry each (e.g. "right hemicolectomy").
    pub organ_resections: Vec<String>,
    /// `None` = no HIPEC given.
    pub hipec: Option<Hipec>,
    pub liver: LiverPart,
    /// Free-text operative findings.
    pub findings: String,
    pub pci: Pci,
    /// Operative time, blood loss, transfusion, anastomoses and stoma.
    pub operation: Operation,
    /// Entries added after the operation: complications and the 30- and 90-day
    /// outcome.
    pub follow_up: FollowUp,
}

/// Patient identification, as found in the images (DICOM) or typed in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Patient {
    pub name: Option<String>,
    pub patient_id: Option<String>,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    pub study_date: Option<String>,
    pub accession: Option<String>,
}

/// Ascites found at laparotomy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case", try_from = "AscitesFields")]
pub enum Ascites {
    #[default]
    NotRecorded,
    /// No ascites.
    None,
    /// Ascites present; volume in mL if measured.
    Present { volume_ml: Option<f64> },
}

/// The JSON form of [`Ascites`], read strictly: unknown fields and a volume
/// without ascites are refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AscitesFields {
    status: AscitesStatus,
    #[serde(default)]
    volume_ml: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum AscitesStatus {
    NotRecorded,
    None,
    Present,
}

impl TryFrom<AscitesFields> for Ascites {
    type Error = &'static str;

    fn try_from(f: AscitesFields) -> Result<Self, Self::Error> {
        match (f.status, f.volume_ml) {
            (AscitesStatus::Present, volume_ml) => Ok(Self::Present { volume_ml }),
            (_, Some(_)) => Err("ascites volume_ml is only allowed with status \"present\""),
            (AscitesStatus::None, None) => Ok(Self::None),
            (AscitesStatus::NotRecorded, None) => Ok(Self::NotRecorded),
        }
    }
}

/// Small bowel and mesentery involvement.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmallBowel {
    /// Free-text description.
    pub description: String,
    /// Disease limited to the serosa.
    pub serosal_only: bool,
    /// Disease at the root of the mesentery.
    pub mesenteric_root_involved: bool,
    /// Number of small-bowel segments resected.
    pub segments_resected: u32,
    /// Total length of small bowel resected, cm.
    pub length_resected_cm: Option<f64>,
}

/// Extent of disease on the right diaphragm dome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiaphragmInvolvement {
    None,
    Partial,
    Full,
}

impl DiaphragmInvolvement {
    pub const fn label(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Partial => "partial",
            Self::Full => "full",
        }
    }
}

/// Right diaphragm dome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RightDiaphragm {
    /// `None` = not recorded.
    pub involvement: Option<DiaphragmInvolvement>,
    /// Whether the cupola is mobile; `None` = not recorded.
    pub cupola_mobile: Option<bool>,
}

/// An intra-operative photo on disk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Photo {
    /// JPEG or PNG file.
    pub path: String,
    pub caption: String,
}

impl Photo {
    /// A photo file added to the report, without a caption yet.
    pub fn from_file(path: &std::path::Path) -> Photo {
        Photo {
            path: path.display().to_string(),
            caption: String::new(),
        }
    }
}

/// Sugarbaker's peritonectomy procedures: which were done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Peritonectomies {
    pub greater_omentectomy_splenectomy: bool,
    pub left_upper_quadrant: bool,
    pub right_upper_quadrant: bool,
    /// With stripping of the omental bursa.
    pub lesser_omentectomy_cholecystectomy: bool,
    pub pelvic_with_sigmoid_resection: bool,
    pub antrectomy: bool,
}

impl Peritonectomies {
    /// Every procedure with its full name and whether it was done.
    pub fn list(&self) -> [(&'static str, bool); 6] {
        [
            (
                "Greater omentectomy-splenectomy",
                self.greater_omentectomy_splenectomy,
            ),
            (
                "Left upper quadrant peritonectomy",
                self.left_upper_quadrant,
            ),
            (
                "Right upper quadrant peritonectomy",
                self.right_upper_quadrant,
            ),
            (
                "Lesser omentectomy-cholecystectomy with stripping of the omental bursa",
                self.lesser_omentectomy_cholecystectomy,
            ),
            (
                "Pelvic peritonectomy with sigmoid colon resection",
                self.pelvic_with_sigmoid_resection,
            ),
            ("Antrectomy", self.antrectomy),
        ]
    }

    /// Names of the procedures done.
    pub fn done(&self) -> Vec<&'static str> {
        self.list()
            .into_iter()
            .filter_map(|(name, done)| done.then_some(name))
            .collect()
    }
}

/// How the HIPEC perfusion was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HipecTechnique {
    Open,
    Closed,
}

impl HipecTechnique {
    pub const fn label(self) -> &'static str {
        match self {
            Self::Open => "open (coliseum)",
            Self::Closed => "closed",
        }
    }
}

/// Hyperthermic intraperitoneal chemotherapy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Hipec {
    pub drug: String,
    /// Total dose, mg.
    pub dose_mg: Option<f64>,
    /// Dose per body-surface area, mg/m2.
    pub dose_mg_per_m2: Option<f64>,
    /// Perfusate (intraperitoneal) temperature, degrees Celsius.
    pub temperature_c: Option<f64>,
    /// Perfusion time, minutes.
    pub duration_min: Option<f64>,
    pub technique: Option<HipecTechnique>,
    /// Carrier (perfusate) volume, litres.
    pub carrier_volume_l: Option<f64>,
    /// Inflow temperature, degrees Celsius.
    pub inflow_temperature_c: Option<f64>,
    /// Outflow temperature, degrees Celsius.
    pub outflow_temperature_c: Option<f64>,
}

/// The operation's course, as registries record it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Operation {
    /// Skin to skin, minutes.
    pub operative_time_min: Option<f64>,
    /// Estimated blood loss, mL.
    pub blood_loss_ml: Option<f64>,
    /// Red cell units transfused during the operation.
    pub transfusion_units: Option<u32>,
    /// Number of digestive anastomoses.
    pub anastomoses: Option<u32>,
    /// Stoma made; `None` = not recorded.
    pub stoma: Option<Stoma>,
}

/// A stoma made at the operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stoma {
    None,
    Ileostomy,
    Colostomy,
    Other,
}

impl Stoma {
    pub const ALL: [Stoma; 4] = [Self::None, Self::Ileostomy, Self::Colostomy, Self::Other];

    pub const fn label(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Ileostomy => "ileostomy",
            Self::Colostomy => "colostomy",
            Self::Other => "other",
        }
    }
}

/// Clavien-Dindo grade of a complication (Dindo et al., Ann Surg 2004).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ClavienDindo {
    I,
    II,
    IIIa,
    IIIb,
    IVa,
    IVb,
    V,
}

impl ClavienDindo {
    pub const ALL: [ClavienDindo; 7] = [
        Self::I,
        Self::II,
        Self::IIIa,
        Self::IIIb,
        Self::IVa,
        Self::IVb,
        Self::V,
    ];

    /// The grade as written: "I", "II", "IIIa" ... "V".
    pub const fn label(self) -> &'static str {
        match self {
            Self::I => "I",
            Self::II => "II",
            Self::IIIa => "IIIa",
            Self::IIIb => "IIIb",
            Self::IVa => "IVa",
            Self::IVb => "IVb",
            Self::V => "V",
        }
    }

    /// 1 ... 7 (I = 1, V = 7): the grade's rank, for sorting and export codes.
    pub const fn rank(self) -> u8 {
        self as u8 + 1
    }
}

/// One post-operative complication.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Complication {
    pub description: String,
    /// `None` = not graded yet.
    pub clavien_dindo: Option<ClavienDindo>,
    /// Date, as written (ISO 8601 advised).
    pub date: Option<String>,
}

/// The outcome at a fixed day after the operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Outcome {
    /// Alive at that day; `None` = not known yet.
    pub alive: Option<bool>,
    /// Readmitted since discharge.
    pub readmitted: Option<bool>,
    /// Operated on again since the operation.
    pub reoperated: Option<bool>,
}

/// What is recorded after the operation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FollowUp {
    pub complications: Vec<Complication>,
    pub day30: Outcome,
    pub day90: Outcome,
}

impl FollowUp {
    /// The worst Clavien-Dindo grade recorded, if any.
    pub fn worst_grade(&self) -> Option<ClavienDindo> {
        self.complications
            .iter()
            .filter_map(|c| c.clavien_dindo)
            .max()
    }
}

/// Liver surgery done in the same operation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LiverPart {
    pub resection_performed: bool,
    pub ablation_performed: bool,
    /// The resection done, as the surgeon names it (e.g. "right hemihepatectomy").
    pub resection_type: Option<String>,
    /// Volumetry from Remnant; `None` = none done.
    pub figures: Option<LiverFigures>,
}

/// Liver volumetry, as computed by the app.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LiverFigures {
    /// Total liver volume, mL.
    pub total_ml: Option<f64>,
    /// Tumour volume, mL.
    pub tumour_ml: Option<f64>,
    /// Functional (total minus tumour) volume, mL.
    pub functional_ml: Option<f64>,
    /// Planned resected volume, mL.
    pub resected_ml: Option<f64>,
    /// Future liver remnant volume, mL.
    pub remnant_ml: Option<f64>,
    /// Future liver remnant as % of the functional volume.
    pub flr_percent: Option<f64>,
    /// Standardised FLR (remnant / estimated total liver volume), %.
    pub sflr_percent: Option<f64>,
    /// Liver condition the threshold was chosen for (e.g. "normal liver").
    pub condition: String,
    /// Required FLR for that condition, %.
    pub threshold_percent: Option<f64>,
    /// The app's conclusion: the graded verdict sentence.
    pub verdict: String,
    /// Date of the pre-operative plan, as entered.
    pub plan_date: Option<String>,
    /// What was judged: "FLR" or "sFLR".
    pub basis: Option<String>,
    /// Body surface area (Mosteller), m2.
    pub bsa_m2: Option<f64>,
    /// Standardised total liver volume (Vauthey 2002), mL.
    pub stlv_ml: Option<f64>,
    /// Remnant / body weight, %.
    pub flr_bw_percent: Option<f64>,
    /// Where the threshold comes from (the consensus, or the user for a custom one).
    pub threshold_source: Option<String>,
    /// Graded verdict: adequate, borderline, insufficient, no verdict.
    pub grade: Option<String>,
    /// Kinetic growth rate after PVE, %/week, when a post-PVE scan was compared.
    pub kgr_percent_per_week: Option<f64>,
    /// True when the weeks since PVE were not entered and the scan interval was used:
    /// `kgr_percent_per_week` is then only a lower bound ("at least").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kgr_is_lower_bound: Option<bool>,
    /// The post-PVE scan's FLR, % of its functional liver, when it was compared (the
    /// grade and verdict are then the post-PVE scan's; the volumes above are the first
    /// scan's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_pve_flr_percent: Option<f64>,
    /// The post-PVE scan's standardised FLR, %.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_pve_sflr_percent: Option<f64>,
    /// The post-PVE scan's remnant volume, mL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_pve_remnant_ml: Option<f64>,
    /// Degree of hypertrophy after PVE, percentage points, when a post-PVE scan was
    /// compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub degree_of_hypertrophy_points: Option<f64>,
    /// Two-stage plan: tumour-free liver removed at the first stage, mL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage1_resected_ml: Option<f64>,
    /// Two-stage plan: FLR after the first stage, % of the functional liver (the FLR
    /// after the second stage is `flr_percent`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage1_flr_percent: Option<f64>,
    /// Every sentence of the decision as the app shows it (verdict, basis, warnings,
    /// PVE, growth, margins, Fong score, resectability checklist).
    pub statements: Vec<String>,
    /// The decision card's alerts (tumour left in the remnant, the liver at the scan's
    /// edge, tracing and input problems), as the Plan tab shows them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alerts: Vec<String>,
    /// The decision card's next step (Remnant's own workflow rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_step: Option<String>,
    /// Couinaud segments from the case's landmarks (absent before landmarks give
    /// segments), in segment order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<SegmentFigure>,
    /// The sentence shown with every segment volume (landmark planes approximate the
    /// portal territories), present with `segments`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segments_caveat: Option<String>,
}

/// One Couinaud segment's volume and the tumours in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SegmentFigure {
    /// "1", "2", "3", "4a", "4b", "5" ... "8".
    pub segment: String,
    /// Whole segment, tumour included, mL.
    pub volume_ml: f64,
    /// Its tumour-free part, % of the functional liver.
    pub percent: Option<f64>,
    /// Ids of the tumours with voxels in it (as numbered in the Plan tab).
    pub tumours: Vec<usize>,
}
