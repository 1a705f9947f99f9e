//! Couinaud segments on the bench CT's reference liver: recomputing after a landmark
//! moved (validate, planes, one pass over the liver's box), and the options table with a
//! 15 mm tumour. Median of 5 (the bench's rows do the same inside `cargo bench`).
//!   cargo run --release --example segments_timing -- [BENCH_DIR]
use remnant::segmentation::components::components;
use remnant::segmentation::io::import_mask;
use remnant::segmentation::{LabelMap, Layer};
use remnant::segments::{self, LandmarkId};
use remnant::task::Task;
use remnant::volume::nifti::{MaskSelect, read_header};
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "bench/out/data".into()),
    );
    let g = read_header(&dir.join("bench_ct.nii"))
        .unwrap()
        .geometry()
        .unwrap();
    let mut map = LabelMap::empty(g.clone());
    import_mask(
        &dir.join("bench_liver.nii.gz"),
        MaskSelect::NonZero,
        Layer::Liver,
        &mut map,
        Task::none(),
    )
    .unwrap();
    let [nx, ny, _] = g.dims;
    let (mut sum, mut n) = ([0.0f64; 3], 0.0);
    for (i, &b) in map.bits.iter().enumerate() {
        if b != 0 {
            let w = g.to_world([
                (i % nx) as f64,
                ((i / nx) % ny) as f64,
                (i / (nx * ny)) as f64,
            ]);
            (0..3).for_each(|a| sum[a] += w[a]);
            n += 1.0;
        }
    }
    let c = sum.map(|s| s / n);
    // a 15 mm tumour 40 mm to the patient's left of the centre
    let tc = [c[0] - 40.0, c[1], c[2]];
    for (i, b) in map.bits.iter_mut().enumerate() {
        if *b != 0 {
            let w = g.to_world([
                (i % nx) as f64,
                ((i / nx) % ny) as f64,
                (i / (nx * ny)) as f64,
            ]);
            if (0..3).map(|a| (w[a] - tc[a]).powi(2)).sum::<f64>() <= 225.0 {
                *b |= Layer::Tumour.bit();
            }
        }
    }
    let mut lm = segments::phantom::landmarks_around(&map.bits, &g, c);
    let mut times = Vec::new();
    let mut last = None;
    for k in 0..5 {
        let p = lm.get(LandmarkId::RhvDistal).unwrap();
        lm.set(
            LandmarkId::RhvDistal,
            Some([p[0], p[1] + 0.5 * (k as f64).sin(), p[2]]),
        );
        let t = Instant::now();
        last = Some(segments::compute(&lm, &map.bits, &g).unwrap());
        times.push(t.elapsed().as_secs_f64());
    }
    let seg = last.unwrap();
    let total: u64 = seg.map.voxels.iter().sum();
    println!(
        "segments after moving a landmark: {:.1} ms (median of 5; grid {:?}, liver box {:?}, {} liver voxels)",
        1000.0 * median(times),
        g.dims,
        seg.map.size,
        total
    );
    let tumours = components(&map.bits, Layer::Tumour.bit(), &g);
    let cov = remnant::volumetry::coverage::liver_coverage(&map.bits, g.dims);
    let mut times = Vec::new();
    let mut count = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let ts = segments::table::tumour_segments(&map.bits, &g, &seg.map, &tumours);
        let inputs = remnant::volumetry::PlanInputs::default();
        count =
            segments::options::options(&map.bits, &g, &seg.map, &tumours, &ts, &inputs, cov).len();
        times.push(t.elapsed().as_secs_f64());
    }
    println!(
        "options table: {:.1} ms ({count} options, {} tumour)",
        1000.0 * median(times),
        tumours.len()
    );
    for v in segments::table::volumes(&seg.map, &g, &[]) {
        print!("{}={:.0}mL ", v.id.name(), v.volume_ml);
    }
    println!();
}
