//! Open a NIfTI CT once and print the time (for profiling the reader with perf).
//!
//!   cargo build --release --example open_scan
//!   perf stat -e page-faults,task-clock target/release/examples/open_scan SCAN.nii

use std::time::Instant;

fn main() {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: open_scan SCAN.nii[.gz]");
        std::process::exit(2);
    };
    let t = Instant::now();
    match remnant::volume::nifti::read_ct(path.as_ref(), remnant::task::Task::none()) {
        Ok((ct, _)) => println!(
            "{:?} voxels in {:.1} ms",
            ct.dims(),
            t.elapsed().as_secs_f64() * 1000.0
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
