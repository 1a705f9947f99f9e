//! Region tools (keep largest part, fill holes 3-D, grow by 3 mm) on the bench CT's reference
//! liver mask: the same input at any commit, for A/B runs (the bench's region rows run on
//! the grow's result, which changes with the grow). Median of 5.
//!   cargo run --release --example region_tools_timing -- [BENCH_DIR]
use remnant::segmentation::io::import_mask;
use remnant::segmentation::tools::region::{fill_holes_3d, grow_shrink, keep_largest_component};
use remnant::segmentation::tools::{EditCtx, Grid, PaintRules};
use remnant::segmentation::{LabelMap, Layer};
use remnant::task::Task;
use remnant::volume::nifti::{MaskSelect, read_ct};
use std::time::Instant;
fn main() {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "bench/out/data".into()),
    );
    let (ct, _) = read_ct(&dir.join("bench_ct.nii"), Task::none()).unwrap();
    let mut map = LabelMap::empty(ct.geometry.clone());
    import_mask(
        &dir.join("bench_liver.nii.gz"),
        MaskSelect::NonZero,
        Layer::Liver,
        &mut map,
        Task::none(),
    )
    .unwrap();
    let grid = Grid::of(&ct.geometry);
    let ctx = EditCtx::new(&grid, ct.as_slice(), Layer::Liver, PaintRules::default());
    let mut t = [vec![], vec![], vec![]];
    for _ in 0..5 {
        let mut g = map.bits.clone();
        let s = Instant::now();
        let e = keep_largest_component(&ctx, &mut g);
        e.apply(&mut g);
        t[0].push(s.elapsed().as_secs_f64());
        let s = Instant::now();
        let e = fill_holes_3d(&ctx, &mut g);
        e.apply(&mut g);
        t[1].push(s.elapsed().as_secs_f64());
        let s = Instant::now();
        let e = grow_shrink(&ctx, &mut g, 3.0);
        e.apply(&mut g);
        t[2].push(s.elapsed().as_secs_f64());
    }
    for v in &mut t {
        v.sort_by(f64::total_cmp);
    }
    println!(
        "keep_largest {:.3}  fill_holes_3d {:.3}  grow3mm {:.3}",
        t[0][2], t[1][2], t[2][2]
    );
}
