//! `remnant grow` and `remnant score`: grow from seeds and the trainee score, headless,
//! with the same core functions as the app's Tools tab.

use super::CliError;
use super::values;
use crate::segmentation::io::{load_label_map, read_mask_on_grid, save_labels};
use crate::segmentation::seeds::{SeedKind, Seeds};
use crate::segmentation::tools::growcut::GrowParams;
use crate::segmentation::tools::score::{Score, score_on};
use crate::segmentation::tools::{EditCtx, Grid, PaintRules};
use crate::segmentation::{LabelMap, Layer};
use crate::study::Study;
use crate::task::Task;
use crate::volume::nifti::MaskSelect;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `remnant grow`: grow a layer from seed strokes.
#[derive(Debug, clap::Args)]
pub struct GrowArgs {
    /// The CT (NIfTI file or DICOM folder)
    #[arg(long, value_name = "CT.nii.gz")]
    pub ct: PathBuf,
    /// The seed strokes (Remnant seeds file, see docs/file-formats.md)
    #[arg(long, value_name = "SEEDS.txt")]
    pub seeds: PathBuf,
    /// The label map to write
    #[arg(long, value_name = "LABELS.nii.gz")]
    pub out: PathBuf,
    /// The layer to grow
    #[arg(long, value_name = "liver|resection|tumour", value_parser = values::layer, default_value = "liver")]
    pub layer: Layer,
    /// Start from these layers (the grown layer is added to them)
    #[arg(long, value_name = "START_LABELS.nii.gz")]
    pub labels: Option<PathBuf>,
    /// Score the grown layer against this mask (Dice, volumes, surface distance)
    #[arg(long, value_name = "MASK.nii.gz")]
    pub reference: Option<PathBuf>,
    /// Print JSON (schema remnant.grow/1)
    #[arg(long)]
    pub json: bool,
}

/// `remnant score`: the trainee score of a traced layer against a reference.
#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// A Remnant label map
    #[arg(long, value_name = "LABELS.nii.gz")]
    pub labels: PathBuf,
    /// The reference mask (non-zero = inside, or the label of --reference-label)
    #[arg(long, value_name = "MASK.nii.gz")]
    pub reference: PathBuf,
    /// The layer to score
    #[arg(long, value_name = "liver|resection|tumour", value_parser = values::layer, default_value = "liver")]
    pub layer: Layer,
    /// Which label of the reference is inside (default: every non-zero voxel)
    #[arg(long, value_name = "N", value_parser = values::label)]
    pub reference_label: Option<MaskSelect>,
    /// Print JSON (schema remnant.score/1)
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct GrowOut {
    schema: &'static str,
    layer: &'static str,
    liver_strokes: usize,
    background_strokes: usize,
    grown_ml: f64,
    grown_voxels: usize,
    grow_seconds: f64,
    out: String,
    score: Option<Score>,
}

pub fn run_grow(a: GrowArgs) -> Result<(), CliError> {
    let (ct, seeds_path, out, layer) = (a.ct, a.seeds, a.out, a.layer);
    let text = std::fs::read_to_string(&seeds_path)
        .map_err(|e| format!("{}: {e}", seeds_path.display()))?;
    let seeds = Seeds::parse(&text).map_err(|e| format!("{}: {e}", seeds_path.display()))?;
    let mut study = Study::open(&ct, Task::none())?;
    let grid = Grid::of(&study.ct.geometry);
    seeds
        .check_on(&grid)
        .map_err(|e| format!("{}: {e}", seeds_path.display()))?;
    let fg = seeds.voxels(&grid, SeedKind::Liver);
    if fg.is_empty() {
        return Err(format!(
            "{}: no liver stroke (a line starting with \"liver\") is given",
            seeds_path.display()
        )
        .into());
    }
    let bg = seeds.voxels(&grid, SeedKind::Background);
    if let Some(p) = &a.labels {
        study.labels = load_label_map(p, &study.ct.geometry, Task::none())?;
    }
    let t0 = Instant::now();
    let preview = crate::segmentation::tools::growcut::grow_from_seeds(
        &grid,
        study.ct.as_slice(),
        &fg,
        &bg,
        &GrowParams::default(),
        &|_| {},
        Task::none().cancel,
    )
    .map_err(|e| format!("grow from seeds failed: {e:?}"))?;
    let grow_seconds = t0.elapsed().as_secs_f64();
    let ctx = EditCtx::new(&grid, study.ct.as_slice(), layer, PaintRules::default());
    preview.accept(&ctx, &mut study.labels.bits);
    let grown_voxels = preview.voxel_count();
    let warning = save_labels(&out, &study.labels, study.spatial())?;
    let score = match &a.reference {
        Some(r) => {
            let mask = read_mask_on_grid(r, MaskSelect::NonZero, &study.ct.geometry, Task::none())?;
            score_on(&study.ct.geometry, &study.labels.bits, layer, &mask)
        }
        None => None,
    };
    let o = GrowOut {
        schema: "remnant.grow/1",
        layer: layer.name(),
        liver_strokes: seeds.count(SeedKind::Liver),
        background_strokes: seeds.count(SeedKind::Background),
        grown_ml: preview.volume_ml(&grid),
        grown_voxels,
        grow_seconds,
        out: out.display().to_string(),
        score,
    };
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&o).map_err(|e| e.to_string())?
        );
    } else {
        println!(
            "grew the {} layer from {} liver and {} background strokes: {:.1} mL ({} voxels) in {:.3} s",
            o.layer,
            o.liver_strokes,
            o.background_strokes,
            o.grown_ml,
            o.grown_voxels,
            o.grow_seconds
        );
        println!("label map written to {}", o.out);
        if let Some(w) = warning {
            println!("note: {w}");
        }
        if let Some(s) = &o.score {
            print!("{}", score_table(s));
        }
    }
    Ok(())
}

fn score_table(s: &Score) -> String {
    let opt = |v: Option<f64>, unit: &str| v.map_or("-".to_string(), |x| format!("{x:.2} {unit}"));
    format!(
        "Dice                    {:.4}\n\
         traced / reference      {:.1} / {:.1} mL\n\
         volume difference       {:+.1} mL ({})\n\
         mean surface distance   {}\n\
         95 % Hausdorff distance {}\n",
        s.dice,
        s.traced_ml,
        s.reference_ml,
        s.volume_diff_ml,
        s.volume_diff_pct
            .map_or("-".to_string(), |p| format!("{p:+.1} %")),
        opt(s.mean_surface_distance_mm, "mm"),
        opt(s.hausdorff95_mm, "mm"),
    )
}

#[derive(Serialize)]
struct ScoreOut {
    schema: &'static str,
    labels: String,
    reference: String,
    layer: &'static str,
    #[serde(flatten)]
    score: Score,
}

/// A Remnant label map, read on its own grid.
fn read_label_map(p: &Path) -> Result<LabelMap, CliError> {
    let (vol, _) = crate::volume::nifti::read_labels(p, Task::none()).map_err(|e| e.to_string())?;
    Ok(LabelMap::from_labels(vol.geometry.clone(), vol.as_slice())
        .map_err(|e| format!("{}: {e}", p.display()))?)
}

pub fn run_score(a: ScoreArgs) -> Result<(), CliError> {
    let (labels, reference, layer) = (a.labels, a.reference, a.layer);
    let select = a.reference_label.unwrap_or(MaskSelect::NonZero);
    let map = read_label_map(&labels)?;
    let mask = read_mask_on_grid(&reference, select, &map.geometry, Task::none())?;
    let s = score_on(&map.geometry, &map.bits, layer, &mask)
        .ok_or_else(|| "the reference does not match the label map's grid".to_string())?;
    if a.json {
        let o = ScoreOut {
            schema: "remnant.score/1",
            labels: labels.display().to_string(),
            reference: reference.display().to_string(),
            layer: layer.name(),
            score: s,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&o).map_err(|e| e.to_string())?
        );
    } else {
        println!(
            "{} layer of {} vs {}",
            layer.name(),
            labels.display(),
            reference.display()
        );
        print!("{}", score_table(&s));
    }
    Ok(())
}
