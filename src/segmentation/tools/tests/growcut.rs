use super::super::brush::{BrushShape, stroke_voxels};
use super::super::geom::Axis;
use super::super::grid::Grid;
use super::super::growcut::{GrowError, GrowParams, grow_from_seeds};
use super::super::score::score;
use super::super::undo::UndoStack;
use super::data::load_real_ct;
use super::{Rng, count, ctx};
use crate::segmentation::Layer;
use std::cell::RefCell;
use std::sync::atomic::AtomicBool;

/// Scripted user strokes on axial slices of the real CT: (slice k, polyline (i, j)).
type Strokes = [(f64, &'static [[f64; 2]])];
/// Three strokes well inside the liver (right lobe, segment IV region, lower tip).
const LIVER_STROKES: &Strokes = &[
    (22.0, &[[70.0, 75.0], [85.0, 55.0], [95.0, 35.0]]),
    (
        14.0,
        &[
            [95.0, 35.0],
            [97.0, 50.0],
            [92.0, 60.0],
            [85.0, 70.0],
            [75.0, 75.0],
            [60.0, 79.0],
        ],
    ),
    (6.0, &[[97.0, 38.0], [95.0, 52.0], [90.0, 62.0]]),
];
/// Three strokes outside: spleen/stomach, kidney/duodenum/IVC, abdominal wall.
const OUTSIDE_STROKES: &Strokes = &[
    (22.0, &[[15.0, 45.0], [30.0, 60.0], [42.0, 75.0]]),
    (
        14.0,
        &[[70.0, 30.0], [70.0, 50.0], [60.0, 58.0], [45.0, 62.0]],
    ),
    (
        10.0,
        &[
            [109.0, 45.0],
            [110.0, 60.0],
            [104.0, 75.0],
            [95.0, 86.0],
            [75.0, 91.0],
            [55.0, 90.0],
        ],
    ),
];

fn seeds(g: &Grid, strokes: &Strokes) -> Vec<usize> {
    let mut v = Vec::new();
    for (k, pts) in strokes {
        let p3: Vec<[f64; 3]> = pts.iter().map(|p| [p[0], p[1], *k]).collect();
        v.extend(stroke_voxels(g, &p3, 3.0, BrushShape::Disc(Axis::K)));
    }
    v
}

#[test]
fn real_ct_liver_dice_at_least_0_90() {
    let (g, ct, reference) = load_real_ct();
    let (fg, bg) = (seeds(&g, LIVER_STROKES), seeds(&g, OUTSIDE_STROKES));
    // The strokes are where a user would put them: nearly all on the right side.
    let fg_in = fg.iter().filter(|&&i| reference[i] != 0).count() as f64 / fg.len() as f64;
    let bg_out = bg.iter().filter(|&&i| reference[i] == 0).count() as f64 / bg.len() as f64;
    assert!(fg_in > 0.97 && bg_out > 0.97, "{fg_in} {bg_out}");
    let progress = RefCell::new(Vec::new());
    let cancel = AtomicBool::new(false);
    let t = std::time::Instant::now();
    let pv = grow_from_seeds(
        &g,
        &ct,
        &fg,
        &bg,
        &GrowParams::default(),
        &|f| progress.borrow_mut().push(f),
        &cancel,
    )
    .expect("grow");
    let secs = t.elapsed().as_secs_f64();
    let p = progress.into_inner();
    assert!(
        p.windows(2).all(|w| w[1] >= w[0]) && p.last() == Some(&1.0),
        "{p:?}"
    );
    let mut labels = vec![0u8; g.n_voxels()];
    let c = ctx(&g, &ct, Layer::Liver);
    let mut stack = UndoStack::new();
    stack.push(pv.accept(&c, &mut labels));
    let s = score(&g, &labels, Layer::Liver, &reference).expect("sizes");
    eprintln!(
        "real CT grow from seeds: dice {:.4}, {:.0} mL vs {:.0} mL, MSD {:.2} mm, HD95 {:.2} mm, {secs:.3} s",
        s.dice,
        s.traced_ml,
        s.reference_ml,
        s.mean_surface_distance_mm.unwrap_or(f64::NAN),
        s.hausdorff95_mm.unwrap_or(f64::NAN)
    );
    assert!(s.dice >= 0.90, "dice {}", s.dice);
    assert!(stack.undo(&mut labels));
    assert_eq!(count(&labels, 1), 0);
}

/// A noisy ball of 60 HU in 0 HU tissue, and a 55 HU ball 12 % of the width away
/// (similar tissue that must not be taken).
fn phantom(dims: [usize; 3], sp: [f64; 3]) -> (Grid, Vec<i16>, Vec<u8>) {
    let g = Grid { dims, spacing: sp };
    let mut rng = Rng(3);
    let mut truth = vec![0u8; g.n_voxels()];
    let c = [0, 1, 2].map(|a| dims[a] as f64 * sp[a] / 2.0);
    let ct = (0..g.n_voxels())
        .map(|n| {
            let p = g.ijk(n);
            let x = [0, 1, 2].map(|a| p[a] as f64 * sp[a] - c[a]);
            let r = (x[0] * x[0] + x[1] * x[1] + x[2] * x[2]).sqrt();
            let other = ((x[0] - 0.75 * c[0]).powi(2) + x[1] * x[1] + x[2] * x[2]).sqrt();
            let hu = if r < 0.4 * c[0] {
                truth[n] = 1;
                60.0
            } else if other < 0.15 * c[0] {
                55.0
            } else {
                0.0
            };
            (hu + rng.normal(8.0)) as i16
        })
        .collect();
    (g, ct, truth)
}

#[test]
fn phantom_single_and_multi_resolution() {
    for (dims, sp, refine) in [
        ([40, 40, 30], [3.0, 3.0, 4.0], true),
        ([120, 120, 90], [1.0, 1.0, 1.33], true),
        ([120, 120, 90], [1.0, 1.0, 1.33], false),
    ] {
        let (g, ct, truth) = phantom(dims, sp);
        let cen = [0, 1, 2].map(|a| dims[a] as f64 / 2.0);
        let fg = stroke_voxels(
            &g,
            &[cen, [cen[0], cen[1] + 0.2 * cen[1], cen[2]]],
            3.0,
            BrushShape::Sphere,
        );
        let bg = stroke_voxels(
            &g,
            &[[2.0, 2.0, cen[2]], [2.0, dims[1] as f64 - 3.0, cen[2]]],
            3.0,
            BrushShape::Sphere,
        );
        let params = GrowParams {
            refine,
            ..GrowParams::default()
        };
        let pv = grow_from_seeds(&g, &ct, &fg, &bg, &params, &|_| {}, &AtomicBool::new(false))
            .expect("grow");
        let mut labels = vec![0u8; g.n_voxels()];
        pv.accept(&ctx(&g, &ct, Layer::Liver), &mut labels);
        let d = score(&g, &labels, Layer::Liver, &truth)
            .expect("sizes")
            .dice;
        let need = if refine { 0.97 } else { 0.9 };
        assert!(d > need, "{dims:?} refine {refine}: dice {d}");
    }
}

#[test]
fn grow_errors_cancel_and_odd_seeds() {
    let (g, ct, truth) = phantom([40, 40, 28], [3.0; 3]);
    let fg = stroke_voxels(&g, &[[20.0, 20.0, 14.0]], 3.0, BrushShape::Sphere);
    let no = AtomicBool::new(false);
    let run = |fg: &[usize], bg: &[usize], ct: &[i16], cancel: &AtomicBool| {
        grow_from_seeds(&g, ct, fg, bg, &GrowParams::default(), &|_| {}, cancel)
    };
    assert_eq!(
        run(&fg, &[], &ct, &AtomicBool::new(true)).err(),
        Some(GrowError::Cancelled)
    );
    assert_eq!(
        run(&[], &[0], &ct, &no).err(),
        Some(GrowError::NoForegroundSeeds)
    );
    assert_eq!(
        run(&[usize::MAX, g.n_voxels()], &[], &ct, &no).err(),
        Some(GrowError::NoForegroundSeeds)
    );
    assert_eq!(
        run(&fg, &[], &ct[1..], &no).err(),
        Some(GrowError::SizeMismatch)
    );
    // No background seeds: the border of the region of interest is background.
    let pv = run(&fg, &[usize::MAX], &ct, &no).expect("grow");
    let mut labels = vec![0u8; g.n_voxels()];
    pv.accept(&ctx(&g, &ct, Layer::Liver), &mut labels);
    let d = score(&g, &labels, Layer::Liver, &truth)
        .expect("sizes")
        .dice;
    assert!(d > 0.9, "dice {d}");
    // The same voxel as both kinds, and a single-voxel volume: no panic.
    assert!(run(&fg, &fg, &ct, &no).is_ok());
    let one = Grid {
        dims: [1, 1, 1],
        spacing: [1.0; 3],
    };
    let r = grow_from_seeds(&one, &[5], &[0], &[0], &GrowParams::default(), &|_| {}, &no);
    assert!(r.is_ok());
}

#[test]
fn enclosed_background_is_filled_unless_seeded() {
    // A 60 HU ball (radius 16 voxels) with a 0 HU cavity (radius 5) inside.
    let g = Grid {
        dims: [48, 48, 48],
        spacing: [2.0; 3],
    };
    let mut rng = Rng(5);
    let ct: Vec<i16> = (0..g.n_voxels())
        .map(|n| {
            let p = g.ijk(n);
            let r = (0..3)
                .map(|a| (p[a] as f64 - 24.0).powi(2))
                .sum::<f64>()
                .sqrt();
            let hu = if (5.0..16.0).contains(&r) { 60.0 } else { 0.0 };
            (hu + rng.normal(5.0)) as i16
        })
        .collect();
    let fg = stroke_voxels(
        &g,
        &[[34.0, 24.0, 24.0], [24.0, 34.0, 24.0]],
        2.0,
        BrushShape::Sphere,
    );
    let bg = stroke_voxels(
        &g,
        &[[2.0, 2.0, 24.0], [45.0, 2.0, 24.0]],
        2.0,
        BrushShape::Sphere,
    );
    let centre = g.flat(24, 24, 24);
    let no = AtomicBool::new(false);
    let run = |bg: &[usize]| {
        let pv =
            grow_from_seeds(&g, &ct, &fg, bg, &GrowParams::default(), &|_| {}, &no).expect("grow");
        let mut labels = vec![0u8; g.n_voxels()];
        pv.accept(&ctx(&g, &ct, Layer::Liver), &mut labels);
        labels
    };
    let filled = run(&bg);
    assert_eq!(filled[centre], 1, "cavity filled");
    let mut bg2 = bg.clone();
    bg2.push(centre);
    let seeded = run(&bg2);
    assert_eq!(seeded[centre], 0, "seeded cavity kept out");
    assert!(count(&filled, 1) > count(&seeded, 1) + 100);
}

#[test]
fn cancel_while_running() {
    for (dims, sp) in [
        ([120, 120, 90], [1.0, 1.0, 1.33]),
        ([60, 60, 40], [3.0, 3.0, 3.0]),
    ] {
        let (g, ct, _) = phantom(dims, sp);
        let cen = [0, 1, 2].map(|a| dims[a] as f64 / 2.0);
        let fg = stroke_voxels(&g, &[cen], 3.0, BrushShape::Sphere);
        let cancel = AtomicBool::new(false);
        let calls = RefCell::new(0);
        let progress = |f: f32| {
            *calls.borrow_mut() += 1;
            if f > 0.1 {
                cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        };
        let r = grow_from_seeds(
            &g,
            &ct,
            &fg,
            &[],
            &GrowParams::default(),
            &progress,
            &cancel,
        );
        assert_eq!(r.err(), Some(GrowError::Cancelled), "{dims:?}");
        assert!(*calls.borrow() >= 2);
    }
}

/// Dice of grow from seeds on the bundled 3 mm sample with user-like strokes
/// (`seeds::synth`: three ~3 cm strokes > 12 mm inside the liver on three slices,
/// three in soft tissue 8-40 mm outside), draws 1..=10.
fn sample_draws() -> Vec<(f64, f64)> {
    let params = GrowParams::default()
        .with_overrides(&std::env::var("REMNANT_GROW_PARAMS").unwrap_or_default());
    sample_draws_with(1..=10, &params)
}

/// (Dice, volume difference %) of the sample's grow from the strokes of `draws`.
fn sample_draws_with(draws: std::ops::RangeInclusive<u64>, params: &GrowParams) -> Vec<(f64, f64)> {
    use crate::segmentation::seeds::SeedKind;
    use crate::segmentation::seeds::synth::{Draw, user_strokes};
    let (g, ct, reference) = load_real_ct();
    draws
        .map(|seed| {
            let s = user_strokes(&g, &ct, &reference, seed, &Draw::default()).expect("strokes");
            let fg = s.voxels(&g, SeedKind::Liver);
            let bg = s.voxels(&g, SeedKind::Background);
            assert!(fg.iter().all(|&i| reference[i] != 0), "draw {seed}");
            assert!(bg.iter().all(|&i| reference[i] == 0), "draw {seed}");
            let pv = grow_from_seeds(&g, &ct, &fg, &bg, params, &|_| {}, &AtomicBool::new(false))
                .expect("grow");
            let mut labels = vec![0u8; g.n_voxels()];
            pv.accept(&ctx(&g, &ct, Layer::Liver), &mut labels);
            let s = score(&g, &labels, Layer::Liver, &reference).expect("sizes");
            let dv = s.volume_diff_pct.unwrap_or(f64::NAN);
            if std::env::var_os("REMNANT_GROW_DIAG").is_some() {
                let rep = super::super::growcut::diag::error_report(
                    &g,
                    &ct,
                    &|i| labels[i] & 1 != 0,
                    &|i| reference[i] != 0,
                    0..g.dims[2],
                    1,
                )
                .expect("sizes");
                eprintln!("sample draw {seed} errors: {}", rep.summary(6));
                if let Some(dir) = std::env::var_os("REMNANT_GROW_DUMP") {
                    let path = std::path::Path::new(&dir).join(format!("sample_{seed}.raw"));
                    let mut out: Vec<u8> = labels.iter().map(|&l| l & 1).collect();
                    for &i in &fg {
                        out[i] |= 2;
                    }
                    for &i in &bg {
                        out[i] |= 4;
                    }
                    std::fs::write(path, out).expect("dump");
                }
            }
            eprintln!("sample draw {seed}: dice {:.4}, volume {dv:+.1} %", s.dice);
            (s.dice, dv)
        })
        .collect()
}

/// Issue 16's target on the 3 mm sample, central strokes only: the liver is grown
/// well beyond the strokes (no box around them), its neighbours stay out, every one
/// of draws 1-10 Dice >= 0.93, volume within 10 %, Dice spread < 0.03. (The old
/// grow, clipped to the strokes' box + 40 mm, gave Dice 0.851-0.931 on draws 1-5;
/// the defaults chosen on draws 1-5 alone 0.895-0.943 on draws 1-10, three draws
/// below 0.93, leaks into the stomach / bowel against the left lobe and into the
/// IVC.)
#[test]
fn sample_central_strokes_issue_16_target() {
    assert_draws(&sample_draws(), 1, 0.93);
}

/// Every draw (numbered from `first`) Dice >= `min_dice` and volume within 10 %, and
/// the Dice spread < 0.03.
fn assert_draws(d: &[(f64, f64)], first: usize, min_dice: f64) {
    for (n, &(dice, dv)) in d.iter().enumerate() {
        assert!(dice >= min_dice, "draw {}: dice {dice}", n + first);
        assert!(dv.abs() <= 10.0, "draw {}: volume {dv} %", n + first);
    }
    let (lo, hi) = d
        .iter()
        .fold((1.0f64, 0.0f64), |(lo, hi), &(x, _)| (lo.min(x), hi.max(x)));
    assert!(hi - lo < 0.03, "dice spread {lo} .. {hi}");
}

/// Fill holes on/off: a ball of liver HU with a contrast-bright vessel (200 HU)
/// through its middle and a hypodense tumour (10 HU) inside; with the switch on both
/// belong to the liver, with it off neither does.
#[test]
fn enclosed_vessel_and_tumour_follow_the_fill_switch() {
    let g = Grid {
        dims: [48, 48, 40],
        spacing: [2.0; 3],
    };
    let mut rng = Rng(9);
    let c = [24.0, 24.0, 20.0];
    let (mut vessel, mut tumour) = (Vec::new(), Vec::new());
    let ct: Vec<i16> = (0..g.n_voxels())
        .map(|n| {
            let p = g.ijk(n);
            let x = [0, 1, 2].map(|a| p[a] as f64 - c[a]);
            let r = (x[0] * x[0] + x[1] * x[1] + x[2] * x[2]).sqrt();
            let rv = ((x[0] + 5.0).powi(2) + x[1] * x[1]).sqrt();
            let rt = ((x[0] - 7.0).powi(2) + x[1] * x[1] + x[2] * x[2]).sqrt();
            let hu = if r >= 15.0 {
                -100.0
            } else if rv < 2.5 && x[2].abs() < 9.0 {
                vessel.push(n);
                200.0
            } else if rt < 3.5 {
                tumour.push(n);
                10.0
            } else {
                100.0
            };
            (hu + rng.normal(10.0)) as i16
        })
        .collect();
    let fg = stroke_voxels(
        &g,
        &[[24.0, 14.0, 20.0], [24.0, 18.0, 20.0]],
        2.0,
        BrushShape::Sphere,
    );
    let bg = stroke_voxels(
        &g,
        &[[3.0, 3.0, 20.0], [3.0, 40.0, 20.0]],
        2.0,
        BrushShape::Sphere,
    );
    let no = AtomicBool::new(false);
    let inside = |fill: bool| {
        let p = GrowParams {
            fill_holes: fill,
            ..GrowParams::default()
        };
        let pv = grow_from_seeds(&g, &ct, &fg, &bg, &p, &|_| {}, &no).expect("grow");
        let f = |v: &[usize]| {
            v.iter().filter(|&&i| pv.contains(g.ijk(i))).count() as f64 / v.len() as f64
        };
        (f(&vessel), f(&tumour))
    };
    let (v_on, t_on) = inside(true);
    let (v_off, t_off) = inside(false);
    assert!(
        v_on > 0.95 && t_on > 0.95,
        "fill on: vessel {v_on}, tumour {t_on}"
    );
    assert!(
        v_off < 0.3 && t_off < 0.3,
        "fill off: vessel {v_off}, tumour {t_off}"
    );
}

/// The error report names a known leak and a known miss: a 10^3 reference cube,
/// grown with a 2x3x4 block of 150 HU stuck to it and its last slice missing.
#[test]
fn error_report_finds_a_known_leak_and_miss() {
    use super::super::growcut::diag::error_report;
    let g = Grid {
        dims: [20, 20, 20],
        spacing: [1.0, 1.0, 2.0],
    };
    let inside = |p: [usize; 3]| {
        (5..15).contains(&p[0]) && (5..15).contains(&p[1]) && (5..15).contains(&p[2])
    };
    let leak = |p: [usize; 3]| {
        (15..17).contains(&p[0]) && (8..11).contains(&p[1]) && (8..12).contains(&p[2])
    };
    let ct: Vec<i16> = (0..g.n_voxels())
        .map(|n| if leak(g.ijk(n)) { 150 } else { 40 })
        .collect();
    let grown = |n: usize| {
        let p = g.ijk(n);
        (inside(p) && p[2] != 14) || leak(p)
    };
    let r = error_report(&g, &ct, &grown, &|n| inside(g.ijk(n)), 0..20, 1).expect("sizes");
    assert_eq!(r.extra.len(), 1);
    assert_eq!(r.extra[0].voxels, 24);
    assert!((r.extra[0].ml - 0.048).abs() < 1e-9);
    assert_eq!(r.extra[0].median_hu, 150.0);
    assert_eq!(r.extra[0].slices, (8, 11));
    assert_eq!(r.missed.len(), 1);
    assert_eq!(r.missed[0].voxels, 100);
    assert_eq!(r.missed[0].slices, (14, 14));
    assert!(
        (r.extra_by_hu[4] - 0.048).abs() < 1e-9,
        "{:?}",
        r.extra_by_hu
    );
    assert!((r.dice() - 2.0 * 900.0 / (924.0 + 1000.0)).abs() < 1e-9);
}

/// A 120 x 96 x 96 mm phantom on a 1.5 mm grid: a liver ball (radius 40 mm at
/// (75, 48, 48) mm, 60 HU) and a neighbour round `other_c` whose HU at distance r
/// (mm) is `other(r)` (None = not the neighbour), in fat (-100 HU), with noise of
/// SD 8 HU; the grid, the CT and the voxels of the liver and of the neighbour.
fn liver_and_neighbour(
    seed: u64,
    other_c: [f64; 3],
    other: impl Fn(f64) -> Option<f64>,
) -> (Grid, Vec<i16>, Vec<usize>, Vec<usize>) {
    let g = Grid {
        dims: [80, 64, 64],
        spacing: [1.5; 3],
    };
    let mut rng = Rng(seed);
    let (mut liver, mut near) = (Vec::new(), Vec::new());
    let ct: Vec<i16> = (0..g.n_voxels())
        .map(|n| {
            let p = g.ijk(n).map(|v| v as f64 * 1.5);
            let r = |c: [f64; 3]| (0..3).map(|a| (p[a] - c[a]).powi(2)).sum::<f64>().sqrt();
            let hu = if r([75.0, 48.0, 48.0]) < 40.0 {
                liver.push(n);
                60.0
            } else if let Some(hu) = other(r(other_c)) {
                near.push(n);
                hu
            } else {
                -100.0
            };
            (hu + rng.normal(8.0)) as i16
        })
        .collect();
    (g, ct, liver, near)
}

/// Voxel index of a point (mm) of [`liver_and_neighbour`]'s grid.
fn at(x: f64, y: f64, z: f64) -> [f64; 3] {
    [x / 1.5, y / 1.5, z / 1.5]
}

/// Share of the voxels `v` that the preview grows.
fn share(g: &Grid, pv: &crate::segmentation::tools::preview::Preview, v: &[usize]) -> f64 {
    v.iter().filter(|&&i| pv.contains(g.ijk(i))).count() as f64 / v.len() as f64
}

/// A bowel loop against the liver: a ball of liver HU (60) in fat and, pressed into
/// it with no fat plane between, a loop of 55 HU wall 10 mm thick round a gas lumen.
/// Gas is background (`air_bg_mm` 0, default): the lumen is not filled as a hole of
/// the liver, so the thin wall alone is left, which the opening cuts off. Without
/// it (the defaults before, `air_bg_mm` -1) the grown wall encloses the lumen, the
/// fill makes the loop a solid ball that survives the opening, and the loop leaks in.
#[test]
fn gas_keeps_a_bowel_loop_against_the_liver_out() {
    let (g, ct, liver, bowel) = liver_and_neighbour(11, [27.0, 48.0, 48.0], |r| {
        (r < 10.0).then_some(-900.0).or((r < 20.0).then_some(55.0))
    });
    let fg = stroke_voxels(
        &g,
        &[at(65.0, 48.0, 48.0), at(90.0, 48.0, 48.0)],
        3.0,
        BrushShape::Disc(Axis::K),
    );
    let bg = stroke_voxels(
        &g,
        &[at(8.0, 8.0, 48.0), at(30.0, 8.0, 48.0)],
        3.0,
        BrushShape::Disc(Axis::K),
    );
    let no = AtomicBool::new(false);
    let grown = |air: f64| {
        let p = GrowParams {
            air_bg_mm: air,
            ..GrowParams::default()
        };
        let pv = grow_from_seeds(&g, &ct, &fg, &bg, &p, &|_| {}, &no).expect("grow");
        (share(&g, &pv, &liver), share(&g, &pv, &bowel))
    };
    assert_eq!(GrowParams::default().air_bg_mm, 0.0);
    let (l_on, b_on) = grown(0.0);
    let (l_off, b_off) = grown(-1.0);
    eprintln!(
        "gas as background: liver {l_on:.3}, bowel {b_on:.3}; without: {l_off:.3}, {b_off:.3}"
    );
    assert!(l_on > 0.95 && b_on < 0.1, "liver {l_on}, bowel {b_on}");
    assert!(
        b_off > 0.5,
        "without gas seeds the loop leaks in: bowel {b_off}"
    );
}

/// A neighbour of liver HU that touches the liver broadly (the heart on the dome,
/// the IVC) is grown with it: no edge and no bridge to cut. A short background
/// stroke in it is a correction (the grow had it as liver), gets a class learnt
/// from its own HU, and takes the neighbour out, not the liver; continuing from the
/// last solution gives the grow from scratch with the same strokes. Without the
/// stroke's own class (`class_weight` 0: every background stroke pays as the pooled
/// background, as before) the stroke takes only its surroundings.
#[test]
fn a_background_stroke_in_a_leak_takes_the_neighbour_out() {
    use super::super::growcut::Grower;
    let (g, ct, liver, heart) =
        liver_and_neighbour(5, [20.0, 48.0, 48.0], |r| (r < 20.0).then_some(57.0));
    let disc =
        |a: [f64; 3], b: [f64; 3]| stroke_voxels(&g, &[a, b], 3.0, BrushShape::Disc(Axis::K));
    let fg = disc(at(70.0, 48.0, 48.0), at(95.0, 48.0, 48.0));
    let mut bg = disc(at(100.0, 8.0, 48.0), at(115.0, 8.0, 48.0));
    bg.extend(disc(at(8.0, 88.0, 20.0), at(25.0, 88.0, 20.0)));
    let stroke = disc(at(15.0, 48.0, 48.0), at(25.0, 48.0, 48.0));
    let mut with = bg.clone();
    with.extend(&stroke);
    let no = AtomicBool::new(false);
    let run = |cw: f32| {
        let p = GrowParams {
            class_weight: cw,
            ..GrowParams::default()
        };
        let mut gr = Grower::new(&g, &ct, &p).expect("grower");
        let first = gr.grow(&ct, &fg, &bg, &|_| {}, &no).expect("grow");
        let second = gr.grow(&ct, &fg, &with, &|_| {}, &no).expect("grow");
        assert!(second.incremental);
        gr.reset();
        let scratch = gr.grow(&ct, &fg, &with, &|_| {}, &no).expect("grow");
        let s = |pv| (share(&g, pv, &liver), share(&g, pv, &heart));
        (s(&first.preview), s(&second.preview), s(&scratch.preview))
    };
    let (before, after, scratch) = run(GrowParams::default().class_weight);
    let (pooled_before, pooled, _) = run(0.0);
    // Strokes drawn in background are no corrections: the same grow.
    assert_eq!(before, pooled_before);
    eprintln!(
        "(liver, heart) grown: before the stroke {before:.3?}, after {after:.3?}, from scratch \
         {scratch:.3?}; pooled background {pooled:.3?}"
    );
    assert!(before.1 > 0.8, "the neighbour leaks in: {before:?}");
    assert!(after.1 < 0.1 && after.0 > 0.97, "{after:?}");
    assert!((after.0 - scratch.0).abs() < 0.01 && (after.1 - scratch.1).abs() < 0.01);
    assert!(
        pooled.1 > 0.3,
        "the pooled background takes it out too: {pooled:?}"
    );
}

/// Held-out draws 11-20 on the sample (not used to choose any default): Dice >= 0.92
/// and spread < 0.03. The strokes' HU spread can be narrower than the liver's (draw
/// 16: robust SD 8.9 HU under the strokes, about 10-12 HU in the grown liver's core): with the
/// gate widened to the core's spread (`core_mm`, the default) draw 16 reaches 0.93;
/// with the strokes' gate alone (`core_mm` -1, the behaviour before) it was 0.925
/// and draw 20 0.908. (Draw 20 stays at 0.925: its strokes' median is 51 HU against
/// the liver core's ~49, and a darker region of ~30 HU is left out.)
#[test]
fn sample_held_out_draws() {
    let wide = sample_draws_with(11..=20, &GrowParams::default());
    let narrow = sample_draws_with(
        16..=16,
        &GrowParams {
            core_mm: -1.0,
            ..GrowParams::default()
        },
    );
    eprintln!("draws 11-20: {wide:.4?}; draw 16 with the strokes' gate: {narrow:.4?}");
    assert_draws(&wide, 11, 0.92);
    assert!(wide[5].0 >= 0.93 && narrow[0].0 < wide[5].0, "draw 16");
}
