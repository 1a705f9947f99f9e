//! Structured operative report of peritoneal surface surgery: the data
//! model, its validation, JSON files with a versioned schema, and PDF export.

mod error;
mod image_error;
mod json;
mod model;
mod pdf;
pub mod thumbnail;
mod validate;

pub use error::ReportError;
pub use image_error::ImageError;
pub use json::{MAX_FILE_BYTES, SCHEMA_VERSION};
pub use model::{
    Ascites, ClavienDindo, Complication, DiaphragmInvolvement, FollowUp, Hipec, HipecTechnique,
    LiverFigures, LiverPart, Operation, Outcome, Patient, Peritonectomies, Photo, Report,
    RightDiaphragm, SegmentFigure, SmallBowel, Stoma,
};
pub use pdf::snapshot3d;
pub use pdf::{ImageLabel, KeyImage, ReportKind, render_pdf, render_report_pdf};
pub use validate::{
    ASCITES_MAX_ML, HIPEC_DURATION_MIN, HIPEC_TEMPERATURE_C, LIVER_MAX_ML, MAX_SEGMENTS_RESECTED,
    Problem, SMALL_BOWEL_MAX_CM, Severity,
};
