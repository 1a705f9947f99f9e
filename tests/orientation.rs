//! The same patient stored as RAS and as LPS NIfTI: a marker on the patient's left
//! must land on the screen's right in axial and coronal views in both files
//! (radiological convention), and anterior at the top of the axial view.

mod common;
use common::*;
use remnant::render::{Plane, PlaneAxes, Window, render_slice};
use remnant::study::Study;
use remnant::task::Task;

/// 20 x 12 x 6 voxels. Marker A on the patient's LEFT (x = +9.5 mm in LPS terms),
/// marker B ANTERIOR. Written once with an RAS affine and once with an LPS affine.
fn write(path: &std::path::Path, lps: bool) {
    let (nx, ny, nz) = (20usize, 12usize, 6usize);
    let mut data = vec![0i16; nx * ny * nz];
    for k in 0..nz {
        for j in 0..ny {
            for i in 0..nx {
                // world position in RAS mm with origin at the volume centre
                let (sx, sy) = if lps { (-1.0, -1.0) } else { (1.0, 1.0) };
                let x = sx * (i as f64 - 9.5);
                let y = sy * (j as f64 - 5.5);
                let left = x < -8.0; // RAS: negative x is the patient's left
                let anterior = y > 4.0 && x.abs() < 2.0;
                data[i + nx * (j + ny * k)] = if left {
                    1000
                } else if anterior {
                    500
                } else {
                    0
                };
            }
        }
    }
    let s = if lps { -1.0 } else { 1.0 };
    let h = Nifti1::new([nx, ny, nz], 4, 16).with_sform([
        [s, 0.0, 0.0, -s * 9.5],
        [0.0, s, 0.0, -s * 5.5],
        [0.0, 0.0, 1.0, 0.0],
    ]);
    h.write(path, &i16_bytes(&data));
}

#[test]
fn left_marker_is_on_screen_right_in_ras_and_lps_files() {
    let dir = tempfile::tempdir().unwrap();
    let lut = Window {
        width: 2.0,
        level: 999.0,
    }
    .lut(); // 1000 -> white, below -> black
    let lut_a = Window {
        width: 2.0,
        level: 499.0,
    }
    .lut(); // 500 and 1000 -> white
    for lps in [false, true] {
        let p = dir
            .path()
            .join(if lps { "lps.nii.gz" } else { "ras.nii.gz" });
        write(&p, lps);
        let study = Study::open(&p, Task::none()).unwrap();
        let g = &study.ct.geometry;
        assert_eq!(g.orientation().to_string(), if lps { "LPS" } else { "RAS" });
        for plane in [Plane::Axial, Plane::Coronal] {
            let ax = PlaneAxes::new(g, plane);
            let [w, h] = ax.size(g.dims);
            let mut out = Vec::new();
            render_slice(&study.ct, None, ax, 2, &lut, &[], None, &mut out);
            let white_cols: Vec<usize> = (0..w)
                .filter(|&x| out[((h / 2) * w + x) * 4] == 255)
                .collect();
            assert!(!white_cols.is_empty());
            assert!(
                white_cols.iter().all(|&x| x >= w - 2),
                "{plane:?} lps={lps}: marker columns {white_cols:?} of {w}"
            );
        }
        // anterior marker at the top of the axial view
        let ax = PlaneAxes::new(g, Plane::Axial);
        let [w, h] = ax.size(g.dims);
        let mut out = Vec::new();
        render_slice(&study.ct, None, ax, 2, &lut_a, &[], None, &mut out);
        let rows: Vec<usize> = (0..h)
            .filter(|&y| out[(y * w + w / 2) * 4] == 255)
            .collect();
        assert!(
            !rows.is_empty() && rows.iter().all(|&y| y < 2),
            "lps={lps}: anterior rows {rows:?}"
        );
    }
}
