//! Known-answer phantoms at full resolution (0.7 mm voxels, CT-like correlated noise of
//! 15 HU): every lesion kind from one click placed off-centre as a user places it,
//! Dice >= 0.85 against the truth and the volume within 15 %.

use super::phantom::{self, LesionSpec, Phantom, Vessel};
use super::*;

const SP: f64 = 0.7;
const DIMS: [usize; 3] = [136, 136, 104];
const NOISE: f64 = 15.0;

/// The centre of the grid in mm (the liver's centre).
fn mid() -> [f64; 3] {
    DIMS.map(|d| d as f64 * SP / 2.0)
}

fn at(off: [f64; 3]) -> [f64; 3] {
    let m = mid();
    [m[0] + off[0], m[1] + off[1], m[2] + off[2]]
}

fn make(vessels: &[Vessel], lesions: &[LesionSpec]) -> Phantom {
    phantom::make(DIMS, SP, [44.0, 44.0, 34.0], vessels, lesions, NOISE)
}

fn labels_of(p: &Phantom, liver: impl Fn(usize) -> bool) -> Vec<u8> {
    (0..p.liver.len()).map(|i| liver(i) as u8).collect()
}

fn voxel(mm: [f64; 3]) -> [usize; 3] {
    mm.map(|x| (x / SP).round() as usize)
}

/// Segment from a click at `click_mm`; Dice and volume ratio against lesion `which`.
fn run(p: &Phantom, labels: &[u8], click_mm: [f64; 3], which: u8) -> (f64, f64, Lesion) {
    let scan = Scan {
        grid: &p.grid,
        ct: &p.ct,
        labels,
        liver_bits: 1,
    };
    let l = segment(&scan, &[voxel(click_mm)], &LesionParams::default())
        .unwrap_or_else(|e| panic!("no lesion: {e}"));
    let truth = p.lesion.iter().filter(|&&x| x == which).count();
    let mut both = 0;
    for idx in 0..p.lesion.len() {
        if p.lesion[idx] == which && l.preview.contains(p.grid.ijk(idx)) {
            both += 1;
        }
    }
    let dice = 2.0 * both as f64 / (truth + l.voxels) as f64;
    (dice, l.voxels as f64 / truth as f64, l)
}

fn check(name: &str, r: (f64, f64, Lesion)) -> Lesion {
    let (dice, ratio, l) = r;
    eprintln!(
        "{name}: Dice {dice:.3}, volume ratio {ratio:.3}, {:.1} mL, {:?}, lesion {:.0} / liver {:.0} HU, {:.0} ms",
        l.volume_ml, l.density, l.lesion_hu, l.liver_hu, l.millis
    );
    assert!(dice >= 0.85, "{name}: Dice {dice:.3}");
    assert!(
        (0.85..=1.15).contains(&ratio),
        "{name}: volume ratio {ratio:.3}"
    );
    l
}

#[test]
fn hypodense_sphere_30_hu_clicked_off_centre() {
    let s = LesionSpec::sphere(at([-12.0, 8.0, 0.0]), 10.0, -30.0);
    let p = make(&[], &[s]);
    let labels = labels_of(&p, |i| p.liver[i]);
    let l = check(
        "hypo sphere",
        run(&p, &labels, at([-12.0 + 4.0, 8.0 - 3.0, 2.0]), 1),
    );
    assert_eq!(l.density, Density::Hypodense);
}

#[test]
fn hyperdense_sphere_25_hu() {
    let s = LesionSpec::sphere(at([10.0, -10.0, 4.0]), 8.0, 25.0);
    let p = make(&[], &[s]);
    let labels = labels_of(&p, |i| p.liver[i]);
    let l = check(
        "hyper sphere",
        run(&p, &labels, at([10.0 - 3.0, -10.0 + 2.0, 4.0]), 1),
    );
    assert_eq!(l.density, Density::Hyperdense);
}

#[test]
fn irregular_hypodense_blob_20_hu_with_texture() {
    let s = LesionSpec {
        wobble: 0.2,
        texture_hu: 5.0,
        ..LesionSpec::sphere(at([0.0, 0.0, 0.0]), 13.0, -20.0)
    };
    let p = make(&[], &[s]);
    let labels = labels_of(&p, |i| p.liver[i]);
    check(
        "irregular hypo blob",
        run(&p, &labels, at([5.0, 3.0, -2.0]), 1),
    );
}

#[test]
fn irregular_hyperdense_blob_40_hu() {
    let s = LesionSpec {
        wobble: 0.25,
        texture_hu: 6.0,
        ..LesionSpec::sphere(at([-8.0, 6.0, 3.0]), 11.0, 40.0)
    };
    let p = make(&[], &[s]);
    let labels = labels_of(&p, |i| p.liver[i]);
    check(
        "irregular hyper blob",
        run(&p, &labels, at([-4.0, 6.0, 1.0]), 1),
    );
}

#[test]
fn heterogeneous_lesion_with_a_necrotic_core_clicked_in_the_core() {
    let s = LesionSpec {
        core: Some((0.5, -80.0)),
        texture_hu: 8.0,
        ..LesionSpec::sphere(at([0.0, 0.0, 0.0]), 16.0, -35.0)
    };
    let p = make(&[], &[s]);
    let labels = labels_of(&p, |i| p.liver[i]);
    check("necrotic core", run(&p, &labels, at([3.0, -2.0, 1.0]), 1));
}

#[test]
fn hypodense_lesion_with_an_enhancing_rim() {
    let s = LesionSpec {
        rim: Some((2.0, 30.0)),
        ..LesionSpec::sphere(at([5.0, 5.0, 0.0]), 12.0, -35.0)
    };
    let p = make(&[], &[s]);
    let labels = labels_of(&p, |i| p.liver[i]);
    check("enhancing rim", run(&p, &labels, at([8.0, 2.0, 2.0]), 1));
}

#[test]
fn lesion_at_the_liver_edge_with_and_without_it_in_the_liver_mask() {
    // centred 4 mm inside the liver's right edge: cut by the liver surface
    let s = LesionSpec::sphere(at([44.0 - 6.0, 0.0, 0.0]), 9.0, -30.0);
    let p = make(&[], &[s]);
    let truth = |i: usize| p.lesion[i] == 1;
    let with = labels_of(&p, |i| p.liver[i]);
    let click = at([44.0 - 10.0, 2.0, 1.0]);
    check("edge lesion, liver mask with it", run(&p, &with, click, 1));
    // the liver as a grow would give it: the lesion and a 1 mm ring around it left out
    let ring = Roi::new(
        Bbox {
            lo: [0; 3],
            hi: DIMS,
        },
        &p.grid,
    )
    .dilate(&(0..p.liver.len()).map(truth).collect::<Vec<_>>(), 1.0);
    let without = labels_of(&p, |i| p.liver[i] && !ring[i]);
    check(
        "edge lesion, liver mask without it",
        run(&p, &without, click, 1),
    );
}

#[test]
fn a_lesion_beside_a_bright_vessel_does_not_leak_into_it() {
    // the vessel runs along k through the liver and touches both lesions
    let m = mid();
    let v = Vessel {
        centre_mm: [m[0], m[1]],
        radius_mm: 4.0,
    };
    let hyper = LesionSpec::sphere(at([4.0 + 8.0, 0.0, -10.0]), 8.0, 30.0);
    let hypo = LesionSpec::sphere(at([-(4.0 + 9.0), 0.0, 12.0]), 9.0, -30.0);
    let p = make(&[v], &[hyper, hypo]);
    let labels = labels_of(&p, |i| p.liver[i]);
    let in_vessel = |l: &Lesion| {
        (0..p.ct.len())
            .filter(|&i| {
                let q = p.grid.ijk(i);
                let mm = q.map(|x| x as f64 * SP);
                let d = ((mm[0] - m[0]).powi(2) + (mm[1] - m[1]).powi(2)).sqrt();
                d < v.radius_mm - 1.0 && l.preview.contains(q)
            })
            .count()
    };
    for (name, click, which) in [
        ("hyper beside vessel", at([4.0 + 11.0, 2.0, -10.0]), 1),
        ("hypo beside vessel", at([-(4.0 + 12.0), -2.0, 12.0]), 2),
    ] {
        let l = check(name, run(&p, &labels, click, which));
        assert_eq!(in_vessel(&l), 0, "{name}: voxels deep in the vessel");
    }
}

#[test]
fn a_click_in_parenchyma_or_outside_the_liver_is_refused() {
    let s = LesionSpec::sphere(at([0.0, 0.0, 0.0]), 8.0, -30.0);
    let p = make(&[], &[s]);
    let labels = labels_of(&p, |i| p.liver[i]);
    let scan = Scan {
        grid: &p.grid,
        ct: &p.ct,
        labels: &labels,
        liver_bits: 1,
    };
    let prm = LesionParams::default();
    let r = segment(&scan, &[voxel(at([-25.0, 10.0, 5.0]))], &prm);
    assert!(
        matches!(r, Err(LesionError::Parenchyma { .. })),
        "parenchyma: {r:?}"
    );
    let r = segment(&scan, &[[1, 1, 1]], &prm);
    assert_eq!(r.err(), Some(LesionError::OutsideLiver));
    let r = segment(&scan, &[[DIMS[0], 1, 1]], &prm);
    assert_eq!(r.err(), Some(LesionError::OutsideScan));
    let empty = vec![0u8; labels.len()];
    let scan = Scan {
        labels: &empty,
        ..scan
    };
    let r = segment(&scan, &[voxel(mid())], &prm);
    assert_eq!(r.err(), Some(LesionError::NoLiver));
}

#[test]
fn diameters_of_a_sphere() {
    let s = LesionSpec::sphere(at([0.0, 0.0, 0.0]), 10.0, -35.0);
    let p = make(&[], &[s]);
    let labels = labels_of(&p, |i| p.liver[i]);
    let (_, _, l) = run(&p, &labels, at([3.0, 0.0, 0.0]), 1);
    let g = crate::volume::Geometry::axis_aligned(DIMS, [SP; 3], [0.0; 3]);
    let d = measure::diameters(&l.preview, &g);
    // a voxel (0.7 mm) of the outline's noise at each end, and a voxel's extent
    for (what, v) in [
        ("3-D", d.max_3d_mm),
        ("long", d.long_axis_mm),
        ("short", d.short_axis_mm),
    ] {
        assert!(
            (v - 20.0).abs() <= 2.5,
            "{what} diameter {v:.1} mm (20 mm sphere)"
        );
    }
}
