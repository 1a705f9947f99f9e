//! What the surgeon enters for the decision beyond the volumes: the Fong score's
//! criteria and the resectability checklist's (kept with the plan; `clinical` judges
//! them).

use serde::{Deserialize, Serialize};

/// What the surgeon enters (None = not entered) and overrides of the traced criteria.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FongInputs {
    pub node_positive_primary: Option<bool>,
    pub disease_free_interval_under_12_months: Option<bool>,
    pub cea_over_200: Option<bool>,
    /// Override of "more than one tumour" (None = from the tracing).
    pub more_than_one_tumour: Option<bool>,
    /// Override of "largest tumour > 5 cm" (None = from the tracing).
    pub largest_over_5_cm: Option<bool>,
}

/// The criteria the surgeon enters (None = not entered).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChecklistInputs {
    pub tolerates_surgery: Option<bool>,
    pub primary_controlled: Option<bool>,
    /// No extrahepatic metastases, or they can be controlled.
    pub extrahepatic_controlled: Option<bool>,
}
