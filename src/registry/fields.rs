//! The registry's columns, one table for the SQLite columns, the REDCap export and
//! its data dictionary: name, REDCap form, type, label and choices.

/// What a column holds, and its REDCap field type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text (REDCap `text`).
    Text,
    /// Long free text (REDCap `notes`).
    Notes,
    /// A date, exported as YYYY-MM-DD (REDCap `text`, validation `date_ymd`).
    Date,
    /// A date and time in UTC, exported as YYYY-MM-DD HH:MM (`datetime_ymd`).
    DateTime,
    /// A whole number (REDCap `text`, validation `integer`).
    Int,
    /// A decimal number (REDCap `text`, validation `number`).
    Real,
    /// 1 = yes, 0 = no (REDCap `yesno`).
    YesNo,
    /// One code of the choices (REDCap `radio`).
    Radio(&'static [(i64, &'static str)]),
    /// Any codes of the choices, stored as "1|3|5"; exported as one 0/1 column per
    /// code, `name___code` (REDCap `checkbox`).
    Checkbox(&'static [(i64, &'static str)]),
}

impl Kind {
    /// The SQLite column type.
    pub fn sql(self) -> &'static str {
        match self {
            Kind::Int | Kind::YesNo | Kind::Radio(_) => "INTEGER",
            Kind::Real => "REAL",
            _ => "TEXT",
        }
    }
}

/// One column of the registry.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    /// The REDCap form (instrument) it belongs to.
    pub form: &'static str,
    pub kind: Kind,
    pub label: &'static str,
    /// Patient-identifying (REDCap's "Identifier?" column).
    pub identifier: bool,
}

const fn f(name: &'static str, form: &'static str, kind: Kind, label: &'static str) -> Field {
    Field {
        name,
        form,
        kind,
        label,
        identifier: false,
    }
}

const fn id(name: &'static str, kind: Kind, label: &'static str) -> Field {
    Field {
        name,
        form: "case",
        kind,
        label,
        identifier: true,
    }
}

const LS: &[(i64, &str)] = &[
    (0, "LS-0 no tumour seen"),
    (1, "LS-1 tumour up to 0.5 cm"),
    (2, "LS-2 tumour up to 5 cm"),
    (3, "LS-3 tumour over 5 cm or confluence"),
];

const CC: &[(i64, &str)] = &[
    (0, "CC-0 no residual disease"),
    (1, "CC-1 residual nodules under 2.5 mm"),
    (2, "CC-2 residual nodules 2.5 mm to 2.5 cm"),
    (3, "CC-3 residual nodules over 2.5 cm"),
];

/// Sugarbaker's peritonectomy procedures, in `Peritonectomies::list` order.
pub const PERITONECTOMIES: &[(i64, &str)] = &[
    (1, "Greater omentectomy-splenectomy"),
    (2, "Left upper quadrant peritonectomy"),
    (3, "Right upper quadrant peritonectomy"),
    (4, "Lesser omentectomy-cholecystectomy"),
    (5, "Pelvic peritonectomy with sigmoid resection"),
    (6, "Antrectomy"),
];

pub const KIND: &[(i64, &str)] = &[(1, "case"), (2, "report")];
pub const ASCITES: &[(i64, &str)] = &[(0, "none"), (1, "present")];
pub const TECHNIQUE: &[(i64, &str)] = &[(1, "open"), (2, "closed")];
pub const STOMA: &[(i64, &str)] = &[
    (0, "none"),
    (1, "ileostomy"),
    (2, "colostomy"),
    (3, "other"),
];
/// Clavien-Dindo grades by rank (`ClavienDindo::rank`).
pub const CLAVIEN_DINDO: &[(i64, &str)] = &[
    (1, "I"),
    (2, "II"),
    (3, "IIIa"),
    (4, "IIIb"),
    (5, "IVa"),
    (6, "IVb"),
    (7, "V"),
];

/// The PCI region columns `pci_r0` ... `pci_r12` (Sugarbaker's regions 0-12).
pub const PCI_REGIONS: [&str; 13] = [
    "pci_r0", "pci_r1", "pci_r2", "pci_r3", "pci_r4", "pci_r5", "pci_r6", "pci_r7", "pci_r8",
    "pci_r9", "pci_r10", "pci_r11", "pci_r12",
];

const fn region(i: usize, label: &'static str) -> Field {
    f(PCI_REGIONS[i], "operation", Kind::Radio(LS), label)
}

/// Every column after `record_id`, in export order.
pub const FIELDS: &[Field] = &[
    f("case_path", "case", Kind::Text, "Case or report file"),
    f("file_kind", "case", Kind::Radio(KIND), "File kind"),
    f(
        "content_sha256",
        "case",
        Kind::Text,
        "SHA-256 of the file when recorded",
    ),
    f(
        "recorded_at",
        "case",
        Kind::DateTime,
        "Recorded in the registry (UTC)",
    ),
    id("patient_id", Kind::Text, "Patient ID"),
    id("patient_name", Kind::Text, "Patient name"),
    id("birth_date", Kind::Date, "Birth date"),
    f("sex", "case", Kind::Text, "Sex"),
    f("study_date", "case", Kind::Date, "CT study date"),
    id("accession", Kind::Text, "Accession number"),
    f("scan_path", "case", Kind::Text, "Scan file or folder"),
    f("scan_sha256", "case", Kind::Text, "SHA-256 of the scan"),
    f("layers_path", "case", Kind::Text, "Traced layers file"),
    f("surgeon", "operation", Kind::Text, "Surgeon"),
    f("operation_date", "operation", Kind::Date, "Operation date"),
    f(
        "pci",
        "operation",
        Kind::Int,
        "Peritoneal cancer index (sum of scored regions)",
    ),
    f(
        "pci_regions_scored",
        "operation",
        Kind::Int,
        "PCI regions scored (of 13)",
    ),
    region(0, "PCI region 0 central"),
    region(1, "PCI region 1 right upper"),
    region(2, "PCI region 2 epigastrium"),
    region(3, "PCI region 3 left upper"),
    region(4, "PCI region 4 left flank"),
    region(5, "PCI region 5 left lower"),
    region(6, "PCI region 6 pelvis"),
    region(7, "PCI region 7 right lower"),
    region(8, "PCI region 8 right flank"),
    region(9, "PCI region 9 upper jejunum"),
    region(10, "PCI region 10 lower jejunum"),
    region(11, "PCI region 11 upper ileum"),
    region(12, "PCI region 12 lower ileum"),
    f(
        "cc_score",
        "operation",
        Kind::Radio(CC),
        "Completeness of cytoreduction",
    ),
    f("ascites", "operation", Kind::Radio(ASCITES), "Ascites"),
    f("ascites_ml", "operation", Kind::Real, "Ascites volume (mL)"),
    f(
        "peritonectomies",
        "operation",
        Kind::Checkbox(PERITONECTOMIES),
        "Peritonectomy procedures",
    ),
    f(
        "organ_resections",
        "operation",
        Kind::Notes,
        "Other organ resections",
    ),
    f(
        "small_bowel_segments",
        "operation",
        Kind::Int,
        "Small-bowel segments resected",
    ),
    f("hipec", "operation", Kind::YesNo, "HIPEC given"),
    f("hipec_drug", "operation", Kind::Text, "HIPEC drug(s)"),
    f(
        "hipec_dose_mg",
        "operation",
        Kind::Real,
        "HIPEC total dose (mg)",
    ),
    f(
        "hipec_dose_mg_m2",
        "operation",
        Kind::Real,
        "HIPEC dose (mg/m2)",
    ),
    f(
        "hipec_carrier_l",
        "operation",
        Kind::Real,
        "HIPEC carrier volume (L)",
    ),
    f(
        "hipec_temp_c",
        "operation",
        Kind::Real,
        "HIPEC intraperitoneal temperature (C)",
    ),
    f(
        "hipec_inflow_c",
        "operation",
        Kind::Real,
        "HIPEC inflow temperature (C)",
    ),
    f(
        "hipec_outflow_c",
        "operation",
        Kind::Real,
        "HIPEC outflow temperature (C)",
    ),
    f(
        "hipec_duration_min",
        "operation",
        Kind::Real,
        "HIPEC duration (min)",
    ),
    f(
        "hipec_technique",
        "operation",
        Kind::Radio(TECHNIQUE),
        "HIPEC technique",
    ),
    f(
        "operative_time_min",
        "operation",
        Kind::Real,
        "Operative time (min)",
    ),
    f("blood_loss_ml", "operation", Kind::Real, "Blood loss (mL)"),
    f(
        "transfusion_units",
        "operation",
        Kind::Int,
        "Red cell units transfused",
    ),
    f(
        "anastomoses",
        "operation",
        Kind::Int,
        "Digestive anastomoses",
    ),
    f("stoma", "operation", Kind::Radio(STOMA), "Stoma"),
    f(
        "liver_resection",
        "liver",
        Kind::YesNo,
        "Liver resection performed",
    ),
    f(
        "liver_ablation",
        "liver",
        Kind::YesNo,
        "Liver ablation performed",
    ),
    f(
        "resection_type",
        "liver",
        Kind::Text,
        "Liver resection type",
    ),
    f(
        "liver_total_ml",
        "liver",
        Kind::Real,
        "Total liver volume (mL)",
    ),
    f(
        "liver_remnant_ml",
        "liver",
        Kind::Real,
        "Future liver remnant volume (mL)",
    ),
    f(
        "flr_percent",
        "liver",
        Kind::Real,
        "FLR (% of functional liver)",
    ),
    f("sflr_percent", "liver", Kind::Real, "Standardised FLR (%)"),
    f(
        "flr_threshold_percent",
        "liver",
        Kind::Real,
        "Required FLR (%)",
    ),
    f("liver_condition", "liver", Kind::Text, "Liver condition"),
    f("flr_grade", "liver", Kind::Text, "FLR verdict grade"),
    f("flr_verdict", "liver", Kind::Notes, "FLR verdict"),
    f(
        "complications",
        "follow_up",
        Kind::Int,
        "Complications recorded",
    ),
    f(
        "clavien_dindo_max",
        "follow_up",
        Kind::Radio(CLAVIEN_DINDO),
        "Worst Clavien-Dindo grade",
    ),
    f(
        "complications_text",
        "follow_up",
        Kind::Notes,
        "Complications",
    ),
    f("day30_alive", "follow_up", Kind::YesNo, "Alive at day 30"),
    f(
        "day30_readmitted",
        "follow_up",
        Kind::YesNo,
        "Readmitted by day 30",
    ),
    f(
        "day30_reoperated",
        "follow_up",
        Kind::YesNo,
        "Reoperated by day 30",
    ),
    f("day90_alive", "follow_up", Kind::YesNo, "Alive at day 90"),
    f(
        "day90_readmitted",
        "follow_up",
        Kind::YesNo,
        "Readmitted by day 90",
    ),
    f(
        "day90_reoperated",
        "follow_up",
        Kind::YesNo,
        "Reoperated by day 90",
    ),
];

/// The field called `name`.
pub fn field(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name == name)
}
