//! The trainee exercise end to end through egui_kittest: File > Open sample exercise
//! opens the bundled sample with the reference liver loaded but hidden, a grown
//! liver is scored with Score my tracing, and the attempt lands in the log in the
//! config folder and in the Tools tab's table.

mod common;
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use remnant::segmentation::Layer;
use remnant::segmentation::io::read_mask_on_grid;
use remnant::segmentation::tools::score::score_on;
use remnant::task::Task;
use remnant::trainee::AttemptLog;
use remnant::ui::{AppCommand, Purpose, RemnantApp, Tab};
use remnant::volume::nifti::MaskSelect;
use remnant::workspace::tracing::HighlightKind;
use std::path::PathBuf;

/// One config folder for this test binary (set before any thread reads it).
fn config_dir() -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let d =
            std::env::temp_dir().join(format!("remnant-exercise-config-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        // SAFETY: set once, before any test thread reads it (all readers go through this lock).
        unsafe { std::env::set_var("REMNANT_CONFIG_DIR", &d) };
        d
    })
    .clone()
}

fn harness() -> Harness<'static, RemnantApp> {
    config_dir();
    common::ui::empty_app()
}

fn liver_voxels(h: &Harness<'static, RemnantApp>) -> usize {
    common::ui::layer_voxels(h, Layer::Liver)
}

#[test]
fn sample_exercise_scored_and_logged() {
    let mut h = harness();
    let log_file = config_dir().join(AttemptLog::FILE);
    assert!(!log_file.exists());
    // File > Open sample exercise
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Open sample exercise").click();
    h.step();
    h.state_mut().wait_for_jobs();
    h.run();
    {
        let app = h.state_mut();
        assert!(app.error.is_none(), "{:?}", app.error);
        let study = app.ws.study.take().expect("the sample is open");
        // the sample bundled in the binary, written to the cache folder (not the source tree)
        assert_eq!(
            study.path,
            remnant::sample::materialized_dir()
                .unwrap()
                .join("ct.nii.gz")
        );
        let ed = &mut app.ws.editor;
        let r = ed.reference.as_ref().expect("the reference is loaded");
        assert_eq!(r.name, "liver.nii.gz");
        assert_eq!(r.mask.iter().filter(|&&v| v != 0).count(), 38_634);
        assert!(ed.exercise.is_some());
        assert_eq!(ed.settings.layer, Layer::Liver);
        // hidden: nothing drawn over the slices
        assert!(ed.highlight(&study).is_none(), "the reference is drawn");
        app.ws.study = Some(study);
        assert_eq!(app.tab, Tab::Tools);
    }
    assert_eq!(liver_voxels(&h), 0, "the liver layer starts blank");
    // not a layer: the case panel lists the four layers only, and no live score shows
    assert!(h.query_by_label("Reference").is_none());
    assert!(
        h.query_by_label("Dice").is_none(),
        "a score shows before scoring"
    );
    h.get_by_label("Score my tracing");
    h.get_by_label("Attempts (0, latest first)");

    // grow the liver from the sample's seed strokes
    h.state_mut().apply(AppCommand::FileChosen(
        Purpose::OpenSeeds,
        sample("liver_seeds.txt"),
    ));
    h.run();
    h.get_by_label("Grow from seeds").click();
    h.step();
    h.state_mut().wait_for_jobs();
    h.run();
    h.get_by_label("Accept (Enter)").click();
    h.run();
    assert!(liver_voxels(&h) > 30_000);

    h.get_by_label("Score my tracing").click();
    h.run();
    let app = h.state();
    assert!(app.error.is_none(), "{:?}", app.error);
    // the score computed here, from the reference mask read independently
    let study = app.ws.study.as_ref().unwrap();
    let mask = read_mask_on_grid(
        &sample("liver.nii.gz"),
        MaskSelect::NonZero,
        &study.ct.geometry,
        Task::none(),
    )
    .unwrap();
    let s = score_on(&study.ct.geometry, &study.labels.bits, Layer::Liver, &mask).unwrap();
    let (mut both, mut traced, mut refd) = (0usize, 0usize, 0usize);
    for (&l, &m) in study.labels.bits.iter().zip(&mask) {
        let t = l & Layer::Liver.bit() != 0;
        both += usize::from(t && m != 0);
        traced += usize::from(t);
        refd += usize::from(m != 0);
    }
    let dice = 2.0 * both as f64 / (traced + refd) as f64;
    assert!((s.dice - dice).abs() < 1e-12, "{} vs {dice}", s.dice);
    assert!(dice > 0.85, "Dice {dice}");
    let shown = format!("{:.3}", s.dice);
    // shown twice: the attempt's scores and the attempts table
    assert_eq!(h.get_all_by_label(&shown).count(), 2, "Dice {shown} shown");
    h.get_by_label("Hausdorff (max)");
    h.get_by_label(&format!("{:.2} mm", s.hausdorff_mm.unwrap()));
    h.get_by_label(&format!("{:.2} mm", s.mean_surface_distance_mm.unwrap()));
    h.get_by_label("Attempts (1, latest first)");
    h.get_by_label("missed: in the reference, not traced");
    h.get_by_label("extra: traced, not in the reference");
    // the disagreement is drawn now
    {
        let app = h.state_mut();
        let study = app.ws.study.take().unwrap();
        let kind = app
            .ws
            .editor
            .highlight(&study)
            .map(|(v, k, _)| (v.len(), k));
        assert_eq!(
            kind,
            Some((study.ct.geometry.voxel_count(), HighlightKind::Disagreement))
        );
        app.ws.study = Some(study);
    }
    // the log: one whole line with those scores
    let text = std::fs::read_to_string(&log_file).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.ends_with('\n'));
    let v: serde_json::Value = serde_json::from_str(text.trim_end()).unwrap();
    assert_eq!(v["dice"].as_f64(), Some(s.dice));
    assert_eq!(v["volume_diff_ml"].as_f64(), Some(s.volume_diff_ml));
    assert_eq!(v["volume_diff_pct"].as_f64(), s.volume_diff_pct);
    assert_eq!(
        v["mean_surface_distance_mm"].as_f64(),
        s.mean_surface_distance_mm
    );
    assert_eq!(v["hausdorff95_mm"].as_f64(), s.hausdorff95_mm);
    assert_eq!(v["hausdorff_mm"].as_f64(), s.hausdorff_mm);
    assert_eq!(v["scan"], "ct.nii.gz");
    assert_eq!(v["reference"], "liver.nii.gz");
    assert!(v["seconds"].as_f64().is_some_and(|t| t >= 0.0));
    assert!(
        v["date_time"]
            .as_str()
            .is_some_and(|d| d.len() == 20 && d.ends_with('Z'))
    );
}

#[test]
fn a_missing_sample_is_named_in_the_error() {
    let mut h = harness();
    let empty = tempfile::tempdir().unwrap();
    h.state_mut()
        .apply(AppCommand::OpenExercise(empty.path().to_path_buf()));
    h.run();
    let app = h.state();
    let e = app.error.as_deref().unwrap_or("");
    assert!(
        e.contains("ct.nii.gz") && e.contains("missing") && e.contains("remnant sample --out"),
        "{e}"
    );
    assert!(app.ws.study.is_none() && app.ws.editor.exercise.is_none());
}
