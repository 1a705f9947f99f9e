use super::*;
use crate::task::Task;
use crate::volume::Geometry;

/// A ball in patient mm: every voxel whose centre lies within `r` mm of `c`.
fn ball(g: &Geometry, c: [f64; 3], r: f64) -> (Vec<u8>, usize) {
    let [nx, ny, nz] = g.dims;
    let mut bits = vec![0u8; g.voxel_count()];
    let mut n = 0;
    for k in 0..nz {
        for j in 0..ny {
            for i in 0..nx {
                let w = g.to_world([i as f64, j as f64, k as f64]);
                let d = sub(w, c);
                if dot(d, d) <= r * r {
                    bits[g.index(i, j, k)] = crate::segmentation::Layer::Liver.bit();
                    n += 1;
                }
            }
        }
    }
    (bits, n)
}

struct Check {
    volume_err: f64,
    area_err: f64,
    edges: EdgeReport,
}

fn check_sphere(g: &Geometry, centre: [f64; 3], r: f64) -> Check {
    let (bits, n) = ball(g, centre, r);
    let mesh = mesh_layer(
        &bits,
        g,
        MeshLayer::Liver,
        &MeshOptions::default(),
        Task::none(),
    )
    .unwrap();
    let voxel_volume = n as f64 * g.voxel_volume_mm3();
    let area = 4.0 * std::f64::consts::PI * r * r;
    let c = Check {
        volume_err: (mesh.enclosed_volume_mm3() - voxel_volume) / voxel_volume,
        area_err: (mesh.area_mm2() - area) / area,
        edges: mesh.edge_report(),
    };
    eprintln!(
        "r {r} mm: {} voxels, volume error {:+.3} %, area error {:+.3} %, {} triangles, {:?}",
        n,
        100.0 * c.volume_err,
        100.0 * c.area_err,
        mesh.triangles.len(),
        c.edges
    );
    c
}

fn assert_sphere(c: &Check) {
    assert!(c.volume_err.abs() < 0.02, "volume error {}", c.volume_err);
    assert!(c.area_err.abs() < 0.05, "area error {}", c.area_err);
    assert!(c.edges.watertight(), "{:?}", c.edges);
    assert!(c.edges.edges > 1000);
}

#[test]
fn sphere_r20_on_a_1mm_grid_is_closed_with_the_voxel_volume_and_sphere_area() {
    let g = Geometry::axis_aligned([48, 48, 48], [1.0; 3], [-20.0, 30.0, 5.0]);
    let c = check_sphere(&g, [3.7, 54.2, 28.9], 20.0);
    assert_sphere(&c);
}

#[test]
fn sphere_on_a_0_7_by_0_7_by_3_mm_grid() {
    // r = 20 voxels along the coarsest axis (20 slices of 3 mm = 60 mm; 86 voxels in plane)
    let g = Geometry::axis_aligned([180, 180, 44], [0.7, 0.7, 3.0], [-60.0, -60.0, -60.0]);
    let c = check_sphere(&g, [3.1, 2.3, 5.2], 60.0);
    assert_sphere(&c);
    // and r = 20 in-plane voxels (14 mm: under 10 slices across)
    let c = check_sphere(&g, [3.1, 2.3, 5.2], 14.0);
    assert_sphere(&c);
}

/// Rotated, sheared (as a tilted-gantry CT) and mirrored (det < 0) grid.
fn oblique() -> Geometry {
    let (a, b) = (25f64.to_radians(), 15f64.to_radians());
    let rz = [
        [a.cos(), -a.sin(), 0.0],
        [a.sin(), a.cos(), 0.0],
        [0.0, 0.0, 1.0],
    ];
    let rx = [
        [1.0, 0.0, 0.0],
        [0.0, b.cos(), -b.sin()],
        [0.0, b.sin(), b.cos()],
    ];
    let mut r = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            r[i][j] = (0..3).map(|k| rz[i][k] * rx[k][j]).sum();
        }
    }
    // columns: spacing 0.8 (mirrored), 0.9, 1.2 mm, plus a shear of the k column along j
    let spacing = [-0.8, 0.9, 1.2];
    let mut g = Geometry::axis_aligned([80, 80, 64], [1.0; 3], [-30.0, -40.0, -35.0]);
    for i in 0..3 {
        for j in 0..3 {
            g.affine[i][j] = r[i][j] * spacing[j];
        }
        g.affine[i][2] += 0.2 * r[i][1];
    }
    g
}

#[test]
fn sphere_on_an_oblique_sheared_mirrored_grid() {
    let g = oblique();
    assert!(g.voxel_volume_mm3() > 0.0);
    assert!(crate::volume::geometry::det3(&g.linear()) < 0.0);
    // centre of the grid in mm, r = 20 of its largest voxel steps (1.2 mm)
    let centre = g.to_world([40.3, 39.6, 31.8]);
    let c = check_sphere(&g, centre, 24.0);
    assert_sphere(&c);
}

#[test]
fn voxels_touching_only_along_an_edge_still_give_a_closed_manifold_mesh() {
    let g = Geometry::axis_aligned([6, 6, 6], [1.0; 3], [0.0; 3]);
    let mut bits = vec![0u8; g.voxel_count()];
    bits[g.index(2, 2, 2)] = 1;
    bits[g.index(3, 3, 2)] = 1; // diagonal in the k = 2 plane: a checkerboard square
    bits[g.index(3, 2, 3)] = 1; // and one touching (2,2,2) at a corner only
    let opts = MeshOptions {
        smooth_iterations: 0,
        ..Default::default()
    };
    let mesh = mesh_layer(&bits, &g, MeshLayer::Liver, &opts, Task::none()).unwrap();
    let e = mesh.edge_report();
    assert!(e.watertight(), "{e:?}");
    assert!(mesh.enclosed_volume_mm3() > 0.0);
}

#[test]
fn a_box_mesh_spans_the_box_in_mm_and_layers_select_their_labels() {
    let (_ct, map) = crate::phantom::make();
    let g = &map.geometry;
    let opts = MeshOptions::default();
    for layer in MeshLayer::ALL {
        let mesh = mesh_layer(&map.bits, g, layer, &opts, Task::none()).unwrap();
        assert!(mesh.edge_report().watertight(), "{layer:?}");
        let n = map.bits.iter().filter(|&&b| layer.selects(b)).count();
        let vox = n as f64 * g.voxel_volume_mm3();
        let v = mesh.enclosed_volume_mm3();
        // small boxes lose their corners to smoothing; volumes never come from meshes
        assert!(v > 0.5 * vox && v < 1.05 * vox, "{layer:?}: {v} vs {vox}");
    }
    // the liver box: voxels 20..80 x 15..65 x 5..35 on an LPS grid (i to the left)
    let liver = mesh_layer(&map.bits, g, MeshLayer::Liver, &opts, Task::none()).unwrap();
    let (lo, hi) = liver.bounds().unwrap();
    let a = g.to_world([19.5, 14.5, 4.5]);
    let b = g.to_world([79.5, 64.5, 34.5]);
    for ax in 0..3 {
        let (wl, wh) = (a[ax].min(b[ax]), a[ax].max(b[ax]));
        let s = g.spacing()[ax];
        assert!(
            (lo[ax] as f64 - wl).abs() < s,
            "axis {ax}: {} vs {wl}",
            lo[ax]
        );
        assert!(
            (hi[ax] as f64 - wh).abs() < s,
            "axis {ax}: {} vs {wh}",
            hi[ax]
        );
    }
    // remnant: labels 1 only
    assert!(MeshLayer::Remnant.selects(1));
    assert!(!MeshLayer::Remnant.selects(1 | 4));
    assert!(!MeshLayer::Remnant.selects(1 | 2));
    assert!(MeshLayer::Resection.selects(1 | 2 | 4));
    assert!(!MeshLayer::Resection.selects(2)); // resection outside the liver
    // a two-stage plan's stage-1 resection (bit 8) is resected, not remnant
    assert!(!MeshLayer::Remnant.selects(1 | 8));
    assert!(MeshLayer::Resection.selects(1 | 8));
}

#[test]
fn an_empty_layer_is_a_named_error() {
    let g = Geometry::axis_aligned([4, 4, 4], [1.0; 3], [0.0; 3]);
    let bits = vec![1u8; 64];
    let e = mesh_layer(
        &bits,
        &g,
        MeshLayer::Tumour,
        &MeshOptions::default(),
        Task::none(),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "the tumour layer is empty: there is no surface to make"
    );
    let e = mesh_layer(
        &bits[..10],
        &g,
        MeshLayer::Liver,
        &MeshOptions::default(),
        Task::none(),
    )
    .unwrap_err();
    assert!(matches!(e, MeshError::SizeMismatch { .. }));
}

/// The display budget: a surface over budget is made on a coarser grid, stays closed,
/// encloses about the same volume and sits where the full one does (also on an oblique,
/// mirrored grid); a surface within budget is the full one, vertex for vertex.
#[test]
fn a_display_surface_over_budget_is_coarser_closed_and_in_place() {
    for g in [
        Geometry::axis_aligned([96, 96, 96], [0.7; 3], [-30.0, 12.0, -5.0]),
        oblique(),
    ] {
        let centre = g.to_world([40.3, 39.6, 31.8]);
        let (bits, n) = ball(&g, centre, 24.0);
        let full = mesh_layer(
            &bits,
            &g,
            MeshLayer::Liver,
            &MeshOptions::default(),
            Task::none(),
        )
        .unwrap();
        let budget = full.triangles.len() / 3;
        let opts = MeshOptions {
            max_triangles: Some(budget),
            ..MeshOptions::default()
        };
        let coarse = mesh_layer(&bits, &g, MeshLayer::Liver, &opts, Task::none()).unwrap();
        eprintln!(
            "full {} triangles, display {} (budget {budget})",
            full.triangles.len(),
            coarse.triangles.len()
        );
        assert!(
            coarse.triangles.len() <= budget,
            "{}",
            coarse.triangles.len()
        );
        assert!(coarse.triangles.len() > budget / 4);
        assert!(
            coarse.edge_report().watertight(),
            "{:?}",
            coarse.edge_report()
        );
        let voxel_volume = n as f64 * g.voxel_volume_mm3();
        let err = (coarse.enclosed_volume_mm3() - voxel_volume) / voxel_volume;
        assert!(err.abs() < 0.05, "volume error {err}");
        // same place: bounds within one coarse block (2 voxels) of the full surface's
        let (a, b) = (full.bounds().unwrap(), coarse.bounds().unwrap());
        let tol = 2.0 * g.spacing().iter().cloned().fold(0.0, f64::max) as f32;
        for k in 0..3 {
            assert!((a.0[k] - b.0[k]).abs() < tol, "{a:?} {b:?}");
            assert!((a.1[k] - b.1[k]).abs() < tol, "{a:?} {b:?}");
        }
        // within budget: exactly the full surface
        let roomy = MeshOptions {
            max_triangles: Some(full.triangles.len()),
            ..MeshOptions::default()
        };
        let same = mesh_layer(&bits, &g, MeshLayer::Liver, &roomy, Task::none()).unwrap();
        assert_eq!(same, full);
    }
}

/// A 0.7 x 0.7 x 3 mm grid is coarsened in plane only (blocks of 4 x 4 x 1 would still
/// be finer than a slice; a block along the slices would be 6 mm).
#[test]
fn display_coarsening_leaves_the_slice_axis_of_an_anisotropic_grid() {
    let g = Geometry::axis_aligned([180, 180, 44], [0.7, 0.7, 3.0], [-60.0, -60.0, -60.0]);
    let (bits, _) = ball(&g, [3.1, 2.3, 5.2], 55.0);
    let full = mesh_layer(
        &bits,
        &g,
        MeshLayer::Liver,
        &MeshOptions::default(),
        Task::none(),
    )
    .unwrap();
    let opts = MeshOptions {
        max_triangles: Some(full.triangles.len() / 3),
        ..MeshOptions::default()
    };
    let coarse = mesh_layer(&bits, &g, MeshLayer::Liver, &opts, Task::none()).unwrap();
    assert!(coarse.triangles.len() < full.triangles.len() / 2);
    assert!(coarse.edge_report().watertight());
    // the z extent is still that of the full surface (no 6 mm blocks)
    let (a, b) = (full.bounds().unwrap(), coarse.bounds().unwrap());
    assert!(
        (a.0[2] - b.0[2]).abs() < 1.5 && (a.1[2] - b.1[2]).abs() < 1.5,
        "{a:?} {b:?}"
    );
}
