//! `remnant session`: the headless editing interface. One command per line on stdin,
//! parsed into the same [`Command`]s the app's panels send and applied by the same
//! [`Workspace::apply`] (one undo history, one snapshot, one case save: the same
//! actions give the same case file as in the app). After every accepted change the
//! autosave is written (`crate::autosave::write`, as the app does) BEFORE the
//! acknowledgement `ok N` is printed and flushed. So whatever was acknowledged
//! survives a kill -9: `--restore` brings it back exactly, cutting plane and rulers
//! included (also from an autosave the app wrote).
//!
//! Protocol (N = the command's line number, from 1):
//!
//! ```text
//! paint LAYER I J K RADIUS_MM          sphere brush stamp at voxel (I, J, K) (may be fractional)
//! erase LAYER I J K RADIUS_MM          the same, clearing the layer
//! stroke LAYER RADIUS_MM I J K [I J K]...   a brush stroke along the points (one undo step)
//! import-mask LAYER PATH               a binary mask (non-zero = inside) replaces the layer
//! open-layers PATH                     a Remnant label map replaces every layer
//! report FIELD [VALUE]                 set a report field (no value clears it); FIELD is one of
//!                                      patient-id, patient-name, surgeon, operation-date,
//!                                      findings, cc-score (0-3)
//! planning FIELD [VALUE]               set a planning input (no value clears it); FIELD is one of
//!                                      height-cm, weight-kg, condition (normal, chemo, cirrhosis),
//!                                      plan-date, weeks-since-pve, weeks-between-scans
//! post-pve PATH                        the label map traced on the post-PVE scan
//! cut X Y Z NX NY NZ [keep-positive]   preview the cut by the plane through (X, Y, Z) with normal
//!                                      (NX, NY, NZ), patient mm: the side the normal points to is
//!                                      resected (keep-positive: the other side); accept keeps it
//! lesion X Y Z [X Y Z]...              the Lesion tool at patient mm (RAS): the lesion there is
//!                                      the pending result (a numbered tumour; a point inside it
//!                                      refines it, a point elsewhere accepts it and finds the next)
//! accept | discard                     the pending result (a cut, a lesion)
//! ruler PLANE I J K I J K              a ruler on the axial, coronal or sagittal plane (voxels)
//! delete-ruler N                       ruler N (from 1)
//! undo | redo                          the last layer edit
//! save-labels PATH                     interchange label map (values 0-6)
//! save-layers PATH                     the layer bits, exact (Remnant's own format)
//! save-report PATH                     the report JSON
//! save-case PATH                       a case (layers, planning, cut, rulers, report with the
//!                                      liver figures, as the app saves it); clears the autosave.
//!                                      Refused over a case opened read-only or one another
//!                                      running Remnant holds (its PATH.lock names the process)
//! open-case PATH                       open a saved case (its scan, layers, report, planning) in
//!                                      place of the session's; takes the case's lock: refused
//!                                      when another running Remnant holds it
//! open-case-read-only PATH             the same without the lock: saving over it is refused
//! export-pdf PATH                      the report PDF, as File > Export report PDF
//! status                               voxel counts of the layers
//! landmark KEY X Y Z | landmark KEY clear   place, move or clear a Couinaud landmark (patient
//!                                      RAS mm); KEY: ivc-inferior, ivc-superior, rhv-confluence,
//!                                      rhv-distal, mhv-confluence, mhv-distal, lhv-confluence,
//!                                      lhv-distal, portal-bifurcation
//! clear-landmarks                      every landmark
//! landmarks PATH | save-landmarks PATH read / write remnant.landmarks/1
//! save-segments PATH                   the segments as a label map (value = segment, 4a=4, 4b=9)
//! hepatectomy NAME                     a named hepatectomy as the pending resection (accept keeps it)
//! resect-segments 2,3                  a set of Couinaud segments as the pending resection
//! segments                             segment volumes, tumour segments and resection options
//! quit                                 end (end of input does the same)
//! ```
//!
//! Replies, one line each: `ok N [detail]` or `error N message`. A change whose
//! autosave could not be written is taken back and answered with `error`. Saves over a
//! file this session saved before are refused when another program changed it since.
//! LAYER is liver, resection or tumour. Blank lines and lines starting with # are
//! ignored (no reply).

use super::CliError;
use crate::report::Report;
use crate::segmentation::Layer;
use crate::segmentation::plane_cut::CutPlane;
use crate::segmentation::tools::PaintMode;
use crate::study::Study;
use crate::task::Task;
use crate::volumetry::PlanInputs;
use crate::workspace::command::SegmentChoice;
use crate::workspace::{Applied, Command, ScriptedStroke, TraceAction, Workspace};
use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// `remnant session --ct CT.nii.gz [--autosave-dir DIR] [--restore]` (commands on stdin).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Commands are read from stdin, one per line; see docs/command-line.md (remnant session)."
)]
pub struct SessionArgs {
    /// The CT to edit layers on
    #[arg(long, value_name = "CT.nii.gz")]
    pub ct: PathBuf,
    /// Where to autosave (default: <config dir>/autosave)
    #[arg(long, value_name = "DIR")]
    pub autosave_dir: Option<PathBuf>,
    /// Restore the work a killed session left in the autosave folder
    #[arg(long)]
    pub restore: bool,
}

/// One headless session: the open case and where it autosaves.
pub struct Session {
    pub ws: Workspace,
    autosave_dir: PathBuf,
    /// This session's slot of the autosave folder (another running session or app
    /// autosaving there has its own).
    _slot: crate::autosave::Slot,
}

/// What a line asks for.
enum Line {
    Case(Command),
    SaveCase(PathBuf),
    OpenCase(PathBuf, bool),
    Status,
    Segments,
    Quit,
}

fn layer_of(word: Option<&str>) -> Result<Layer, String> {
    let w = word.ok_or("a layer is missing (liver, resection or tumour)")?;
    Layer::parse(w).ok_or_else(|| format!("unknown layer \"{w}\" (liver, resection or tumour)"))
}

fn number(word: Option<&str>, what: &str) -> Result<f64, String> {
    let w = word.ok_or_else(|| format!("{what} is missing"))?;
    match w.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("{what} \"{w}\" is not a finite number")),
    }
}

fn point<'a>(
    words: &mut impl Iterator<Item = &'a str>,
    names: [&str; 3],
) -> Result<[f64; 3], String> {
    Ok([
        number(words.next(), names[0])?,
        number(words.next(), names[1])?,
        number(words.next(), names[2])?,
    ])
}

/// The rest of the line after `skip` words (a path or a free-text value), as bytes.
fn rest_after(line: &[u8], skip: usize) -> &[u8] {
    let mut rest = line;
    for _ in 0..skip {
        let t = rest.trim_ascii_start();
        let end = t
            .iter()
            .position(|c| c.is_ascii_whitespace())
            .unwrap_or(t.len());
        rest = &t[end..];
    }
    rest.trim_ascii()
}

#[cfg(unix)]
fn path_of(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(OsString::from_vec(bytes.to_vec()))
}

#[cfg(not(unix))]
fn path_of(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

fn path_arg(line: &[u8], skip: usize) -> Result<PathBuf, String> {
    let p = rest_after(line, skip);
    if p.is_empty() {
        return Err("a file path is missing".into());
    }
    Ok(path_of(p))
}

/// The report with one field set from a `report FIELD [VALUE]` line.
fn report_field(report: &Report, field: &str, value: String) -> Result<Report, String> {
    let v = (!value.is_empty()).then(|| value.clone());
    let mut r = report.clone();
    match field {
        "patient-id" => r.patient.patient_id = v,
        "patient-name" => r.patient.name = v,
        "surgeon" => r.surgeon = v,
        "operation-date" => r.operation_date = v,
        "findings" => r.findings = value,
        "cc-score" => {
            r.cc_score = match v {
                None => None,
                Some(t) => Some(
                    t.parse::<u8>()
                        .ok()
                        .and_then(crate::pci::CcScore::from_value)
                        .ok_or_else(|| format!("cc-score \"{t}\" is not 0, 1, 2 or 3"))?,
                ),
            }
        }
        other => {
            return Err(format!(
                "unknown report field \"{other}\" (patient-id, patient-name, surgeon, \
                 operation-date, findings, cc-score)"
            ));
        }
    }
    Ok(r)
}

/// The planning inputs with one field set from a `planning FIELD [VALUE]` line.
fn planning_field(p: &PlanInputs, field: &str, value: &str) -> Result<PlanInputs, String> {
    let mut p = p.clone();
    let num = |what: &str| -> Result<Option<f64>, String> {
        if value.is_empty() {
            return Ok(None);
        }
        number(Some(value), what).map(Some)
    };
    match field {
        "height-cm" => p.height_cm = num("height-cm")?,
        "weight-kg" => p.weight_kg = num("weight-kg")?,
        "weeks-since-pve" => p.weeks_since_pve = num("weeks-since-pve")?,
        "weeks-between-scans" => p.weeks_between_scans = num("weeks-between-scans")?,
        "plan-date" => p.plan_date = (!value.is_empty()).then(|| value.to_string()),
        "condition" => {
            p.condition = crate::volumetry::LiverCondition::parse(value)
                .ok_or_else(|| format!("condition \"{value}\" is not normal, chemo or cirrhosis"))?
        }
        other => {
            return Err(format!(
                "unknown planning field \"{other}\" (height-cm, weight-kg, condition, \
                 plan-date, weeks-since-pve, weeks-between-scans)"
            ));
        }
    }
    Ok(p)
}

fn plane_of(word: Option<&str>) -> Result<crate::render::Plane, String> {
    let w = word.ok_or("a plane is missing (axial, coronal or sagittal)")?;
    crate::render::Plane::ALL
        .into_iter()
        .find(|p| p.name().eq_ignore_ascii_case(w))
        .ok_or_else(|| format!("unknown plane \"{w}\" (axial, coronal or sagittal)"))
}

fn no_more<'a>(mut words: impl Iterator<Item = &'a str>, usage: &str) -> Result<(), String> {
    match words.next() {
        Some(_) => Err(format!("too many words: {usage}")),
        None => Ok(()),
    }
}

impl Session {
    /// Open the CT; with `restore`, take back the work the autosave in `autosave_dir`
    /// holds for this scan (layers, report, planning, cutting plane, rulers), as the
    /// app restores it. Returns the session and a line to show.
    pub fn start(
        ct: &Path,
        autosave_dir: PathBuf,
        restore: bool,
    ) -> Result<(Session, String), String> {
        let mut ws = Workspace::new();
        // a case save updates the case's row in the registry, as in the app
        ws.registry = crate::registry::default_path();
        let slot = crate::autosave::claim(&autosave_dir).map_err(|e| e.to_string())?;
        let autosave_dir = slot.dir.clone();
        let pending = crate::autosave::pending(&autosave_dir);
        let note = match (pending, restore) {
            (None, true) => format!(
                "info nothing to restore: no autosave in {}",
                autosave_dir.display()
            ),
            (None, false) => "info ready".to_string(),
            (Some(p), false) => format!(
                "info an autosave of {} is waiting in {} (start with --restore to take it back); \
                 this session's first change replaces it",
                p.session.scan.display(),
                autosave_dir.display()
            ),
            (Some(p), true) => {
                p.belongs_to(ct).map_err(|e| e.to_string())?;
                let line = format!(
                    "info restored the autosave of {} written at {} (Unix time)",
                    p.session.scan.display(),
                    p.session.saved_at
                );
                ws.restore(p).map_err(|e| e.to_string())?;
                line
            }
        };
        let study = Study::open(ct, Task::none()).map_err(|e| e.to_string())?;
        ws.install_checked(study).map_err(|e| e.to_string())?;
        let s = Session {
            ws,
            autosave_dir,
            _slot: slot,
        };
        Ok((s, note))
    }

    fn autosave(&self) -> Result<(), String> {
        crate::autosave::write(&self.autosave_dir, &self.ws.snapshot()).map_err(|e| e.to_string())
    }

    /// Parse one command line.
    fn parse(&self, line: &[u8]) -> Result<Line, String> {
        let text = String::from_utf8_lossy(line);
        let mut words = text.split_ascii_whitespace();
        let cmd = words.next().unwrap_or("");
        let c = match cmd {
            "paint" | "erase" | "stroke" => stroke_of(cmd, words)?,
            "import-mask" => {
                let layer = layer_of(words.next())?;
                Command::ImportMask(path_arg(line, 2)?, layer)
            }
            "open-layers" => Command::OpenLayers(path_arg(line, 1)?),
            "post-pve" => Command::LoadPostPve(path_arg(line, 1)?),
            "report" => {
                let field = words.next().ok_or("report needs a FIELD")?;
                let value = String::from_utf8_lossy(rest_after(line, 2)).into_owned();
                Command::SetReport(Box::new(report_field(&self.ws.report, field, value)?))
            }
            "planning" => {
                let field = words.next().ok_or("planning needs a FIELD")?;
                let value = String::from_utf8_lossy(rest_after(line, 2)).into_owned();
                Command::SetPlanning(Box::new(planning_field(&self.ws.planning, field, &value)?))
            }
            "cut" => cut_of(words)?,
            "lesion" => lesion_of(words)?,
            "accept" => Command::Trace(TraceAction::Accept),
            "discard" => Command::Trace(TraceAction::Discard),
            "ruler" => {
                let plane = plane_of(words.next())?;
                let a = point(&mut words, ["I", "J", "K"])?;
                let b = point(&mut words, ["I", "J", "K"])?;
                no_more(words, "ruler PLANE I J K I J K")?;
                Command::AddRuler(crate::measure::Ruler { plane, a, b })
            }
            "delete-ruler" => {
                let w = words.next().ok_or("delete-ruler needs N (from 1)")?;
                let n = w
                    .parse::<usize>()
                    .ok()
                    .filter(|&n| n >= 1)
                    .ok_or_else(|| format!("ruler number \"{w}\" is not 1, 2, ..."))?;
                Command::DeleteRuler(n - 1)
            }
            "undo" => Command::Undo,
            "redo" => Command::Redo,
            "save-labels" => Command::SaveLabels(path_arg(line, 1)?),
            "save-layers" => Command::SaveLayers(path_arg(line, 1)?),
            "save-report" => Command::SaveReport(path_arg(line, 1)?),
            "export-pdf" => Command::ExportPdf(path_arg(line, 1)?),
            "export-pdf-dicom" => Command::ExportPdfDicom(path_arg(line, 1)?),
            "export-seg-sr" => Command::ExportSegSr(path_arg(line, 1)?),
            "save-case" => return Ok(Line::SaveCase(path_arg(line, 1)?)),
            "open-case" => return Ok(Line::OpenCase(path_arg(line, 1)?, false)),
            "open-case-read-only" => return Ok(Line::OpenCase(path_arg(line, 1)?, true)),
            "status" => return Ok(Line::Status),
            "segments" => return Ok(Line::Segments),
            "landmark" => landmark_of(words)?,
            "clear-landmarks" => Command::ClearLandmarks,
            "landmarks" => Command::LoadLandmarks(path_arg(line, 1)?),
            "save-landmarks" => Command::SaveLandmarks(path_arg(line, 1)?),
            "save-segments" => Command::SaveSegments(path_arg(line, 1)?),
            "hepatectomy" => {
                let w = words
                    .next()
                    .ok_or("hepatectomy NAME: the name is missing")?;
                let h = crate::segments::Hepatectomy::parse(w).ok_or_else(|| {
                    format!(
                        "unknown hepatectomy \"{w}\" ({})",
                        crate::segments::Hepatectomy::keys()
                    )
                })?;
                no_more(words, "hepatectomy NAME")?;
                Command::ChooseResection(SegmentChoice::Named(h))
            }
            "resect-segments" => {
                let rest: Vec<&str> = words.collect();
                let set = crate::segments::SegmentSet::parse(&rest.join(","))?;
                Command::ChooseResection(SegmentChoice::Set(set))
            }
            "quit" | "exit" => return Ok(Line::Quit),
            other => {
                return Err(format!(
                    "unknown command \"{other}\" (paint, erase, stroke, import-mask, \
                     open-layers, report, planning, post-pve, cut, lesion, accept, discard, ruler, \
                     delete-ruler, undo, redo, save-labels, save-layers, save-report, \
                     save-case, open-case, open-case-read-only, export-pdf, export-pdf-dicom, export-seg-sr, status, landmark, \
                     clear-landmarks, landmarks, save-landmarks, save-segments, hepatectomy, \
                     resect-segments, segments, quit)"
                ));
            }
        };
        Ok(Line::Case(c))
    }

    fn status(&mut self) -> Result<String, String> {
        let study = self.ws.study.as_mut().ok_or("no scan is open")?;
        let c = study.counts();
        let layer = |l: Layer| {
            let b = l.bit();
            study.labels.bits.iter().filter(|&&v| v & b != 0).count()
        };
        Ok(format!(
            "liver={} resection={} tumour={} remnant={} undo={} rulers={} cut={}",
            layer(Layer::Liver),
            layer(Layer::Resection),
            layer(Layer::Tumour),
            c.remnant,
            self.ws.editor.undo_steps(),
            self.ws.rulers.len(),
            if self.ws.cut().is_some() { "yes" } else { "no" }
        ))
    }

    /// `segments`: each segment's mL and %, the tumours' segments and the options.
    fn segments_line(&mut self) -> Result<String, String> {
        let sum = self.ws.segment_summary().map_err(|e| e.to_string())?;
        let opts = self.ws.resection_options().map_err(|e| e.to_string())?;
        let mut parts: Vec<String> = sum
            .volumes
            .iter()
            .map(|v| {
                format!(
                    "{}={:.1}mL/{:.1}%",
                    v.id.name(),
                    v.volume_ml,
                    v.percent.unwrap_or(0.0)
                )
            })
            .collect();
        for t in &sum.tumours {
            parts.push(format!(
                "tumour{}={}",
                t.tumour,
                t.describe().replace(", ", "+")
            ));
        }
        for o in &opts {
            let flr = o.flr_percent.map_or("-".into(), |f| format!("{f:.1}"));
            let clear = if o.clears_all_tumours {
                "clears"
            } else {
                "leaves"
            };
            parts.push(format!(
                "{}:flr={flr}:{}:{clear}",
                o.name,
                o.decision.word().replace(' ', "-")
            ));
        }
        Ok(parts.join(" "))
    }

    /// `open-case[-read-only] PATH`: the case replaces the session's work (the scan
    /// stays when the case has none). A case another process holds is refused, saying
    /// how to open it read-only.
    fn open_case(&mut self, path: &Path, read_only: bool) -> Result<String, String> {
        match self.ws.open_case_now(path, read_only) {
            Ok(notes) => {
                let mut msg = format!("case opened from {}", path.display());
                if read_only {
                    msg.push_str(" read-only (save-case over it is refused)");
                }
                for n in notes {
                    msg.push_str("; ");
                    msg.push_str(&n);
                }
                Ok(msg)
            }
            Err(e @ crate::workspace::WorkspaceError::Locked(_)) => Err(format!(
                "{e} (open-case-read-only {} opens it read-only)",
                path.display()
            )),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Carry out one line; the reply text (without `ok N`), or the error. A change is
    /// autosaved before it is acknowledged; one whose autosave fails is taken back.
    fn run_line(&mut self, line: &[u8]) -> Result<Option<String>, String> {
        let cmd = match self.parse(line)? {
            Line::Quit => return Ok(None),
            Line::Status => return self.status().map(Some),
            Line::Segments => return self.segments_line().map(Some),
            Line::SaveCase(path) => {
                let msg = self.ws.save_case_now(&path)?;
                // As in the app: the work is saved, the autosave is no longer needed.
                crate::autosave::clear(&self.autosave_dir);
                return Ok(Some(msg));
            }
            Line::OpenCase(path, read_only) => return self.open_case(&path, read_only).map(Some),
            Line::Case(c) => c,
        };
        let before = self.ws.revision();
        let mark = self.ws.checkpoint();
        let done: Applied = self.ws.apply(cmd).map_err(|e| e.to_string())?;
        let msg = done.message.clone().unwrap_or_else(|| "done".into());
        if self.ws.revision() == before {
            return Ok(Some(msg));
        }
        match self.autosave() {
            Ok(()) => Ok(Some(msg)),
            Err(e) => {
                // Not acknowledged, so not kept: take the change back exactly.
                self.ws.take_back(mark, &done);
                Err(format!("not done: the autosave could not be written: {e}"))
            }
        }
    }
}

/// `paint|erase LAYER I J K RADIUS_MM` or `stroke LAYER RADIUS_MM I J K [I J K]...`.
fn stroke_of<'a>(cmd: &str, mut words: impl Iterator<Item = &'a str>) -> Result<Command, String> {
    let layer = layer_of(words.next())?;
    if cmd == "stroke" {
        let r = number(words.next(), "RADIUS_MM")?;
        let nums = words
            .map(|w| number(Some(w), "a coordinate"))
            .collect::<Result<Vec<f64>, String>>()?;
        if nums.is_empty() || nums.len() % 3 != 0 {
            return Err("stroke takes LAYER RADIUS_MM and then I J K for each point".into());
        }
        return Ok(Command::Stroke(ScriptedStroke {
            layer,
            points: nums.chunks_exact(3).map(|c| [c[0], c[1], c[2]]).collect(),
            radius_mm: r,
            mode: PaintMode::Paint,
        }));
    }
    let p = point(&mut words, ["I", "J", "K"])?;
    let r = number(words.next(), "RADIUS_MM")?;
    if words.next().is_some() {
        return Err(format!("{cmd} takes LAYER I J K RADIUS_MM"));
    }
    let mode = if cmd == "paint" {
        PaintMode::Paint
    } else {
        PaintMode::Erase
    };
    Ok(Command::Stroke(ScriptedStroke {
        layer,
        points: vec![p],
        radius_mm: r,
        mode,
    }))
}

/// `landmark KEY X Y Z` (patient RAS mm) or `landmark KEY clear`.
fn landmark_of<'a>(mut words: impl Iterator<Item = &'a str>) -> Result<Command, String> {
    use crate::segments::LandmarkId;
    let keys = LandmarkId::ALL.map(|l| l.key()).join(", ");
    let w = words
        .next()
        .ok_or_else(|| format!("landmark KEY X Y Z: the key is missing ({keys})"))?;
    let id = LandmarkId::parse(w).ok_or_else(|| format!("unknown landmark \"{w}\" ({keys})"))?;
    let mut rest = words.peekable();
    if rest.peek() == Some(&"clear") {
        rest.next();
        no_more(rest, "landmark KEY clear")?;
        return Ok(Command::SetLandmark(id, None));
    }
    let p = point(&mut rest, ["X", "Y", "Z"])?;
    no_more(rest, "landmark KEY X Y Z")?;
    Ok(Command::SetLandmark(id, Some(p)))
}

/// `cut X Y Z NX NY NZ [keep-positive]`: a cutting plane in patient mm to preview.
fn cut_of<'a>(mut words: impl Iterator<Item = &'a str>) -> Result<Command, String> {
    let point = point(&mut words, ["X", "Y", "Z"])?;
    let normal = point_n(&mut words)?;
    let remove_positive = match words.next() {
        None => true,
        Some("keep-positive") => false,
        Some(w) => {
            return Err(format!(
                "cut takes X Y Z NX NY NZ [keep-positive], not \"{w}\""
            ));
        }
    };
    no_more(words, "cut X Y Z NX NY NZ [keep-positive]")?;
    Ok(Command::PreviewCut(CutPlane {
        point,
        normal,
        remove_positive,
    }))
}

/// `lesion X Y Z [X Y Z]...`: the Lesion tool at points in patient mm.
fn lesion_of<'a>(words: impl Iterator<Item = &'a str>) -> Result<Command, String> {
    let nums = words
        .map(|w| number(Some(w), "a coordinate"))
        .collect::<Result<Vec<f64>, String>>()?;
    if nums.is_empty() || nums.len() % 3 != 0 {
        return Err("lesion takes X Y Z (patient mm) for each point".into());
    }
    Ok(Command::Lesion(
        nums.chunks_exact(3).map(|c| [c[0], c[1], c[2]]).collect(),
    ))
}

/// Three numbers of a normal (not all zero).
fn point_n<'a>(words: &mut impl Iterator<Item = &'a str>) -> Result<[f64; 3], String> {
    let n = point(words, ["NX", "NY", "NZ"])?;
    if n.iter().all(|&v| v == 0.0) {
        return Err("the cut's normal NX NY NZ is zero".into());
    }
    Ok(n)
}

/// Read commands from `input`, reply on `out`. Returns when `quit` or end of input.
pub fn serve(s: &mut Session, input: &mut dyn BufRead, out: &mut dyn Write) -> Result<(), String> {
    let wr = |out: &mut dyn Write, line: String| -> Result<(), String> {
        writeln!(out, "{line}")
            .and_then(|_| out.flush())
            .map_err(|e| format!("cannot write the reply: {e}"))
    };
    let mut n = 0u64;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let got = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| format!("cannot read the commands: {e}"))?;
        if got == 0 {
            return Ok(());
        }
        n += 1;
        let line = buf.trim_ascii();
        if line.is_empty() || line.starts_with(b"#") {
            continue;
        }
        let reply = match s.run_line(line) {
            Ok(None) => {
                wr(out, format!("ok {n} bye"))?;
                return Ok(());
            }
            Ok(Some(msg)) => format!("ok {n} {msg}"),
            Err(e) => format!("error {n} {e}"),
        };
        wr(out, reply.replace('\n', " "))?;
    }
}
pub fn run(a: SessionArgs) -> Result<(), CliError> {
    let ct = a.ct;
    let dir = match a.autosave_dir {
        Some(d) => d,
        None => crate::autosave::dir()
            .ok_or("no autosave folder: give --autosave-dir or set REMNANT_CONFIG_DIR")?,
    };
    let (mut s, note) = Session::start(&ct, dir, a.restore)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "{note}")
        .and_then(|_| out.flush())
        .map_err(|e| e.to_string())?;
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    Ok(serve(&mut s, &mut input, &mut out)?)
}
