//! The Lesion tool in the tracing session (numbered pending tumours, refine, accept in
//! one undo step, clear refusals), and the liver keeping its tumours: no ring of
//! unassigned voxels between the liver layer and a tumour after a lesion, a grow or a
//! region fill is accepted. Phantoms at 0.7 mm with CT-like noise.

use super::*;
use crate::segmentation::lesion::phantom::{self, LesionSpec, Phantom};
use crate::volume::{Geometry, Volume};
use std::path::PathBuf;

const SP: f64 = 0.7;
const DIMS: [usize; 3] = [110, 110, 84];

fn mid(off: [f64; 3]) -> [f64; 3] {
    [0, 1, 2].map(|a| DIMS[a] as f64 * SP / 2.0 + off[a])
}

/// Continuous voxel coordinates of a point in mm.
fn vox(mm: [f64; 3]) -> [f64; 3] {
    mm.map(|x| x / SP)
}

/// A hypodense lesion inside the liver, one at its right edge, one hyperdense.
fn make() -> Phantom {
    phantom::make(
        DIMS,
        SP,
        [34.0, 34.0, 26.0],
        &[],
        &[
            LesionSpec::sphere(mid([-10.0, 6.0, 0.0]), 8.0, -30.0),
            LesionSpec::sphere(mid([34.0 - 5.0, -6.0, 0.0]), 7.0, -30.0),
            LesionSpec::sphere(mid([8.0, -14.0, 5.0]), 6.0, 30.0),
        ],
        15.0,
    )
}

/// The study with the liver layer as a grow that stopped short of the tumours gives
/// it: the lesions and a ring of `ring_mm` around them left out.
fn study(p: &Phantom, ring_mm: f64) -> Study {
    let g = Geometry::axis_aligned(DIMS, [SP; 3], [0.0; 3]);
    let ct = Volume::new(p.ct.clone(), g).unwrap();
    let mut s = Study::new(PathBuf::from("lesions.nii.gz"), ct, None);
    let ring = near_lesion(p, ring_mm);
    for i in 0..p.ct.len() {
        if p.liver[i] && !ring[i] {
            s.labels.bits[i] = Layer::Liver.bit();
        }
    }
    s
}

/// Voxels within `mm` of any lesion (the lesions included).
fn near_lesion(p: &Phantom, mm: f64) -> Vec<bool> {
    let r2 = (mm / SP).powi(2);
    let k = (mm / SP).ceil() as isize;
    let mut out = vec![false; p.ct.len()];
    for i in 0..p.ct.len() {
        if p.lesion[i] == 0 {
            continue;
        }
        let c = p.grid.ijk(i).map(|x| x as isize);
        for dz in -k..=k {
            for dy in -k..=k {
                for dx in -k..=k {
                    let q = [c[0] + dx, c[1] + dy, c[2] + dz];
                    let d2 = (dx * dx + dy * dy + dz * dz) as f64;
                    let inside = (0..3).all(|a| q[a] >= 0 && (q[a] as usize) < DIMS[a]);
                    if d2 <= r2 && inside {
                        out[p.grid.flat(q[0] as usize, q[1] as usize, q[2] as usize)] = true;
                    }
                }
            }
        }
    }
    out
}

fn click(ed: &mut Editor, s: &mut Study, mm: [f64; 3]) -> bool {
    let c = vox(mm);
    ed.press(s, Axis::K, c[2].round() as usize, c);
    ed.release(s)
}

/// True-liver voxels within `mm` of a lesion that are in neither layer (the ring).
fn ring_left(p: &Phantom, s: &Study, mm: f64) -> usize {
    let near = near_lesion(p, mm);
    let whole = Layer::Liver.bit() | Layer::Tumour.bit();
    (0..p.ct.len())
        .filter(|&i| near[i] && p.liver[i] && s.labels.bits[i] & whole == 0)
        .count()
}

/// Voxels outside the true liver that the liver layer took.
fn outside_taken(p: &Phantom, s: &Study) -> usize {
    (0..p.ct.len())
        .filter(|&i| !p.liver[i] && s.labels.bits[i] & Layer::Liver.bit() != 0)
        .count()
}

#[test]
fn each_click_is_a_numbered_pending_tumour_refined_by_a_second_click_and_accepted_in_one_step() {
    let p = make();
    let mut s = study(&p, 0.0);
    let mut ed = Editor::new();
    ed.tool = Tool::Lesion;
    let before = s.labels.bits.clone();
    assert!(!click(&mut ed, &mut s, mid([-7.0, 4.0, 1.0])));
    let d = ed.lesion.clone().expect("a lesion waits");
    assert_eq!(d.number, 1);
    assert_eq!(ed.pending.as_ref().unwrap().kind, PendingKind::Lesion);
    assert_eq!(
        s.labels.bits, before,
        "nothing written before it is accepted"
    );
    // a second click inside it refines it: the same tumour, two seeds
    assert!(!click(&mut ed, &mut s, mid([-12.0, 8.0, -1.0])));
    let d2 = ed.lesion.clone().unwrap();
    assert_eq!((d2.number, d2.seeds.len()), (1, 2));
    // a click on another lesion accepts the first (one undo step) and finds tumour 2
    let steps = ed.undo_steps();
    assert!(click(&mut ed, &mut s, mid([7.0, -12.0, 4.0])));
    assert_eq!(ed.undo_steps(), steps + 1);
    assert_eq!(ed.lesion.as_ref().unwrap().number, 2);
    assert_eq!(tumour_count(&s), 1);
    assert!(ed.accept(&mut s), "Enter accepts tumour 2");
    assert_eq!(tumour_count(&s), 2);
    assert!(
        ed.message
            .as_deref()
            .unwrap()
            .starts_with("Tumour 2 accepted")
    );
    ed.undo(&mut s);
    assert_eq!(tumour_count(&s), 1, "one undo step takes tumour 2 back");
}

#[test]
fn a_click_in_parenchyma_or_outside_the_liver_changes_nothing_and_says_why() {
    let p = make();
    let mut s = study(&p, 0.0);
    let mut ed = Editor::new();
    ed.tool = Tool::Lesion;
    let before = s.labels.bits.clone();
    for (at, words) in [
        (mid([0.0, 20.0, -5.0]), "liver tissue"),
        ([2.0, 2.0, 2.0], "outside the liver"),
    ] {
        assert!(!click(&mut ed, &mut s, at));
        assert!(ed.pending.is_none());
        let m = ed.message.clone().unwrap();
        assert!(m.contains(words), "{m}");
        assert_eq!(s.labels.bits, before);
        assert_eq!(ed.undo_steps(), 0);
    }
}

#[test]
fn a_lesion_accepted_after_a_grow_that_stopped_short_leaves_no_ring_in_the_liver() {
    let p = make();
    // the liver layer left out each lesion and 1.4 mm (two voxels) around it
    let mut s = study(&p, 1.4);
    assert!(ring_left(&p, &s, 1.4) > 1000, "the phantom has the ring");
    let mut ed = Editor::new();
    ed.tool = Tool::Lesion;
    for at in [
        mid([-7.0, 4.0, 1.0]),
        mid([34.0 - 7.0, -5.0, 1.0]),
        mid([7.0, -12.0, 4.0]),
    ] {
        click(&mut ed, &mut s, at);
        assert!(ed.lesion.is_some(), "{:?}", ed.message);
    }
    assert!(ed.accept(&mut s));
    assert_eq!(tumour_count(&s), 3);
    let left = ring_left(&p, &s, 1.4);
    assert!(
        left <= 20,
        "{left} voxels of a ring between liver and tumours"
    );
    let fat = outside_taken(&p, &s);
    assert!(fat <= 50, "the liver took {fat} voxels of fat at the edge");
    // the whole step is one undo: liver and tumours back as they were
    let steps = ed.undo_steps();
    ed.undo(&mut s);
    assert_eq!(ed.undo_steps(), steps - 1);
}

#[test]
fn a_grow_accepted_around_traced_tumours_leaves_no_ring() {
    let p = make();
    let mut s = study(&p, 0.0);
    // the tumours are traced first (as the truth), the liver layer then comes from a
    // grow that stopped 1.4 mm short of them
    let ring = near_lesion(&p, 1.4);
    for i in 0..p.ct.len() {
        s.labels.bits[i] = if p.lesion[i] != 0 {
            Layer::Tumour.bit()
        } else {
            0
        };
    }
    let grown: Vec<usize> = (0..p.ct.len())
        .filter(|&i| p.liver[i] && !ring[i])
        .collect();
    let grid = Grid::of(&s.ct.geometry);
    let mut ed = Editor::new();
    let preview = crate::segmentation::tools::Preview::from_indices(&grid, &grown);
    ed.set_pending(&s, PendingKind::Grow, Layer::Liver, preview);
    assert!(ed.accept(&mut s));
    let left = ring_left(&p, &s, 1.4);
    assert!(
        left <= 20,
        "{left} voxels of a ring between the grown liver and the tumours"
    );
    assert!(outside_taken(&p, &s) <= 50);
}
