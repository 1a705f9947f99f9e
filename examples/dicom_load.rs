//! `cargo run --release --example dicom_load -- DIR [SERIES_UID]`: scan a folder,
//! print the series and skipped files, load one series and print its geometry,
//! warnings and the time taken (the timing figure of the report).

use std::path::PathBuf;
use std::time::Instant;

use remnant::task::Task;
use remnant::volume::dicom::{load_series, scan_folder};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: dicom_load DIR [SERIES_UID]");
        std::process::exit(2);
    };
    let uid = args.next();
    let t0 = Instant::now();
    let scan = match scan_folder(&dir, Task::none()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("scan failed: {e}");
            std::process::exit(1);
        }
    };
    println!("scan: {:.3} s", t0.elapsed().as_secs_f64());
    for s in &scan.series {
        println!("series {}: {}", s.key, s.label());
    }
    for (p, why) in &scan.skipped {
        println!("skipped {}: {why}", p.display());
    }
    let chosen = match &uid {
        Some(u) => scan.find(u),
        None => scan.series.first(),
    };
    let Some(series) = chosen else {
        eprintln!("no series to load");
        std::process::exit(1);
    };
    let t1 = Instant::now();
    match load_series(series, Task::none()) {
        Ok(ct) => {
            println!("load_series: {:.3} s", t1.elapsed().as_secs_f64());
            let g = &ct.volume.geometry;
            println!(
                "dims {:?} orientation {} spacing {:?}",
                g.dims,
                g.orientation(),
                g.spacing()
            );
            for row in g.affine {
                println!("  {row:?}");
            }
            println!("patient {:?}", ct.patient);
            for w in &ct.warnings {
                println!("warning: {w}");
            }
        }
        Err(e) => {
            println!("load failed after {:.3} s: {e}", t1.elapsed().as_secs_f64());
            std::process::exit(1);
        }
    }
}
