//! `remnant mesh`: STL/OBJ export read back by trimesh (Python; skipped when missing, a
//! failure under CI=true or REMNANT_REQUIRE_TOOLS=1: `common::tools`), and its one-line errors.

mod common;
use common::{bin, python_code, sample, tool, tools};
use std::process::Command;

fn phantom(dir: &std::path::Path) {
    let out = Command::new(bin())
        .args(["phantom", "--out"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn mesh(dir: &std::path::Path, layer: &str, out: &str) -> std::process::Output {
    Command::new(bin())
        .arg("mesh")
        .arg("--ct")
        .arg(dir.join("phantom_ct.nii.gz"))
        .arg("--labels")
        .arg(dir.join("phantom_labels.nii.gz"))
        .args(["--layer", layer, "--out"])
        .arg(dir.join(out))
        .output()
        .unwrap()
}

/// trimesh's view of the file and nibabel's bounds of the layer's voxels (their outer
/// faces, RAS mm): "watertight xmin ymin zmin xmax ymax zmax  mxmin ... mzmax".
const READ_BACK: &str = r#"
import sys, numpy as np, nibabel as nib, trimesh
path, labels, lo, hi = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
m = trimesh.load(path, force='mesh')
img = nib.load(labels)
d = np.asarray(img.dataobj)
ijk = np.argwhere((d >= lo) & (d <= hi)).astype(float)
corners = []
for c in np.array(np.meshgrid([-.5, .5], [-.5, .5], [-.5, .5])).T.reshape(-1, 3):
    corners.append(nib.affines.apply_affine(img.affine, ijk + c))
corners = np.concatenate(corners)
vals = [int(m.is_watertight), int(m.is_winding_consistent), float(m.volume)]
vals += list(m.bounds[0]) + list(m.bounds[1]) + list(corners.min(0)) + list(corners.max(0))
print(' '.join(str(v) for v in vals))
"#;

fn read_back(file: &std::path::Path, labels: &std::path::Path, lo: u8, hi: u8) -> Option<Vec<f64>> {
    let code = format!(
        "import sys; sys.argv = ['x', {:?}, {:?}, '{lo}', '{hi}']\n{READ_BACK}",
        file.to_str().unwrap(),
        labels.to_str().unwrap()
    );
    let out = python_code(&["numpy", "nibabel", "trimesh"], &code)?;
    Some(out.split_whitespace().map(|v| v.parse().unwrap()).collect())
}

#[test]
fn exported_stl_and_obj_read_back_watertight_with_the_masks_bounds_in_ras_mm() {
    let dir = tempfile::tempdir().unwrap();
    phantom(dir.path());
    let labels = dir.path().join("phantom_labels.nii.gz");
    // (layer, file, label range): liver = labels 1-4, tumour = 3-4
    for (layer, file, lo, hi) in [
        ("liver", "liver.stl", 1u8, 4u8),
        ("tumour", "tumours.obj", 3, 4),
        ("remnant", "remnant.stl", 1, 1),
    ] {
        let out = mesh(dir.path(), layer, file);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("(RAS+)"), "{stdout}");
        let path = dir.path().join(file);
        let head = std::fs::read(&path).unwrap();
        assert!(String::from_utf8_lossy(&head[..80]).contains("SPACE=RAS"));
        let Some(v) = read_back(&path, &labels, lo, hi) else {
            return;
        };
        assert_eq!(v[0], 1.0, "{layer}: trimesh says not watertight: {v:?}");
        assert_eq!(v[1], 1.0, "{layer}: inconsistent winding: {v:?}");
        assert!(v[2] > 0.0, "{layer}: faces point inwards: volume {}", v[2]);
        // the phantom's voxels are 1.5 x 1.5 x 3 mm: bounds within one voxel of the
        // voxels' outer faces (smoothing rounds the box's edges, not its faces)
        let spacing = [1.5, 1.5, 3.0];
        for a in 0..3 {
            let (mlo, mhi) = (v[3 + a], v[6 + a]);
            let (vlo, vhi) = (v[9 + a], v[12 + a]);
            assert!(
                (mlo - vlo).abs() <= spacing[a],
                "{layer} axis {a}: {mlo} vs {vlo}"
            );
            assert!(
                (mhi - vhi).abs() <= spacing[a],
                "{layer} axis {a}: {mhi} vs {vhi}"
            );
        }
    }
}

#[test]
fn mesh_cli_bad_input_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    phantom(dir.path());
    let cases: [(&[&str], &str); 3] = [
        (
            &["--layer", "spleen", "--out", "x.stl"],
            "--layer \"spleen\" must be liver, remnant, resection or tumour",
        ),
        (
            &["--layer", "liver", "--out", "x.ply"],
            "must end in .stl or .obj",
        ),
        (&["--out", "x.stl"], "--layer is required"),
    ];
    for (extra, want) in cases {
        let out = Command::new(bin())
            .arg("mesh")
            .arg("--ct")
            .arg(dir.path().join("phantom_ct.nii.gz"))
            .arg("--labels")
            .arg(dir.path().join("phantom_labels.nii.gz"))
            .args(extra)
            .current_dir(dir.path())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1));
        assert!(err.contains(want), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
    // a layer with no voxels: the sample's liver mask has no resection
    let out = Command::new(bin())
        .arg("mesh")
        .arg("--ct")
        .arg(sample("ct.nii.gz"))
        .arg("--labels")
        .arg(sample("liver.nii.gz"))
        .args(["--layer", "resection", "--out"])
        .arg(dir.path().join("r.stl"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the resection layer is empty"), "{err}");
    assert!(!dir.path().join("r.stl").exists());
}

/// The headless `remnant report --pdf` of a case with traced layers carries the 3-D
/// snapshot (rendered on the CPU: no GPU, no window) with its caption.
#[test]
fn headless_report_pdf_has_the_3d_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    phantom(dir.path());
    let case = dir.path().join("case.json");
    let mut child = Command::new(bin())
        .args(["session", "--ct"])
        .arg(dir.path().join("phantom_ct.nii.gz"))
        .arg("--autosave-dir")
        .arg(dir.path().join("autosave"))
        .env("REMNANT_CONFIG_DIR", dir.path().join("config"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let stdin = child.stdin.as_mut().unwrap();
        // the phantom's labels as layers: import each layer's mask from a label map
        let labels = dir.path().join("phantom_labels.nii.gz");
        writeln!(stdin, "import-mask liver {}", labels.display()).unwrap();
        writeln!(stdin, "save-case {}", case.display()).unwrap();
        writeln!(stdin, "quit").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("case saved"), "{said}");
    let pdf = dir.path().join("r.pdf");
    let out = Command::new(bin())
        .args(["report", "--input"])
        .arg(&case)
        .arg("--pdf")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (Some(pdftotext), Some(pdfimages)) = (tool("pdftotext"), tool("pdfimages")) else {
        return;
    };
    let out = tools::run(Command::new(pdftotext).arg(&pdf).arg("-"));
    // captions wrap: compare with the line breaks folded into spaces
    let text = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("3-D view from the front"), "{text}");
    assert!(text.contains("every volume is a voxel count"), "{text}");
    // and the image itself: one more image than the two key slices
    let imgs = tools::run(Command::new(pdfimages).arg("-list").arg(&pdf));
    let list = String::from_utf8_lossy(&imgs.stdout);
    let has = list.lines().any(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        f.windows(2).any(|w| w == ["900", "700"])
    });
    assert!(has, "no 900 x 700 image in:\n{list}");
}
