//! Timing of the DICOM import on a 512 x 512 x 400 series (ignored by default):
//!
//!     cargo test --release -j 1 --test dicom_timing -- --ignored --nocapture
//!
//! Writes the series once to $REMNANT_TIMING_DIR (default /tmp/remnant_big; 200
//! MB of uncompressed explicit VR little endian files, not committed), then on
//! the same files with a warm page cache, best of 5 runs each:
//! - opening it in Remnant: `scan_folder` + `load_series` (what File > Open
//!   DICOM folder does before the first slice is drawn);
//! - `remnant convert --out ct.nii` against `dcm2niix -z n` (both read the
//!   series and write the same uncompressed NIfTI: the same work).

mod dicom_common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use remnant::task::Task;
use remnant::volume::dicom::{load_series, scan_folder};

fn best_of_5(mut f: impl FnMut()) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    best
}

fn run_ok(cmd: &mut Command) {
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[ignore]
fn load_512x512x400_against_dcm2niix() {
    let root = std::env::var_os("REMNANT_TIMING_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/remnant_big"));
    let data = root.join("data");
    if !data.join("CT0399.dcm").exists() {
        if !dicom_common::tools_for("explicit") {
            return;
        }
        let ok = Command::new("python3")
            .arg(dicom_common::SCRIPT)
            .arg(&data)
            .arg("big")
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "make_series.py big failed");
    }
    // Warm the page cache so that both sides read from memory.
    let scan = scan_folder(&data, Task::none()).expect("scan");
    assert_eq!(scan.series.len(), 1);
    let _ = load_series(&scan.series[0], Task::none()).expect("load");

    let scan_s = best_of_5(|| {
        scan_folder(&data, Task::none()).expect("scan");
    });
    let load_s = best_of_5(|| {
        let ct = load_series(&scan.series[0], Task::none()).expect("load");
        assert_eq!(ct.volume.dims(), [512, 512, 400]);
    });
    let open_s = best_of_5(|| {
        let scan = scan_folder(&data, Task::none()).expect("scan");
        let ct = load_series(&scan.series[0], Task::none()).expect("load");
        assert_eq!(ct.volume.dims(), [512, 512, 400]);
    });
    println!("Remnant scan_folder:                  {scan_s:.3} s");
    println!("Remnant load_series:                  {load_s:.3} s");
    println!("Remnant open (scan + load, in memory): {open_s:.3} s");

    let out = root.join("out");
    let ours = out.join("remnant.nii");
    std::fs::create_dir_all(&out).expect("mkdir");
    let convert_s = best_of_5(|| {
        run_ok(
            Command::new(env!("CARGO_BIN_EXE_remnant"))
                .args(["convert", "--dicom"])
                .arg(&data)
                .arg("--out")
                .arg(&ours),
        )
    });
    println!("remnant convert --out ct.nii:          {convert_s:.3} s");
    if dicom_common::dcm2niix_ready() {
        let theirs = out.join("dcm2niix");
        let d2n_s = best_of_5(|| {
            let _ = std::fs::remove_dir_all(&theirs);
            std::fs::create_dir_all(&theirs).expect("mkdir");
            run_ok(
                Command::new("dcm2niix")
                    .args(["-z", "n", "-b", "n", "-f", "ct", "-o"])
                    .arg(&theirs)
                    .arg(&data),
            )
        });
        println!("dcm2niix -z n (same files):           {d2n_s:.3} s");
        println!(
            "ratios: open / dcm2niix {:.2}x, convert / dcm2niix {:.2}x",
            open_s / d2n_s,
            convert_s / d2n_s
        );
        assert!(Path::new(&theirs.join("ct.nii")).exists());
    }
}
