//! Remnant's speed and memory on a full-size CT, side by side with reference tools
//! run on the same files in the same run. Prints a markdown table.
//!
//!   bench/run.sh                      (makes the bench CT if needed, installs the references)
//!   cargo bench --bench perf -- DIR   (DIR holds bench_ct.nii.gz, bench_ct.nii, bench_liver.nii.gz)

use remnant::render::{LayerStyle, Plane, PlaneAxes, Window, render_slice};
use remnant::segmentation::io::import_mask;
use remnant::segmentation::{LabelMap, Layer};
use remnant::task::Task;
use remnant::volume::nifti::{MaskSelect, read_ct};
use remnant::volumetry::Counts;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

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
        "\nCT {} x {} x {} int16; {} runs each, median; machine: {} cores.",
        ct.dims()[0],
        ct.dims()[1],
        ct.dims()[2],
        n,
        std::thread::available_parallelism().map_or(0, |p| p.get())
    );
}
