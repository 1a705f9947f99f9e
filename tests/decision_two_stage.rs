//! Two-stage hepatectomy (issue 15 item 15): the Stage-1 resection layer (stage 1
//! clears the future remnant, e.g. a wedge; stage 2 after PVE is the Resection layer),
//! the FLR of each stage, the margin of each tumour to its own stage's boundary, the
//! interchange labels 5 / 6 and `remnant volumetry --json`, on a phantom whose volumes
//! are known by construction.

mod common;
mod report_fixtures;
use common::*;
use remnant::clinical::{Topic, decide};
use remnant::segmentation::components::components;
use remnant::segmentation::io::{load_label_map, save_labels};
use remnant::segmentation::labelmap::{LABEL_STAGE1_RESECTED, LABEL_TUMOUR_STAGE1};
use remnant::segmentation::{LabelMap, Layer};
use remnant::task::Task;
use remnant::volume::Geometry;
use remnant::volumetry::{Counts, Decision, PlanInputs};
use std::process::Command;

/// 1.5 x 1.5 x 3 mm voxels (6.75 mm³). Liver: the box i 2..38, j 2..28, k 2..18
/// (36 x 26 x 16 = 14976 voxels). Stage 2 (Resection layer): i < 20 (7488 liver
/// voxels). Stage 1 (a wedge in the future remnant): i 28..34, j 10..16, k 8..12
/// (144 voxels) around tumour A: i 30..32, j 12..14, k 9..11 (8 voxels). Tumour B
/// (4 x 4 x 4 = 64 voxels) at i 8..12, j 10..14, k 8..12, inside stage 2.
fn phantom() -> (Geometry, Vec<u8>) {
    let g = Geometry::axis_aligned([40, 30, 20], [1.5, 1.5, 3.0], [0.0; 3]);
    let (l, r, t, s1) = (
        Layer::Liver.bit(),
        Layer::Resection.bit(),
        Layer::Tumour.bit(),
        Layer::Stage1.bit(),
    );
    let inb = |v: usize, a: usize, b: usize| v >= a && v < b;
    let mut bits = vec![0u8; g.voxel_count()];
    for k in 0..20 {
        for j in 0..30 {
            for i in 0..40 {
                if !(inb(i, 2, 38) && inb(j, 2, 28) && inb(k, 2, 18)) {
                    continue;
                }
                let mut b = l;
                if i < 20 {
                    b |= r;
                }
                if inb(i, 28, 34) && inb(j, 10, 16) && inb(k, 8, 12) {
                    b |= s1;
                }
                if (inb(i, 30, 32) && inb(j, 12, 14) && inb(k, 9, 11))
                    || (inb(i, 8, 12) && inb(j, 10, 14) && inb(k, 8, 12))
                {
                    b |= t;
                }
                bits[g.index(i, j, k)] = b;
            }
        }
    }
    (g, bits)
}

const VOXEL_ML: f64 = 6.75 / 1000.0;

#[test]
fn each_stage_has_its_flr_and_each_tumour_its_stage_and_margin() {
    let (g, bits) = phantom();
    let c = Counts::from_bits(&bits);
    assert_eq!(c.total, 14976);
    assert_eq!(c.tumour, 72);
    assert_eq!(c.stage1_tumour, 8);
    assert_eq!(c.stage1_resected, 136);
    assert_eq!(c.resected, 7488 - 64);
    assert_eq!(c.remnant, 14976 - 72 - 136 - 7424);
    let functional = 14904.0;
    let tumours = components(&bits, Layer::Tumour.bit(), &g);
    assert_eq!(tumours.len(), 2);
    let d = decide(&bits, &g, &PlanInputs::default(), &tumours, None, None);
    let a = &d.assessment;
    let s = a.two_stage.as_ref().expect("a stage-1 resection is traced");
    assert!((s.stage1_resected_ml - 136.0 * VOXEL_ML).abs() < 1e-9);
    assert!((s.stage1_tumour_ml - 8.0 * VOXEL_ML).abs() < 1e-9);
    assert!((s.stage2_resected_ml - 7424.0 * VOXEL_ML).abs() < 1e-9);
    let flr1 = 100.0 * (functional - 136.0) / functional;
    let flr2 = 100.0 * 7344.0 / functional;
    assert!((s.stage1_flr_percent.unwrap() - flr1).abs() < 1e-9);
    assert!((s.stage2_flr_percent.unwrap() - flr2).abs() < 1e-9);
    // the verdict judges the final remnant (after both stages) and says so
    assert!((a.flr_percent.unwrap() - flr2).abs() < 1e-9);
    assert_eq!(a.verdict.decision, Decision::Adequate);
    assert_eq!(s.stage1_decision, Decision::Adequate);
    assert!(
        a.verdict
            .text
            .starts_with("FLR 49.3 % after both stages of the two-stage plan >= 20 %"),
        "{}",
        a.verdict.text
    );
    // the stage sentence, right after the verdict, in every output
    assert_eq!(d.sentences[1].topic, Topic::Stages);
    let text = &d.sentences[1].text;
    assert!(
        text.contains(&format!(
            "leaving FLR {flr1:.1} % (adequate by volume against 20 %)"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("leaving the final remnant, FLR {flr2:.1} %")),
        "{text}"
    );
    assert!(
        text.contains("Akgül et al., World J Gastroenterol 2014") && text.contains("Adam"),
        "{text}"
    );
    assert!(!text.contains("seed"), "{text}");
    // tumour A (8 voxels, id 2) is removed at stage 1: its margin is to the liver left
    // after stage 1, 2 voxels of 1.5 mm (x, y) or 1 voxel of 3 mm (z) away: 3.0 mm
    let a_m = d.margins.iter().find(|m| m.id == 2).unwrap();
    assert_eq!(a_m.stage, Some(1));
    assert!((a_m.margin_mm.unwrap() - 3.0).abs() <= 1.5, "{a_m:?}");
    assert!(a_m.flagged());
    // tumour B (id 1) at stage 2: 8 voxels of 1.5 mm to the final remnant (i = 20)
    let b_m = d.margins.iter().find(|m| m.id == 1).unwrap();
    assert_eq!(b_m.stage, Some(2));
    assert!((b_m.margin_mm.unwrap() - 12.0).abs() <= 1.5, "{b_m:?}");
    assert!(!b_m.flagged());
    let said = d
        .sentences
        .iter()
        .find(|s| s.topic == Topic::Margin && s.text.starts_with("Tumour #2"))
        .unwrap();
    assert!(said.text.contains("removed at stage 1"), "{}", said.text);
    assert!(
        said.text.contains("to the stage-1 resection boundary"),
        "{}",
        said.text
    );
}

/// The same plan without the stage-1 layer is a one-stage plan: no stage figures,
/// the wedge's liver is remnant, tumour A is left in it.
#[test]
fn without_the_stage1_layer_the_plan_is_one_stage() {
    let (g, mut bits) = phantom();
    for b in &mut bits {
        *b &= !Layer::Stage1.bit();
    }
    let tumours = components(&bits, Layer::Tumour.bit(), &g);
    let d = decide(&bits, &g, &PlanInputs::default(), &tumours, None, None);
    assert!(d.assessment.two_stage.is_none());
    assert_eq!(d.assessment.counts.remnant, 7344 + 136);
    assert_eq!(d.assessment.counts.tumour_outside_resection, 8);
    assert!(d.margins.iter().all(|m| m.stage.is_none()));
    assert!(d.sentences.iter().all(|s| s.topic != Topic::Stages));
}

/// With only the stage-1 resection traced there is no verdict: the second stage is
/// missing, and the message names the layer.
#[test]
fn a_two_stage_plan_needs_the_second_stage() {
    let (g, mut bits) = phantom();
    for b in &mut bits {
        *b &= !Layer::Resection.bit();
    }
    let d = decide(&bits, &g, &PlanInputs::default(), &[], None, None);
    assert_eq!(d.assessment.verdict.decision, Decision::NoVerdict);
    assert!(
        d.assessment
            .verdict
            .text
            .contains("trace the second-stage (major) resection on the Resection layer"),
        "{}",
        d.assessment.verdict.text
    );
}

#[test]
fn labels_5_and_6_round_trip_and_the_cli_prints_each_stage() {
    let (g, bits) = phantom();
    let dir = tempfile::tempdir().unwrap();
    let map = LabelMap {
        geometry: g.clone(),
        bits: bits.clone(),
    };
    let lp = dir.path().join("two_stage.nii.gz");
    save_labels(&lp, &map, None).unwrap();
    // the interchange values: 5 for stage-1 liver, 6 for stage-1 tumour
    let labels = map.to_labels();
    assert_eq!(
        labels
            .iter()
            .filter(|&&v| v == LABEL_STAGE1_RESECTED)
            .count(),
        136
    );
    assert_eq!(
        labels.iter().filter(|&&v| v == LABEL_TUMOUR_STAGE1).count(),
        8
    );
    let back = load_label_map(&lp, &g, Task::none()).unwrap();
    assert_eq!(Counts::from_bits(&back.bits), Counts::from_bits(&bits));
    // the CLI on a CT of this grid
    let ct: Vec<i16> = vec![60; g.voxel_count()];
    let cp = dir.path().join("ct.nii.gz");
    remnant::volume::nifti::write_volume(&cp, &ct, &g, None, "test CT").unwrap();
    let out = Command::new(bin())
        .args(["volumetry", "--ct"])
        .arg(&cp)
        .arg("--labels")
        .arg(&lp)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "remnant.volumetry/3");
    let s = &v["two_stage"];
    let functional = 14904.0;
    assert!(
        (s["stage1_flr_percent"].as_f64().unwrap() - 100.0 * (functional - 136.0) / functional)
            .abs()
            < 1e-9
    );
    assert!((s["stage2_flr_percent"].as_f64().unwrap() - 100.0 * 7344.0 / functional).abs() < 1e-9);
    assert_eq!(v["counts"]["stage1_resected"], 136);
    assert_eq!(v["sentences"][1]["topic"], "stages");
    let stages: Vec<_> = v["margins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["stage"].as_u64())
        .collect();
    assert_eq!(stages, [Some(2), Some(1)]);
    // the table prints the same stage sentence
    let out = Command::new(bin())
        .args(["volumetry", "--ct"])
        .arg(&cp)
        .arg("--labels")
        .arg(&lp)
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains(v["sentences"][1]["text"].as_str().unwrap()),
        "{table}"
    );
    // --stage1-mask imports the stage-1 layer from another tool's mask
    let mut one_stage = map.clone();
    one_stage.clear_layer(Layer::Stage1);
    let op = dir.path().join("one_stage.nii.gz");
    save_labels(&op, &one_stage, None).unwrap();
    let mask: Vec<u8> = bits
        .iter()
        .map(|&b| u8::from(b & Layer::Stage1.bit() != 0))
        .collect();
    let mp = dir.path().join("stage1.nii.gz");
    remnant::volume::nifti::write_volume(&mp, &mask, &g, None, "mask").unwrap();
    let out = Command::new(bin())
        .args(["volumetry", "--json", "--ct"])
        .arg(&cp)
        .arg("--labels")
        .arg(&op)
        .arg("--stage1-mask")
        .arg(&mp)
        .output()
        .unwrap();
    let w: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(w["two_stage"], v["two_stage"]);
    // an older one-stage label map (values 0-4) loads as before: no stage figures
    let out = Command::new(bin())
        .args(["volumetry", "--json", "--ct"])
        .arg(&cp)
        .arg("--labels")
        .arg(&op)
        .output()
        .unwrap();
    let w: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(w["two_stage"].is_null());
    assert_eq!(w["counts"]["stage1_resected"], 0);
}

/// The PDF of a two-stage plan prints the stage-1 figures and the stage sentence.
#[test]
fn the_pdf_shows_each_stage() {
    let (g, bits) = phantom();
    let tumours = components(&bits, Layer::Tumour.bit(), &g);
    let inputs = PlanInputs::default();
    let d = decide(&bits, &g, &inputs, &tumours, None, None);
    let mut report = report_fixtures::sample_report();
    report.liver.figures = Some(remnant::case::liver_figures(&d, &inputs));
    let f = report.liver.figures.as_ref().unwrap();
    assert!((f.stage1_resected_ml.unwrap() - 136.0 * VOXEL_ML).abs() < 1e-9);
    assert!((f.stage1_flr_percent.unwrap() - 100.0 * 14768.0 / 14904.0).abs() < 1e-9);
    let pdf = remnant::report::render_pdf(&report, &[]).unwrap();
    let Some(text) = report_fixtures::pdftotext(&pdf) else {
        return;
    };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Stage-1 resected volume"), "{flat}");
    assert!(flat.contains("FLR after stage 1 99.1 %"), "{flat}");
    let stage = flat_of(&d.sentences[1].text);
    assert!(flat.contains(&stage), "missing {stage} in {flat}");
}

fn flat_of(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
