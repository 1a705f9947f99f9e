//! Slice spacing from the slice positions: the regular grid the slices sit on,
//! with missing slices (gaps) found and irregular spacing reported.

/// Where the sorted slices go on a regular grid of `grid_len` slices.
#[derive(Debug, Clone, PartialEq)]
pub struct SpacingPlan {
    /// Grid index (k) of each input slice, increasing.
    pub grid_index: Vec<usize>,
    pub grid_len: usize,
    /// The grid's slice spacing along the normal, mm (median of the steps).
    pub nominal: f64,
    pub warnings: Vec<String>,
}

/// A series with more of its grid missing than this fraction is refused.
const MAX_MISSING_FRACTION: f64 = 0.2;
/// Gaps listed one by one in the warnings; the rest are counted.
const MAX_LISTED: usize = 5;

enum Step {
    Regular,
    Gap(usize),
    Irregular,
}

/// `d`: positions along the slice normal, strictly increasing, at least two.
/// `labels`: a name for each slice for messages (e.g. "image #12").
pub fn plan_spacing(d: &[f64], labels: &[String]) -> Result<SpacingPlan, String> {
    let steps: Vec<f64> = d.windows(2).map(|w| w[1] - w[0]).collect();
    let nominal = median(&steps).ok_or("fewer than two slices")?;
    if !(nominal.is_finite() && nominal > 1e-6) {
        return Err("the slices have no distance between them".into());
    }
    let tol = (0.01 * nominal).max(0.01);
    let kinds: Vec<Step> = steps.iter().map(|&s| classify(s, nominal, tol)).collect();
    if kinds.iter().any(|k| matches!(k, Step::Irregular)) {
        return Ok(even_plan(d, &steps, nominal));
    }
    let mut grid_index = Vec::with_capacity(d.len());
    let mut warnings = Vec::new();
    let mut k = 0;
    grid_index.push(0);
    let mut gaps = 0;
    for (s, kind) in kinds.iter().enumerate() {
        let m = match kind {
            Step::Gap(m) => *m,
            _ => 1,
        };
        if m > 1 {
            gaps += 1;
            if gaps <= MAX_LISTED {
                warnings.push(format!(
                    "gap: {} slice{} missing between {} and {} ({:.3} mm apart, slice spacing {:.3} mm); \
                     filled by interpolating the two neighbouring slices",
                    m - 1,
                    if m == 2 { "" } else { "s" },
                    label(labels, s),
                    label(labels, s + 1),
                    steps[s],
                    nominal
                ));
            }
        }
        k += m;
        grid_index.push(k);
    }
    if gaps > MAX_LISTED {
        warnings.push(format!("gap: {} more gaps not listed", gaps - MAX_LISTED));
    }
    let grid_len = k + 1;
    let missing = grid_len - d.len();
    if missing as f64 > MAX_MISSING_FRACTION * grid_len as f64 {
        return Err(format!(
            "too many missing slices: {missing} of {grid_len} positions have no image \
             (slice spacing {nominal:.3} mm); the series is incomplete"
        ));
    }
    Ok(SpacingPlan {
        grid_index,
        grid_len,
        nominal,
        warnings,
    })
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

/// Irregular steps: keep every slice, spaced evenly from the first to the last,
/// and say how far a slice may then be from its true position.
fn even_plan(d: &[f64], steps: &[f64], nominal: f64) -> SpacingPlan {
    let n = d.len();
    let even = (d[n - 1] - d[0]) / (n - 1) as f64;
    let worst = d
        .iter()
        .enumerate()
        .map(|(s, &x)| (x - d[0] - s as f64 * even).abs())
        .fold(0.0, f64::max);
    let (lo, hi) = steps.iter().fold((f64::INFINITY, 0.0_f64), |(lo, hi), &s| {
        (lo.min(s), hi.max(s))
    });
    SpacingPlan {
        grid_index: (0..n).collect(),
        grid_len: n,
        nominal: even,
        warnings: vec![format!(
            "irregular slice spacing: steps from {lo:.3} to {hi:.3} mm (median {nominal:.3} mm); \
             slices are placed evenly {even:.3} mm apart, up to {worst:.2} mm from their true position"
        )],
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
        assert_eq!(p.grid_index, vec![0, 1, 2, 3]);
        assert_eq!(p.grid_len, 4);
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn one_missing_slice_is_a_gap() {
        let d = [0.0, 1.0, 2.0, 4.0, 5.0, 6.0];
        let p = plan_spacing(&d, &labels(6)).unwrap();
        assert_eq!(p.grid_index, vec![0, 1, 2, 4, 5, 6]);
        assert_eq!(p.grid_len, 7);
        assert_eq!(p.warnings.len(), 1);
        assert!(p.warnings[0].starts_with("gap: 1 slice missing between image #3 and image #4"));
    }

    #[test]
    fn irregular_is_spread_evenly() {
        let d = [0.0, 1.0, 2.5, 3.0, 4.0];
        let p = plan_spacing(&d, &labels(5)).unwrap();
        assert_eq!(p.grid_len, 5);
        assert!(p.warnings[0].starts_with("irregular slice spacing"));
    }

    #[test]
    fn mostly_missing_is_refused() {
        let d = [0.0, 1.0, 2.0, 10.0];
        assert!(plan_spacing(&d, &labels(4)).is_err());
    }
}
