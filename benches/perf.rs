//! Remnant's speed and memory on a full-size CT, side by side with reference tools
//! run on the same files in the same run. Prints a markdown table.
//!
//!   bench/run.sh                      (makes the bench CT if needed, installs the references)
//!   cargo bench --bench perf -- DIR   (DIR holds bench_ct.nii.gz, bench_ct.nii, bench_liver.nii.gz)

use remnant::render::{LayerStyle, Plane, PlaneAxes, Window, render_slice};
use remnant::segmentation::io::import_mask;
use remnant::segmentation::seeds::{SeedKind, Seeds};
use remnant::segmentation::tools::brush::{BrushShape, paint_stroke};
use remnant::segmentation::tools::growcut::GrowParams;
use remnant::segmentation::tools::interpolate::interpolate_slices;
use remnant::segmentation::tools::{Axis, EditCtx, Grid, PaintMode, PaintRules, UndoStack};
use remnant::segmentation::{LabelMap, Layer};
use remnant::task::Task;
use remnant::volume::Volume;
use remnant::volume::nifti::{MaskSelect, read_ct};
use remnant::volumetry::Counts;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

mod perf_lesion;
mod perf_mesh;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median wall time in seconds of `f` over `n` runs.
fn time<F: FnMut()>(n: usize, mut f: F) -> f64 {
    median(
        (0..n)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

/// Median wall time of `f` over `n` runs, each on a fresh copy of `state` (the copy is
/// not timed); afterwards `state` holds the result of one run.
fn time_fresh<T: Clone, F: FnMut(&mut T)>(n: usize, state: &mut T, mut f: F) -> f64 {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let mut copy = state.clone();
        let t = Instant::now();
        f(&mut copy);
        times.push(t.elapsed().as_secs_f64());
        if times.len() == n {
            *state = copy;
        }
    }
    median(times)
}

/// Median wall time of a shell command, or None if it fails (tool missing).
fn time_cmd(n: usize, cmd: &str) -> Option<f64> {
    let mut v = Vec::new();
    for _ in 0..n {
        let t = Instant::now();
        let ok = Command::new("bash")
            .arg("-c")
            .arg(cmd)
            .status()
            .ok()?
            .success();
        if !ok {
            return None;
        }
        v.push(t.elapsed().as_secs_f64());
    }
    Some(median(v))
}

fn vm_hwm_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

struct Row {
    what: String,
    remnant: String,
    reference: String,
    ratio: String,
    goal: String,
}

fn row(what: &str, ours: f64, reference: Option<(&str, f64)>, goal: &str) -> Row {
    let fmt = |s: f64| {
        if s < 0.1 {
            format!("{:.2} ms", s * 1000.0)
        } else {
            format!("{s:.3} s")
        }
    };
    Row {
        what: what.into(),
        remnant: fmt(ours),
        reference: reference.map_or("-".into(), |(n, t)| format!("{n}: {}", fmt(t))),
        ratio: reference.map_or("-".into(), |(_, t)| format!("{:.2}x", ours / t)),
        goal: goal.into(),
    }
}

fn main() {
    let dir = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("REMNANT_BENCH_DIR").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("bench/out/data"));
    let gz = dir.join("bench_ct.nii.gz");
    let raw = dir.join("bench_ct.nii");
    let liver = dir.join("bench_liver.nii.gz");
    if !gz.exists() {
        eprintln!(
            "no {}: run bench/run.sh (it makes the bench CT)",
            gz.display()
        );
        std::process::exit(2);
    }
    let n = 3;
    let mut rows = Vec::new();

    // Open .nii.gz to the first displayed slice (decode + middle axial texture).
    let lut = Window::ABDOMEN.lut();
    let mut buf = Vec::new();
    let mut first_slice = || {
        let (ct, _) = read_ct(&gz, Task::none()).expect("bench CT");
        let ax = PlaneAxes::new(&ct.geometry, Plane::Axial);
        render_slice(
            &ct,
            None,
            ax,
            ct.dims()[ax.normal] / 2,
            &lut,
            &[],
            None,
            &mut buf,
        );
    };
    let t_open_gz = time(n, &mut first_slice);
    let q = |p: &Path| p.display().to_string();
    let libdeflate = time_cmd(n, &format!("libdeflate-gunzip -c {} > /dev/null", q(&gz)));
    let gzip = time_cmd(n, &format!("gzip -dc {} > /dev/null", q(&gz)));
    let sitk = time_cmd(
        n,
        &format!(
            "python3 -c \"import SimpleITK as s; s.GetArrayViewFromImage(s.ReadImage('{}'))\"",
            q(&gz)
        ),
    );
    let nib = time_cmd(
        n,
        &format!(
            "python3 -c \"import nibabel as n, numpy as np; np.asarray(n.load('{}').dataobj)\"",
            q(&gz)
        ),
    );
    rows.push(row(
        "open .nii.gz to first slice",
        t_open_gz,
        libdeflate.map(|t| ("libdeflate-gunzip -c", t)),
        "<= 1.1x libdeflate",
    ));
    rows.push(row(
        "  (same) vs gzip -dc",
        t_open_gz,
        gzip.map(|t| ("gzip -dc", t)),
        "",
    ));
    rows.push(row(
        "  (same) vs SimpleITK ReadImage",
        t_open_gz,
        sitk.map(|t| ("SimpleITK", t)),
        "< 1x SimpleITK",
    ));
    rows.push(row(
        "  (same) vs nibabel load + array",
        t_open_gz,
        nib.map(|t| ("nibabel", t)),
        "",
    ));

    // open + liver volume
    let t_vol = time(n, || {
        let (ct, _) = read_ct(&gz, Task::none()).expect("bench CT");
        let mut map = LabelMap::empty(ct.geometry.clone());
        import_mask(
            &liver,
            MaskSelect::NonZero,
            Layer::Liver,
            &mut map,
            Task::none(),
        )
        .expect("liver");
        let _ = Counts::from_bits(&map.bits);
    });
    let nib_vol = time_cmd(
        n,
        &format!(
            "python3 -c \"import nibabel as n, numpy as np; c=np.asarray(n.load('{}').dataobj); m=np.asarray(n.load('{}').dataobj); print((m>0).sum())\" > /dev/null",
            q(&gz),
            q(&liver)
        ),
    );
    rows.push(row(
        "open CT + liver mask + volume",
        t_vol,
        nib_vol.map(|t| ("nibabel", t)),
        "",
    ));

    // uncompressed .nii vs cat
    let t_raw = time(n, || {
        let _ = read_ct(&raw, Task::none()).expect("bench .nii");
    });
    let cat = time_cmd(n, &format!("cat {} > /dev/null", q(&raw)));
    rows.push(row(
        "open .nii (uncompressed)",
        t_raw,
        cat.map(|t| ("cat", t)),
        "<= 3x cat",
    ));

    // Peak memory with CT and layers open (this process: CT + label map, nothing else yet).
    let (ct, _) = read_ct(&gz, Task::none()).expect("bench CT");
    let mut map = LabelMap::empty(ct.geometry.clone());
    import_mask(
        &liver,
        MaskSelect::NonZero,
        Layer::Liver,
        &mut map,
        Task::none(),
    )
    .expect("liver");
    let raw_bytes = (ct.geometry.voxel_count() * 2) as f64;
    let hwm = vm_hwm_kb().unwrap_or(0) as f64 * 1024.0;

    // Volumes of all layers.
    let t_counts = time(10, || {
        let _ = Counts::from_bits(&map.bits);
    });
    rows.push(row("volumes of all layers", t_counts, None, "< 50 ms"));

    // Slice + overlay texture per plane (mean over 20 slices through the liver).
    let styles: Vec<(Layer, LayerStyle)> = Layer::ALL
        .iter()
        .map(|&l| (l, LayerStyle::default_for(l)))
        .collect();
    for plane in Plane::ALL {
        let ax = PlaneAxes::new(&ct.geometry, plane);
        let nsl = ct.dims()[ax.normal];
        let t = time(5, || {
            for s in 0..20 {
                render_slice(
                    &ct,
                    Some(&map.bits),
                    ax,
                    nsl / 4 + s * nsl / 40,
                    &lut,
                    &styles,
                    None,
                    &mut buf,
                );
            }
        }) / 20.0;
        let [w, h] = ax.size(ct.dims());
        rows.push(row(
            &format!("{} slice + overlays ({w} x {h})", plane.name()),
            t,
            None,
            "< 4 ms",
        ));
    }

    let dice = tool_rows(&ct, &map, &gz, &mut rows);
    perf_mesh::rows(&map, &mut rows);
    perf_lesion::rows(&ct, &map, &mut rows);

    println!("| measure | Remnant | reference (same run) | ratio | goal |");
    println!("|---|---|---|---|---|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {} |",
            r.what, r.remnant, r.reference, r.ratio, r.goal
        );
    }
    println!(
        "| peak memory, CT + layers open | {:.0} MB | raw CT {:.0} MB | {:.2}x | <= 1.7x |",
        hwm / 1e6,
        raw_bytes / 1e6,
        hwm / raw_bytes
    );
    println!(
        "\nGrow from seeds on the bench CT, draw 1 of the user-like strokes: Dice {dice:.4} against \
         bench_liver.nii.gz on its slab (the mask is defined on the upsampled 3 mm liver slab only)."
    );
    println!(
        "\nCT {} x {} x {} int16; {} runs each, median; machine: {} cores.",
        ct.dims()[0],
        ct.dims()[1],
        ct.dims()[2],
        n,
        std::thread::available_parallelism().map_or(0, |p| p.get())
    );
}

/// Tracing-tool rows; returns the grow-from-seeds Dice against the bench liver mask.
fn tool_rows(ct: &Volume<i16>, map: &LabelMap, gz: &Path, rows: &mut Vec<Row>) -> f64 {
    let grid = Grid::of(&ct.geometry);
    let [nx, ny, nz] = grid.dims;
    let mut labels = map.bits.clone();

    // One brush stroke: a 10 mm disc dragged 60 mm across the middle transverse slice.
    let ctx = EditCtx::new(&grid, ct.as_slice(), Layer::Tumour, PaintRules::default());
    let k = nz as f64 * 0.8;
    let len_vox = 60.0 / grid.spacing[0];
    let pts: Vec<[f64; 3]> = (0..=20)
        .map(|t| {
            [
                nx as f64 / 2.0 - len_vox / 2.0 + len_vox * t as f64 / 20.0,
                ny as f64 / 2.0,
                k,
            ]
        })
        .collect();
    let t_brush = time(5, || {
        let e = paint_stroke(
            &ctx,
            &mut labels,
            &pts,
            10.0,
            BrushShape::Disc(Axis::K),
            PaintMode::Paint,
        );
        e.apply(&mut labels);
    });
    rows.push(row(
        "one brush stroke (10 mm disc, 60 mm drag)",
        t_brush,
        None,
        "",
    ));

    // Fill between 20 traced transverse slices of the liver.
    let liver_k: Vec<usize> = (0..nz)
        .filter(|&k| {
            map.bits[nx * ny * k..nx * ny * (k + 1)]
                .iter()
                .any(|&b| b & 1 != 0)
        })
        .collect();
    let (k0, k1) = (liver_k[0], *liver_k.last().unwrap_or(&0));
    let keys: Vec<usize> = (0..20).map(|t| k0 + (k1 - k0) * t / 19).collect();
    let mut traced = vec![0u8; labels.len()];
    for &k in &keys {
        let r = nx * ny * k..nx * ny * (k + 1);
        traced[r.clone()].copy_from_slice(&map.bits[r]);
    }
    let mut filled_ml = 0.0;
    let t_fill = time(3, || {
        let p = interpolate_slices(&grid, &traced, Layer::Liver, Axis::K, &keys);
        filled_ml = p.volume_ml(&grid);
    });
    rows.push(row(
        &format!("fill between 20 traced slices ({filled_ml:.0} mL filled)"),
        t_fill,
        None,
        "",
    ));

    // Grow from seeds with user-like central strokes (draws 1..=5 of seeds::synth).
    let reference: Vec<u8> = map.bits.iter().map(|&b| b & 1).collect();
    let (preview, dice) = grow_rows(&grid, ct.as_slice(), &reference, gz, rows);

    // Accept (one big edit), then undo and redo it.
    let mut grown = vec![0u8; labels.len()];
    let ctx = EditCtx::new(&grid, ct.as_slice(), Layer::Liver, PaintRules::default());
    let t0 = Instant::now();
    let edit = preview.accept(&ctx, &mut grown);
    let t_accept = t0.elapsed().as_secs_f64();
    let record_kb = edit.memory_bytes() as f64 / 1024.0;
    let changed = edit.changed_voxels();
    let mut stack = UndoStack::new();
    stack.push(edit);
    rows.push(row("accept the grown liver (one edit)", t_accept, None, ""));
    let t_undo = time(5, || {
        stack.undo(&mut grown);
        stack.redo(&mut grown);
    }) / 2.0;
    rows.push(row(
        &format!("undo of a large edit ({changed} voxels, record {record_kb:.0} KB)"),
        t_undo,
        None,
        "",
    ));
    // Region tools on the grown liver (whole-volume passes).
    let ctx = EditCtx::new(&grid, ct.as_slice(), Layer::Liver, PaintRules::default());
    // Each region tool: median of 3 runs, each on a fresh copy of the same input (the copy
    // is not timed); then applied once so the next tool starts from its result, as a user's
    // sequence would.
    let t_largest = time_fresh(3, &mut grown, |g| {
        let e = remnant::segmentation::tools::region::keep_largest_component(&ctx, g);
        e.apply(g);
    });
    rows.push(row("keep largest part (region tool)", t_largest, None, ""));
    let t_holes = time_fresh(3, &mut grown, |g| {
        let e = remnant::segmentation::tools::region::fill_holes_3d(&ctx, g);
        e.apply(g);
    });
    rows.push(row("fill holes 3-D (region tool)", t_holes, None, ""));
    let t_margin = time_fresh(3, &mut grown, |g| {
        let e = remnant::segmentation::tools::region::grow_shrink(&ctx, g, 3.0);
        e.apply(g);
    });
    rows.push(row("grow by 3 mm (region tool)", t_margin, None, ""));
    dice
}

fn vm_kb(key: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Grow-from-seeds rows: whole-liver time, Dice and volume with central strokes
/// (draws 1..=5), SimpleITK ConfidenceConnected from the same liver strokes, added
/// strokes (incremental) and the grow's peak extra memory. Returns draw 1's preview
/// and its Dice. Scores are on the reference's slab (the slices where
/// bench_liver.nii.gz is defined: the upsampled 3 mm liver slab).
fn grow_rows(
    grid: &Grid,
    ct: &[i16],
    reference: &[u8],
    gz: &Path,
    rows: &mut Vec<Row>,
) -> (remnant::segmentation::tools::Preview, f64) {
    use remnant::segmentation::seeds::synth::{Draw, user_strokes};
    use remnant::segmentation::tools::growcut::Grower;
    let plane = grid.dims[0] * grid.dims[1];
    let k0 = reference.iter().position(|&v| v != 0).unwrap_or(0) / plane;
    let ref_n = reference.iter().filter(|&&v| v != 0).count();
    let slab_score = |pv: &remnant::segmentation::tools::Preview| {
        let b = pv.bbox();
        let (mut both, mut n) = (0usize, 0usize);
        for k in b.lo[2].max(k0)..b.hi[2] {
            for j in b.lo[1]..b.hi[1] {
                for i in b.lo[0]..b.hi[0] {
                    if pv.contains([i, j, k]) {
                        n += 1;
                        both +=
                            (reference[i + grid.dims[0] * (j + grid.dims[1] * k)] != 0) as usize;
                    }
                }
            }
        }
        (
            2.0 * both as f64 / (n + ref_n) as f64,
            100.0 * (n as f64 / ref_n as f64 - 1.0),
        )
    };
    let draws: Vec<Seeds> = (1..=6u64)
        .map(|s| user_strokes(grid, ct, reference, s, &Draw::default()).expect("strokes"))
        .collect();
    let params = GrowParams::default();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let mut times = Vec::new();
    let mut scores = Vec::new();
    let mut first = None;
    let mut peak_extra = 0.0;
    for (n, s) in draws[..5].iter().enumerate() {
        let fg = s.voxels(grid, SeedKind::Liver);
        let bg = s.voxels(grid, SeedKind::Background);
        // Peak extra memory: reset the high-water mark, grow, read it.
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let rss0 = vm_kb("VmRSS:").unwrap_or(0) as f64 * 1024.0;
        let t = Instant::now();
        let pv = Grower::new(grid, ct, &params)
            .and_then(|mut g| g.grow(ct, &fg, &bg, &|_| {}, &cancel))
            .expect("grow from seeds on the bench CT")
            .preview;
        times.push(t.elapsed().as_secs_f64());
        let hwm = vm_kb("VmHWM:").unwrap_or(0) as f64 * 1024.0;
        peak_extra = f64::max(peak_extra, hwm - rss0);
        scores.push(slab_score(&pv));
        if n == 0 {
            first = Some(pv);
        }
    }
    let sitk = sitk_region_grow(gz, &draws[..5], k0);
    let sitk_t = sitk
        .as_ref()
        .map(|v| median(v.iter().map(|x| x.0).collect()));
    rows.push(row(
        "grow from seeds, whole liver, 6 central strokes (median of draws 1-5)",
        median(times.clone()),
        sitk_t.map(|t| ("SimpleITK ConfidenceConnected", t)),
        "< 1.0 s",
    ));
    let range = |v: &[f64], f: &dyn Fn(f64) -> String| {
        let lo = v.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        format!("{} .. {}", f(lo), f(hi))
    };
    let dices: Vec<f64> = scores.iter().map(|s| s.0).collect();
    let vols: Vec<f64> = scores.iter().map(|s| s.1).collect();
    rows.push(Row {
        what: "  Dice vs bench_liver (its slab), draws 1-5".into(),
        remnant: range(&dices, &|x| format!("{x:.3}")),
        reference: sitk.as_ref().map_or("-".into(), |v| {
            let d: Vec<f64> = v.iter().map(|x| x.1).collect();
            format!("SimpleITK: {}", range(&d, &|x| format!("{x:.3}")))
        }),
        ratio: "-".into(),
        goal: ">= 0.91, spread < 0.03".into(),
    });
    rows.push(Row {
        what: "  volume vs bench_liver (its slab), draws 1-5".into(),
        remnant: range(&vols, &|x| format!("{x:+.1} %")),
        reference: sitk.as_ref().map_or("-".into(), |v| {
            let d: Vec<f64> = v.iter().map(|x| x.2).collect();
            format!("SimpleITK: {}", range(&d, &|x| format!("{x:+.1} %")))
        }),
        ratio: "-".into(),
        goal: "within 6 %".into(),
    });
    // Added strokes (draw 6's first liver / background stroke added to draw 1's):
    // the grow continues from the last solution.
    for (kind, what) in [
        (SeedKind::Liver, "  + one liver stroke (incremental)"),
        (
            SeedKind::Background,
            "  + one background stroke (incremental)",
        ),
    ] {
        let base = &draws[0];
        let mut more = base.clone();
        more.strokes.extend(
            draws[5]
                .strokes
                .iter()
                .filter(|s| s.kind == kind)
                .take(1)
                .cloned(),
        );
        let mut g = Grower::new(grid, ct, &params).expect("grower");
        let mut t_add = Vec::new();
        for _ in 0..3 {
            g.reset();
            g.grow(
                ct,
                &base.voxels(grid, SeedKind::Liver),
                &base.voxels(grid, SeedKind::Background),
                &|_| {},
                &cancel,
            )
            .expect("grow");
            let (fg, bg) = (
                more.voxels(grid, SeedKind::Liver),
                more.voxels(grid, SeedKind::Background),
            );
            let t = Instant::now();
            let r = g.grow(ct, &fg, &bg, &|_| {}, &cancel).expect("grow");
            t_add.push(t.elapsed().as_secs_f64());
            assert!(r.incremental);
        }
        rows.push(row(what, median(t_add), None, "< 1 s"));
    }
    let budget = grid.dims.iter().product::<usize>() as f64 + 64.0 * 1024.0 * 1024.0;
    rows.push(Row {
        what: "  peak extra memory of a grow (max of draws 1-5)".into(),
        remnant: format!("{:.0} MB", peak_extra / 1e6),
        reference: format!("1 B/voxel + 64 MiB = {:.0} MB", budget / 1e6),
        ratio: format!("{:.2}x", peak_extra / budget),
        goal: "< 1x".into(),
    });
    let first = first.expect("draw 1");
    (first, dices[0])
}

/// SimpleITK's ConfidenceConnected region growing from the liver strokes' points of
/// each draw on the same CT: (filter time, Dice, volume difference %) on the
/// reference's slab (slices >= k0); reading excluded. None when SimpleITK is missing.
fn sitk_region_grow(gz: &Path, draws: &[Seeds], k0: usize) -> Option<Vec<(f64, f64, f64)>> {
    let lists: Vec<String> = draws
        .iter()
        .map(|seeds| {
            let pts: Vec<String> = seeds
                .strokes
                .iter()
                .filter(|s| s.kind == SeedKind::Liver)
                .flat_map(|s| s.points.iter())
                .map(|p| format!("({},{},{})", p[0].round(), p[1].round(), p[2].round()))
                .collect();
            format!("[{}]", pts.join(","))
        })
        .collect();
    let liver = gz.with_file_name("bench_liver.nii.gz");
    let script = format!(
        "import SimpleITK as s, numpy as np, time\n\
         im=s.ReadImage('{}')\n\
         ref=s.GetArrayFromImage(s.ReadImage('{}'))[{k0}:]>0\n\
         for seeds in [{}]:\n\
         \x20   t=time.perf_counter(); m=s.ConfidenceConnected(im, seedList=seeds, numberOfIterations=2, multiplier=2.5, initialNeighborhoodRadius=2, replaceValue=1); t=time.perf_counter()-t\n\
         \x20   a=s.GetArrayFromImage(m)[{k0}:]>0\n\
         \x20   print(t, 2*(a&ref).sum()/(a.sum()+ref.sum()), 100*(a.sum()/ref.sum()-1))",
        gz.display(),
        liver.display(),
        lists.join(",")
    );
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .output()
        .ok()?;
    let v: Vec<(f64, f64, f64)> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let x: Vec<f64> = l
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            (x.len() == 3).then(|| (x[0], x[1], x[2]))
        })
        .collect();
    (v.len() == draws.len()).then_some(v)
}
