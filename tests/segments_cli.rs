//! Issue 26 through the command line: `remnant volumetry --landmarks --hepatectomy /
//! --resect-segments` on the known-answer phantom (planes written out by hand in
//! `segments::phantom`), bad landmark files named, and `remnant session` lines.

mod common;
use common::*;
use remnant::segments::phantom::{PHANTOM_SPACING, expected, phantom, phantom_landmarks};
use remnant::segments::{Hepatectomy, LandmarkId, Segment};
use std::process::Command;

fn run(args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .arg("volumetry")
        .args(args)
        .output()
        .unwrap()
}

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Functional (tumour-free) voxels per segment code, counted with `expected`.
fn functional_by_segment() -> [u64; 10] {
    let (g, bits) = phantom(&SEGMENT_TUMOURS);
    let mut n = [0u64; 10];
    for k in 0..g.dims[2] {
        for j in 0..g.dims[1] {
            for i in 0..g.dims[0] {
                let b = bits[g.index(i, j, k)];
                if b == 1 {
                    n[expected(g.to_world([i as f64, j as f64, k as f64])).code() as usize] += 1;
                }
            }
        }
    }
    n
}

#[test]
fn each_named_hepatectomy_leaves_the_remnant_its_planes_define() {
    let dir = tempfile::tempdir().unwrap();
    let (ct, labels, lm) = segments_files(dir.path());
    let (ct, labels, lm) = (
        ct.to_str().unwrap(),
        labels.to_str().unwrap(),
        lm.to_str().unwrap(),
    );
    let f = functional_by_segment();
    let functional: u64 = f.iter().sum();
    let ml = PHANTOM_SPACING.iter().product::<f64>() / 1000.0;
    for h in Hepatectomy::ALL {
        let v = json(&run(&[
            "--ct",
            ct,
            "--labels",
            labels,
            "--landmarks",
            lm,
            "--hepatectomy",
            h.key(),
            "--json",
        ]));
        let resected: u64 = h
            .segments()
            .segments()
            .iter()
            .map(|s| f[s.code() as usize])
            .sum();
        let got = v["volumes"]["resected_ml"].as_f64().unwrap();
        assert!(
            (got - resected as f64 * ml).abs() < 1e-6,
            "{}: resected {got} mL vs {}",
            h.key(),
            resected as f64 * ml
        );
        let flr = v["flr_percent"].as_f64().unwrap();
        let want = 100.0 * (functional - resected) as f64 / functional as f64;
        assert!(
            (flr - want).abs() < 1e-9,
            "{}: FLR {flr} vs {want}",
            h.key()
        );
        assert!(
            v["resection_by_segments"]
                .as_str()
                .unwrap()
                .starts_with(h.label())
        );
    }
    // the JSON's segments: one per segment, mL and % of the functional liver
    let v = json(&run(&[
        "--ct",
        ct,
        "--labels",
        labels,
        "--landmarks",
        lm,
        "--resect-segments",
        "3,8",
        "--json",
    ]));
    let segs = v["segments"].as_array().unwrap();
    assert_eq!(segs.len(), 9);
    for s in segs {
        let id = s["id"].as_str().unwrap();
        let seg = Segment::ALL.into_iter().find(|x| x.name() == id).unwrap();
        let want = 100.0 * f[seg.code() as usize] as f64 / functional as f64;
        assert!(
            (s["percent"].as_f64().unwrap() - want).abs() < 1e-9,
            "segment {id}"
        );
    }
    let s3 = segs.iter().find(|s| s["id"] == "3").unwrap();
    assert_eq!(s3["tumours"].as_array().unwrap().len(), 1);
    // both tumours removed by 3 + 8: no tumour left in the remnant
    assert_eq!(v["counts"]["tumour_outside_resection"], 0);
    let clear: Vec<&str> = v["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["clears_all_tumours"] == true)
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(clear, ["left-trisectionectomy", "segments:3,8"]);
    // the segment label map: value = segment code on the CT's grid, as the planes define
    let seg_out = dir.path().join("segments.nii.gz");
    let so = seg_out.to_str().unwrap();
    json(&run(&[
        "--ct",
        ct,
        "--labels",
        labels,
        "--landmarks",
        lm,
        "--segments-out",
        so,
        "--json",
    ]));
    let (vol, _) =
        remnant::volume::nifti::read_labels(&seg_out, remnant::task::Task::none()).unwrap();
    let (g, bits) = phantom(&SEGMENT_TUMOURS);
    assert_eq!(vol.geometry.dims, g.dims);
    for (idx, (&v, &b)) in vol.as_slice().iter().zip(&bits).enumerate() {
        let [nx, ny, _] = g.dims;
        let p = [idx % nx, (idx / nx) % ny, idx / (nx * ny)].map(|x| x as f64);
        let want = if b == 0 {
            0
        } else {
            expected(g.to_world(p)).code()
        };
        assert_eq!(v, want, "voxel {idx}");
    }
    // the table says the same
    let out = run(&[
        "--ct",
        ct,
        "--labels",
        labels,
        "--landmarks",
        lm,
        "--hepatectomy",
        "left-lateral-sectionectomy",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.contains("Options that remove every tumour"), "{text}");
    assert!(
        text.contains("Left lateral sectionectomy (2, 3) leaves tumour #"),
        "{text}"
    );
    assert!(
        text.contains("Fischer et al., J Comput Assist Tomogr 2002"),
        "{text}"
    );
}

#[test]
fn bad_landmark_files_are_refused_naming_the_landmark() {
    let dir = tempfile::tempdir().unwrap();
    let (ct, labels, _) = segments_files(dir.path());
    let (ct, labels) = (ct.to_str().unwrap(), labels.to_str().unwrap());
    let write = |name: &str, lm: &remnant::segments::Landmarks| {
        let p = dir.path().join(name);
        std::fs::write(&p, lm.to_json()).unwrap();
        p.to_str().unwrap().to_string()
    };
    let mut missing = phantom_landmarks();
    missing.set(LandmarkId::PortalBifurcation, None);
    let mut outside = phantom_landmarks();
    outside.set(LandmarkId::IvcSuperior, Some([0.0, -20.0, 400.0]));
    let mut coincident = phantom_landmarks();
    coincident.set(LandmarkId::MhvDistal, Some([0.0, -10.0, 30.4]));
    let mut degenerate = phantom_landmarks();
    degenerate.set(LandmarkId::RhvDistal, Some([10.0, -10.0, -10.0]));
    let mut no_cut = phantom_landmarks();
    no_cut.set(LandmarkId::LhvConfluence, Some([-63.0, 50.0, 30.0]));
    no_cut.set(LandmarkId::LhvDistal, Some([-53.0, 53.0, 30.0]));
    for (name, lm, says) in [
        (
            "missing.json",
            &missing,
            "landmark missing: portal vein bifurcation",
        ),
        (
            "outside.json",
            &outside,
            "IVC, superior point lies outside the scan",
        ),
        (
            "coincident.json",
            &coincident,
            "middle hepatic vein at the IVC and middle hepatic vein, further along coincide",
        ),
        (
            "degenerate.json",
            &degenerate,
            "right hepatic vein: its two points lie along the IVC axis",
        ),
        (
            "nocut.json",
            &no_cut,
            "the plane of the left hepatic vein does not cut the liver",
        ),
    ] {
        let p = write(name, lm);
        let out = run(&[
            "--ct",
            ct,
            "--labels",
            labels,
            "--landmarks",
            &p,
            "--hepatectomy",
            "right-hemihepatectomy",
            "--json",
        ]);
        assert!(!out.status.success(), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
    // --hepatectomy without --landmarks, and an unknown name
    let out = run(&[
        "--ct",
        ct,
        "--labels",
        labels,
        "--hepatectomy",
        "right-hemihepatectomy",
    ]);
    assert!(!out.status.success());
    let p = write("ok.json", &phantom_landmarks());
    let out = run(&[
        "--ct",
        ct,
        "--labels",
        labels,
        "--landmarks",
        &p,
        "--hepatectomy",
        "whipple",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("right-hemihepatectomy"));
    let out = run(&[
        "--ct",
        ct,
        "--labels",
        labels,
        "--landmarks",
        &p,
        "--resect-segments",
        "2,9",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"9\" is not a Couinaud segment"));
}

#[test]
fn session_places_landmarks_chooses_a_hepatectomy_and_saves_them_in_the_case() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let (ct, labels, lm) = segments_files(dir.path());
    let case = dir.path().join("case.remnant.json");
    let lmo = dir.path().join("out.landmarks.json");
    let mut lines = vec![format!("open-layers {}", labels.display())];
    // place every landmark by hand, the right vein's far point first off and then moved
    for id in LandmarkId::ALL {
        let p = phantom_landmarks().get(id).unwrap();
        lines.push(format!("landmark {} {} {} {}", id.key(), p[0], p[1], p[2]));
    }
    lines.push("landmark portal-bifurcation 0 0 900".into()); // outside: refused
    lines.push("hepatectomy right-hemihepatectomy".into());
    lines.push("accept".into());
    lines.push("status".into());
    lines.push("segments".into());
    lines.push("undo".into());
    lines.push("status".into());
    // 18: nothing pending; 19-21: the last landmark placed is undone and redone
    lines.push("accept".into());
    lines.push("undo".into());
    lines.push("segments".into());
    lines.push("redo".into());
    lines.push(format!("save-landmarks {}", lmo.display()));
    lines.push(format!("save-case {}", case.display()));
    lines.push("quit".into());
    let mut child = Command::new(bin())
        .args(["session", "--ct", ct.to_str().unwrap(), "--autosave-dir"])
        .arg(dir.path().join("autosave"))
        .env("REMNANT_CONFIG_DIR", dir.path().join("config"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .as_mut()
        .unwrap()
        .write_all((lines.join("\n") + "\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let reply = |n: usize| {
        text.lines()
            .find(|l| l.starts_with(&format!("ok {n} ")) || l.starts_with(&format!("error {n} ")))
            .unwrap_or("")
            .to_string()
    };
    assert!(
        reply(11).starts_with("error 11") && reply(11).contains("portal vein bifurcation"),
        "{text}"
    );
    assert!(
        reply(12).contains("Right hemihepatectomy (5, 6, 7, 8)"),
        "{text}"
    );
    let f = functional_by_segment();
    let right: u64 = [5usize, 6, 7, 8].iter().map(|&c| f[c]).sum();
    let tumour_in_8 = {
        let (_, bits) = phantom(&SEGMENT_TUMOURS[1..]);
        bits.iter().filter(|&&b| b & 4 != 0).count() as u64
    };
    assert!(
        reply(14).contains(&format!("resection={}", right + tumour_in_8)),
        "{}",
        reply(14)
    );
    assert!(
        reply(15).contains("left-trisectionectomy:flr="),
        "{}",
        reply(15)
    );
    assert!(reply(15).contains("segments:3,8:flr="), "{}", reply(15));
    assert!(
        reply(17).contains("resection=0"),
        "one undo step takes it back: {}",
        reply(17)
    );
    assert!(reply(18).contains("nothing to accept"), "{}", reply(18));
    assert!(
        reply(19).contains("landmark change undone"),
        "{}",
        reply(19)
    );
    assert!(
        reply(20).starts_with("error 20") && reply(20).contains("portal vein bifurcation"),
        "the bifurcation is missing again: {}",
        reply(20)
    );
    assert!(
        reply(21).contains("landmark change redone"),
        "{}",
        reply(21)
    );
    // the landmarks written and kept in the case are those placed
    let saved =
        remnant::segments::Landmarks::from_json(&std::fs::read_to_string(&lmo).unwrap()).unwrap();
    assert_eq!(saved, phantom_landmarks());
    let case_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&case).unwrap()).unwrap();
    assert_eq!(case_json["landmarks"]["format"], "remnant.landmarks/1");
    let opened = remnant::case::open(&case).unwrap();
    assert_eq!(opened.case.landmarks, phantom_landmarks());
    // a case saved before landmarks existed (no `landmarks` key) still opens, without any
    let mut old = case_json.clone();
    old.as_object_mut().unwrap().remove("landmarks");
    let old_path = dir.path().join("old.remnant.json");
    std::fs::write(&old_path, serde_json::to_string_pretty(&old).unwrap()).unwrap();
    let opened = remnant::case::open(&old_path).unwrap();
    assert!(opened.case.landmarks.is_empty());
    let _ = lm;
}

/// With landmarks, the report JSON carries the segment table (mL as the planes define
/// them, % of the functional liver, the tumours in each) and the PDF prints it with the
/// caveat sentence.
#[test]
fn report_json_and_pdf_carry_the_segment_table() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let (ct, labels, _) = segments_files(dir.path());
    let (report, pdf) = (dir.path().join("r.json"), dir.path().join("r.pdf"));
    let mut lines = vec![format!("open-layers {}", labels.display())];
    for id in LandmarkId::ALL {
        let p = phantom_landmarks().get(id).unwrap();
        lines.push(format!("landmark {} {} {} {}", id.key(), p[0], p[1], p[2]));
    }
    // (the PDF export fills the liver figures the report then carries)
    lines.push(format!("export-pdf {}", pdf.display()));
    lines.push(format!("save-report {}", report.display()));
    lines.push("quit".into());
    let mut child = Command::new(bin())
        .args(["session", "--ct", ct.to_str().unwrap(), "--autosave-dir"])
        .arg(dir.path().join("autosave"))
        .env("REMNANT_CONFIG_DIR", dir.path().join("config"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = lines.join("\n") + "\n";
    child
        .stdin
        .as_mut()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(!text.contains("error "), "{text}");
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let f = &r["liver"]["figures"];
    assert!(f.is_object(), "{r}");
    let segs = f["segments"].as_array().unwrap_or_else(|| panic!("{f}"));
    assert_eq!(segs.len(), 9);
    let (g, bits) = phantom(&SEGMENT_TUMOURS);
    let mut whole = [0u64; 10];
    for k in 0..g.dims[2] {
        for j in 0..g.dims[1] {
            for i in 0..g.dims[0] {
                if bits[g.index(i, j, k)] != 0 {
                    let w = g.to_world([i as f64, j as f64, k as f64]);
                    whole[expected(w).code() as usize] += 1;
                }
            }
        }
    }
    let voxel_ml = PHANTOM_SPACING.iter().product::<f64>() / 1000.0;
    let functional = functional_by_segment();
    let total_functional: u64 = functional.iter().sum();
    let with_tumour = expected(SEGMENT_TUMOURS[1].0);
    for s in segs {
        let seg = Segment::ALL
            .into_iter()
            .find(|x| x.name() == s["segment"].as_str().unwrap())
            .unwrap();
        let c = seg.code() as usize;
        let ml = s["volume_ml"].as_f64().unwrap();
        assert!(
            (ml - whole[c] as f64 * voxel_ml).abs() < 1e-6,
            "{seg:?} {ml}"
        );
        let pct = s["percent"].as_f64().unwrap();
        let want = 100.0 * functional[c] as f64 / total_functional as f64;
        assert!((pct - want).abs() < 1e-6, "{seg:?} {pct} vs {want}");
        let tumours = s["tumours"].as_array().unwrap();
        if seg == with_tumour {
            assert_eq!(tumours.len(), 1, "{seg:?}");
        }
        if seg == Segment::S2 {
            assert!(tumours.is_empty());
        }
    }
    assert!(f["segments_caveat"].as_str().unwrap().contains("Fischer"));
    let Some(text) = tool("pdftotext").map(|t| {
        let o = Command::new(t)
            .args(["-layout"])
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).to_string()
    }) else {
        return;
    };
    assert!(text.contains("Couinaud segments"), "{text}");
    let row = text
        .lines()
        .find(|l| l.contains("Segment 4a"))
        .unwrap_or_else(|| panic!("{text}"));
    let s4a = &segs[3];
    assert!(
        row.contains(&format!("{:.0} mL", s4a["volume_ml"].as_f64().unwrap())),
        "{row}"
    );
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("single segments can be off by 10-25 %"),
        "{flat}"
    );
}
