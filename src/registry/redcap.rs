//! The REDCap export: an import CSV (`record_id` first, one column per field, a
//! checkbox field as one 0/1 column per choice, `name___code`) and its data dictionary
//! (REDCap's 18 standard columns) naming every column of the CSV.

use super::fields::{FIELDS, Field, Kind};
use super::row::Value;
use super::store::Entry;

/// REDCap's data dictionary columns, in order.
pub const DICTIONARY_COLUMNS: [&str; 18] = [
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
];

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Export {
    /// The import CSV.
    pub csv: String,
    /// The data dictionary CSV.
    pub dictionary: String,
    /// Rows exported.
    pub records: usize,
    /// Values left out, one sentence each (a date REDCap would refuse).
    pub warnings: Vec<String>,
}

/// One CSV cell, quoted when it holds a comma, a quote or a line break.
pub fn cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn line(cells: &[String]) -> String {
    let mut l = cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
    l.push_str("\r\n");
    l
}

/// "2024-06-12" or "20240612" -> "2024-06-12"; anything else: `None`.
pub fn iso_date(s: &str) -> Option<String> {
    let s = s.trim();
    let digits: String = s.chars().filter(|c| *c != '-').collect();
    let dashed = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) || !(dashed || s.len() == 8)
    {
        return None;
    }
    let (y, m, d) = (&digits[..4], &digits[4..6], &digits[6..]);
    let (mi, di): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&mi) && (1..=31).contains(&di)).then(|| format!("{y}-{m}-{d}"))
}

/// The CSV column names: `record_id`, then each field (checkboxes expanded).
pub fn columns() -> Vec<String> {
    let mut out = vec!["record_id".to_owned()];
    for f in FIELDS {
        match f.kind {
            Kind::Checkbox(choices) => {
                out.extend(choices.iter().map(|(c, _)| format!("{}___{c}", f.name)));
            }
            _ => out.push(f.name.to_owned()),
        }
    }
    out
}

/// The cells of one field of one row.
fn cells(f: &Field, v: Option<&Value>, record: i64, warnings: &mut Vec<String>) -> Vec<String> {
    let text = v.map(Value::display).unwrap_or_default();
    match f.kind {
        Kind::Checkbox(choices) => {
            let on: Vec<&str> = text.split('|').collect();
            choices
                .iter()
                .map(|(c, _)| u8::from(on.contains(&c.to_string().as_str())).to_string())
                .collect()
        }
        Kind::Date if !text.is_empty() => match iso_date(&text) {
            Some(d) => vec![d],
            None => {
                warnings.push(format!(
                    "record {record}: {} \"{text}\" is not a date REDCap reads (YYYY-MM-DD); left empty",
                    f.name
                ));
                vec![String::new()]
            }
        },
        _ => vec![text],
    }
}

/// The import CSV and the data dictionary of `entries` recorded on or after `since`
/// (YYYY-MM-DD, UTC; `None`: every row).
pub fn export(entries: &[Entry], since: Option<&str>) -> Export {
    let mut out = Export {
        csv: line(&columns()),
        dictionary: dictionary(),
        ..Export::default()
    };
    for e in entries {
        let at = e.row.text("recorded_at");
        if since.is_some_and(|s| at.as_str() < s) {
            continue;
        }
        let mut row = vec![e.record_id.to_string()];
        for f in FIELDS {
            row.extend(cells(f, e.row.get(f.name), e.record_id, &mut out.warnings));
        }
        out.csv.push_str(&line(&row));
        out.records += 1;
    }
    out
}

fn choices(list: &[(i64, &str)]) -> String {
    list.iter()
        .map(|(c, l)| format!("{c}, {l}"))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// One dictionary line: field name, form, type, label, choices, note, validation,
/// identifier.
fn dictionary_line(f: &Field) -> String {
    let (kind, choice, note, validation) = match f.kind {
        Kind::Text => ("text", String::new(), "", ""),
        Kind::Notes => ("notes", String::new(), "", ""),
        Kind::Date => ("text", String::new(), "YYYY-MM-DD", "date_ymd"),
        Kind::DateTime => ("text", String::new(), "UTC", "datetime_seconds_ymd"),
        Kind::Int => ("text", String::new(), "", "integer"),
        Kind::Real => ("text", String::new(), "", "number"),
        Kind::YesNo => ("yesno", String::new(), "", ""),
        Kind::Radio(c) => ("radio", choices(c), "", ""),
        Kind::Checkbox(c) => ("checkbox", choices(c), "", ""),
    };
    let mut cells = vec![String::new(); DICTIONARY_COLUMNS.len()];
    cells[0] = f.name.to_owned();
    cells[1] = f.form.to_owned();
    cells[3] = kind.to_owned();
    cells[4] = f.label.to_owned();
    cells[5] = choice;
    cells[6] = note.to_owned();
    cells[7] = validation.to_owned();
    cells[10] = if f.identifier { "y" } else { "" }.to_owned();
    line(&cells)
}

/// The data dictionary: `record_id`, then every field.
pub fn dictionary() -> String {
    let head: Vec<String> = DICTIONARY_COLUMNS.iter().map(|s| s.to_string()).collect();
    let mut out = line(&head);
    let record = Field {
        name: "record_id",
        form: "case",
        kind: Kind::Text,
        label: "Record ID",
        identifier: false,
    };
    out.push_str(&dictionary_line(&record));
    for f in FIELDS {
        out.push_str(&dictionary_line(f));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_redcap_reads() {
        assert_eq!(iso_date("2024-06-12").as_deref(), Some("2024-06-12"));
        assert_eq!(iso_date("20240612").as_deref(), Some("2024-06-12"));
        assert_eq!(iso_date("12/06/2024"), None);
        assert_eq!(iso_date("2024-13-01"), None);
        assert_eq!(iso_date("2024-0612"), None);
    }

    #[test]
    fn cells_with_commas_quotes_and_lines_are_quoted() {
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"x\""), "\"say \"\"x\"\"\"");
        assert_eq!(cell("a\nb"), "\"a\nb\"");
        assert_eq!(cell("plain"), "plain");
    }
}
