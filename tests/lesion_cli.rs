//! `remnant lesion` on a known-answer phantom (0.7 mm voxels, CT-like noise): two lesions
//! from one point each, their numbers in the written map and their volumes in the JSON;
//! and every bad input (a point outside the scan or the liver or in parenchyma, a liver
//! mask on another grid, an empty liver) is one clear line, exit status 1, nothing written.

mod common;
use common::bin;
use remnant::segmentation::lesion::phantom::{self, LesionSpec, Phantom};
use remnant::volume::Geometry;
use remnant::volume::nifti::write_volume;
use std::path::{Path, PathBuf};
use std::process::Command;

const SP: f64 = 0.7;
const DIMS: [usize; 3] = [110, 110, 84];
/// The grid's patient origin (mm): RAS = origin + index * 0.7.
const ORIGIN: [f64; 3] = [-30.0, -40.0, 100.0];

fn geometry() -> Geometry {
    Geometry::axis_aligned(DIMS, [SP; 3], ORIGIN)
}

/// Patient mm of a point given in mm from the grid's corner (the phantom's frame).
fn ras(mm: [f64; 3]) -> [f64; 3] {
    [ORIGIN[0] + mm[0], ORIGIN[1] + mm[1], ORIGIN[2] + mm[2]]
}

fn mid(off: [f64; 3]) -> [f64; 3] {
    [0, 1, 2].map(|a| DIMS[a] as f64 * SP / 2.0 + off[a])
}

struct Case {
    _dir: tempfile::TempDir,
    ct: PathBuf,
    liver: PathBuf,
    out: PathBuf,
    p: Phantom,
}

fn case() -> Case {
    let hypo = LesionSpec::sphere(mid([-10.0, 6.0, 0.0]), 8.0, -30.0);
    let hyper = LesionSpec::sphere(mid([12.0, -8.0, 4.0]), 6.0, 30.0);
    let p = phantom::make(DIMS, SP, [34.0, 34.0, 26.0], &[], &[hypo, hyper], 15.0);
    let dir = tempfile::tempdir().unwrap();
    let ct = dir.path().join("ct.nii.gz");
    let liver = dir.path().join("liver.nii.gz");
    write_volume(&ct, &p.ct, &geometry(), None, "phantom").unwrap();
    let mask: Vec<u8> = p.liver.iter().map(|&l| l as u8).collect();
    write_volume(&liver, &mask, &geometry(), None, "liver").unwrap();
    let out = dir.path().join("tumours.nii.gz");
    Case {
        _dir: dir,
        ct,
        liver,
        out,
        p,
    }
}

fn at(points: &[[f64; 3]]) -> String {
    points
        .iter()
        .map(|p| format!("{:.2},{:.2},{:.2}", p[0], p[1], p[2]))
        .collect::<Vec<_>>()
        .join(";")
}

fn run(c: &Case, liver: &Path, points: &str, json: bool) -> std::process::Output {
    let mut cmd = Command::new(bin());
    cmd.args(["lesion", "--ct"])
        .arg(&c.ct)
        .arg("--liver")
        .arg(liver)
        .args(["--at", points, "--out"])
        .arg(&c.out);
    if json {
        cmd.arg("--json");
    }
    cmd.output().unwrap()
}

#[test]
fn two_lesions_from_one_point_each_are_numbered_and_measured() {
    let c = case();
    // clicks off-centre, as a user places them
    let points = [ras(mid([-7.0, 4.0, 1.0])), ras(mid([10.0, -6.0, 3.0]))];
    let o = run(&c, &c.liver, &at(&points), true);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["schema"], "remnant.lesion/1");
    let lesions = j["lesions"].as_array().unwrap();
    assert_eq!(lesions.len(), 2);
    let (vol, _) =
        remnant::volume::nifti::read_labels(&c.out, remnant::task::Task::none()).unwrap();
    let got = vol.as_slice();
    let ml = SP.powi(3) / 1000.0;
    for (n, want) in [(1u8, "hypodense"), (2, "hyperdense")] {
        let l = &lesions[n as usize - 1];
        assert_eq!(l["number"], n as u64);
        assert_eq!(l["density"], want);
        let truth = c.p.lesion.iter().filter(|&&x| x == n).count();
        let both = (0..got.len())
            .filter(|&i| got[i] == n && c.p.lesion[i] == n)
            .count();
        let mine = got.iter().filter(|&&x| x == n).count();
        let dice = 2.0 * both as f64 / (truth + mine) as f64;
        assert!(dice >= 0.85, "lesion {n}: Dice {dice:.3}");
        let v = l["volume_ml"].as_f64().unwrap();
        let written = mine as f64 * ml;
        assert!(
            (v / written - 1.0).abs() < 1e-6,
            "JSON {v} mL, written {written} mL"
        );
        let d = l["diameters_mm"]["max_3d_mm"].as_f64().unwrap();
        let r = [8.0, 6.0][n as usize - 1];
        assert!(
            (d - 2.0 * r).abs() < 2.5,
            "lesion {n}: largest diameter {d:.1} mm"
        );
        assert!(l["milliseconds"].as_f64().unwrap() > 0.0);
    }
}

fn refused(c: &Case, liver: &Path, points: &str, words: &str) {
    let o = run(c, liver, points, false);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{points}: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains(words), "{points}: \"{words}\" not in: {err}");
    assert!(!c.out.exists(), "{points}: nothing is written");
}

#[test]
fn bad_inputs_are_one_clear_line_exit_1_and_write_nothing() {
    let c = case();
    let lesion = ras(mid([-7.0, 4.0, 1.0]));
    // outside the scan
    refused(
        &c,
        &c.liver,
        &at(&[ras([-50.0, 10.0, 10.0])]),
        "outside the scan",
    );
    // in the scan, outside the liver (fat in a corner)
    refused(
        &c,
        &c.liver,
        &at(&[ras([2.0, 2.0, 2.0])]),
        "outside the liver",
    );
    // in parenchyma
    refused(
        &c,
        &c.liver,
        &at(&[ras(mid([0.0, 20.0, -5.0]))]),
        "liver tissue",
    );
    // a good point then a bad one: still nothing written
    refused(
        &c,
        &c.liver,
        &at(&[lesion, ras([2.0, 2.0, 2.0])]),
        "point 2",
    );
    // the same lesion twice
    refused(&c, &c.liver, &at(&[lesion, lesion]), "already found");
    // a liver mask on another grid
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.nii.gz");
    let g = Geometry::axis_aligned([60, 60, 40], [1.2; 3], ORIGIN);
    write_volume(&other, &vec![1u8; 60 * 60 * 40], &g, None, "liver").unwrap();
    refused(&c, &other, &at(&[lesion]), "grid");
    // an empty liver
    let empty = dir.path().join("empty.nii.gz");
    write_volume(&empty, &vec![0u8; c.p.ct.len()], &geometry(), None, "liver").unwrap();
    refused(&c, &empty, &at(&[lesion]), "no voxel inside");
    // a malformed point
    refused(&c, &c.liver, "1,2", "--at");
}
