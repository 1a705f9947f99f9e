//! REPORT_SCHEMA.md stays in step with the code: its examples load, and
//! every field the code writes is documented.

mod report_fixtures;

use remnant::report::Report;
use serde_json::Value;

fn doc() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/REPORT_SCHEMA.md"
    ))
    .unwrap()
}

/// The first ```json block after `heading`.
fn example(doc: &str, heading: &str) -> String {
    let start = doc.find(heading).unwrap();
    let block = &doc[start..];
    let open = block.find("```json\n").unwrap() + "```json\n".len();
    let close = block[open..].find("```").unwrap();
    block[open..open + close].to_owned()
}

fn keys(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                out.push(k.clone());
                keys(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

#[test]
fn examples_load() {
    let doc = doc();
    let v2 = Report::from_json(example(&doc, "### Example (version 2)").as_bytes()).unwrap();
    assert_eq!(v2.pci.total(), 16);
    assert_eq!(v2.patient.patient_id.as_deref(), Some("PAT-001"));
    let v1 = Report::from_json(example(&doc, "### Example (version 1)").as_bytes()).unwrap();
    assert_eq!(v1.pci.total(), 12);
    assert_eq!(v1.patient.name.as_deref(), Some("DUPONT^MARIE"));
}

#[test]
fn every_written_field_is_documented() {
    let doc = doc();
    let mut report = report_fixtures::sample_report();
    report.photos.push(Default::default());
    let value: Value = serde_json::from_str(&report.to_json().unwrap()).unwrap();
    let mut all = Vec::new();
    keys(&value, &mut all);
    for key in all {
        assert!(
            doc.contains(&format!("`{key}`")),
            "`{key}` is not in REPORT_SCHEMA.md"
        );
    }
}
