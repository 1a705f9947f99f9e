//! Bench rows of the 3-D view: meshing each layer of the bench liver, its triangle
//! count, and one CPU-rendered frame (the PDF snapshot renderer). Called from perf.rs.

use super::{Row, row, time};
use remnant::mesh::camera::{Camera, StandardView};
use remnant::mesh::raster::{Paint, render};
use remnant::mesh::scene::surface_style;
use remnant::mesh::{Mesh, MeshLayer, MeshOptions, mesh_layer};
use remnant::segmentation::plane_cut::{CutPlane, cut_voxels};
use remnant::segmentation::{LabelMap, Layer};
use remnant::task::Task;

/// Median time of three meshings of `layer` with `opts`, and the mesh.
fn timed_mesh(map: &LabelMap, layer: MeshLayer, opts: &MeshOptions) -> Option<(f64, Mesh)> {
    let mut mesh = None;
    let t = time(3, || {
        mesh = mesh_layer(&map.bits, &map.geometry, layer, opts, Task::none()).ok();
    });
    mesh.map(|m| (t, m))
}

pub fn rows(map: &LabelMap, rows: &mut Vec<Row>) {
    let g = &map.geometry;
    let mut map = map.clone();
    // a resection (the liver's right of its centre of mass... by a sagittal plane)
    // and a 15 mm tumour in the remnant, so every layer has voxels
    let liver = Layer::Liver.bit();
    let (mut sum, mut n) = ([0.0f64; 3], 0usize);
    let [nx, ny, _] = g.dims;
    for (i, &b) in map.bits.iter().enumerate() {
        if b & liver != 0 {
            let w = g.to_world([
                (i % nx) as f64,
                ((i / nx) % ny) as f64,
                (i / (nx * ny)) as f64,
            ]);
            for a in 0..3 {
                sum[a] += w[a];
            }
            n += 1;
        }
    }
    let c = sum.map(|s| s / n.max(1) as f64);
    let plane = CutPlane {
        point: c,
        normal: [1.0, 0.0, 0.0],
        remove_positive: true,
    };
    for i in cut_voxels(&map.bits, g, &plane) {
        map.bits[i] |= Layer::Resection.bit();
    }
    let tc = [c[0] - 40.0, c[1], c[2]];
    let s = g.spacing();
    let r = 15.0;
    if let Some(ci) = g.to_index(tc) {
        let span = |a: usize| (r / s[a]).ceil() as isize + 1;
        for dk in -span(2)..=span(2) {
            for dj in -span(1)..=span(1) {
                for di in -span(0)..=span(0) {
                    let p = [
                        ci[0].round() as isize + di,
                        ci[1].round() as isize + dj,
                        ci[2].round() as isize + dk,
                    ];
                    if (0..3).any(|a| p[a] < 0 || p[a] >= g.dims[a] as isize) {
                        continue;
                    }
                    let p = [p[0] as usize, p[1] as usize, p[2] as usize];
                    let w = g.to_world([p[0] as f64, p[1] as f64, p[2] as f64]);
                    let d: f64 = (0..3).map(|a| (w[a] - tc[a]).powi(2)).sum();
                    let idx = g.index(p[0], p[1], p[2]);
                    if d <= r * r && map.bits[idx] & liver != 0 {
                        map.bits[idx] |= Layer::Tumour.bit();
                    }
                }
            }
        }
    }
    segment_rows(&map, c, rows);
    let opts = MeshOptions::default();
    let mut meshes = Vec::new();
    for layer in MeshLayer::ALL {
        let Some((t, mesh)) = timed_mesh(&map, layer, &opts) else {
            continue;
        };
        rows.push(row(
            &format!(
                "mesh the {} (surface nets + smoothing; {} triangles, {} vertices)",
                layer.name(),
                mesh.triangles.len(),
                mesh.positions.len()
            ),
            t,
            None,
            "< 300 ms",
        ));
        meshes.push((layer, mesh));
    }
    // the 3-D view's display surfaces (a triangle budget per surface: a coarser grid
    // for the big ones) and one CPU frame of them
    let display = MeshOptions::display();
    let mut shown_display = Vec::new();
    for layer in [MeshLayer::Remnant, MeshLayer::Resection, MeshLayer::Tumour] {
        let Some((t, mesh)) = timed_mesh(&map, layer, &display) else {
            continue;
        };
        rows.push(row(
            &format!(
                "display surface of the {} (3-D view, budget {}: {} triangles)",
                layer.name(),
                remnant::mesh::DISPLAY_TRIANGLES,
                mesh.triangles.len()
            ),
            t,
            None,
            "< 300 ms",
        ));
        shown_display.push((layer, mesh));
    }
    // the lighter surfaces drawn while the camera moves (made only for a surface above
    // the budget, beside its display surface)
    let moving = MeshOptions::moving();
    for (layer, shown) in &shown_display {
        if shown.triangles.len() <= remnant::mesh::MOVING_TRIANGLES {
            continue;
        }
        let Some((t, mesh)) = timed_mesh(&map, *layer, &moving) else {
            continue;
        };
        rows.push(row(
            &format!(
                "surface of the {} while the camera moves (budget {}: {} triangles)",
                layer.name(),
                remnant::mesh::MOVING_TRIANGLES,
                mesh.triangles.len()
            ),
            t,
            None,
            "",
        ));
    }
    // one frame of the 3-D snapshot (remnant, translucent resection, tumour)
    let shown: Vec<Paint> = meshes
        .iter()
        .filter(|(l, _)| *l != MeshLayer::Liver)
        .map(|(l, m)| {
            let (color, alpha) = surface_style(*l);
            Paint {
                mesh: m,
                color,
                alpha,
            }
        })
        .collect();
    if let Some((lo, hi)) = meshes.first().and_then(|(_, m)| m.bounds()) {
        let mut cam = Camera::fit(lo.map(|x| x as f64), hi.map(|x| x as f64));
        cam.set_view(StandardView::Anterior);
        cam.orbit(40.0, -30.0);
        let t = time(3, || {
            let _ = render(&shown, &cam, 900, 700, [255, 255, 255]);
        });
        rows.push(row(
            "3-D frame, CPU (900 x 700, remnant + resection + tumour)",
            t,
            None,
            "",
        ));
        let paints: Vec<Paint> = shown_display
            .iter()
            .map(|(l, m)| {
                let (color, alpha) = surface_style(*l);
                Paint {
                    mesh: m,
                    color,
                    alpha,
                }
            })
            .collect();
        let t = time(3, || {
            let _ = render(&paints, &cam, 900, 700, [255, 255, 255]);
        });
        rows.push(row(
            "3-D frame, CPU, display surfaces (900 x 700)",
            t,
            None,
            "",
        ));
    }
}

/// Couinaud segments on the bench liver: recomputing after a landmark moved (validate,
/// planes, one pass over the liver's box), and the resection options table.
fn segment_rows(map: &LabelMap, c: [f64; 3], rows: &mut Vec<Row>) {
    use remnant::segmentation::components::components;
    use remnant::segments::{self, LandmarkId};
    let g = &map.geometry;
    let mut lm = remnant::segments::phantom::landmarks_around(&map.bits, g, c);
    let mut k = 0.0f64;
    let mut result = None;
    let t = time(5, || {
        // move the right vein's far point a little each run, as a drag does
        k += 1.0;
        let p = lm.get(LandmarkId::RhvDistal).unwrap_or(c);
        lm.set(
            LandmarkId::RhvDistal,
            Some([p[0], p[1] + 0.5 * k.sin(), p[2]]),
        );
        result = Some(segments::compute(&lm, &map.bits, g));
    });
    let Some(Ok(seg)) = result else {
        eprintln!("bench: segments failed: {:?}", result.map(|r| r.err()));
        return;
    };
    let n: u64 = seg.map.voxels.iter().sum();
    rows.push(row(
        &format!("Couinaud segments after moving a landmark ({n} liver voxels)"),
        t,
        None,
        "< 300 ms",
    ));
    let tumours = components(&map.bits, Layer::Tumour.bit(), g);
    let cov = remnant::volumetry::coverage::liver_coverage(&map.bits, g.dims);
    let mut count = 0;
    let t = time(3, || {
        let ts = segments::table::tumour_segments(&map.bits, g, &seg.map, &tumours);
        let inputs = remnant::volumetry::PlanInputs::default();
        count =
            segments::options::options(&map.bits, g, &seg.map, &tumours, &ts, &inputs, cov).len();
    });
    rows.push(row(
        &format!(
            "resection options table ({count} options, {} tumours)",
            tumours.len()
        ),
        t,
        None,
        "",
    ));
}
