//! `remnant grow` and `remnant score` on the real sample and on known-answer masks.

mod common;
use common::*;
use std::process::Command;

fn run(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(bin())
        .args(args)
        .output()
        .expect("run remnant")
}

/// `remnant score --labels LABELS --reference REFERENCE --json`, parsed.
fn score_json(labels: &std::path::Path, reference: &std::path::Path) -> serde_json::Value {
    json(&run(&[
        "score".as_ref(),
        "--labels".as_ref(),
        labels.as_os_str(),
        "--reference".as_ref(),
        reference.as_os_str(),
        "--json".as_ref(),
    ]))
}

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

#[test]
fn grow_from_the_six_bundled_strokes_reaches_dice_0_90_and_writes_on_the_ct_grid() {
    let d = tempfile::tempdir().unwrap();
    let out_path = d.path().join("grown.nii.gz");
    let out = run(&[
        "grow".as_ref(),
        "--ct".as_ref(),
        sample("ct.nii.gz").as_os_str(),
        "--seeds".as_ref(),
        sample("liver_seeds.txt").as_os_str(),
        "--out".as_ref(),
        out_path.as_os_str(),
        "--reference".as_ref(),
        sample("liver.nii.gz").as_os_str(),
        "--json".as_ref(),
    ]);
    let j = json(&out);
    assert_eq!(j["liver_strokes"], 3);
    assert_eq!(j["background_strokes"], 3);
    let dice = j["score"]["dice"].as_f64().unwrap();
    assert!(dice >= 0.90, "Dice {dice}");
    // the grown volume is voxels x 27 mm^3
    let n = j["grown_voxels"].as_u64().unwrap() as f64;
    assert!((j["grown_ml"].as_f64().unwrap() - n * 0.027).abs() < 1e-6);

    // the written label map scores the same through `remnant score`
    let s = score_json(&out_path, &sample("liver.nii.gz"));
    assert!((s["dice"].as_f64().unwrap() - dice).abs() < 1e-12);
    assert_eq!(s["schema"], "remnant.score/1");

    // and it sits on the CT's grid (same header geometry)
    let ct = remnant::volume::nifti::read_header(&sample("ct.nii.gz")).unwrap();
    let lab = remnant::volume::nifti::read_header(&out_path).unwrap();
    assert_eq!(
        ct.geometry().unwrap().affine,
        lab.geometry().unwrap().affine
    );
}

/// A Remnant label map with label 1 (remnant liver) in the box `lo..hi` (voxels).
fn box_labels(path: &std::path::Path, dims: [usize; 3], lo: [usize; 3], hi: [usize; 3]) {
    let mut data = vec![0u8; dims[0] * dims[1] * dims[2]];
    for k in lo[2]..hi[2] {
        for j in lo[1]..hi[1] {
            for i in lo[0]..hi[0] {
                data[i + dims[0] * (j + dims[1] * k)] = 1;
            }
        }
    }
    let mut h = Nifti1::new(dims, 2, 8);
    h.pixdim[1..4].copy_from_slice(&[2.0, 2.0, 2.0]);
    h.write(path, &data);
}

#[test]
fn score_of_two_shifted_cubes_gives_the_analytic_dice_and_volumes() {
    let d = tempfile::tempdir().unwrap();
    let (a, b) = (d.path().join("a.nii.gz"), d.path().join("b.nii.gz"));
    // 10^3 cubes of 2 mm voxels, shifted by 2 voxels along i: overlap 8 x 10 x 10
    box_labels(&a, [30, 30, 30], [5, 5, 5], [15, 15, 15]);
    box_labels(&b, [30, 30, 30], [7, 5, 5], [17, 15, 15]);
    let s = score_json(&a, &b);
    // Dice = 2 * 800 / (1000 + 1000) = 0.8; each cube 1000 voxels x 8 mm^3 = 8 mL
    assert!((s["dice"].as_f64().unwrap() - 0.8).abs() < 1e-12);
    assert!((s["traced_ml"].as_f64().unwrap() - 8.0).abs() < 1e-9);
    assert!((s["volume_diff_ml"].as_f64().unwrap()).abs() < 1e-9);
    assert_eq!(s["false_positive"], 200);
    assert_eq!(s["false_negative"], 200);
    // identical masks: Dice 1, zero surface distance
    let s = score_json(&a, &a);
    assert_eq!(s["dice"].as_f64(), Some(1.0));
    assert_eq!(s["mean_surface_distance_mm"].as_f64(), Some(0.0));
}

#[test]
fn bad_seeds_and_missing_inputs_are_one_clear_error() {
    let d = tempfile::tempdir().unwrap();
    let bad = d.path().join("bad.txt");
    std::fs::write(&bad, "liver 3 disc-k 70,75,22\nliver three disc-k 1,2,3\n").unwrap();
    let outside = d.path().join("outside.txt");
    std::fs::write(&outside, "liver 3 disc-k 500,75,22\n").unwrap();
    let no_liver = d.path().join("bg.txt");
    std::fs::write(&no_liver, "background 3 disc-k 50,75,22\n").unwrap();
    let out_path = d.path().join("o.nii.gz");
    for (seeds, want) in [
        (&bad, "seeds line 2: radius \"three\" is not a number"),
        (&outside, "outside the scan's 122 x 101 x 30 voxels"),
        (&no_liver, "no liver stroke"),
    ] {
        let out = run(&[
            "grow".as_ref(),
            "--ct".as_ref(),
            sample("ct.nii.gz").as_os_str(),
            "--seeds".as_ref(),
            seeds.as_os_str(),
            "--out".as_ref(),
            out_path.as_os_str(),
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(want), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(!out_path.exists(), "nothing written on error");
    }
    let out = run(&[
        "score".as_ref(),
        "--labels".as_ref(),
        bad.as_os_str(),
        "--reference".as_ref(),
        bad.as_os_str(),
        "--reference-label".as_ref(),
        "liver".as_ref(),
    ]);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--reference-label \"liver\" is not a whole number")
    );
    let out = run(&["score".as_ref(), "--labels".as_ref(), bad.as_os_str()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--reference is required"));
}

/// A sheared grid (a gantry-tilt series: the slice axis leans 1 mm in y per 2 mm step):
/// volumes use |det| of the affine's 3x3 (8 mm^3 a voxel), not the product of the column
/// lengths (2 x 2 x 2.236 = 8.94 mm^3, what a spacing-only score would use), and the
/// Hausdorff distance between cubes shifted by 2 slices is the slice step's length in mm.
#[test]
fn score_on_a_sheared_grid_uses_the_affine() {
    let d = tempfile::tempdir().unwrap();
    let (a, b) = (d.path().join("a.nii.gz"), d.path().join("b.nii.gz"));
    let dims = [30, 30, 30];
    let sheared = [
        [2.0, 0.0, 0.0, 0.0],
        [0.0, 2.0, 1.0, 0.0],
        [0.0, 0.0, 2.0, 0.0],
    ];
    for (path, lo, hi) in [(&a, [5, 5, 5], [15, 15, 15]), (&b, [5, 5, 7], [15, 15, 17])] {
        let mut data = vec![0u8; 27000];
        for k in lo[2]..hi[2] {
            for j in lo[1]..hi[1] {
                for i in lo[0]..hi[0] {
                    data[i + 30 * (j + 30 * k)] = 1;
                }
            }
        }
        Nifti1::new(dims, 2, 8)
            .with_sform(sheared)
            .write(path, &data);
    }
    let s = score_json(&a, &b);
    // 1000 voxels x 8 mm^3 = 8 mL (|det| = 2 * 2 * 2)
    assert!((s["traced_ml"].as_f64().unwrap() - 8.0).abs() < 1e-9, "{s}");
    assert!((s["reference_ml"].as_f64().unwrap() - 8.0).abs() < 1e-9);
    // the Hausdorff distance, brute force over the surface voxel centres in patient mm
    let surface = |lo: [usize; 3], hi: [usize; 3]| -> Vec<[f64; 3]> {
        let inside = |p: [i64; 3]| (0..3).all(|c| p[c] >= lo[c] as i64 && p[c] < hi[c] as i64);
        let mut out = Vec::new();
        for k in lo[2]..hi[2] {
            for j in lo[1]..hi[1] {
                for i in lo[0]..hi[0] {
                    let p = [i as i64, j as i64, k as i64];
                    let edge = (0..3).any(|c| {
                        let (mut m, mut n) = (p, p);
                        m[c] -= 1;
                        n[c] += 1;
                        !inside(m) || !inside(n)
                    });
                    if edge {
                        let v = [i as f64, j as f64, k as f64];
                        out.push(
                            [0, 1, 2]
                                .map(|r| (0..3).map(|c| sheared[r][c] as f64 * v[c]).sum::<f64>()),
                        );
                    }
                }
            }
        }
        out
    };
    let (sa, sb) = (
        surface([5, 5, 5], [15, 15, 15]),
        surface([5, 5, 7], [15, 15, 17]),
    );
    let directed = |x: &[[f64; 3]], y: &[[f64; 3]]| {
        x.iter()
            .map(|p| {
                y.iter()
                    .map(|q| (0..3).map(|c| (p[c] - q[c]).powi(2)).sum::<f64>())
                    .fold(f64::MAX, f64::min)
                    .sqrt()
            })
            .fold(0.0, f64::max)
    };
    let want = directed(&sa, &sb).max(directed(&sb, &sa));
    let h = s["hausdorff_mm"].as_f64().unwrap();
    assert!(
        (h - want).abs() < 1e-6,
        "Hausdorff {h} mm, brute force {want} mm"
    );
}
