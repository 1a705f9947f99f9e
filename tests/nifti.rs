//! NIfTI reading: the real sample, every datatype, both byte orders, NIfTI-2, the
//! qform/sform choice, flipped and oblique grids, and bad files with their messages.

#![allow(clippy::needless_range_loop)]
mod common;
use common::*;
use remnant::task::Task;
use remnant::volume::AffineSource;
use remnant::volume::nifti::{
    MaskSelect, NiftiError, read_ct, read_header, read_labels, read_mask,
};
use tempfile::tempdir;

#[test]
fn real_sample_ct_reads_with_its_sform_and_hu() {
    let (ct, hdr) = read_ct(&sample("ct.nii.gz"), Task::none()).unwrap();
    assert_eq!(ct.dims(), [122, 101, 30]);
    assert_eq!(ct.geometry.source, AffineSource::Sform);
    assert_eq!(ct.geometry.orientation().to_string(), "RAS");
    assert_eq!(ct.geometry.spacing(), [3.0, 3.0, 3.0]);
    assert!((ct.geometry.voxel_volume_mm3() - 27.0).abs() < 1e-9);
    let o = ct.geometry.origin();
    assert!((o[0] + 177.95632935).abs() < 1e-4 && (o[2] - 94.30175781).abs() < 1e-4);
    let (min, max) = ct
        .as_slice()
        .iter()
        .fold((i16::MAX, i16::MIN), |a, &v| (a.0.min(v), a.1.max(v)));
    assert_eq!((min, max), (-1100, 1207), "HU range nibabel reports");
    assert!(hdr.warnings.is_empty(), "{:?}", hdr.warnings);
    let (liver, _) = read_mask(&sample("liver.nii.gz"), MaskSelect::NonZero, Task::none()).unwrap();
    assert_eq!(liver.as_slice().iter().filter(|&&v| v != 0).count(), 38_634);
}

fn ramp(n: usize) -> Vec<f64> {
    (0..n).map(|i| (i % 200) as f64 - 50.0).collect()
}

#[test]
fn every_datatype_and_scaling_reads_to_the_same_hu() {
    let dir = tempdir().unwrap();
    let dims = [5usize, 4, 3];
    let n = 60;
    let want: Vec<i16> = ramp(n).iter().map(|&v| v as i16).collect();
    // (datatype code, bitpix, encoder of the stored value = (HU - inter) / slope, slope, inter)
    type Enc = fn(f64) -> Vec<u8>;
    let cases: [(i16, i16, Enc, f32, f32); 8] = [
        (4, 16, |v| (v as i16).to_le_bytes().to_vec(), 1.0, 0.0),
        (8, 32, |v| (v as i32).to_le_bytes().to_vec(), 1.0, 0.0),
        (16, 32, |v| (v as f32).to_le_bytes().to_vec(), 1.0, 0.0),
        (64, 64, |v| v.to_le_bytes().to_vec(), 1.0, 0.0),
        (512, 16, |v| (v as u16).to_le_bytes().to_vec(), 1.0, -1024.0),
        (2, 8, |v| (v as u8).to_le_bytes().to_vec(), 1.0, -50.0),
        (
            256,
            8,
            |v| (v.round() as i8).to_le_bytes().to_vec(),
            2.0,
            0.0,
        ),
        (768, 32, |v| (v as u32).to_le_bytes().to_vec(), 1.0, -100.0),
    ];
    for (code, bitpix, enc, slope, inter) in cases {
        let mut h = Nifti1::new(dims, code, bitpix);
        h.scl_slope = slope;
        h.scl_inter = inter;
        let data: Vec<u8> = ramp(n)
            .iter()
            .flat_map(|&v| enc((v - inter as f64) / slope as f64))
            .collect();
        let p = dir.path().join(format!("t{code}.nii.gz"));
        h.write(&p, &data);
        let (ct, _) = read_ct(&p, Task::none()).unwrap_or_else(|e| panic!("datatype {code}: {e}"));
        if code == 256 {
            // int8 x 2 loses odd values: compare after the same rounding
            let w: Vec<i16> = ramp(n)
                .iter()
                .map(|&v| ((v / 2.0).round() * 2.0) as i16)
                .collect();
            assert_eq!(ct.as_slice(), &w[..]);
        } else {
            assert_eq!(ct.as_slice(), &want[..], "datatype {code}");
        }
    }
}

#[test]
fn big_endian_file_reads_the_same() {
    let dir = tempdir().unwrap();
    let vals: Vec<i16> = (0..24).map(|i| i * 100 - 1000).collect();
    let mut h = Nifti1::new([4, 3, 2], 4, 16);
    h.big_endian = true;
    let data: Vec<u8> = vals.iter().flat_map(|v| v.to_be_bytes()).collect();
    let p = dir.path().join("be.nii");
    h.write(&p, &data);
    let (ct, hdr) = read_ct(&p, Task::none()).unwrap();
    assert!(!hdr.little_endian);
    assert_eq!(ct.as_slice(), &vals[..]);
}

#[test]
fn nifti2_header_reads() {
    let dir = tempdir().unwrap();
    let mut h = vec![0u8; 544];
    h[0..4].copy_from_slice(&540i32.to_le_bytes());
    h[4..12].copy_from_slice(b"n+2\0\r\n\x1a\n");
    h[12..14].copy_from_slice(&4i16.to_le_bytes());
    h[14..16].copy_from_slice(&16i16.to_le_bytes());
    for (i, d) in [3i64, 3, 2, 2, 1, 1, 1, 1].iter().enumerate() {
        h[16 + 8 * i..24 + 8 * i].copy_from_slice(&d.to_le_bytes());
    }
    for (i, p) in [1.0f64, 0.5, 0.5, 2.0].iter().enumerate() {
        h[104 + 8 * i..112 + 8 * i].copy_from_slice(&p.to_le_bytes());
    }
    h[168..176].copy_from_slice(&544i64.to_le_bytes());
    h[348..352].copy_from_slice(&1i32.to_le_bytes()); // sform_code
    let srow = [
        [-0.5f64, 0.0, 0.0, 10.0],
        [0.0, -0.5, 0.0, 20.0],
        [0.0, 0.0, 2.0, 30.0],
    ];
    for r in 0..3 {
        for c in 0..4 {
            let o = 400 + 32 * r + 8 * c;
            h[o..o + 8].copy_from_slice(&srow[r][c].to_le_bytes());
        }
    }
    let vals: Vec<i16> = (0..12).collect();
    h.extend(i16_bytes(&vals));
    let p = dir.path().join("v2.nii.gz");
    write_maybe_gz(&p, &h);
    let (ct, hdr) = read_ct(&p, Task::none()).unwrap();
    assert_eq!(hdr.version, 2);
    assert_eq!(ct.geometry.orientation().to_string(), "LPS");
    assert!((ct.geometry.voxel_volume_mm3() - 0.5).abs() < 1e-12);
    assert_eq!(ct.as_slice(), &vals[..]);
}

fn geometry_of(h: &Nifti1) -> remnant::volume::Geometry {
    let dir = tempdir().unwrap();
    let p = dir.path().join("g.nii");
    h.write(&p, &[0u8; 2 * 24]);
    read_header(&p).unwrap().geometry().unwrap()
}

#[test]
fn sform_only_qform_only_both_and_neither() {
    let base = Nifti1::new([4, 3, 2], 4, 16);
    let sform = [
        [2.0, 0.0, 0.0, -10.0],
        [0.0, 3.0, 0.0, -20.0],
        [0.0, 0.0, 4.0, -30.0],
    ];

    let g = geometry_of(&base.clone().with_sform(sform));
    assert_eq!(g.source, AffineSource::Sform);
    assert_eq!(g.spacing(), [2.0, 3.0, 4.0]);
    assert_eq!(g.origin(), [-10.0, -20.0, -30.0]);

    // qform only: 180 degrees about z (b=0, c=0, d=1) turns RAS into LPS
    let mut q = base.clone();
    q.qform_code = 1;
    q.quatern = [0.0, 0.0, 1.0];
    q.qoffset = [5.0, 6.0, 7.0];
    q.pixdim = [1.0, 0.8, 0.9, 2.5, 0.0, 0.0, 0.0, 0.0];
    let g = geometry_of(&q);
    assert_eq!(g.source, AffineSource::Qform);
    assert_eq!(g.orientation().to_string(), "LPS");
    assert!((g.spacing()[0] - 0.8).abs() < 1e-6 && (g.spacing()[2] - 2.5).abs() < 1e-6);
    assert_eq!(g.origin(), [5.0, 6.0, 7.0]);
    // qfac -1 flips k
    q.pixdim[0] = -1.0;
    assert_eq!(geometry_of(&q).orientation().to_string(), "LPI");

    // both: sform wins (NIfTI standard, nibabel)
    let both = q.clone().with_sform(sform);
    let g = geometry_of(&both);
    assert_eq!(g.source, AffineSource::Sform);
    assert_eq!(g.orientation().to_string(), "RAS");

    // neither: spacing only, with a warning that orientation is unknown
    let mut none = base.clone();
    none.pixdim = [1.0, 0.7, 0.7, 1.25, 0.0, 0.0, 0.0, 0.0];
    let dir = tempdir().unwrap();
    let p = dir.path().join("n.nii");
    none.write(&p, &[0u8; 48]);
    let hdr = read_header(&p).unwrap();
    assert_eq!(hdr.geometry().unwrap().source, AffineSource::SpacingOnly);
    assert!(
        hdr.warnings
            .iter()
            .any(|w| w.contains("orientation is unknown"))
    );
}

#[test]
fn flipped_and_oblique_sforms() {
    let base = Nifti1::new([4, 3, 2], 4, 16);
    let g = geometry_of(&base.clone().with_sform([
        [0.0, 0.0, -1.5, 0.0],
        [-0.7, 0.0, 0.0, 0.0],
        [0.0, 0.7, 0.0, 0.0],
    ]));
    assert_eq!(g.orientation().to_string(), "PSL");
    assert!((g.voxel_volume_mm3() - 0.735).abs() < 1e-6);
    // oblique: 20 degrees about x; voxel volume stays |det|
    let t = 20f32.to_radians();
    let g = geometry_of(&base.with_sform([
        [0.8, 0.0, 0.0, 0.0],
        [0.0, 0.8 * t.cos(), -2.0 * t.sin(), 0.0],
        [0.0, 0.8 * t.sin(), 2.0 * t.cos(), 0.0],
    ]));
    assert!(g.is_oblique(1.0));
    assert!((g.voxel_volume_mm3() - 1.28).abs() < 1e-5);
    assert_eq!(g.orientation().to_string(), "RAS");
}

fn err_of(h: &Nifti1, data: &[u8], name: &str) -> NiftiError {
    let dir = tempdir().unwrap();
    let p = dir.path().join(name);
    h.write(&p, data);
    read_ct(&p, Task::none()).unwrap_err().error
}

#[test]
fn bad_files_give_clear_errors() {
    let dir = tempdir().unwrap();
    let good = Nifti1::new([4, 3, 2], 4, 16);
    let data = vec![0u8; 48];

    // truncated .nii.gz: cut the compressed file in half
    let p = dir.path().join("t.nii.gz");
    good.write(
        &p,
        &vec![7u8; 48_000]
            .iter()
            .take(48)
            .cloned()
            .collect::<Vec<_>>(),
    );
    let mut big = good.clone();
    big.dim = [3, 100, 100, 50, 1, 1, 1, 1];
    big.write(
        &p,
        &(0..1_000_000u32)
            .flat_map(|i| ((i % 4000) as i16).to_le_bytes())
            .collect::<Vec<_>>(),
    );
    let bytes = std::fs::read(&p).unwrap();
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    let e = read_ct(&p, Task::none()).unwrap_err();
    assert!(matches!(e.error, NiftiError::Truncated(_)), "{e}");
    assert!(
        e.to_string().contains("t.nii.gz") && e.to_string().contains("truncated"),
        "{e}"
    );

    // wrong magic
    let mut m = good.clone();
    m.magic = *b"abc\0";
    assert!(matches!(
        err_of(&m, &data, "m.nii"),
        NiftiError::NotNifti(_)
    ));
    // not a NIfTI at all
    let p = dir.path().join("x.nii");
    std::fs::write(&p, b"hello, this is a text file and not a scan at all ...").unwrap();
    let e = read_ct(&p, Task::none()).unwrap_err();
    assert!(e.to_string().contains("not a NIfTI file"), "{e}");

    // dims promise more voxels than the file holds
    let mut d = good.clone();
    d.dim = [3, 40, 30, 20, 1, 1, 1, 1];
    let e = err_of(&d, &data, "d.nii");
    assert!(
        matches!(&e, NiftiError::Truncated(m) if m.contains("40 x 30 x 20")),
        "{e}"
    );

    // 4-D
    let mut f = good.clone();
    f.dim = [4, 4, 3, 2, 5, 1, 1, 1];
    let e = err_of(&f, &vec![0u8; 240], "f.nii");
    assert!(
        matches!(&e, NiftiError::Unsupported(m) if m.contains("4-D") && m.contains("5 time points")),
        "{e}"
    );

    // zero and NaN spacing
    let mut z = good.clone();
    z.pixdim[2] = 0.0;
    assert!(
        matches!(err_of(&z, &data, "z.nii"), NiftiError::BadGeometry(m) if m.contains("pixdim[2] is 0"))
    );
    let mut n = good.clone();
    n.pixdim[1] = f32::NAN;
    assert!(matches!(err_of(&n, &data, "n.nii"), NiftiError::BadGeometry(m) if m.contains("NaN")));
    // degenerate sform
    let s = good.clone().with_sform([[0.0; 4]; 3]);
    assert!(
        matches!(err_of(&s, &data, "s.nii"), NiftiError::BadGeometry(m) if m.contains("degenerate"))
    );

    // zero dims and absurd sizes are refused before any allocation
    let mut zd = good.clone();
    zd.dim = [3, 4, 0, 2, 1, 1, 1, 1];
    assert!(
        matches!(err_of(&zd, &data, "zd.nii"), NiftiError::BadHeader(m) if m.contains("size 0"))
    );
    let mut huge = good.clone();
    huge.dim = [3, 32767, 32767, 32767, 1, 1, 1, 1];
    assert!(matches!(
        err_of(&huge, &data, "h.nii"),
        NiftiError::TooLarge(_)
    ));

    // unsupported datatype (RGB)
    let rgb = Nifti1::new([4, 3, 2], 128, 24);
    assert!(
        matches!(err_of(&rgb, &data, "rgb.nii"), NiftiError::Unsupported(m) if m.contains("RGB24"))
    );

    // empty file, missing file, a folder
    let p = dir.path().join("empty.nii");
    std::fs::write(&p, b"").unwrap();
    assert!(read_ct(&p, Task::none()).is_err());
    assert!(
        read_ct(&dir.path().join("missing.nii"), Task::none())
            .unwrap_err()
            .to_string()
            .contains("missing.nii")
    );
    assert!(read_ct(dir.path(), Task::none()).is_err());
}

#[test]
fn non_integer_label_values_are_refused_for_label_maps() {
    let dir = tempdir().unwrap();
    let h = Nifti1::new([2, 2, 1], 16, 32);
    let data: Vec<u8> = [0.0f32, 1.0, 2.5, 1.0]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let p = dir.path().join("f.nii");
    h.write(&p, &data);
    let e = read_labels(&p, Task::none()).unwrap_err();
    assert!(e.to_string().contains("2.5"), "{e}");
    // but as a mask, non-zero is what counts
    let (m, _) = read_mask(&p, MaskSelect::NonZero, Task::none()).unwrap();
    assert_eq!(m.as_slice(), &[0, 1, 1, 1]);
}

#[test]
fn nan_voxels_in_a_float_ct_become_air_with_a_warning() {
    let dir = tempdir().unwrap();
    let h = Nifti1::new([2, 2, 1], 16, 32);
    let data: Vec<u8> = [40.4f32, f32::NAN, -20.6, f32::INFINITY]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let p = dir.path().join("nan.nii.gz");
    h.write(&p, &data);
    let (ct, hdr) = read_ct(&p, Task::none()).unwrap();
    assert_eq!(ct.as_slice(), &[40, -1024, -21, -1024]);
    assert!(hdr.warnings.iter().any(|w| w.contains("2 voxels are NaN")));
}

#[test]
fn one_slice_huge_values_and_non_utf8_paths() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempdir().unwrap();
    // a single-slice scan is a valid (thin) volume
    let h = Nifti1::new([4, 3, 1], 4, 16);
    let p = dir.path().join("one.nii");
    h.write(&p, &i16_bytes(&[5i16; 12]));
    let (ct, _) = read_ct(&p, Task::none()).unwrap();
    assert_eq!(ct.dims(), [4, 3, 1]);
    // int32 values beyond the int16 range are clamped, with a warning that says so
    let h = Nifti1::new([2, 1, 1], 8, 32);
    let data: Vec<u8> = [100_000i32, -100_000]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let p = dir.path().join("huge.nii");
    h.write(&p, &data);
    let (ct, hdr) = read_ct(&p, Task::none()).unwrap();
    assert_eq!(ct.as_slice(), &[i16::MAX, i16::MIN]);
    assert!(
        hdr.warnings
            .iter()
            .any(|w| w.contains("2 voxels lie outside the int16 range"))
    );
    // a file name that is not UTF-8 opens, and errors name it
    let name = std::ffi::OsStr::from_bytes(b"scan-\xff\xfe.nii");
    let p = dir.path().join(name);
    Nifti1::new([4, 3, 1], 4, 16).write(&p, &i16_bytes(&[1i16; 12]));
    assert!(read_ct(&p, Task::none()).is_ok());
    let missing = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"gone-\xff.nii"));
    let e = read_ct(&missing, Task::none()).unwrap_err().to_string();
    assert!(e.contains("gone-"), "{e}");
}

/// The qform Remnant writes for an oblique grid (its nearest rotation, by
/// `linear_to_quatern`) is the same affine as the sform when the grid has no shear:
/// nibabel's own quaternion round trip reads it back within 1e-4 mm, and so does
/// Remnant's reader from the qform alone.
#[test]
fn qform_written_for_an_oblique_grid_matches_nibabel_quaternion_round_trip() {
    use remnant::volume::Geometry;
    let dir = tempdir().unwrap();
    let p = dir.path().join("oblique.nii.gz");
    // rotation of 25 degrees about (1, 2, 3), spacing 0.7 x 0.8 x 3 mm, LPS-ish flip on x
    let (a, ax) = (25f64.to_radians(), {
        let n = (1.0f64 + 4.0 + 9.0).sqrt();
        [1.0 / n, 2.0 / n, 3.0 / n]
    });
    let (c, s) = (a.cos(), a.sin());
    let [x, y, z] = ax;
    let r = [
        [
            c + x * x * (1.0 - c),
            x * y * (1.0 - c) - z * s,
            x * z * (1.0 - c) + y * s,
        ],
        [
            y * x * (1.0 - c) + z * s,
            c + y * y * (1.0 - c),
            y * z * (1.0 - c) - x * s,
        ],
        [
            z * x * (1.0 - c) - y * s,
            z * y * (1.0 - c) + x * s,
            c + z * z * (1.0 - c),
        ],
    ];
    let sp = [-0.7, 0.8, 3.0];
    let mut affine = [[0.0; 4]; 4];
    for i in 0..3 {
        for j in 0..3 {
            affine[i][j] = r[i][j] * sp[j];
        }
    }
    affine[0][3] = -120.5;
    affine[1][3] = 33.25;
    affine[2][3] = 410.0;
    affine[3][3] = 1.0;
    let g = Geometry {
        dims: [6, 5, 4],
        affine,
        source: AffineSource::Synthetic,
    };
    let data = vec![0i16; 6 * 5 * 4];
    remnant::volume::nifti::write_volume(&p, &data, &g, None, "oblique").unwrap();
    let Some(out) = python_code(
        &["nibabel", "numpy"],
        &format!(
            "import nibabel as nib, numpy as np\n\
         img = nib.load('{}')\n\
         q, qc = img.header.get_qform(coded=True)\n\
         s, sc = img.header.get_sform(coded=True)\n\
         print(int(qc), int(sc), float(np.abs(q - s).max()))\n\
         print(' '.join(repr(float(v)) for v in q[:3].ravel()))",
            p.display()
        ),
    ) else {
        return;
    };
    let mut lines = out.lines();
    let head: Vec<f64> = lines
        .next()
        .unwrap()
        .split_whitespace()
        .map(|v| v.parse().unwrap())
        .collect();
    assert!(head[0] > 0.0 && head[1] > 0.0, "both codes set: {out}");
    assert!(head[2] < 1e-4, "qform vs sform in nibabel: {} mm", head[2]);
    let q: Vec<f64> = lines
        .next()
        .unwrap()
        .split_whitespace()
        .map(|v| v.parse().unwrap())
        .collect();
    for i in 0..3 {
        for j in 0..4 {
            assert!(
                (q[i * 4 + j] - affine[i][j]).abs() < 1e-4,
                "nibabel's qform [{i}][{j}] {} vs {}",
                q[i * 4 + j],
                affine[i][j]
            );
        }
    }
    // Remnant's own reader, from the qform alone (sform code cleared)
    let mut bytes = std::fs::read(&p).unwrap();
    let mut raw = Vec::new();
    {
        use std::io::Read;
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut raw)
            .unwrap();
    }
    raw[254] = 0; // sform_code (int16 at byte 254) = 0
    raw[255] = 0;
    let q_only = dir.path().join("qonly.nii");
    std::fs::write(&q_only, &raw).unwrap();
    bytes.clear();
    let h = remnant::volume::nifti::read_header(&q_only).unwrap();
    let back = h.geometry().unwrap();
    assert_eq!(back.source, AffineSource::Qform);
    for i in 0..3 {
        for j in 0..4 {
            assert!(
                (back.affine[i][j] - affine[i][j]).abs() < 1e-4,
                "Remnant's qform [{i}][{j}] {} vs {}",
                back.affine[i][j],
                affine[i][j]
            );
        }
    }
}
