//! `remnant exercise export CASE.json --out DIR [--layer L]`: a saved case as a
//! de-identified teaching exercise (`crate::trainee::export`); `remnant exercise check
//! DIR`: is DIR an exercise the trainee mode opens (its CT and reference read, on one
//! grid)?

use super::CliError;
use crate::segmentation::Layer;
use crate::workspace::{Command, Workspace};
use std::path::PathBuf;

/// What to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Action {
    /// Write CASE.json (its scan and traced layers) as an exercise in --out DIR
    Export,
    /// Check that DIR is an exercise File > Open exercise opens
    Check,
}

/// `remnant exercise export CASE.json --out DIR [--layer L]` or `remnant exercise check DIR`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The export holds no patient identifier: see docs/file-formats.md (exercise folder)."
)]
pub struct ExerciseArgs {
    /// export or check
    #[arg(value_enum)]
    pub action: Action,
    /// export: the saved case (CASE.json); check: the exercise folder
    #[arg(value_name = "CASE.json|DIR")]
    pub input: PathBuf,
    /// export: the folder to write the exercise into (new, empty, or an earlier exercise)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// export: the traced layer the trainee traces and is scored on
    #[arg(long, value_name = "liver|resection|tumour|stage1", default_value = "liver",
          value_parser = parse_layer)]
    pub layer: Layer,
}

fn parse_layer(s: &str) -> Result<Layer, String> {
    Layer::parse(s).ok_or_else(|| "must be liver, resection, tumour or stage1".to_string())
}

pub fn run(a: ExerciseArgs) -> Result<(), CliError> {
    match a.action {
        Action::Export => {
            let out = a.out.ok_or("exercise export needs --out DIR")?;
            export(&a.input, out, a.layer)
        }
        Action::Check => {
            if a.out.is_some() {
                return Err("exercise check takes the folder only (no --out)".into());
            }
            check(&a.input)
        }
    }
}

fn export(case: &std::path::Path, dir: PathBuf, layer: Layer) -> Result<(), CliError> {
    let mut ws = Workspace::new();
    // read only: the case itself is not written (another Remnant may have it open)
    let notes = ws.open_case_now(case, true)?;
    for n in &notes {
        eprintln!("remnant: warning: {n}");
    }
    if ws.study.is_none() {
        return Err(format!(
            "{}: the case has no scan with traced layers to export (its scan or layers file is missing)",
            case.display()
        )
        .into());
    }
    let done = ws.apply(Command::ExportExercise { dir, layer })?;
    println!("{}", done.message.unwrap_or_default());
    Ok(())
}

fn check(dir: &std::path::Path) -> Result<(), CliError> {
    let files = crate::trainee::SampleExercise::open_dir(dir)?;
    let study = crate::study::Study::open(&files.ct, crate::task::Task::none())
        .map_err(|e| format!("{}: {e}", files.ct.display()))?;
    let mask = crate::segmentation::io::read_mask_on_grid(
        &files.reference,
        crate::volume::nifti::MaskSelect::NonZero,
        &study.ct.geometry,
        crate::task::Task::none(),
    )?;
    let n = mask.iter().filter(|&&v| v != 0).count();
    println!(
        "{}: an exercise: trace the {} on {} ({} voxels); reference {} ({n} voxels){}",
        dir.display(),
        files.layer.name().to_lowercase(),
        files.ct.display(),
        study.ct.geometry.voxel_count(),
        files.reference.display(),
        files
            .task
            .map(|t| format!("; task: {t}"))
            .unwrap_or_default()
    );
    Ok(())
}
