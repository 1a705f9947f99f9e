//! Timing (ignored by default; run in release):
//!     cargo test --release -j 1 --test dicom_timing -- --ignored --nocapture
//! Writes a 512 x 512 x 400 uncompressed explicit-LE series to /tmp/remnant_big
//! (not committed), times load_series, and dcm2niix on the same files.

mod dicom_common;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use remnant::task::Task;
use remnant::volume::dicom::{load_series, scan_folder};

#[test]
#[ignore]
fn load_512x512x400_against_dcm2niix() {
    let root = Path::new("/tmp/remnant_big");
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
    let t = Instant::now();
    let scan = scan_folder(&data, Task::none()).expect("scan");
    let scan_s = t.elapsed().as_secs_f64();
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let ct = load_series(&scan.series[0], Task::none()).expect("load");
        best = best.min(t.elapsed().as_secs_f64());
        assert_eq!(ct.volume.dims(), [512, 512, 400]);
    }
    println!("scan_folder: {scan_s:.3} s; load_series (best of 3): {best:.3} s");
    if dicom_common::dcm2niix_ready() {
        let out = root.join("out");
        let _ = std::fs::remove_dir_all(&out);
        std::fs::create_dir_all(&out).expect("mkdir");
        let mut best = f64::MAX;
        for _ in 0..3 {
            let t = Instant::now();
            let st = Command::new("dcm2niix")
                .args(["-z", "n", "-b", "n", "-f", "ct", "-o"])
                .arg(&out)
                .arg(&data)
                .output()
                .expect("dcm2niix");
            assert!(st.status.success());
            best = best.min(t.elapsed().as_secs_f64());
            let _ = std::fs::remove_file(out.join("ct.nii"));
        }
        println!("dcm2niix -z n (best of 3): {best:.3} s");
    }
}
