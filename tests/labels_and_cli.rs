//! Label maps: written on the CT's exact grid (checked with nibabel), read back,
//! masks from other tools reoriented onto the CT; and the volumetry CLI end to end.

mod common;
use common::*;
use remnant::segmentation::io::{import_mask, load_label_map, save_labels};
use remnant::segmentation::{LabelMap, Layer};
use remnant::task::Task;
use remnant::volume::nifti::{MaskSelect, read_ct};
use remnant::volumetry::Counts;
use std::process::Command;
use tempfile::tempdir;

#[test]
fn volumetry_cli_reports_the_sample_liver_as_nibabel_does() {
    let out = Command::new(bin())
        .args(["volumetry", "--ct"])
        .arg(sample("ct.nii.gz"))
        .arg("--liver-mask")
        .arg(sample("liver.nii.gz"))
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
    assert_eq!(v["counts"]["total"], 38_634);
    // 38,634 voxels x 27 mm^3 = 1,043,118 mm^3 = 1,043.118 mL
    let ml = v["volumes"]["total_ml"].as_f64().unwrap();
    assert!((ml - 1043.118).abs() < 1e-9, "{ml}");
    assert_eq!(v["ct"]["orientation"], "RAS");
    assert_eq!(v["verdict"]["decision"], "no_verdict");
    assert!(v["verdict"]["text"].as_str().unwrap().contains("resection"));
}

#[test]
fn volumetry_cli_on_the_phantom_gives_the_documented_answers() {
    let out = Command::new(bin())
        .args(["volumetry", "--ct"])
        .arg(sample("phantom_ct.nii.gz"))
        .arg("--labels")
        .arg(sample("phantom_labels.nii.gz"))
        .args(["--condition", "cirrhosis", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &v["counts"];
    assert_eq!(
        (c["total"].as_u64(), c["tumour"].as_u64()),
        (Some(90_000), Some(208))
    );
    assert_eq!(
        (c["resected"].as_u64(), c["remnant"].as_u64()),
        (Some(59_856), Some(29_936))
    );
    // 29,936 / 89,792 = 33.339 %
    let flr = v["flr_percent"].as_f64().unwrap();
    assert!((flr - 100.0 * 29_936.0 / 89_792.0).abs() < 1e-9);
    assert_eq!(v["verdict"]["decision"], "insufficient");
    assert_eq!(v["tumours"].as_array().unwrap().len(), 2);
    // 6 x 6 x 4 voxels of 1.5 x 1.5 x 3 mm: 9 x 9 x 12 mm box, diagonal 17.49 mm
    let d = v["tumours"][0]["diameter_mm"].as_f64().unwrap();
    assert!((d - (81.0f64 + 81.0 + 144.0).sqrt()).abs() < 0.1, "{d}");
}

#[test]
fn volumetry_cli_errors_are_one_clear_line_and_non_zero() {
    let dir = tempdir().unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["volumetry".into()], "--ct is required"),
        (
            vec![
                "volumetry".into(),
                "--ct".into(),
                "/nonexistent/ct.nii.gz".into(),
                "--liver-mask".into(),
                "x".into(),
            ],
            "/nonexistent/ct.nii.gz",
        ),
        (
            vec![
                "volumetry".into(),
                "--ct".into(),
                sample("ct.nii.gz").display().to_string(),
                "--liver-mask".into(),
                sample("phantom_labels.nii.gz").display().to_string(),
            ],
            "not on the CT's grid",
        ),
        (
            vec![
                "volumetry".into(),
                "--ct".into(),
                sample("ct.nii.gz").display().to_string(),
                "--liver-mask".into(),
                sample("liver.nii.gz").display().to_string(),
                "--height-cm".into(),
                "tall".into(),
            ],
            "--height-cm \"tall\" is not a number",
        ),
        (
            vec![
                "volumetry".into(),
                "--ct".into(),
                sample("ct.nii.gz").display().to_string(),
                "--liver-mask".into(),
                sample("liver.nii.gz").display().to_string(),
                "--weight-kg".into(),
                "900".into(),
            ],
            "weight 900 kg is outside",
        ),
        (
            vec![
                "volumetry".into(),
                "--ct".into(),
                sample("ct.nii.gz").display().to_string(),
                "--condition".into(),
                "fatty".into(),
            ],
            "must be normal, chemo or cirrhosis",
        ),
        (
            vec!["volumetry".into(), "--bogus".into()],
            "unknown option --bogus",
        ),
        (vec!["frobnicate".into()], "unknown command"),
    ];
    let text = dir.path().join("notes.nii.gz");
    std::fs::write(&text, "not a scan").unwrap();
    let mut cases = cases;
    cases.push((
        vec![
            "volumetry".into(),
            "--ct".into(),
            text.display().to_string(),
            "--liver-mask".into(),
            "x".into(),
        ],
        "not a NIfTI file",
    ));
    for (args, want) in cases {
        let out = Command::new(bin()).args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} should fail");
        assert_eq!(err.lines().count(), 1, "one line for {args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn label_map_round_trips_and_nibabel_reads_it_on_the_ct_grid() {
    let dir = tempdir().unwrap();
    let (ct, hdr) = read_ct(&sample("ct.nii.gz"), Task::none()).unwrap();
    let mut map = LabelMap::empty(ct.geometry.clone());
    import_mask(
        &sample("liver.nii.gz"),
        MaskSelect::NonZero,
        Layer::Liver,
        &mut map,
        Task::none(),
    )
    .unwrap();
    // a resection: the liver voxels with i < 60; a tumour: a small box
    let [nx, ny, _] = ct.dims();
    for (idx, b) in map.bits.iter_mut().enumerate() {
        let (i, j, k) = (idx % nx, (idx / nx) % ny, idx / (nx * ny));
        if *b & 1 != 0 && i < 60 {
            *b |= Layer::Resection.bit();
        }
        if *b & 1 != 0 && (55..65).contains(&i) && (40..48).contains(&j) && (10..14).contains(&k) {
            *b |= Layer::Tumour.bit();
        }
    }
    let p = dir.path().join("labels.nii.gz");
    assert_eq!(save_labels(&p, &map, Some(&hdr.spatial)).unwrap(), None);
    let back = load_label_map(&p, &ct.geometry, Task::none()).unwrap();
    assert_eq!(Counts::from_bits(&back.bits), Counts::from_bits(&map.bits));
    let labels = map.to_labels();
    let counts: Vec<usize> = (0..5)
        .map(|l| labels.iter().filter(|&&v| v == l).count())
        .collect();
    let code = format!(
        "import nibabel as nib, numpy as np\n\
         a = nib.load({:?}); c = nib.load({:?})\n\
         print(float(np.abs(a.affine - c.affine).max()))\n\
         print(' '.join(str(int(x)) for x in np.bincount(np.asarray(a.dataobj).ravel(), minlength=5)))\n\
         print(a.get_data_dtype(), a.shape == c.shape)",
        p.display().to_string(),
        sample("ct.nii.gz").display().to_string()
    );
    if let Some(out) = python_code(&["nibabel", "numpy"], &code) {
        let mut lines = out.lines();
        let diff: f64 = lines.next().unwrap().parse().unwrap();
        assert!(diff <= 1e-5, "affine differs by {diff}");
        let got: Vec<usize> = lines
            .next()
            .unwrap()
            .split(' ')
            .map(|s| s.parse().unwrap())
            .collect();
        assert_eq!(got, counts);
        assert_eq!(lines.next().unwrap(), "uint8 True");
    }
}

#[test]
fn a_mask_stored_in_lps_or_permuted_axes_lands_on_the_ct_and_a_resampled_one_is_refused() {
    let dir = tempdir().unwrap();
    let (ct, _) = read_ct(&sample("ct.nii.gz"), Task::none()).unwrap();
    let lps = dir.path().join("liver_lps.nii.gz");
    let perm = dir.path().join("liver_perm.nii.gz");
    let coarse = dir.path().join("liver_6mm.nii.gz");
    let code = format!(
        "import nibabel as nib, numpy as np\n\
         from nibabel.orientations import axcodes2ornt, ornt_transform, io_orientation\n\
         m = nib.load({src:?})\n\
         t = ornt_transform(io_orientation(m.affine), axcodes2ornt(('L','P','S')))\n\
         nib.save(m.as_reoriented(t), {lps:?})\n\
         t = ornt_transform(io_orientation(m.affine), axcodes2ornt(('S','L','A')))\n\
         nib.save(m.as_reoriented(t), {perm:?})\n\
         d = np.asarray(m.dataobj)[::2, ::2, ::2]; a = m.affine.copy(); a[:3,:3] *= 2\n\
         nib.save(nib.Nifti1Image(d, a), {coarse:?})\n\
         print('ok')",
        src = sample("liver.nii.gz").display().to_string(),
        lps = lps.display().to_string(),
        perm = perm.display().to_string(),
        coarse = coarse.display().to_string(),
    );
    if python_code(&["nibabel", "numpy"], &code).is_none() {
        return;
    }
    let mut reference = LabelMap::empty(ct.geometry.clone());
    import_mask(
        &sample("liver.nii.gz"),
        MaskSelect::NonZero,
        Layer::Liver,
        &mut reference,
        Task::none(),
    )
    .unwrap();
    for p in [&lps, &perm] {
        let mut map = LabelMap::empty(ct.geometry.clone());
        let n = import_mask(p, MaskSelect::NonZero, Layer::Liver, &mut map, Task::none()).unwrap();
        assert_eq!(n, 38_634);
        assert_eq!(
            map.bits,
            reference.bits,
            "{} must land voxel for voxel",
            p.display()
        );
    }
    let mut map = LabelMap::empty(ct.geometry.clone());
    let e = import_mask(
        &coarse,
        MaskSelect::NonZero,
        Layer::Liver,
        &mut map,
        Task::none(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("not on the CT's grid") && e.contains("spacing"),
        "{e}"
    );
}

/// `--help` works for the binary and every subcommand, `--version` prints the version,
/// every flag a subcommand's help lists is documented in the section of that
/// subcommand in docs/command-line.md, and every flag (and subcommand) that page documents
/// exists in --help.
#[test]
fn help_for_the_binary_and_every_subcommand_matches_the_readme() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/command-line.md"))
            .unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(bin()).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let top = run(&["--help"]);
    let version = run(&["--version"]);
    // "remnant 0.1.0 (commit abc1234, built 2026-12-07)"
    assert!(
        version
            .trim()
            .starts_with(&format!("remnant {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    let subcommands: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    for want in [
        "volumetry",
        "convert",
        "report",
        "phantom",
        "session",
        "grow",
        "score",
    ] {
        assert!(subcommands.iter().any(|c| c == want), "{want} in {top}");
    }
    // the docs/command-line.md section of each subcommand: its "### `remnant SUB ...`" heading and the text
    // below it, to the next heading (### or ##)
    let section_of = |sub: &str| -> Option<String> {
        let body = readme.split(&format!("\n### `remnant {sub}")).nth(1)?;
        let end = [body.find("\n### "), body.find("\n## ")]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(body.len());
        // the heading's own code span included: `remnant SUB --flag ...`
        Some(format!("`remnant {sub}{}", &body[..end]))
    };
    for sub in &subcommands {
        let help = run(&[sub, "--help"]);
        assert!(help.contains(&format!("Usage: remnant {sub}")), "{help}");
        let section = section_of(sub)
            .unwrap_or_else(|| panic!("docs/command-line.md has no section for remnant {sub}"));
        let documented = flags(&section);
        for flag in flags(&help) {
            assert!(
                documented.contains(&flag),
                "docs/command-line.md's remnant {sub} section does not mention {flag}"
            );
        }
    }
    // and the other way: every `remnant SUB` section of docs/command-line.md is a subcommand, and
    // every flag it documents is one that subcommand's --help lists
    let documented_subs: Vec<&str> = readme
        .split("\n### `remnant ")
        .skip(1)
        .map(|s| {
            s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .next()
                .unwrap()
        })
        .collect();
    assert!(documented_subs.len() >= 7, "{documented_subs:?}");
    for sub in documented_subs {
        assert!(
            subcommands.iter().any(|c| c == sub),
            "docs/command-line.md documents remnant {sub}, which `remnant --help` does not list"
        );
        let listed = flags(&run(&[sub, "--help"]));
        // (a `remnant OTHER ...` example in the section is OTHER's flags, not SUB's)
        let other = |code: &str| {
            let code = code.trim_start().trim_start_matches("$ ");
            code.starts_with("remnant ") && code.split_whitespace().nth(1) != Some(sub)
        };
        // code blocks: their fences out, and their lines running another subcommand
        let text: String = section_of(sub)
            .unwrap()
            .replace("```", "")
            .lines()
            .filter(|l| !other(l))
            .collect::<Vec<_>>()
            .join("\n");
        let own: String = text
            .split('`')
            .enumerate()
            .filter(|(i, code)| i % 2 == 0 || !other(code))
            .map(|(_, t)| t)
            .collect::<Vec<_>>()
            .join(" ");
        let missing: Vec<String> = flags(&own).difference(&listed).cloned().collect();
        assert!(
            missing.is_empty(),
            "docs/command-line.md's remnant {sub} section documents {missing:?}, which `remnant {sub} --help` \
             does not list"
        );
    }
}

/// The `--flag` words of a text (not `--help`, `--version`, nor a `---` rule).
fn flags(text: &str) -> std::collections::BTreeSet<String> {
    text.match_indices("--")
        .filter(|(i, _)| *i == 0 || !text[..*i].ends_with('-'))
        .map(|(i, _)| {
            let name: String = text[i + 2..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                .collect();
            name.trim_end_matches('-').to_string()
        })
        .filter(|n| n.starts_with(|c: char| c.is_ascii_lowercase()))
        .map(|n| format!("--{n}"))
        .filter(|f| f != "--help" && f != "--version")
        .collect()
}
