//! Time the phases of opening a .nii.gz CT (diagnostics for the benchmark).
fn main() {
    let p = std::path::PathBuf::from(std::env::args().nth(1).expect("path"));
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let comp = std::fs::read(&p).unwrap();
        let t1 = t.elapsed();
        let mut out: Vec<u8> = vec![0; 194_511_200 + 352];
        let t2 = t.elapsed();
        let n = libdeflater::Decompressor::new().gzip_decompress(&comp, &mut out).unwrap();
        let t3 = t.elapsed();
        let (ct, _) = remnant::volume::nifti::read_ct(&p, remnant::task::Task::none()).unwrap();
        let t4 = t.elapsed();
        println!("read {:?} alloc {:?} inflate {:?} ({n}) read_ct {:?} {}", t1, t2 - t1, t3 - t2, t4 - t3, ct.dims()[0]);
    }
}
