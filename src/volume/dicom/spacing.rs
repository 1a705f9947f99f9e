//! Slice spacing from the slice positions, and the even grid the volume gets.
//!
//! - Even spacing (every step within 1 % of the usual one), possibly with
//!   missing slices (steps that are whole multiples of it): the grid holds every
//!   image at its own place, missing slices are interpolated (a "gap" warning).
//! - Uneven spacing: the images are resampled onto an even grid along the slice
//!   normal. Its spacing is the most common step (a step shared by more images
//!   than any other), or the smallest step when none is more common than the
//!   rest. Each grid slice is interpolated linearly between the two images
//!   nearest it (one before, one after); the grid starts at the first image and
//!   stops at or before the last: nothing is extrapolated. Steps longer than
//!   1.5 times the spacing are missing slices: warned as gaps, and the grid
//!   slices inside them are flagged as filled (not refused: a series
//!   reconstructed at two spacings is not incomplete).

use super::error::DicomError;

/// What fills one grid slice, in terms of the sorted input slices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sample {
    /// Input slice `s` itself.
    Input(usize),
    /// `(1 - t) * slice[lower] + t * slice[lower + 1]`; `filled`: inside a gap
    /// (missing slices) rather than between two close images.
    Between { lower: usize, t: f64, filled: bool },
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
            .filter(|(_, s)| matches!(s, Sample::Between { filled: true, .. }))
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
    let mut samples = Vec::with_capacity(last + 1);
    let mut s = 0;
    for k in 0..=last {
        let x = d[0] + k as f64 * step;
        while s + 2 < n && d[s + 1] <= x + ON_IMAGE_MM {
            s += 1;
        }
        let (lo, hi) = (d[s], d[s + 1]);
        samples.push(if (x - lo).abs() <= ON_IMAGE_MM {
            Sample::Input(s)
        } else if (hi - x).abs() <= ON_IMAGE_MM {
            Sample::Input(s + 1)
        } else {
            Sample::Between {
                lower: s,
                t: ((x - lo) / (hi - lo)).clamp(0.0, 1.0),
                filled: hi - lo > GAP_FACTOR * step,
            }
        });
    }
    let listed: Vec<String> = groups
        .iter()
        .map(|(g, c)| format!("{g:.3} mm x {c}"))
        .collect();
    let left_out = span - last as f64 * step;
    let mut warnings = vec![format!(
        "uneven slice spacing: steps of {} between the images; resampled onto an even grid of \
         {step:.3} mm ({why}) along the slice normal, {} slices, each interpolated linearly \
         between its two nearest images{}",
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
                .filter(|&k| matches!(plan.samples[k], Sample::Between { lower, .. } if lower == i))
                .collect();
            if gaps <= MAX_LISTED {
                let missing = ((g / step).round() as usize).saturating_sub(1).max(1);
                warnings.push(format!(
                    "gap: about {missing} slice{} missing between {} and {} ({g:.3} mm apart, \
                     slice spacing {step:.3} mm); filled by interpolating the two neighbouring \
                     slices ({})",
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
        assert_eq!(p.samples[3], Sample::Input(3));
        // 16 mm lies between 13.08 and 20.08: t = 2.92 / 7
        match p.samples[4] {
            Sample::Between { lower, t, filled } => {
                assert_eq!(lower, 4);
                assert!((t - 2.92 / 7.0).abs() < 1e-9);
                assert!(filled, "7 mm > 1.5 x 4 mm is a gap");
            }
            s => panic!("{s:?}"),
        }
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
}
