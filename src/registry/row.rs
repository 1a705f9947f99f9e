//! One registry row, extracted from a case or report file: the values of
//! [`FIELDS`](super::FIELDS) by column name (absent = NULL).

use super::RegistryError;
use super::fields::{self, PCI_REGIONS};
use crate::case::{CASE_VERSION, Case};
use crate::report::{Ascites, HipecTechnique, Outcome, Report, Stoma};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Real(f64),
    Text(String),
}

impl Value {
    /// As text, the way the Registry table and the CSV show it.
    pub fn display(&self) -> String {
        match self {
            Value::Int(i) => i.to_string(),
            Value::Real(x) => {
                let s = format!("{x:.3}");
                s.trim_end_matches('0').trim_end_matches('.').to_owned()
            }
            Value::Text(t) => t.clone(),
        }
    }
}

/// A row: column name -> value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row(pub BTreeMap<&'static str, Value>);

impl Row {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    /// The value as text ("" for NULL).
    pub fn text(&self, name: &str) -> String {
        self.get(name).map(Value::display).unwrap_or_default()
    }

    fn set(&mut self, name: &'static str, v: Option<Value>) {
        debug_assert!(fields::field(name).is_some(), "unknown column {name}");
        if let Some(v) = v {
            self.0.insert(name, v);
        }
    }

    fn text_of(&mut self, name: &'static str, v: Option<&str>) {
        let v = v.map(str::trim).filter(|t| !t.is_empty());
        self.set(name, v.map(|t| Value::Text(t.to_owned())));
    }

    fn real(&mut self, name: &'static str, v: Option<f64>) {
        self.set(name, v.filter(|x| x.is_finite()).map(Value::Real));
    }

    fn int(&mut self, name: &'static str, v: Option<i64>) {
        self.set(name, v.map(Value::Int));
    }

    fn yes_no(&mut self, name: &'static str, v: Option<bool>) {
        self.int(name, v.map(i64::from));
    }
}

/// Larger files are refused (the case and report limit).
const MAX_BYTES: u64 = crate::report::MAX_FILE_BYTES;

fn read_file(path: &Path) -> Result<Vec<u8>, RegistryError> {
    let err = |source| RegistryError::CaseRead {
        path: path.to_path_buf(),
        source,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(err)?
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(err)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(not_a_case(path, "larger than a case or report can be"));
    }
    Ok(bytes)
}

fn not_a_case(path: &Path, message: impl ToString) -> RegistryError {
    RegistryError::NotACase {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

/// The case (if a case file) and the report in `bytes`.
fn parse(path: &Path, bytes: &[u8]) -> Result<(Option<Case>, Report), RegistryError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| not_a_case(path, format!("not JSON: {e}")))?;
    let Some(obj) = value.as_object() else {
        return Err(not_a_case(path, "not a JSON object"));
    };
    match obj.get("case_version").map(|v| v.as_u64()) {
        Some(Some(v)) if v > u64::from(CASE_VERSION) => Err(not_a_case(
            path,
            format!("case version {v} is newer than this build reads ({CASE_VERSION})"),
        )),
        Some(Some(_)) => {
            let case: Case = serde_json::from_value(value)
                .map_err(|e| not_a_case(path, format!("damaged case: {e}")))?;
            let text = serde_json::to_vec(&case.report).map_err(|e| not_a_case(path, e))?;
            let report =
                Report::from_json(&text).map_err(|e| not_a_case(path, format!("report: {e}")))?;
            Ok((Some(case), report))
        }
        Some(None) => Err(not_a_case(path, "case_version is not a number")),
        None if obj.contains_key("schema_version") => {
            let report = Report::from_json(bytes).map_err(|e| not_a_case(path, e))?;
            Ok((None, report))
        }
        None => Err(not_a_case(
            path,
            "no case_version or schema_version (save it from Remnant first)",
        )),
    }
}

impl Row {
    /// The row of the case or report file at `path` (an absolute path is recorded).
    pub fn from_file(path: &Path) -> Result<Row, RegistryError> {
        let bytes = read_file(path)?;
        let (case, report) = parse(path, &bytes)?;
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let sha: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let mut row = Row::default();
        row.text_of("case_path", Some(&abs.display().to_string()));
        row.int("file_kind", Some(if case.is_some() { 1 } else { 2 }));
        row.text_of("content_sha256", Some(&sha));
        if let Some(c) = &case {
            row.case_files(c, &abs);
        }
        row.report(&report);
        Ok(row)
    }

    fn case_files(&mut self, c: &Case, case_path: &Path) {
        if let Some(s) = &c.scan {
            self.text_of("scan_path", Some(&s.path));
            self.text_of("scan_sha256", Some(&s.sha256));
        }
        if let Some(l) = &c.layers {
            let p = case_path.parent().map_or_else(|| l.into(), |d| d.join(l));
            self.text_of("layers_path", Some(&p.display().to_string()));
        }
    }

    /// Every column the report fills.
    pub fn report(&mut self, r: &Report) {
        self.patient(r);
        self.pci(r);
        self.hipec(r);
        self.operation(r);
        self.liver(r);
        self.follow_up(r);
    }

    fn patient(&mut self, r: &Report) {
        let p = &r.patient;
        self.text_of("patient_id", p.patient_id.as_deref());
        self.text_of("patient_name", p.name.as_deref());
        self.text_of("birth_date", p.birth_date.as_deref());
        self.text_of("sex", p.sex.as_deref());
        self.text_of("study_date", p.study_date.as_deref());
        self.text_of("accession", p.accession.as_deref());
        self.text_of("surgeon", r.surgeon.as_deref());
        self.text_of("operation_date", r.operation_date.as_deref());
    }

    fn pci(&mut self, r: &Report) {
        let scored = (0..PCI_REGIONS.len())
            .filter(|&i| r.pci.get(i).is_some())
            .count();
        if scored > 0 {
            self.int("pci", Some(i64::from(r.pci.total())));
        }
        self.int("pci_regions_scored", Some(scored as i64));
        for (i, name) in PCI_REGIONS.iter().enumerate() {
            self.int(name, r.pci.get(i).map(|s| i64::from(s.points())));
        }
        self.int("cc_score", r.cc_score.map(|c| i64::from(c.value())));
        match r.ascites {
            Ascites::NotRecorded => {}
            Ascites::None => self.int("ascites", Some(0)),
            Ascites::Present { volume_ml } => {
                self.int("ascites", Some(1));
                self.real("ascites_ml", volume_ml);
            }
        }
        let codes: Vec<String> = r
            .peritonectomies
            .list()
            .iter()
            .zip(fields::PERITONECTOMIES)
            .filter(|((_, done), _)| *done)
            .map(|(_, (code, _))| code.to_string())
            .collect();
        self.text_of("peritonectomies", Some(&codes.join("|")));
        self.text_of("organ_resections", Some(&r.organ_resections.join("; ")));
        self.int(
            "small_bowel_segments",
            Some(i64::from(r.small_bowel.segments_resected)),
        );
    }

    fn hipec(&mut self, r: &Report) {
        self.yes_no("hipec", Some(r.hipec.is_some()));
        let Some(h) = &r.hipec else { return };
        self.text_of("hipec_drug", Some(&h.drug));
        self.real("hipec_dose_mg", h.dose_mg);
        self.real("hipec_dose_mg_m2", h.dose_mg_per_m2);
        self.real("hipec_carrier_l", h.carrier_volume_l);
        self.real("hipec_temp_c", h.temperature_c);
        self.real("hipec_inflow_c", h.inflow_temperature_c);
        self.real("hipec_outflow_c", h.outflow_temperature_c);
        self.real("hipec_duration_min", h.duration_min);
        let technique = h.technique.map(|t| match t {
            HipecTechnique::Open => 1,
            HipecTechnique::Closed => 2,
        });
        self.int("hipec_technique", technique);
    }

    fn operation(&mut self, r: &Report) {
        let o = &r.operation;
        self.real("operative_time_min", o.operative_time_min);
        self.real("blood_loss_ml", o.blood_loss_ml);
        self.int("transfusion_units", o.transfusion_units.map(i64::from));
        self.int("anastomoses", o.anastomoses.map(i64::from));
        let stoma = o.stoma.map(|s| match s {
            Stoma::None => 0,
            Stoma::Ileostomy => 1,
            Stoma::Colostomy => 2,
            Stoma::Other => 3,
        });
        self.int("stoma", stoma);
    }

    fn liver(&mut self, r: &Report) {
        let l = &r.liver;
        self.yes_no("liver_resection", Some(l.resection_performed));
        self.yes_no("liver_ablation", Some(l.ablation_performed));
        self.text_of("resection_type", l.resection_type.as_deref());
        let Some(f) = &l.figures else { return };
        self.real("liver_total_ml", f.total_ml);
        self.real("liver_remnant_ml", f.remnant_ml);
        self.real("flr_percent", f.flr_percent);
        self.real("sflr_percent", f.sflr_percent);
        self.real("flr_threshold_percent", f.threshold_percent);
        self.text_of("liver_condition", Some(&f.condition));
        self.text_of("flr_grade", f.grade.as_deref());
        self.text_of("flr_verdict", Some(&f.verdict));
    }

    fn outcome(&mut self, names: [&'static str; 3], o: &Outcome) {
        self.yes_no(names[0], o.alive);
        self.yes_no(names[1], o.readmitted);
        self.yes_no(names[2], o.reoperated);
    }

    fn follow_up(&mut self, r: &Report) {
        let f = &r.follow_up;
        self.int("complications", Some(f.complications.len() as i64));
        self.int(
            "clavien_dindo_max",
            f.worst_grade().map(|g| i64::from(g.rank())),
        );
        let text: Vec<String> = f
            .complications
            .iter()
            .map(|c| {
                let grade = c
                    .clavien_dindo
                    .map_or(String::new(), |g| format!(" (Clavien-Dindo {})", g.label()));
                format!("{}{grade}", c.description.trim())
            })
            .collect();
        self.text_of("complications_text", Some(&text.join("; ")));
        let d30 = ["day30_alive", "day30_readmitted", "day30_reoperated"];
        self.outcome(d30, &f.day30);
        let d90 = ["day90_alive", "day90_readmitted", "day90_reoperated"];
        self.outcome(d90, &f.day90);
    }
}
