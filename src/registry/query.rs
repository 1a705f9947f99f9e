//! Filtering and sorting rows, as the Registry work area shows them.

use super::row::Value;
use super::store::Entry;
use std::cmp::Ordering;

/// Does any of the row's values (or its record id) contain `needle`, ignoring case?
pub fn matches(e: &Entry, needle: &str) -> bool {
    let needle = needle.trim().to_lowercase();
    if needle.is_empty() {
        return true;
    }
    e.record_id.to_string().contains(&needle)
        || e.row
            .0
            .values()
            .any(|v| v.display().to_lowercase().contains(&needle))
}

/// Order of two rows by column `name` (`record_id` or a field): numbers by value,
/// text by text (ignoring case); an empty value sorts last.
pub fn compare(a: &Entry, b: &Entry, name: &str) -> Ordering {
    if name == "record_id" {
        return a.record_id.cmp(&b.record_id);
    }
    let num = |v: &Value| match v {
        Value::Int(i) => Some(*i as f64),
        Value::Real(x) => Some(*x),
        Value::Text(_) => None,
    };
    match (a.row.get(name), b.row.get(name)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => match (num(x), num(y)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            _ => x.display().to_lowercase().cmp(&y.display().to_lowercase()),
        },
    }
    .then(a.record_id.cmp(&b.record_id))
}

/// The rows matching `filter`, sorted on `column` (descending when asked).
pub fn select<'a>(
    entries: &'a [Entry],
    filter: &str,
    column: &str,
    descending: bool,
) -> Vec<&'a Entry> {
    let mut out: Vec<&Entry> = entries.iter().filter(|e| matches(e, filter)).collect();
    out.sort_by(|a, b| {
        let o = compare(a, b, column);
        if descending { o.reverse() } else { o }
    });
    out
}
