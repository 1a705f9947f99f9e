//! `remnant session`: the headless editing interface. One command per line on stdin,
//! applied with the same core functions as the app (brush strokes through
//! `segmentation::tools`, mask import, report fields, undo/redo), and after every
//! accepted change the autosave is written (`crate::autosave::write`, as the app does)
//! BEFORE the acknowledgement `ok N` is printed and flushed. So whatever was
//! acknowledged survives a kill -9: `--restore` brings it back exactly.
//!
//! Protocol (N = the command's line number, from 1):
//!
//! ```text
//! paint LAYER I J K RADIUS_MM          sphere brush stamp at voxel (I, J, K) (may be fractional)
//! erase LAYER I J K RADIUS_MM          the same, clearing the layer
//! stroke LAYER RADIUS_MM I J K [I J K]...   a brush stroke along the points (one undo step)
//! import-mask LAYER PATH               a binary mask (non-zero = inside) replaces the layer
//! report FIELD [VALUE]                 set a report field (no value clears it); FIELD is one of
//!                                      patient-id, patient-name, surgeon, operation-date,
//!                                      findings, cc-score (0-3)
//! undo | redo                          the last layer edit
//! save-labels PATH                     interchange label map (values 0-6)
//! save-layers PATH                     the layer bits, exact (Remnant's own format)
//! save-report PATH                     the report JSON
//! save-case PATH                       a case (layers + report); clears the autosave
//! status                               voxel counts of the layers
//! quit                                 end (end of input does the same)
//! ```
//!
//! Replies, one line each: `ok N [detail]` or `error N message`. A change whose
//! autosave could not be written is taken back and answered with `error`. Saves over a
//! file this session saved before are refused when another program changed it since.
//! LAYER is liver, resection or tumour. Blank lines and lines starting with # are
//! ignored (no reply).

use super::CliError;
use crate::fsutil::FileStamp;
use crate::report::Report;
use crate::segmentation::Layer;
use crate::segmentation::io;
use crate::segmentation::tools::brush::{BrushShape, paint_stroke};
use crate::segmentation::tools::{Edit, EditCtx, Grid, PaintMode, PaintRules, UndoStack, diff};
use crate::study::Study;
use crate::task::Task;
use crate::volume::nifti::MaskSelect;
use crate::volumetry::PlanInputs;
use std::collections::HashMap;
use std::ffi::OsString;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// `remnant session --ct CT.nii.gz [--autosave-dir DIR] [--restore]` (commands on stdin).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Commands are read from stdin, one per line; see the README (remnant session)."
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

/// The editing state of one session.
pub struct Session {
    pub study: Study,
    grid: Grid,
    undo: UndoStack,
    pub report: Report,
    pub planning: PlanInputs,
    autosave_dir: PathBuf,
    /// Stamps of the files this session saved, to refuse overwriting another program's
    /// changes.
    stamps: HashMap<PathBuf, FileStamp>,
}

/// What a command did. The first four changed the work: autosave, then acknowledge
/// (or, if the autosave fails, take the change back).
enum Outcome {
    /// A layer edit, applied but not yet on the undo stack.
    Edited(Edit, String),
    /// A report field changed; the report before it.
    Report(Box<Report>, String),
    Undone,
    Redone,
    /// Nothing to autosave (a save to a file, a query, nothing to undo).
    Done(String),
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

impl Session {
    /// Open the CT; with `restore`, take the layers, report and planning the autosave
    /// in `autosave_dir` holds for this scan. Returns the session and a line to show.
    pub fn start(
        ct: &Path,
        autosave_dir: PathBuf,
        restore: bool,
    ) -> Result<(Session, String), String> {
        let study = Study::open(ct, Task::none()).map_err(|e| e.to_string())?;
        let grid = Grid::of(&study.ct.geometry);
        let mut s = Session {
            study,
            grid,
            undo: UndoStack::new(),
            report: Report::default(),
            planning: PlanInputs::default(),
            autosave_dir,
            stamps: HashMap::new(),
        };
        let pending = crate::autosave::pending(&s.autosave_dir);
        let note = match (pending, restore) {
            (None, true) => format!(
                "info nothing to restore: no autosave in {}",
                s.autosave_dir.display()
            ),
            (None, false) => "info ready".to_string(),
            (Some(p), false) => format!(
                "info an autosave of {} is waiting in {} (start with --restore to take it back); \
                 this session's first change replaces it",
                p.session.scan.display(),
                s.autosave_dir.display()
            ),
            (Some(p), true) => {
                p.belongs_to(ct).map_err(|e| e.to_string())?;
                s.study.labels = io::load_label_map(&p.layers, &s.study.ct.geometry, Task::none())
                    .map_err(|e| e.to_string())?;
                s.study.touch();
                s.report = crate::autosave::report_of(&p.session)
                    .map_err(|e| format!("the autosaved report cannot be read: {e}"))?;
                s.planning = p.session.planning.clone();
                format!(
                    "info restored the autosave of {} written at {} (Unix time)",
                    p.session.scan.display(),
                    p.session.saved_at
                )
            }
        };
        Ok((s, note))
    }

    /// What a save keeps: the same snapshot the app's case save and autosave write.
    pub fn snapshot(&self) -> crate::workspace::Snapshot {
        crate::workspace::Snapshot {
            scan: Some(crate::workspace::ScanSnapshot::of(&self.study)),
            planning: self.planning.clone(),
            cut: None,
            rulers: Vec::new(),
            report: self.report.clone(),
            case_path: None,
            revision: self.study.revision,
        }
    }

    fn autosave(&self) -> Result<(), String> {
        crate::autosave::write(&self.autosave_dir, &self.snapshot()).map_err(|e| e.to_string())
    }

    /// Apply a brush stroke; the edit goes on the undo stack.
    fn stroke(
        &mut self,
        layer: Layer,
        points: &[[f64; 3]],
        radius_mm: f64,
        mode: PaintMode,
    ) -> Edit {
        let ctx = EditCtx::new(
            &self.grid,
            self.study.ct.as_slice(),
            layer,
            PaintRules::default(),
        );
        paint_stroke(
            &ctx,
            &mut self.study.labels.bits,
            points,
            radius_mm,
            BrushShape::Sphere,
            mode,
        )
    }

    fn layer_edit(&mut self, edit: Edit) -> Outcome {
        if edit.is_empty() {
            return Outcome::Done("nothing changed".into());
        }
        self.study.touch();
        let n = edit.changed_voxels();
        Outcome::Edited(edit, format!("{n} voxels changed"))
    }

    fn save_with<T>(
        &mut self,
        path: &Path,
        save: impl FnOnce(&Self, Option<&FileStamp>) -> Result<T, String>,
    ) -> Result<T, String> {
        let last = self.stamps.get(path).cloned();
        let out = save(self, last.as_ref())?;
        match FileStamp::of(path) {
            Ok(Some(st)) => {
                self.stamps.insert(path.to_path_buf(), st);
            }
            _ => {
                self.stamps.remove(path);
            }
        }
        Ok(out)
    }

    /// Run one command line.
    fn command(&mut self, line: &[u8]) -> Result<Outcome, String> {
        let text = String::from_utf8_lossy(line);
        let mut words = text.split_ascii_whitespace();
        let cmd = words.next().unwrap_or("");
        match cmd {
            "paint" | "erase" => {
                let layer = layer_of(words.next())?;
                let p = [
                    number(words.next(), "I")?,
                    number(words.next(), "J")?,
                    number(words.next(), "K")?,
                ];
                let r = number(words.next(), "RADIUS_MM")?;
                if words.next().is_some() {
                    return Err(format!("{cmd} takes LAYER I J K RADIUS_MM"));
                }
                let mode = if cmd == "paint" {
                    PaintMode::Paint
                } else {
                    PaintMode::Erase
                };
                let edit = self.stroke(layer, &[p], r, mode);
                Ok(self.layer_edit(edit))
            }
            "stroke" => {
                let layer = layer_of(words.next())?;
                let r = number(words.next(), "RADIUS_MM")?;
                let nums = words
                    .map(|w| number(Some(w), "a coordinate"))
                    .collect::<Result<Vec<f64>, String>>()?;
                if nums.is_empty() || nums.len() % 3 != 0 {
                    return Err("stroke takes LAYER RADIUS_MM and then I J K for each point".into());
                }
                let pts: Vec<[f64; 3]> = nums.chunks_exact(3).map(|c| [c[0], c[1], c[2]]).collect();
                let edit = self.stroke(layer, &pts, r, PaintMode::Paint);
                Ok(self.layer_edit(edit))
            }
            "import-mask" => {
                let layer = layer_of(words.next())?;
                let path = path_arg(line, 2)?;
                let before = self.study.labels.bits.clone();
                let n = io::import_mask(
                    &path,
                    MaskSelect::NonZero,
                    layer,
                    &mut self.study.labels,
                    Task::none(),
                )
                .map_err(|e| e.to_string())?;
                let edit = diff(&before, &self.study.labels.bits, &self.grid);
                match self.layer_edit(edit) {
                    Outcome::Edited(e, _) => Ok(Outcome::Edited(
                        e,
                        format!("{n} voxels imported into the {} layer", layer.name()),
                    )),
                    other => Ok(other),
                }
            }
            "report" => {
                let field = words.next().ok_or("report needs a FIELD")?;
                let value = String::from_utf8_lossy(rest_after(line, 2)).into_owned();
                let v = (!value.is_empty()).then(|| value.clone());
                let before = Box::new(self.report.clone());
                let r = &mut self.report;
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
                                    .ok_or_else(|| {
                                        format!("cc-score \"{t}\" is not 0, 1, 2 or 3")
                                    })?,
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
                Ok(Outcome::Report(before, format!("report {field} set")))
            }
            "undo" => {
                if self.undo.undo(&mut self.study.labels.bits) {
                    self.study.touch();
                    Ok(Outcome::Undone)
                } else {
                    Ok(Outcome::Done("nothing to undo".into()))
                }
            }
            "redo" => {
                if self.undo.redo(&mut self.study.labels.bits) {
                    self.study.touch();
                    Ok(Outcome::Redone)
                } else {
                    Ok(Outcome::Done("nothing to redo".into()))
                }
            }
            "save-labels" => {
                let path = path_arg(line, 1)?;
                let warning = self.save_with(&path, |s, last| {
                    crate::fsutil::check_unchanged(&path, last).map_err(|e| e.to_string())?;
                    io::save_labels(&path, &s.study.labels, s.study.spatial())
                        .map_err(|e| e.to_string())
                })?;
                let mut m = format!("label map saved to {}", path.display());
                if let Some(w) = warning {
                    m.push_str(&format!(" ({w})"));
                }
                Ok(Outcome::Done(m))
            }
            "save-layers" => {
                let path = path_arg(line, 1)?;
                self.save_with(&path, |s, last| {
                    crate::fsutil::check_unchanged(&path, last).map_err(|e| e.to_string())?;
                    io::save_bits(&path, &s.study.labels, s.study.spatial())
                        .map_err(|e| e.to_string())
                })?;
                Ok(Outcome::Done(format!("layers saved to {}", path.display())))
            }
            "save-report" => {
                let path = path_arg(line, 1)?;
                self.save_with(&path, |s, last| {
                    s.report
                        .save_checked(&path, last)
                        .map_err(|e| e.to_string())
                })?;
                Ok(Outcome::Done(format!("report saved to {}", path.display())))
            }
            "save-case" => {
                let path = path_arg(line, 1)?;
                self.save_with(&path, |s, last| {
                    crate::case::save_checked(&path, last, &s.snapshot()).map_err(|e| e.to_string())
                })?;
                // As in the app: the work is saved, the autosave is no longer needed.
                crate::autosave::clear(&self.autosave_dir);
                Ok(Outcome::Done(format!("case saved to {}", path.display())))
            }
            "status" => {
                let c = self.study.counts();
                let layer = |l: Layer| {
                    let b = l.bit();
                    self.study
                        .labels
                        .bits
                        .iter()
                        .filter(|&&v| v & b != 0)
                        .count()
                };
                Ok(Outcome::Done(format!(
                    "liver={} resection={} tumour={} remnant={} undo={}",
                    layer(Layer::Liver),
                    layer(Layer::Resection),
                    layer(Layer::Tumour),
                    c.remnant,
                    self.undo.len()
                )))
            }
            "quit" | "exit" => Ok(Outcome::Quit),
            other => Err(format!(
                "unknown command \"{other}\" (paint, erase, stroke, import-mask, report, undo, \
                 redo, save-labels, save-layers, save-report, save-case, status, quit)"
            )),
        }
    }
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
        let reply = match s.command(line) {
            Ok(Outcome::Quit) => {
                wr(out, format!("ok {n} bye"))?;
                return Ok(());
            }
            Ok(Outcome::Done(msg)) => format!("ok {n} {msg}"),
            Ok(changed) => match s.autosave() {
                Ok(()) => {
                    let msg = match changed {
                        Outcome::Edited(edit, msg) => {
                            s.undo.push(edit);
                            msg
                        }
                        Outcome::Report(_, msg) => msg,
                        Outcome::Undone => "undone".into(),
                        Outcome::Redone => "redone".into(),
                        Outcome::Done(msg) => msg,
                        Outcome::Quit => String::new(),
                    };
                    format!("ok {n} {msg}")
                }
                Err(e) => {
                    // Not acknowledged, so not kept: take the change back exactly.
                    match changed {
                        Outcome::Edited(edit, _) => {
                            edit.apply(&mut s.study.labels.bits);
                        }
                        Outcome::Report(before, _) => s.report = *before,
                        Outcome::Undone => {
                            s.undo.redo(&mut s.study.labels.bits);
                        }
                        Outcome::Redone => {
                            s.undo.undo(&mut s.study.labels.bits);
                        }
                        Outcome::Done(_) | Outcome::Quit => {}
                    }
                    s.study.touch();
                    format!("error {n} not done: the autosave could not be written: {e}")
                }
            },
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
