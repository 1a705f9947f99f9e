//! Margins by exact Euclidean distance transform, on phantoms with known answers:
//! a liver block cut by a plane, two spherical tumours on the resected side at known
//! distances from the plane. Each measured margin must be within one voxel spacing of
//! the true distance from the sphere's surface to the plane, on isotropic 1 mm voxels
//! and on 0.7 x 0.7 x 3 mm voxels; a tumour inside the remnant is flagged.

use remnant::clinical::{PlanDecision, decide};
use remnant::segmentation::Layer;
use remnant::segmentation::components::components;
use remnant::volume::Geometry;
use remnant::volumetry::PlanInputs;
use remnant::volumetry::margins::Placement;

/// A 120 x 80 x 90 mm liver block; the plane z = 30 mm; everything above is resected.
/// Tumours: (centre, radius) in mm.
fn phantom(spacing: [f64; 3], tumours: &[([f64; 3], f64)]) -> (Geometry, Vec<u8>) {
    let ext = [120.0, 80.0, 90.0];
    let dims = [0, 1, 2].map(|a| (ext[a] / spacing[a]).round() as usize);
    let g = Geometry::axis_aligned(dims, spacing, [0.0; 3]);
    let (l, r, t) = (
        Layer::Liver.bit(),
        Layer::Resection.bit(),
        Layer::Tumour.bit(),
    );
    let mut bits = vec![0u8; g.voxel_count()];
    for k in 0..dims[2] {
        for j in 0..dims[1] {
            for i in 0..dims[0] {
                let p = g.to_world([i as f64, j as f64, k as f64]);
                // liver block with a 5 mm free border (not touching the image edge)
                let inside = (0..3).all(|a| p[a] >= 5.0 && p[a] <= ext[a] - 5.0);
                if !inside {
                    continue;
                }
                let mut b = l;
                if p[2] > 30.0 {
                    b |= r;
                }
                for (c, rad) in tumours {
                    let d2: f64 = (0..3).map(|a| (p[a] - c[a]).powi(2)).sum();
                    if d2 <= rad * rad {
                        b |= t;
                    }
                }
                bits[g.index(i, j, k)] = b;
            }
        }
    }
    (g, bits)
}

fn run(g: &Geometry, bits: &[u8]) -> PlanDecision {
    let tumours = components(bits, Layer::Tumour.bit(), g);
    decide(bits, g, &PlanInputs::default(), &tumours, None, None)
}

/// True margin: lowest point of the sphere minus the plane.
fn check_two_spheres(spacing: [f64; 3]) {
    // sphere A: centre z 48, radius 10 -> surface at 38: 8 mm from the plane (flagged)
    // sphere B: centre z 63, radius 8 -> surface at 55: 25 mm from the plane
    let spheres = [([35.0, 40.0, 48.0], 10.0), ([85.0, 40.0, 63.0], 8.0)];
    let (g, bits) = phantom(spacing, &spheres);
    let d = run(&g, &bits);
    assert_eq!(d.margins.len(), 2);
    let tumours = components(&bits, Layer::Tumour.bit(), &g);
    let tol = spacing.iter().cloned().fold(0.0, f64::max);
    for (t, m) in tumours.iter().zip(&d.margins) {
        // which sphere is this? the one nearest its centre
        let (c, r) = spheres
            .iter()
            .min_by(|a, b| {
                let da: f64 = (0..3).map(|x| (a.0[x] - t.centre_mm[x]).powi(2)).sum();
                let db: f64 = (0..3).map(|x| (b.0[x] - t.centre_mm[x]).powi(2)).sum();
                da.total_cmp(&db)
            })
            .unwrap();
        let truth = c[2] - r - 30.0;
        assert_eq!(m.placement, Placement::Resected);
        let got = m.margin_mm.expect("a margin within the search distance");
        assert!(
            (got - truth).abs() <= tol,
            "spacing {spacing:?}: margin {got:.2} mm, true {truth} mm (tolerance {tol} mm)"
        );
        assert_eq!(m.flagged(), truth < 10.0, "{m:?}");
        // axial diameter of a sphere: about 2 r
        assert!(
            (m.axial_diameter_mm - 2.0 * r).abs() <= 2.0 * tol,
            "axial diameter {} for radius {r}",
            m.axial_diameter_mm
        );
    }
    // the flagged one (8 mm) is in the sentences, with its number and its uncertainty
    // (one voxel spacing): below 10 mm on the 1 mm grid, possibly below on 3 mm slices
    let m = d.margins.iter().find(|m| m.flagged()).unwrap();
    assert_eq!(m.resolution_mm, tol);
    let said = format!(
        "margin {} ± {tol:.1} mm (one voxel spacing) to the resection boundary",
        remnant::volumetry::margins::fmt_mm(m.margin_mm.unwrap(), tol)
    );
    let s = d
        .sentences
        .iter()
        .find(|s| s.text.contains(&said))
        .unwrap_or_else(|| panic!("{said}: {:#?}", d.sentences));
    assert!(
        s.text.contains(", < 10 mm") || s.text.contains("so it may be under 10 mm"),
        "{}",
        s.text
    );
}

#[test]
fn two_spheres_at_known_distances_isotropic_1mm() {
    check_two_spheres([1.0, 1.0, 1.0]);
}

#[test]
fn two_spheres_at_known_distances_anisotropic_07_07_3mm() {
    check_two_spheres([0.7, 0.7, 3.0]);
}

#[test]
fn a_tumour_in_the_remnant_is_flagged_everywhere() {
    // centre z 15 (remnant side, below the plane at 30), radius 6
    let (g, bits) = phantom([1.0, 1.0, 1.0], &[([60.0, 40.0, 15.0], 6.0)]);
    let d = run(&g, &bits);
    assert_eq!(d.margins[0].placement, Placement::InRemnant);
    assert!(d.margins[0].flagged());
    let all: Vec<&str> = d.sentences.iter().map(|s| s.text.as_str()).collect();
    assert!(all[0].contains("tumour is left in the remnant"), "{all:#?}");
    assert_eq!(d.sentences[0].level, remnant::clinical::Level::Alert);
    assert!(
        all.iter()
            .any(|s| s.contains("lies in the remnant: this plan does not remove it")),
        "{all:#?}"
    );
    assert!(
        all.iter()
            .any(|s| s.contains("(3) the liver metastases can be completely resected: NOT met")),
        "{all:#?}"
    );
    // a tumour straddling the plane crosses the boundary: margin 0
    let (g, bits) = phantom([1.0, 1.0, 1.0], &[([60.0, 40.0, 30.0], 6.0)]);
    let d = run(&g, &bits);
    assert_eq!(d.margins[0].placement, Placement::Crosses);
    assert_eq!(d.margins[0].margin_mm, Some(0.0));
}

#[test]
fn liver_touching_the_last_slice_is_a_lower_bound() {
    let (g, mut bits) = phantom([2.0, 2.0, 2.0], &[]);
    let d = run(&g, &bits);
    assert!(
        !d.sentences.iter().any(|s| s.text.contains("lower bound")),
        "{:#?}",
        d.sentences
    );
    // paint liver on the last slice
    let [nx, ny, nz] = g.dims;
    for j in 10..20 {
        for i in 10..20 {
            bits[i + nx * (j + ny * (nz - 1))] |= Layer::Liver.bit();
        }
    }
    let d = run(&g, &bits);
    assert!(
        d.sentences.iter().any(|s| s.text.contains(
            "The liver touches the last slice of the scan: it may extend beyond the scanned field. The total liver volume is then a lower bound and the FLR % can be off in either direction, so no verdict is graded"
        )),
        "{:#?}",
        d.sentences
    );
}
