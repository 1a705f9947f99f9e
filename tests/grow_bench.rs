//! Grow from seeds on the full-resolution bench CT (512 x 424 x 448, 0.71 x 0.71 x
//! 0.75 mm, made by `../shared/tools/make_bench_ct.py`), with strokes placed as a
//! user places them (`remnant::segmentation::seeds::synth`): short strokes in the
//! central part of the liver and in the soft tissue around it.
//!
//! The bench CT is found in `$REMNANT_BENCH_DIR` (scripts/test.sh makes it once into
//! target/bench-data and sets the variable). Without it the tests are skipped with a
//! message, except under CI=true or REMNANT_REQUIRE_TOOLS=1, where they fail
//! (`common/tools.rs`).
//!
//! The bench CT is the bundled 3 mm scan upsampled: its liver mask has stair-step
//! edges and stops at the bottom of the 3 mm liver slab although the liver's tip goes
//! on below it, which caps the Dice a correct grow reaches there.

#[path = "common/tools.rs"]
mod tools;

use remnant::segmentation::seeds::synth::{Draw, user_strokes};
use remnant::segmentation::seeds::{SeedKind, Seeds};
use remnant::segmentation::tools::Grid;
use remnant::segmentation::tools::growcut::diag::error_report;
use remnant::segmentation::tools::growcut::{GrowParams, Grower, Grown};
use remnant::segmentation::tools::preview::Preview;
use remnant::task::Task;
use remnant::volume::nifti::{MaskSelect, read_ct, read_mask};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

struct Bench {
    grid: Grid,
    ct: Vec<i16>,
    liver: Vec<u8>,
}

fn bench() -> Option<&'static Bench> {
    static B: OnceLock<Option<Bench>> = OnceLock::new();
    B.get_or_init(|| {
        let dir = std::env::var_os("REMNANT_BENCH_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data"));
        let (ct_path, liver_path) = (dir.join("bench_ct.nii"), dir.join("bench_liver.nii.gz"));
        if !ct_path.exists() || !liver_path.exists() {
            let msg = format!(
                "no bench CT in {} (bench_ct.nii, bench_liver.nii.gz): run scripts/test.sh or \
                 python3 ../shared/tools/make_bench_ct.py DIR and set REMNANT_BENCH_DIR=DIR",
                dir.display()
            );
            tools::missing(&msg);
            return None;
        }
        let (ct, _) = read_ct(&ct_path, Task::none()).expect("bench CT");
        let (liver, _) =
            read_mask(&liver_path, MaskSelect::NonZero, Task::none()).expect("bench liver mask");
        assert_eq!(liver.geometry.dims, ct.geometry.dims, "bench mask grid");
        Some(Bench {
            grid: Grid::of(&ct.geometry),
            ct: ct.into_vec(),
            liver: liver.into_vec(),
        })
    })
    .as_ref()
}

/// First slice of the reference mask: the bench liver mask is the 3 mm scan's liver
/// slab (its top 30 slices) upsampled, so below it the reference is not defined (the
/// liver's tip goes on there). Scores are computed on the slices from here up.
fn slab_start(b: &Bench) -> usize {
    let plane = b.grid.dims[0] * b.grid.dims[1];
    b.liver.iter().position(|&v| v != 0).expect("reference") / plane
}

/// (Dice, relative volume difference) of a replacing preview against the reference
/// on the reference's slab, and the Dice on the whole scan.
fn dice(b: &Bench, pv: &Preview) -> (f64, f64, f64) {
    let [nx, ny, nz] = b.grid.dims;
    let k0 = slab_start(b);
    let (mut both, mut grown, mut grown_below) = (0usize, 0usize, 0usize);
    for k in 0..nz {
        for j in 0..ny {
            for i in 0..nx {
                if pv.contains([i, j, k]) {
                    if k < k0 {
                        grown_below += 1;
                    } else {
                        grown += 1;
                        both += (b.liver[i + nx * (j + ny * k)] != 0) as usize;
                    }
                }
            }
        }
    }
    let reference = b.liver.iter().filter(|&&v| v != 0).count();
    (
        2.0 * both as f64 / (grown + reference) as f64,
        grown as f64 / reference as f64 - 1.0,
        2.0 * both as f64 / (grown + grown_below + reference) as f64,
    )
}

fn strokes(b: &Bench, seed: u64) -> Seeds {
    user_strokes(&b.grid, &b.ct, &b.liver, seed, &Draw::default()).expect("strokes")
}

/// Grow a draw's strokes from scratch (not from the grower's last solution).
fn grow_fresh(g: &mut Grower, b: &Bench, s: &Seeds) -> Grown {
    g.reset();
    let (fg, bg) = (
        s.voxels(&b.grid, SeedKind::Liver),
        s.voxels(&b.grid, SeedKind::Background),
    );
    g.grow(&b.ct, &fg, &bg, &|_| {}, &AtomicBool::new(false))
        .expect("grow")
}

/// Grow draws 1..=10 (each from scratch, one grower: the CT is downsampled once);
/// (slab Dice, volume difference).
fn ten_draws(b: &Bench) -> Vec<(f64, f64)> {
    let params = GrowParams::default()
        .with_overrides(&std::env::var("REMNANT_GROW_PARAMS").unwrap_or_default());
    let no = AtomicBool::new(false);
    let mut g = Grower::new(&b.grid, &b.ct, &params).expect("grower");
    (1..=10u64)
        .map(|seed| {
            let s = strokes(b, seed);
            let fg = s.voxels(&b.grid, SeedKind::Liver);
            let bg = s.voxels(&b.grid, SeedKind::Background);
            // The generator's promise: liver strokes inside, background strokes outside.
            assert!(fg.iter().all(|&i| b.liver[i] != 0), "draw {seed}");
            assert!(bg.iter().all(|&i| b.liver[i] == 0), "draw {seed}");
            g.reset();
            let t = Instant::now();
            let r = g.grow(&b.ct, &fg, &bg, &|_| {}, &no).expect("grow");
            let secs = t.elapsed().as_secs_f64();
            assert!(!r.incremental);
            let (d, dv, whole) = dice(b, &r.preview);
            eprintln!(
                "bench draw {seed}: dice {d:.4} (whole scan {whole:.4}), volume {:+.1} %, {secs:.2} s",
                100.0 * dv
            );
            if std::env::var_os("REMNANT_GROW_DIAG").is_some() {
                let k0 = slab_start(b);
                let rep = error_report(
                    &b.grid,
                    &b.ct,
                    &|i| r.preview.contains(b.grid.ijk(i)),
                    &|i| b.liver[i] != 0,
                    k0..b.grid.dims[2],
                    2,
                )
                .expect("sizes");
                eprintln!("draw {seed} errors: {}", rep.summary(6));
            }
            (d, dv)
        })
        .collect()
}

/// Issue 16's target on the bench CT, central strokes only, at full resolution:
/// every one of draws 1-10 Dice >= 0.91 and volume within 6 % on the reference's
/// slab, and where the strokes are does not matter (spread of the Dice < 0.03).
/// (The defaults chosen on draws 1-5 alone: Dice 0.912-0.928 but volume +8.0 % and
/// +6.0 % on draws 6 and 7; before them Dice 0.9078-0.9302, draw 2 below 0.91.)
#[test]
fn bench_ct_central_strokes_issue_16_target() {
    let Some(b) = bench() else { return };
    let d = ten_draws(b);
    for (n, &(dice, dv)) in d.iter().enumerate() {
        assert!(dice >= 0.91, "draw {}: dice {dice}", n + 1);
        assert!(dv.abs() <= 0.06, "draw {}: volume {dv}", n + 1);
    }
    let (lo, hi) = d
        .iter()
        .fold((1.0f64, 0.0f64), |(lo, hi), &(x, _)| (lo.min(x), hi.max(x)));
    assert!(hi - lo < 0.03, "dice spread {lo} .. {hi}");
}

/// A leak: a part of the grown region outside the reference (on the reference's slab)
/// thicker than 15 mm, found on a 4x subsampled grid. (The thin rim of muscle /
/// diaphragm along the liver's lateral side is not such a leak: it has no entry, and
/// a stroke in it removes only the part within a few mm.)
struct Leak {
    /// Its subsampled voxels (flat indices on the 4x grid).
    vox: Vec<usize>,
    /// Its deepest voxel (full grid).
    deep: [usize; 3],
}

impl Leak {
    fn ml(&self, b: &Bench) -> f64 {
        self.vox.len() as f64 * 64.0 * b.grid.spacing.iter().product::<f64>() / 1000.0
    }
}

/// The 4x subsampled grid of the bench CT.
fn sub_dims(b: &Bench) -> [usize; 3] {
    b.grid.dims.map(|n| n / 4)
}

fn sub_point(b: &Bench, n: usize) -> [usize; 3] {
    let sd = sub_dims(b);
    [n % sd[0], (n / sd[0]) % sd[1], n / (sd[0] * sd[1])].map(|v| v * 4)
}

/// The largest leak of a grown region, if any.
fn largest_leak(b: &Bench, pv: &Preview) -> Option<Leak> {
    use remnant::segmentation::tools::edt::sq_edt;
    use remnant::segmentation::tools::region::components;
    let [nx, ny, _] = b.grid.dims;
    let k0 = slab_start(b);
    let sd = sub_dims(b);
    let sp = [0, 1, 2].map(|a| 4.0 * b.grid.spacing[a]);
    let fp: Vec<bool> = (0..sd[0] * sd[1] * sd[2])
        .map(|n| {
            let p = sub_point(b, n);
            p[2] >= k0 && pv.contains(p) && b.liver[p[0] + nx * (p[1] + ny * p[2])] == 0
        })
        .collect();
    let (id, sizes) = components(sd, &fp);
    // Thickness of each part: a rim along the liver's surface (~12 mm) is a
    // boundary disagreement with no entry to close, not a leak.
    let depth = sq_edt(sd, sp, |n| !fp[n]);
    let mut deepest = vec![0f32; sizes.len()];
    for (n, &c) in id.iter().enumerate().filter(|(_, c)| **c > 0) {
        deepest[c as usize - 1] = deepest[c as usize - 1].max(depth[n]);
    }
    let c = (0..sizes.len())
        .filter(|&c| 2.0 * deepest[c].sqrt() > 15.0)
        .max_by_key(|&c| sizes[c])?;
    let vox: Vec<usize> = (0..id.len()).filter(|&n| id[n] as usize == c + 1).collect();
    let d = sq_edt(sd, sp, |n| id[n] as usize != c + 1);
    let deep = *vox.iter().max_by(|&&a, &&b| d[a].total_cmp(&d[b]))?;
    Some(Leak {
        vox,
        deep: sub_point(b, deep),
    })
}

/// Leaks of the current defaults, and a user's answer to each: one short background
/// stroke (1 cm, 3 mm radius, on one slice) in the middle of the leak, added to the
/// strokes; the grow continues from the last solution (incremental). For the largest
/// leak of each of draws 1-10 bigger than 5 mL: of the leak within 20 mm of the
/// stroke at most 10 % is left, of the whole leak at most half (a leak of 19 mL
/// reaches beyond what one 1 cm stroke claims), and the Dice on the reference's slab
/// falls by no more than 0.005 (the stroke takes the leak, not much of the liver next
/// to it: in this unenhanced scan the tissue round the IVC beside the caudate, where
/// these leaks are, has the liver's HU). The stroke's own HU statistics are what make this work: with
/// `class_weight=0` (every background stroke pays as the pooled background, the
/// behaviour before) a stroke in the 10.6 mL leak of draw 4 left 174 of its 273
/// voxels near the stroke.
#[test]
fn bench_ct_background_stroke_in_a_leak_removes_it() {
    use remnant::segmentation::seeds::SeedStroke;
    use remnant::segmentation::tools::Axis;
    use remnant::segmentation::tools::brush::BrushShape;
    let Some(b) = bench() else { return };
    let params = GrowParams::default()
        .with_overrides(&std::env::var("REMNANT_GROW_PARAMS").unwrap_or_default());
    let no = AtomicBool::new(false);
    let mut g = Grower::new(&b.grid, &b.ct, &params).expect("grower");
    let mut tried = 0;
    let mut failures = Vec::new();
    for seed in 1..=10u64 {
        let mut s = strokes(b, seed);
        let r0 = grow_fresh(&mut g, b, &s);
        let (before, ..) = dice(b, &r0.preview);
        let Some(leak) = largest_leak(b, &r0.preview) else {
            eprintln!("draw {seed}: no leak");
            continue;
        };
        let ml = leak.ml(b);
        if ml <= 5.0 {
            eprintln!("draw {seed}: largest leak {ml:.1} mL, not worth a stroke");
            continue;
        }
        tried += 1;
        let p = leak.deep;
        let fg = s.voxels(&b.grid, SeedKind::Liver);
        let half = 5.0 / b.grid.spacing[0];
        s.strokes.push(SeedStroke {
            kind: SeedKind::Background,
            radius_mm: 3.0,
            shape: BrushShape::Disc(Axis::K),
            points: vec![
                [p[0] as f64 - half, p[1] as f64, p[2] as f64],
                [p[0] as f64 + half, p[1] as f64, p[2] as f64],
            ],
        });
        let bg = s.voxels(&b.grid, SeedKind::Background);
        let t = Instant::now();
        let r = g.grow(&b.ct, &fg, &bg, &|_| {}, &no).expect("grow");
        let secs = t.elapsed().as_secs_f64();
        assert!(
            r.incremental,
            "an added stroke continues from the last solution"
        );
        let mm = |q: [usize; 3]| {
            let d: f64 = (0..3)
                .map(|a| ((q[a] as f64 - p[a] as f64) * b.grid.spacing[a]).powi(2))
                .sum();
            d.sqrt()
        };
        // Leak voxels still grown: all of them, and those within 20 mm of the stroke.
        let (mut left, mut near, mut near_left) = (0, 0, 0);
        for &n in &leak.vox {
            let q = sub_point(b, n);
            let on = r.preview.contains(q);
            left += on as usize;
            if mm(q) <= 20.0 {
                near += 1;
                near_left += on as usize;
            }
        }
        let size = leak.vox.len();
        let (after, ..) = dice(b, &r.preview);
        eprintln!(
            "draw {seed}: leak {ml:.1} mL around {p:?}; after the stroke {left} of {size} voxels \
             left, {near_left} of {near} within 20 mm; Dice {before:.4} -> {after:.4}; {secs:.2} s"
        );
        if let Some(dir) = std::env::var_os("REMNANT_GROW_DUMP") {
            // The stroke's slice: bit 1 grown before, bit 2 after, bit 4 the stroke.
            let [nx, ny, _] = b.grid.dims;
            let k = p[2];
            let stroke: std::collections::HashSet<usize> = bg.iter().copied().collect();
            let out: Vec<u8> = (0..nx * ny)
                .map(|n| {
                    let q = [n % nx, n / nx, k];
                    r0.preview.contains(q) as u8
                        | (r.preview.contains(q) as u8) << 1
                        | (stroke.contains(&(n + nx * ny * k)) as u8) << 2
                })
                .collect();
            let path = PathBuf::from(dir).join(format!("leak_{seed}_k{k}.raw"));
            std::fs::write(path, out).expect("dump");
        }
        if near_left * 10 > near || left * 2 > size || after < before - 0.005 {
            failures.push(seed);
        }
    }
    assert!(tried >= 2, "only {tried} leaks worth a stroke");
    assert!(failures.is_empty(), "draws {failures:?}");
}

/// Development aid: `REMNANT_GROW_SWEEP="spec;spec;..."` (each a `REMNANT_GROW_PARAMS`
/// override list, empty = defaults) grows draws 1..=5 (or `REMNANT_GROW_DRAWS`) on the
/// sample and on the bench CT with each parameter set, in one process, and prints the
/// per-draw Dice and volume error.
#[test]
#[ignore = "development sweep"]
fn grow_parameter_sweep() {
    let sweep = std::env::var("REMNANT_GROW_SWEEP").unwrap_or_default();
    let draws: Vec<u64> = std::env::var("REMNANT_GROW_DRAWS")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| (1..=5).collect());
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    let (sct, _) = read_ct(&dir.join("ct.nii.gz"), Task::none()).expect("sample CT");
    let (sl, _) = read_mask(&dir.join("liver.nii.gz"), MaskSelect::NonZero, Task::none())
        .expect("sample liver");
    let sample = Bench {
        grid: Grid::of(&sct.geometry),
        ct: sct.into_vec(),
        liver: sl.into_vec(),
    };
    let big = bench();
    for spec in sweep.split(';') {
        let params = GrowParams::default().with_overrides(spec);
        for (name, b, slab) in [("sample", Some(&sample), false), ("bench", big, true)] {
            let Some(b) = b else { continue };
            let t = Instant::now();
            let mut g = Grower::new(&b.grid, &b.ct, &params).expect("grower");
            let mut line = format!("[{spec}] {name} (new {:.2}s):", t.elapsed().as_secs_f64());
            let mut lo = 1.0f64;
            for &seed in &draws {
                let s = strokes(b, seed);
                let t = Instant::now();
                let r = grow_fresh(&mut g, b, &s);
                let secs = t.elapsed().as_secs_f64();
                let (d, dv, _) = if slab {
                    dice(b, &r.preview)
                } else {
                    let (mut both, mut grown) = (0usize, 0usize);
                    for (n, &l) in b.liver.iter().enumerate() {
                        if r.preview.contains(b.grid.ijk(n)) {
                            grown += 1;
                            both += (l != 0) as usize;
                        }
                    }
                    let reference = b.liver.iter().filter(|&&v| v != 0).count();
                    let d = 2.0 * both as f64 / (grown + reference) as f64;
                    (d, grown as f64 / reference as f64 - 1.0, d)
                };
                lo = lo.min(d);
                if let Some(dir) = std::env::var_os("REMNANT_GROW_DUMP") {
                    let fg = s.voxels(&b.grid, SeedKind::Liver);
                    let bg = s.voxels(&b.grid, SeedKind::Background);
                    let mut out: Vec<u8> = (0..b.liver.len())
                        .map(|n| r.preview.contains(b.grid.ijk(n)) as u8)
                        .collect();
                    fg.iter().for_each(|&i| out[i] |= 2);
                    bg.iter().for_each(|&i| out[i] |= 4);
                    let path = PathBuf::from(dir).join(format!("{name}_{seed}.raw"));
                    std::fs::write(path, out).expect("dump");
                }
                line += &format!(" {seed}:{d:.5}/{:+.1}%/{secs:.2}s", 100.0 * dv);
                if std::env::var_os("REMNANT_GROW_DIAG").is_some() {
                    let k0 = if slab { slab_start(b) } else { 0 };
                    let rep = error_report(
                        &b.grid,
                        &b.ct,
                        &|i| r.preview.contains(b.grid.ijk(i)),
                        &|i| b.liver[i] != 0,
                        k0..b.grid.dims[2],
                        if slab { 2 } else { 1 },
                    )
                    .expect("sizes");
                    eprintln!("{name} draw {seed} errors: {}", rep.summary(6));
                }
            }
            eprintln!("{line}  min {lo:.4}");
        }
    }
}
