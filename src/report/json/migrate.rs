//! Migration of older report layouts to the current one.
//!
//! Schema version 1 (the early draft) differs from version 2 in two places:
//! - the patient was two top-level strings, `patient_name` and `patient_id`
//!   (version 2: a `patient` object with more fields);
//! - the PCI was `pci_scores`, 13 integers with -1 for an unscored region
//!   (version 2: `pci.scores`, 13 entries 0-3 or null).
//!
//! Every other field has the same name and meaning in both versions.

use serde_json::{Map, Value, json};

use super::{SCHEMA_VERSION, check_known_fields, current_fields};
use crate::pci::REGION_COUNT;
use crate::report::error::ReportError;
use crate::report::model::Report;

fn fail(reason: String) -> ReportError {
    ReportError::Migration { from: 1, reason }
}

/// Converts a version 1 report object into a [`Report`].
pub(super) fn from_v1(mut object: Map<String, Value>) -> Result<Report, ReportError> {
    let mut known = current_fields()?;
    known.retain(|k| k != "patient" && k != "pci");
    known.extend(["patient_name", "patient_id", "pci_scores"].map(String::from));
    check_known_fields(&object, &known)?;

    let name = take_string(&mut object, "patient_name")?;
    let id = take_string(&mut object, "patient_id")?;
    object.insert(
        "patient".to_owned(),
        json!({ "name": name, "patient_id": id }),
    );
    let scores = match object.remove("pci_scores") {
        None | Some(Value::Null) => vec![Value::Null; REGION_COUNT],
        Some(value) => v1_scores(&value)?,
    };
    object.insert("pci".to_owned(), json!({ "scores": scores }));
    object.insert("schema_version".to_owned(), json!(SCHEMA_VERSION));

    serde_json::from_value(Value::Object(object)).map_err(|e| ReportError::Json {
        what: "invalid report data (schema version 1)",
        detail: e.to_string(),
    })
}

fn take_string(object: &mut Map<String, Value>, key: &str) -> Result<Value, ReportError> {
    match object.remove(key) {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(Value::String(s)) => Ok(Value::String(s)),
        Some(other) => Err(fail(format!("`{key}` must be a string, found {other}"))),
    }
}

/// Version 1 scores (-1 = unscored, 0-3) as version 2 entries (null, 0-3).
fn v1_scores(value: &Value) -> Result<Vec<Value>, ReportError> {
    let Some(items) = value.as_array() else {
        return Err(fail(format!(
            "`pci_scores` must be an array of {REGION_COUNT} integers, found {value}"
        )));
    };
    if items.len() != REGION_COUNT {
        return Err(fail(format!(
            "`pci_scores` must hold {REGION_COUNT} scores, found {}",
            items.len()
        )));
    }
    items
        .iter()
        .enumerate()
        .map(|(region, item)| match item.as_i64() {
            Some(-1) => Ok(Value::Null),
            Some(p @ 0..=3) => Ok(json!(p)),
            _ => Err(fail(format!(
                "`pci_scores[{region}]` is {item}; expected -1 (unscored) or 0-3"
            ))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::pci::LesionSize;
    use crate::report::Report;

    fn load(text: &str) -> Result<Report, crate::report::ReportError> {
        Report::from_json(text.as_bytes())
    }

    #[test]
    fn minimal_v1() {
        let report = load(
            r#"{"schema_version": 1, "patient_name": "DOE^JANE", "patient_id": "P1",
                "pci_scores": [-1, 0, 1, 2, 3, -1, -1, -1, -1, -1, -1, -1, 3]}"#,
        )
        .unwrap();
        assert_eq!(report.patient.name.as_deref(), Some("DOE^JANE"));
        assert_eq!(report.patient.patient_id.as_deref(), Some("P1"));
        assert_eq!(report.patient.birth_date, None);
        assert_eq!(report.pci.get(0), None);
        assert_eq!(report.pci.get(1), Some(LesionSize::Ls0));
        assert_eq!(report.pci.get(12), Some(LesionSize::Ls3));
        assert_eq!(report.pci.total(), 9);
        assert_eq!(report.pci.unscored_count(), 8);
    }

    #[test]
    fn v1_without_scores_is_all_unscored() {
        let report = load(r#"{"schema_version": 1}"#).unwrap();
        assert_eq!(report, Report::default());
    }

    #[test]
    fn bad_v1_scores_are_named() {
        let e = load(r#"{"schema_version": 1, "pci_scores": [0, 1]}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("must hold 13 scores, found 2"), "{e}");
        let e = load(r#"{"schema_version": 1, "pci_scores": [0,0,0,0,7,0,0,0,0,0,0,0,0]}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`pci_scores[4]` is 7"), "{e}");
        let e = load(r#"{"schema_version": 1, "pci_scores": "none"}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("must be an array"), "{e}");
        let e = load(r#"{"schema_version": 1, "patient_id": 42}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`patient_id` must be a string"), "{e}");
        let e = load(r#"{"schema_version": 1, "patient": {}}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown field `patient`"), "{e}");
    }
}
