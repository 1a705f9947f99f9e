//! Slice spacing from the slice positions, and the even grid the volume gets.
//!
//! - Even spacing (every step within 1 % of the usual one), possibly with
//!   missing slices (steps that are whole multiples of it): the grid holds every
//!   image at its own place, missing slices are interpolated (a "gap" warning).
//! - Uneven spacing: the images are resampled onto an even grid along the slice
//!   normal. Its spacing is the most common step (a step shared by more images
//!   than any other), or the smallest step when none is more common than the
//!   rest; the grid starts at the first image and stops at or before the last.
//!   Each image stands for its slab: from half-way to the image before it to
//!   half-way to the image after it (the end images as far out as their one
//!   neighbour's half step), the model behind a "slab sum" volume. A grid slice
//!   whose thickness lies inside one slab is that image; one that straddles
//!   slabs takes each voxel from one of them, in a fixed scattered pattern
//!   (`dither`), in proportion to the share of the grid slice each slab covers
//!   (`Sample::Mix`). So every voxel is a measured value, and a structure's
//!   volume on the grid equals the slab sum of the images, whatever the slab
//!   thicknesses and whatever threshold outlines it: the pattern averages the
//!   slab boundaries over the structure's cross-section instead of rounding
//!   them to the grid (linear interpolation, which this replaced, moved an edge
//!   by where the threshold lay between the two images' values: tissue above
//!   -300 HU came out 2 % under the slab sum on a real head CT). Steps longer
//!   than 1.5 times the spacing are missing slices: warned as gaps, and the
//!   grid slices inside them are flagged as filled (not refused: a series
//!   reconstructed at two spacings is not incomplete).

use super::error::DicomError;

/// What fills one grid slice, in terms of the sorted input slices.
#[derive(Debug, Clone, PartialEq)]
pub enum Sample {
    /// Input slice `s` itself.
    Input(usize),
    /// `(1 - t) * slice[lower] + t * slice[lower + 1]`: a missing slice of an
    /// evenly spaced series (`filled`).
    Between { lower: usize, t: f64, filled: bool },
    /// Uneven spacing, a grid slice across slabs: `(input slice, share)` of
    /// each slab it covers, in order, the shares summing to 1; each voxel comes
    /// from one of them (`pick`). `filled`: inside a gap (missing slices).
    Mix {
        parts: Vec<(usize, f64)>,
        filled: bool,
    },
}

/// The even grid the sorted slices go onto.
#[derive(Debug, Clone, PartialEq)]
pub struct SpacingPlan {
    /// One entry per grid slice k.
    pub samples: Vec<Sample>,
    /// The grid's slice spacing along the normal, mm.
    pub step: f64,
    /// Whether the images were resampled (uneven spacing), not just stacked.
    pub resampled: bool,
    pub warnings: Vec<String>,
    /// Short phrases for the series picker.
    pub notes: Vec<String>,
}

impl SpacingPlan {
    pub fn grid_len(&self) -> usize {
        self.samples.len()
    }

    /// Grid slices filled inside gaps (missing slices).
    pub fn filled(&self) -> Vec<usize> {
        self.samples
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                matches!(
                    s,
                    Sample::Between { filled: true, .. } | Sample::Mix { filled: true, .. }
                )
            })
            .map(|(k, _)| k)
            .collect()
    }
}

/// A series with more of its grid missing than this fraction is refused.
const MAX_MISSING_FRACTION: f64 = 0.2;
/// Gaps listed one by one in the warnings; the rest are counted.
const MAX_LISTED: usize = 5;
/// A step longer than this many times the spacing is a gap (missing slices).
const GAP_FACTOR: f64 = 1.5;
/// A grid slice this close (mm) to an image is that image.
const ON_IMAGE_MM: f64 = 1e-3;
/// A slab covering less than this share of a grid slice is left out of it.
const SLAB_EPS: f64 = 1e-6;

enum Step {
    Regular,
    Gap(usize),
    Irregular,
}

/// `d`: positions along the slice normal, strictly increasing, at least two.
/// `labels`: a name for each slice for messages (e.g. "image #12").
pub fn plan_spacing(d: &[f64], labels: &[String]) -> Result<SpacingPlan, DicomError> {
    let steps: Vec<f64> = d.windows(2).map(|w| w[1] - w[0]).collect();
    let typical = median(&steps).ok_or(DicomError::Stack("fewer than two slices".into()))?;
    if !(typical.is_finite() && typical > 1e-6) {
        return Err(DicomError::Stack(
            "the slices have no distance between them".into(),
        ));
    }
    let tol = (0.01 * typical).max(0.01);
    let kinds: Vec<Step> = steps.iter().map(|&s| classify(s, typical, tol)).collect();
    if kinds.iter().any(|k| matches!(k, Step::Irregular)) {
        return resample(d, &steps, labels);
    }
    let mut samples = vec![Sample::Input(0)];
    let mut warnings = Vec::new();
    let mut gaps = 0;
    for (s, kind) in kinds.iter().enumerate() {
        let m = match kind {
            Step::Gap(m) => *m,
            _ => 1,
        };
        if m > 1 {
            gaps += 1;
            let first = samples.len();
            for g in 1..m {
                let t = g as f64 / m as f64;
                samples.push(Sample::Between {
                    lower: s,
                    t,
                    filled: true,
                });
            }
            if gaps <= MAX_LISTED {
                warnings.push(format!(
                    "gap: {} slice{} missing between {} and {} ({:.3} mm apart, slice spacing {:.3} mm); \
                     filled by interpolating the two neighbouring slices (grid slice{} {})",
                    m - 1,
                    if m == 2 { "" } else { "s" },
                    label(labels, s),
                    label(labels, s + 1),
                    steps[s],
                    typical,
                    if m == 2 { "" } else { "s" },
                    slice_range(first, samples.len() - 1),
                ));
            }
        }
        samples.push(Sample::Input(s + 1));
    }
    if gaps > MAX_LISTED {
        warnings.push(format!("gap: {} more gaps not listed", gaps - MAX_LISTED));
    }
    let grid_len = samples.len();
    let missing = grid_len - d.len();
    check_missing(missing, grid_len, typical)?;
    let step = (d[d.len() - 1] - d[0]) / (grid_len - 1) as f64;
    let notes = if gaps > 0 {
        vec![format!(
            "{missing} missing slice{} filled",
            if missing == 1 { "" } else { "s" }
        )]
    } else {
        Vec::new()
    };
    Ok(SpacingPlan {
        samples,
        step,
        resampled: false,
        warnings,
        notes,
    })
}

fn check_missing(missing: usize, grid_len: usize, step: f64) -> Result<(), DicomError> {
    if missing as f64 > MAX_MISSING_FRACTION * grid_len as f64 {
        return Err(DicomError::Stack(format!(
            "too many missing slices: {missing} of {grid_len} positions have no image \
             (slice spacing {step:.3} mm); the series is incomplete"
        )));
    }
    Ok(())
}

fn classify(step: f64, nominal: f64, tol: f64) -> Step {
    if (step - nominal).abs() <= tol {
        return Step::Regular;
    }
    let m = (step / nominal).round();
    if m >= 2.0 && (step - m * nominal).abs() <= tol * m {
        Step::Gap(m as usize)
    } else {
        Step::Irregular
    }
}

/// Steps grouped by length (within 1 % or 0.01 mm): (mean length, count), by length.
fn step_groups(steps: &[f64]) -> Vec<(f64, usize)> {
    let mut sorted = steps.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut groups: Vec<(f64, f64, usize)> = Vec::new(); // (first, sum, count)
    for s in sorted {
        match groups.last_mut() {
            Some((first, sum, n)) if s - *first <= (0.01 * *first).max(0.01) => {
                *sum += s;
                *n += 1;
            }
            _ => groups.push((s, s, 1)),
        }
    }
    groups
        .into_iter()
        .map(|(_, sum, n)| (sum / n as f64, n))
        .collect()
}

/// The even grid's spacing: the most common step, or the smallest when no
/// step is more common than every other.
fn grid_spacing(groups: &[(f64, usize)]) -> (f64, &'static str) {
    let best = groups.iter().map(|g| g.1).max().unwrap_or(0);
    let modes: Vec<&(f64, usize)> = groups.iter().filter(|g| g.1 == best).collect();
    if modes.len() == 1 && best >= 2 {
        (modes[0].0, "the most common step")
    } else {
        (
            groups[0].0,
            "the smallest step, as no step is more common than the others",
        )
    }
}

/// Uneven spacing: resample onto an even grid (see the module notes).
fn resample(d: &[f64], steps: &[f64], labels: &[String]) -> Result<SpacingPlan, DicomError> {
    let groups = step_groups(steps);
    let (step, why) = grid_spacing(&groups);
    let n = d.len();
    let span = d[n - 1] - d[0];
    let last = ((span + ON_IMAGE_MM) / step).floor() as usize;
    let edges = slab_edges(d);
    let samples: Vec<Sample> = (0..=last)
        .map(|k| grid_slice(d, &edges, d[0] + k as f64 * step, step))
        .collect();
    let listed: Vec<String> = groups
        .iter()
        .map(|(g, c)| format!("{g:.3} mm x {c}"))
        .collect();
    let left_out = span - last as f64 * step;
    let mut warnings = vec![format!(
        "uneven slice spacing: steps of {} between the images; resampled onto an even grid of \
         {step:.3} mm ({why}) along the slice normal, {} slices; each image stands for the \
         slab half-way to its neighbours, and a grid slice across two slabs takes its voxels \
         from each in proportion (a fixed scattered pattern), so volumes keep the images' slab \
         sum{}",
        listed.join(", "),
        samples.len(),
        if left_out > ON_IMAGE_MM {
            format!("; the last {left_out:.3} mm up to the last image are not extrapolated")
        } else {
            String::new()
        }
    )];
    let mut plan = SpacingPlan {
        samples,
        step,
        resampled: true,
        warnings: Vec::new(),
        notes: vec![format!("uneven spacing: resampled to {step:.3} mm")],
    };
    let filled = plan.filled();
    let mut gaps = 0;
    for (i, &g) in steps.iter().enumerate() {
        if g > GAP_FACTOR * step {
            gaps += 1;
            let inside: Vec<usize> = filled
                .iter()
                .copied()
                .filter(|&k| in_step(&plan.samples[k], i))
                .collect();
            if gaps <= MAX_LISTED {
                let missing = ((g / step).round() as usize).saturating_sub(1).max(1);
                warnings.push(format!(
                    "gap: about {missing} slice{} missing between {} and {} ({g:.3} mm apart, \
                     slice spacing {step:.3} mm); filled from the two neighbouring slices, each \
                     up to half-way ({})",
                    if missing == 1 { "" } else { "s" },
                    label(labels, i),
                    label(labels, i + 1),
                    match inside.as_slice() {
                        [] => "no grid slice falls inside".to_string(),
                        [k] => format!("grid slice {k}"),
                        [a, .., b] => format!("grid slices {}", slice_range(*a, *b)),
                    }
                ));
            }
        }
    }
    if gaps > MAX_LISTED {
        warnings.push(format!("gap: {} more gaps not listed", gaps - MAX_LISTED));
    }
    if !filled.is_empty() {
        plan.notes.push(format!(
            "{} slice{} filled in gaps",
            filled.len(),
            if filled.len() == 1 { "" } else { "s" }
        ));
    }
    plan.warnings = warnings;
    Ok(plan)
}

/// Slab edges of the sorted positions `d` (at least two): image i stands for
/// `edges[i]..edges[i + 1]`, from half-way to the image before it to half-way
/// to the image after it; the end images reach as far out as half their one
/// step (the slab sum's model; tests/make_series.py computes it the same way).
pub fn slab_edges(d: &[f64]) -> Vec<f64> {
    let n = d.len();
    let mut edges = Vec::with_capacity(n + 1);
    edges.push(d[0] - (d[1] - d[0]) / 2.0);
    edges.extend(d.windows(2).map(|w| (w[0] + w[1]) / 2.0));
    edges.push(d[n - 1] + (d[n - 1] - d[n - 2]) / 2.0);
    edges
}

/// The grid slice centred at `x` (thickness `step`): the image whose slab holds
/// all of it, or the share of it each slab covers. Inside a gap (a step over
/// `GAP_FACTOR` x `step`, away from both images) it is flagged as filled.
fn grid_slice(d: &[f64], edges: &[f64], x: f64, step: f64) -> Sample {
    let n = d.len();
    let lo = (x - step / 2.0).max(edges[0]);
    let hi = (x + step / 2.0).min(edges[n]);
    // the first slab whose far edge lies beyond `lo`
    let first = edges[1..].partition_point(|&e| e <= lo).min(n - 1);
    let mut parts: Vec<(usize, f64)> = Vec::new();
    for i in first..n {
        if edges[i] >= hi {
            break;
        }
        let overlap = edges[i + 1].min(hi) - edges[i].max(lo);
        if overlap > SLAB_EPS * step {
            parts.push((i, overlap));
        }
    }
    let total: f64 = parts.iter().map(|p| p.1).sum();
    if parts.len() <= 1 || total <= 0.0 {
        return Sample::Input(parts.first().map_or(first, |p| p.0));
    }
    for p in &mut parts {
        p.1 /= total;
    }
    let s = d
        .partition_point(|&p| p <= x + ON_IMAGE_MM)
        .saturating_sub(1);
    let filled = s + 1 < n
        && d[s + 1] - d[s] > GAP_FACTOR * step
        && x - d[s] > ON_IMAGE_MM
        && d[s + 1] - x > ON_IMAGE_MM;
    Sample::Mix { parts, filled }
}

/// Whether a filled grid slice lies inside the step after input slice `i`.
fn in_step(sample: &Sample, i: usize) -> bool {
    match sample {
        Sample::Between { lower, .. } => *lower == i,
        Sample::Mix { parts, .. } => {
            parts.first().is_some_and(|p| p.0 <= i) && parts.last().is_some_and(|p| p.0 > i)
        }
        Sample::Input(_) => false,
    }
}

/// A voxel's place in the mixing pattern, in [0, 1): the R2 sequence (Roberts,
/// "The unreasonable effectiveness of quasirandom sequences", 2018) over the
/// pixel grid, so that any patch of pixels holds each share of a `Mix` as
/// closely as a patch of its size can, with no visible rows or blocks.
pub fn dither(col: usize, row: usize) -> f64 {
    // 1 / g and 1 / g^2, g the plastic number (the R2 sequence's constants)
    const A1: f64 = 0.754_877_666_246_692_7;
    const A2: f64 = 0.569_840_290_998_053_3;
    (0.5 + A1 * col as f64 + A2 * row as f64).fract()
}

/// Which input slice a voxel at pattern value `u` (from `dither`) takes in a `Mix`.
pub fn pick(parts: &[(usize, f64)], u: f64) -> usize {
    let mut acc = 0.0;
    for &(i, share) in parts {
        acc += share;
        if u < acc {
            return i;
        }
    }
    parts.last().map_or(0, |p| p.0)
}

fn slice_range(a: usize, b: usize) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a}-{b}")
    }
}

fn median(v: &[f64]) -> Option<f64> {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s.get(s.len() / 2).copied()
}

fn label(labels: &[String], i: usize) -> String {
    labels
        .get(i)
        .cloned()
        .unwrap_or_else(|| format!("slice {i}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("image #{}", i + 1)).collect()
    }

    #[test]
    fn regular() {
        let d = [0.0, 2.5, 5.0, 7.5];
        let p = plan_spacing(&d, &labels(4)).unwrap();
        assert_eq!(p.samples, (0..4).map(Sample::Input).collect::<Vec<_>>());
        assert!(!p.resampled);
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn one_missing_slice_is_a_gap() {
        let d = [0.0, 1.0, 2.0, 4.0, 5.0, 6.0];
        let p = plan_spacing(&d, &labels(6)).unwrap();
        assert_eq!(p.grid_len(), 7);
        assert_eq!(
            p.samples[3],
            Sample::Between {
                lower: 2,
                t: 0.5,
                filled: true
            }
        );
        assert_eq!(p.filled(), vec![3]);
        assert_eq!(p.warnings.len(), 1);
        assert!(
            p.warnings[0].starts_with("gap: 1 slice missing between image #3 and image #4"),
            "{}",
            p.warnings[0]
        );
    }

    #[test]
    fn uneven_is_resampled_on_the_most_common_step() {
        // 4 mm slices, one 1.08 mm step, then 7 mm (the head CT, shortened)
        let d = [0.0, 4.0, 8.0, 12.0, 13.08, 20.08, 27.08];
        let p = plan_spacing(&d, &labels(7)).unwrap();
        assert!(p.resampled);
        assert!((p.step - 4.0).abs() < 1e-9, "{}", p.step);
        // 0, 4, ... 24: never beyond the last image at 27.08
        assert_eq!(p.grid_len(), 7);
        // slabs: image 3 (12 mm) from 10 to 12.54, image 4 (13.08) to 16.58,
        // image 5 (20.08) to 23.58
        assert_eq!(p.samples[2], Sample::Input(2));
        let mix = |k: usize| match &p.samples[k] {
            Sample::Mix { parts, filled } => (parts.clone(), *filled),
            s => panic!("{k}: {s:?}"),
        };
        // 12 mm: 10..14 holds 2.54 mm of image 3's slab and 1.46 of image 4's
        let (parts, filled) = mix(3);
        assert_eq!(parts.iter().map(|p| p.0).collect::<Vec<_>>(), [3, 4]);
        assert!((parts[0].1 - 2.54 / 4.0).abs() < 1e-9, "{parts:?}");
        assert!(!filled);
        // 16 mm lies between 13.08 and 20.08 (a gap): 14..18 holds 2.58 mm of
        // image 4's slab and 1.42 of image 5's
        let (parts, filled) = mix(4);
        assert_eq!(parts.iter().map(|p| p.0).collect::<Vec<_>>(), [4, 5]);
        assert!((parts[1].1 - 1.42 / 4.0).abs() < 1e-9, "{parts:?}");
        assert!(filled, "7 mm > 1.5 x 4 mm is a gap");
        assert!(
            p.warnings[0].starts_with(
                "uneven slice spacing: steps of 1.080 mm x 1, 4.000 mm x 3, 7.000 mm x 2"
            ),
            "{}",
            p.warnings[0]
        );
        assert!(
            p.warnings[0].contains("not extrapolated"),
            "{}",
            p.warnings[0]
        );
        assert!(
            p.warnings
                .iter()
                .any(|w| w.starts_with("gap: about 1 slice missing between image #5 and image #6")),
            "{:?}",
            p.warnings
        );
    }

    #[test]
    fn no_dominant_step_takes_the_smallest() {
        let d = [0.0, 1.0, 2.2, 3.5];
        let p = plan_spacing(&d, &labels(4)).unwrap();
        assert!((p.step - 1.0).abs() < 1e-9);
        assert_eq!(p.grid_len(), 4);
        assert!(p.filled().is_empty());
        assert!(
            p.warnings[0].contains("the smallest step"),
            "{}",
            p.warnings[0]
        );
    }

    #[test]
    fn mostly_missing_is_refused() {
        let d = [0.0, 1.0, 2.0, 10.0];
        assert!(plan_spacing(&d, &labels(4)).is_err());
    }

    /// A tiny deterministic generator (xorshift64*), for the sweeps below.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> f64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
        }
        fn range(&mut self, lo: f64, hi: f64) -> f64 {
            lo + (hi - lo) * self.next()
        }
    }

    /// Pixels (0.7 mm) of a slice at height `z` inside a ball (centre `c`, radius `r`).
    fn ball_slice(c: [f64; 3], r: f64, z: f64) -> Vec<bool> {
        const N: usize = 64;
        (0..N * N)
            .map(|p| {
                let (x, y) = ((p % N) as f64 * 0.7, (p / N) as f64 * 0.7);
                (x - c[0]).powi(2) + (y - c[1]).powi(2) + (z - c[2]).powi(2) <= r * r
            })
            .collect()
    }

    /// The ball's volume (in pixel areas x mm) on the grid and as the slab sum.
    fn grid_and_slab_sum(d: &[f64], c: [f64; 3], r: f64) -> (f64, f64) {
        let p = plan_spacing(d, &labels(d.len())).unwrap();
        let slices: Vec<Vec<bool>> = d.iter().map(|&z| ball_slice(c, r, z)).collect();
        let area = |i: usize| slices[i].iter().filter(|&&x| x).count() as f64;
        let edges = slab_edges(d);
        let slab: f64 = (0..d.len())
            .map(|i| area(i) * (edges[i + 1] - edges[i]))
            .sum();
        let grid: f64 = p
            .samples
            .iter()
            .map(|s| match s {
                Sample::Input(i) => area(*i),
                Sample::Mix { parts, .. } => (0..64 * 64)
                    .filter(|&q| slices[pick(parts, dither(q % 64, q / 64))][q])
                    .count() as f64,
                Sample::Between { .. } => panic!("uneven spacing never interpolates"),
            })
            .sum::<f64>()
            * p.step;
        (grid, slab)
    }

    /// Issue 30 item 8: balls of 2-3 cm across (the size of a tumour, where
    /// rounding slab edges to the grid cost up to ~6 %) keep the slab sum
    /// within 1 % on uneven slabs of 0.6-7 mm, wherever they sit.
    #[test]
    fn small_balls_keep_the_slab_sum_on_any_slabs() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut worst: f64 = 0.0;
        for _ in 0..300 {
            let mut d = vec![0.0];
            while d.len() < 60 {
                // runs of one thickness with odd steps between, as exports have
                let step = rng.range(0.6, 7.0);
                let run = 1 + (rng.next() * 4.0) as usize;
                for _ in 0..run {
                    let last = *d.last().unwrap();
                    d.push(last + step);
                }
            }
            let top = *d.last().unwrap();
            let r = rng.range(10.0, 15.0);
            if top < 2.0 * r + 16.0 {
                continue;
            }
            let c = [
                rng.range(20.0, 25.0),
                rng.range(20.0, 25.0),
                rng.range(r + 8.0, top - r - 8.0),
            ];
            let (grid, slab) = grid_and_slab_sum(&d, c, r);
            worst = worst.max((grid - slab).abs() / slab);
        }
        println!("worst {:.3} %", 100.0 * worst);
        assert!(worst < 0.01, "worst {:.3} %", 100.0 * worst);
    }

    /// A 42 mm ball across the one odd step of a 5 mm series (every grid slice
    /// after it straddles two slabs) keeps the slab sum; the grid slices before
    /// it lie on the images and are those images. (Liver-sized shapes:
    /// tests/dicom_exports.rs, from DICOM files.)
    #[test]
    fn a_ball_across_an_odd_step_keeps_the_slab_sum_and_grid_slices_on_one_slab_are_images() {
        let mut d: Vec<f64> = (0..20).map(|i| i as f64 * 5.0).collect();
        d.extend((0..20).map(|i| 96.3 + i as f64 * 5.0));
        let (grid, slab) = grid_and_slab_sum(&d, [22.0, 22.0, 96.0], 21.0);
        assert!((grid - slab).abs() / slab < 0.002, "{grid} vs {slab}");
        let p = plan_spacing(&d, &labels(d.len())).unwrap();
        // before the odd step the grid lies on the images: each is itself
        assert!(
            p.samples[..19]
                .iter()
                .enumerate()
                .all(|(k, s)| *s == Sample::Input(k))
        );
    }
}
