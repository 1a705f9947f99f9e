//! Reading single attributes from a parsed data set, forgivingly: a missing,
//! empty or unparsable value is `None`, never an error or a panic.

use dicom_object::{InMemDicomObject, Tag};

/// A text attribute, trimmed of DICOM padding; `None` if absent or empty.
pub fn text(obj: &InMemDicomObject, tag: Tag) -> Option<String> {
    let value = obj.get(tag)?.to_str().ok()?;
    let t = value.trim_matches(|c: char| c.is_whitespace() || c == '\0');
    (!t.is_empty()).then(|| t.to_string())
}

/// All values of a multi-valued attribute, as text.
pub fn texts(obj: &InMemDicomObject, tag: Tag) -> Vec<String> {
    obj.get(tag)
        .and_then(|e| e.to_multi_str().ok())
        .map(|v| {
            v.iter()
                .map(|s| s.trim_matches(|c: char| c.is_whitespace() || c == '\0'))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Numeric values (DS, FD, FL, IS, US...) as f64; only finite numbers are kept.
pub fn floats(obj: &InMemDicomObject, tag: Tag) -> Option<Vec<f64>> {
    let v = obj.get(tag)?.to_multi_float64().ok()?;
    v.iter().all(|x| x.is_finite()).then_some(v)
}

/// Exactly `N` finite numbers, or `None`.
pub fn float_array<const N: usize>(obj: &InMemDicomObject, tag: Tag) -> Option<[f64; N]> {
    floats(obj, tag)?.try_into().ok()
}

/// The first value of a numeric attribute.
pub fn float(obj: &InMemDicomObject, tag: Tag) -> Option<f64> {
    floats(obj, tag)?.first().copied()
}

/// An integer attribute (IS, US, SS, UL...).
pub fn int(obj: &InMemDicomObject, tag: Tag) -> Option<i64> {
    obj.get(tag)?.to_int::<i64>().ok()
}

/// DICOM tag as "(gggg,eeee)" for messages.
pub fn tag_label(tag: Tag) -> String {
    format!("({:04X},{:04X})", tag.0, tag.1)
}
