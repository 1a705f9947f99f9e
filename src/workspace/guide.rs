//! The guided path of a liver plan: Liver -> Tumours -> Resection -> Patient -> Plan,
//! each step done or to do, what it needs next, and the plan's verdict at the end. It
//! only reads the open case (the app's strip shows it; nothing is ever blocked: every
//! tool stays reachable in any order).

use super::Workspace;

/// The steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GuideStep {
    Liver,
    Tumours,
    Resection,
    Patient,
    Plan,
}

impl GuideStep {
    pub const ALL: [GuideStep; 5] = [
        GuideStep::Liver,
        GuideStep::Tumours,
        GuideStep::Resection,
        GuideStep::Patient,
        GuideStep::Plan,
    ];

    pub fn name(self) -> &'static str {
        match self {
            GuideStep::Liver => "Liver",
            GuideStep::Tumours => "Tumours",
            GuideStep::Resection => "Resection",
            GuideStep::Patient => "Patient",
            GuideStep::Plan => "Plan",
        }
    }

    /// What to do for the step (the button's hover text).
    pub fn how(self) -> &'static str {
        match self {
            GuideStep::Liver => {
                "Seeds tool: a few strokes inside the liver and a few outside it, then Grow \
                 from seeds and Accept (Enter)"
            }
            GuideStep::Tumours => {
                "Lesion tool: click inside each tumour (Enter accepts the last one); brush and \
                 eraser correct"
            }
            GuideStep::Resection => {
                "Cut plane tool: drag a line across the liver on a plane, Flip side if needed, \
                 Accept (Enter)"
            }
            GuideStep::Patient => "Plan tab: the patient's height and weight (for the sFLR)",
            GuideStep::Plan => "The verdict on the Plan tab; export the report PDF",
        }
    }
}

/// One step's state.
#[derive(Debug, Clone, PartialEq)]
pub struct StepState {
    pub step: GuideStep,
    pub done: bool,
    /// What is there (e.g. "1,520 mL") or what is missing.
    pub detail: String,
}

/// The whole path and the verdict (None until the liver and resection are traced).
#[derive(Debug, Clone, PartialEq)]
pub struct Guide {
    pub steps: Vec<StepState>,
    pub verdict: Option<crate::clinical::Sentence>,
}

impl Guide {
    /// The first step still to do.
    pub fn next(&self) -> Option<GuideStep> {
        self.steps.iter().find(|s| !s.done).map(|s| s.step)
    }
}

impl Workspace {
    /// The guided path for the open case (recomputed when the case changes).
    pub fn guide(&mut self) -> Guide {
        let rev = self.revision();
        if let Some((r, g)) = &self.guide
            && (*r == rev || self.editor.is_busy())
        {
            // a brush stroke in progress changes the layers every frame: the path is
            // brought up to date when it ends
            return g.clone();
        }
        let g = self.compute_guide();
        self.guide = Some((rev, g.clone()));
        g
    }

    fn compute_guide(&mut self) -> Guide {
        let found = self.tumours().to_vec();
        let tumours = found.len();
        let pci = self.pci_total();
        let Some(study) = &mut self.study else {
            return Guide {
                steps: Vec::new(),
                verdict: None,
            };
        };
        let c = study.counts();
        let ml = |n: u64| n as f64 * study.ct.geometry.voxel_volume_mm3() / 1000.0;
        let (h, w) = (self.planning.height_cm, self.planning.weight_kg);
        let step = |step, done, detail: String| StepState { step, done, detail };
        let steps = vec![
            step(
                GuideStep::Liver,
                c.total > 0,
                if c.total > 0 {
                    format!("{:.0} mL", ml(c.total))
                } else {
                    "to do".into()
                },
            ),
            step(
                GuideStep::Tumours,
                tumours > 0,
                match tumours {
                    0 => "none traced".into(),
                    1 => "1 tumour".into(),
                    n => format!("{n} tumours"),
                },
            ),
            step(
                GuideStep::Resection,
                c.resected > 0,
                if c.resected > 0 {
                    format!("remnant {:.0} mL", ml(c.remnant))
                } else {
                    "to do".into()
                },
            ),
            step(
                GuideStep::Patient,
                h.is_some() && w.is_some(),
                match (h, w) {
                    (Some(h), Some(w)) => format!("{h:.0} cm, {w:.0} kg"),
                    _ => "height, weight".into(),
                },
            ),
        ];
        let ready = c.total > 0 && c.resected > 0;
        let verdict = ready.then(|| {
            let after = crate::clinical::plan::after_pve(&self.planning);
            let d = crate::clinical::decide(
                &study.labels.bits,
                &study.ct.geometry,
                &self.planning,
                &found,
                pci,
                after,
            );
            d.headline().cloned()
        });
        let verdict = verdict.flatten();
        let mut steps = steps;
        steps.push(StepState {
            step: GuideStep::Plan,
            done: verdict.is_some() && h.is_some() && w.is_some(),
            detail: match &verdict {
                Some(_) => "verdict below".into(),
                None => "trace liver and resection".into(),
            },
        });
        Guide { steps, verdict }
    }
}
