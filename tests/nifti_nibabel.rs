//! nibabel's own test NIfTI files (shipped in its wheel, `nibabel/tests/data`) read as
//! nibabel reads them: every file Remnant opens gives nibabel's affine and shape, and
//! the voxel values nibabel gives (scaled, rounded to the CT's whole HU); every file it
//! does not open (4-D series, CIFTI) is refused with a message naming why.

// index loops over the 3 x 4 affine read better than iterator chains
#![allow(clippy::needless_range_loop)]

mod common;

use remnant::task::Task;
use remnant::volume::nifti::{read_ct, read_header};
use std::path::PathBuf;

#[test]
fn nibabel_test_files_read_as_nibabel_reads_them() {
    let Some(listing) = common::tools::python_code(
        &["numpy", "nibabel"],
        r#"
import os, json, numpy as np, nibabel as nib
d = os.path.join(os.path.dirname(nib.__file__), 'tests', 'data')
for f in sorted(os.listdir(d)):
    if not (f.endswith('.nii') or f.endswith('.nii.gz')):
        continue
    p = os.path.join(d, f)
    img = nib.load(p)
    if not isinstance(img, (nib.Nifti1Image, nib.Nifti2Image)):
        # CIFTI-2 (a NIfTI-2 file holding a matrix, not a volume)
        print(json.dumps({'path': p, 'cifti': True}))
        continue
    shape = [int(x) for x in img.shape]
    rec = {'path': p, 'shape': shape, 'affine': np.asarray(img.affine).tolist(),
           'version': 2 if isinstance(img, nib.Nifti2Image) else 1}
    if len(shape) == 3 or (len(shape) == 4 and shape[3] == 1):
        a = np.asarray(img.dataobj, dtype=np.float64).reshape(shape[:3], order='A')
        # Remnant's CT reading: whole HU rounded half away from zero, clamped to int16,
        # NaN and infinities shown as air (-1024 HU)
        bad = ~np.isfinite(a)
        a = np.where(bad, -1024.0, a)
        r = np.clip(np.sign(a) * np.floor(np.abs(a) + 0.5), -32768, 32767).astype(np.int64)
        rec['sum'] = int(r.sum())
        rec['first'] = [int(x) for x in r.ravel(order='F')[:64]]
    print(json.dumps(rec))
"#,
    ) else {
        return;
    };
    let mut opened = 0;
    let mut refused = 0;
    for line in listing.lines() {
        let rec: serde_json::Value = serde_json::from_str(line).unwrap();
        let path = PathBuf::from(rec["path"].as_str().unwrap());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if rec["cifti"].as_bool() == Some(true) {
            let e = read_header(&path).map(|_| ()).err();
            let e = e.unwrap_or_else(|| panic!("{name}: a CIFTI matrix was accepted as a volume"));
            eprintln!("{name}: refused: {e}");
            refused += 1;
            continue;
        }
        let shape: Vec<usize> = rec["shape"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        let volumes: usize = shape.iter().skip(3).product();
        if volumes > 1 {
            // Remnant opens one 3-D volume: a series or a CIFTI matrix is refused, and says why
            let e = read_header(&path).map(|_| ()).err();
            let e = e.unwrap_or_else(|| panic!("{name}: a {}-D file was accepted", shape.len()));
            let msg = e.to_string();
            eprintln!("{name}: refused: {msg}");
            assert!(
                msg.contains("3-D volume") || msg.contains("dimension"),
                "{name}: {msg}"
            );
            refused += 1;
            continue;
        }
        let h = read_header(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(h.dims.to_vec(), shape[..3].to_vec(), "{name}");
        assert_eq!(
            u64::from(h.version),
            rec["version"].as_u64().unwrap(),
            "{name}"
        );
        let g = h.geometry().unwrap();
        let aff = rec["affine"].as_array().unwrap();
        for r in 0..3 {
            for c in 0..4 {
                let want = aff[r][c].as_f64().unwrap();
                assert!(
                    (g.affine[r][c] - want).abs() < 1e-4 * want.abs().max(1.0),
                    "{name}: affine[{r}][{c}] {} vs nibabel {want}",
                    g.affine[r][c]
                );
            }
        }
        let (vol, _) = read_ct(&path, Task::none()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let v = vol.as_slice();
        let sum: i64 = v.iter().map(|&x| i64::from(x)).sum();
        assert_eq!(sum, rec["sum"].as_i64().unwrap(), "{name}: voxel sum");
        for (k, want) in rec["first"].as_array().unwrap().iter().enumerate() {
            assert_eq!(i64::from(v[k]), want.as_i64().unwrap(), "{name}: voxel {k}");
        }
        opened += 1;
    }
    eprintln!("nibabel test files: {opened} opened as nibabel reads them, {refused} refused");
    assert!(opened >= 3, "nibabel's 3-D test files were read ({opened})");
}
