//! What a folder scan finds: one summary per series for the series picker, and
//! the files it left out with the reason.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::header::ImageHeader;
use super::patient::PatientInfo;

/// One series of image files: those sharing a SeriesInstanceUID, or, without
/// one, the fields that identify a series in practice (see `identity`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesSummary {
    /// What identifies the series on a rescan: its SeriesInstanceUID, or a key
    /// `no-uid-...` made from its identifying fields. `--series` and a case take it.
    pub key: String,
    /// `None` when the files have no (or an empty) SeriesInstanceUID.
    pub series_instance_uid: Option<String>,
    pub study_instance_uid: Option<String>,
    /// Patient name as shown ("FAMILY, Given").
    pub patient_name: Option<String>,
    pub patient_id: Option<String>,
    /// `YYYY-MM-DD` when well-formed.
    pub study_date: Option<String>,
    pub study_description: Option<String>,
    pub series_description: Option<String>,
    pub series_number: Option<i64>,
    pub modality: Option<String>,
    pub image_count: usize,
    /// SliceThickness of the first image (the nominal value; the volume's
    /// slice spacing comes from the positions).
    pub slice_thickness_mm: Option<f64>,
    /// Size of the first image; `mixed_sizes` if not all images share it.
    pub rows: u32,
    pub columns: u32,
    pub mixed_sizes: bool,
    /// The image files, sorted by path (not the slice order).
    pub files: Vec<PathBuf>,
    /// Frames per file when the series is one enhanced multi-frame file (else 1).
    #[serde(default)]
    pub frames_in_file: u32,
    /// What loading will do besides stacking, for the picker: one short phrase
    /// each, e.g. "no UID", "uneven spacing: resampled to 4 mm", "multi-frame".
    #[serde(default)]
    pub notes: Vec<String>,
    /// An image says BurnedInAnnotation YES (the pixels may show the patient's name):
    /// such a series is not exported as an exercise.
    #[serde(default)]
    pub burned_in_annotation: bool,
}

impl SeriesSummary {
    /// Group headers (all of one series) into a summary; `None` if empty.
    pub(crate) fn from_headers(headers: &[ImageHeader]) -> Option<SeriesSummary> {
        let first = headers.first()?;
        let mut files: Vec<PathBuf> = headers.iter().map(|h| h.path.clone()).collect();
        files.sort();
        files.dedup();
        Some(SeriesSummary {
            key: first.series_key.clone(),
            series_instance_uid: first.series_uid.clone(),
            study_instance_uid: first.study_uid.clone(),
            patient_name: first.patient.name.clone(),
            patient_id: first.patient.id.clone(),
            study_date: first.patient.study_date.clone(),
            study_description: first.study_description.clone(),
            series_description: first.series_description.clone(),
            series_number: first.series_number,
            modality: first.modality.clone(),
            image_count: headers.len(),
            frames_in_file: headers.iter().map(|h| h.frames_in_file).max().unwrap_or(1),
            notes: Vec::new(),
            burned_in_annotation: headers.iter().any(|h| h.burned_in_annotation),
            slice_thickness_mm: first.slice_thickness,
            rows: first.rows,
            columns: first.cols,
            mixed_sizes: headers
                .iter()
                .any(|h| (h.rows, h.cols) != (first.rows, first.cols)),
            files,
        })
    }

    /// One line for a picker or the CLI, e.g.
    /// `CT #3 "ABDOMEN PV 1.0" 2024-01-31, 400 images 512 x 512, 1 mm`.
    pub fn label(&self) -> String {
        let mut s = self.modality.clone().unwrap_or_else(|| "??".into());
        if let Some(n) = self.series_number {
            s.push_str(&format!(" #{n}"));
        }
        if let Some(d) = &self.series_description {
            s.push_str(&format!(" \"{d}\""));
        }
        if let Some(d) = &self.study_date {
            s.push_str(&format!(" {d}"));
        }
        let plural = if self.image_count == 1 { "" } else { "s" };
        s.push_str(&format!(
            ", {} image{plural} {} x {}",
            self.image_count, self.columns, self.rows
        ));
        if self.mixed_sizes {
            s.push_str(" (mixed sizes)");
        }
        if let Some(t) = self.slice_thickness_mm {
            s.push_str(&format!(", {t} mm"));
        }
        if !self.notes.is_empty() {
            s.push_str(&format!(" [{}]", self.notes.join("; ")));
        }
        s
    }

    /// The patient fields this summary knows (the loaded volume has them all).
    pub fn patient_hint(&self) -> PatientInfo {
        PatientInfo {
            name: self.patient_name.clone(),
            id: self.patient_id.clone(),
            study_date: self.study_date.clone(),
            ..PatientInfo::default()
        }
    }
}

/// The result of scanning a folder.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScanResult {
    /// Sorted by study date, study, series number, then UID.
    pub series: Vec<SeriesSummary>,
    /// Files left out, with the reason ("category: detail").
    pub skipped: Vec<(PathBuf, String)>,
}

impl ScanResult {
    /// How many files were skipped for each reason category (the text before
    /// the first ':'), most frequent first, e.g. `("not a DICOM file", 3)`.
    pub fn skipped_counts(&self) -> Vec<(String, usize)> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for (_, reason) in &self.skipped {
            let category = reason.split(':').next().unwrap_or(reason).trim();
            *counts.entry(category.to_string()).or_default() += 1;
        }
        let mut v: Vec<(String, usize)> = counts.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }

    /// The series with this key (its SeriesInstanceUID, or the `no-uid-...` key).
    pub fn find(&self, key: &str) -> Option<&SeriesSummary> {
        self.series.iter().find(|s| s.key == key)
    }
}
