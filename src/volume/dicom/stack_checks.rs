//! The consistency checks of a slice stack: one size and orientation, no
//! repeated positions, positions on one line, gantry tilt.

use super::error::DicomError;
use std::path::Path;

use super::vec3::{V3, add, cross, dot, norm, scale, sub};

/// An image with everything that places it in the patient (LPS mm).
#[derive(Debug, Clone)]
pub struct Placed<'a> {
    /// Index into the series' headers.
    pub header: usize,
    pub path: &'a Path,
    pub instance_number: Option<i64>,
    pub sop_uid: Option<&'a str>,
    pub rows: u32,
    pub cols: u32,
    pub position: V3,
    pub row_dir: V3,
    pub col_dir: V3,
    /// PixelSpacing: [between rows, between columns].
    pub spacing: [f64; 2],
    pub thickness: Option<f64>,
    pub between: Option<f64>,
}

impl Placed<'_> {
    /// "image #12" (InstanceNumber) or the file name, for messages.
    pub fn label(&self) -> String {
        match self.instance_number {
            Some(n) => format!("image #{n}"),
            None => format!("{}", self.path.display()),
        }
    }
}

/// Direction cosines equal to this much are the same orientation.
const ORIENTATION_TOL: f64 = 1e-3;
/// Pixel spacings equal to this much (mm) are the same.
const SPACING_TOL: f64 = 1e-3;
/// Slices closer than this along the normal (mm) are at the same position.
const SAME_POSITION_MM: f64 = 0.01;
/// A step further off the normal than this (degrees) is reported as gantry tilt.
const TILT_DEG: f64 = 0.05;

/// Refuse a series whose images differ in size, orientation or pixel spacing.
pub fn check_same_plane_and_size(placed: &[Placed]) -> Result<(), DicomError> {
    let sizes = groups(placed, |a, b| (a.cols, a.rows) == (b.cols, b.rows));
    if sizes.len() > 1 {
        let list = describe(&sizes, |p| format!("{} x {}", p.cols, p.rows));
        return Err(DicomError::Stack(format!(
            "the series mixes image sizes ({list}): it cannot be one volume"
        )));
    }
    let same_dir = |a: &Placed, b: &Placed| {
        (0..3).all(|i| {
            (a.row_dir[i] - b.row_dir[i]).abs() <= ORIENTATION_TOL
                && (a.col_dir[i] - b.col_dir[i]).abs() <= ORIENTATION_TOL
        })
    };
    let dirs = groups(placed, same_dir);
    if dirs.len() > 1 {
        let list = describe(&dirs, |p| plane_name(p.row_dir, p.col_dir).to_string());
        return Err(DicomError::Stack(format!(
            "the series mixes image orientations ({list}), e.g. a localizer among the slices: \
             it cannot be one volume"
        )));
    }
    let spacings = groups(placed, |a, b| {
        (a.spacing[0] - b.spacing[0]).abs() <= SPACING_TOL
            && (a.spacing[1] - b.spacing[1]).abs() <= SPACING_TOL
    });
    if spacings.len() > 1 {
        let list = describe(&spacings, |p| {
            format!("{} x {} mm", p.spacing[1], p.spacing[0])
        });
        return Err(DicomError::Stack(format!(
            "the series mixes pixel spacings ({list}): it cannot be one volume"
        )));
    }
    Ok(())
}

/// Greedy grouping by a representative: (representative, count).
fn groups<'p, 'a>(
    placed: &'p [Placed<'a>],
    same: impl Fn(&Placed, &Placed) -> bool,
) -> Vec<(&'p Placed<'a>, usize)> {
    let mut out: Vec<(&Placed, usize)> = Vec::new();
    for p in placed {
        match out.iter_mut().find(|(rep, _)| same(rep, p)) {
            Some((_, n)) => *n += 1,
            None => out.push((p, 1)),
        }
    }
    out
}

/// "12 images axial, 1 image coronal": the largest group first, ties by name, so the
/// message does not depend on the order the files were read in.
fn describe(groups: &[(&Placed, usize)], name: impl Fn(&Placed) -> String) -> String {
    let mut named: Vec<(usize, String)> = groups.iter().map(|(p, n)| (*n, name(p))).collect();
    named.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    named
        .iter()
        .map(|(n, name)| format!("{n} image{} {name}", if *n == 1 { "" } else { "s" }))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "axial", "coronal", "sagittal" or "oblique" from the slice normal.
pub fn plane_name(row_dir: V3, col_dir: V3) -> &'static str {
    let n = cross(row_dir, col_dir);
    let len = norm(n).max(1e-12);
    let a = [n[0].abs() / len, n[1].abs() / len, n[2].abs() / len];
    let (axis, max) = (0..3).fold(
        (0, 0.0),
        |(bi, bv), i| if a[i] > bv { (i, a[i]) } else { (bi, bv) },
    );
    if max < 0.99 {
        return "oblique";
    }
    ["sagittal", "coronal", "axial"][axis]
}

/// Remove repeated positions from the sorted `order`. Exact copies (same
/// SOPInstanceUID) are dropped; distinct images at one position keep the
/// first (by InstanceNumber) with a warning, unless every position repeats
/// (several volumes in one series), which is refused.
pub fn drop_duplicates(
    placed: &[Placed],
    order: Vec<usize>,
    normal: V3,
    warnings: &mut Vec<String>,
) -> Result<Vec<usize>, DicomError> {
    let along = |i: usize| dot(placed[i].position, normal);
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in order {
        match groups.last_mut() {
            Some(g) if (along(i) - along(g[0])).abs() < SAME_POSITION_MM => g.push(i),
            _ => groups.push(vec![i]),
        }
    }
    let mut copies = 0;
    for g in &mut groups {
        let before = g.len();
        let mut seen: Vec<Option<&str>> = Vec::new();
        g.retain(|&i| {
            let uid = placed[i].sop_uid;
            let dup = uid.is_some() && seen.contains(&uid);
            seen.push(uid);
            !dup
        });
        copies += before - g.len();
    }
    if copies > 0 {
        warnings.push(format!(
            "duplicated positions: {copies} file{} repeat an image already loaded (same SOPInstanceUID) and {} ignored",
            if copies == 1 { "" } else { "s" },
            if copies == 1 { "was" } else { "were" }
        ));
    }
    let m = groups[0].len();
    if groups.len() > 1 && m > 1 && groups.iter().all(|g| g.len() == m) {
        return Err(DicomError::Stack(format!(
            "every slice position occurs {m} times: the series holds {m} volumes \
             (phases, echoes or repeated scans); it cannot be one volume"
        )));
    }
    let extra: Vec<&Vec<usize>> = groups.iter().filter(|g| g.len() > 1).collect();
    if let Some(example) = extra.first() {
        let dropped: usize = extra.iter().map(|g| g.len() - 1).sum();
        warnings.push(format!(
            "duplicated positions: {dropped} image{} a slice position with another image \
             (e.g. {} and {}); the first of each by InstanceNumber is used",
            if dropped == 1 { " shares" } else { "s share" },
            placed[example[0]].label(),
            placed[example[1]].label()
        ));
    }
    Ok(groups.iter().map(|g| g[0]).collect())
}

/// Refuse slices whose positions are off to the side of the stack's line
/// (by more than half a pixel): they cannot share one grid.
pub fn check_line(
    placed: &[Placed],
    order: &[usize],
    grid_position: &[f64],
    origin: V3,
    step: V3,
    normal: V3,
) -> Result<(), DicomError> {
    let half_pixel = 0.5 * placed[order[0]].spacing[0].min(placed[order[0]].spacing[1]);
    for (s, &i) in order.iter().enumerate() {
        let predicted = add(origin, scale(step, grid_position[s]));
        let delta = sub(placed[i].position, predicted);
        let sideways = norm(sub(delta, scale(normal, dot(delta, normal))));
        if sideways > half_pixel {
            return Err(DicomError::Stack(format!(
                "the slice positions are not on one line: {} is {sideways:.2} mm to the side \
                 of the others; the slices cannot be stacked into one volume",
                placed[i].label()
            )));
        }
    }
    Ok(())
}

/// A warning if the step between slices is not along the slice normal.
pub fn tilt_warning(step: V3, normal: V3) -> Option<String> {
    let along = dot(step, normal);
    let sideways = norm(sub(step, scale(normal, along)));
    let angle = sideways.atan2(along.abs()).to_degrees();
    (angle > TILT_DEG).then(|| {
        format!(
            "gantry tilt: the slices are stepped {angle:.2} degrees off their normal; the volume \
             keeps the true positions on a sheared grid along the table (voxel volume stays exact, \
             but the voxels are not rectangular boxes)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(z: f64, n: i64, uid: &'static str) -> Placed<'static> {
        Placed {
            header: n as usize,
            path: Path::new("x.dcm"),
            instance_number: Some(n),
            sop_uid: Some(uid),
            rows: 4,
            cols: 4,
            position: [0.0, 0.0, z],
            row_dir: [1.0, 0.0, 0.0],
            col_dir: [0.0, 1.0, 0.0],
            spacing: [1.0, 1.0],
            thickness: None,
            between: None,
        }
    }

    #[test]
    fn plane_names() {
        assert_eq!(plane_name([1.0, 0.0, 0.0], [0.0, 1.0, 0.0]), "axial");
        assert_eq!(plane_name([1.0, 0.0, 0.0], [0.0, 0.0, -1.0]), "coronal");
        assert_eq!(plane_name([0.0, 1.0, 0.0], [0.0, 0.0, -1.0]), "sagittal");
        let c = [0.0, 30f64.to_radians().cos(), 30f64.to_radians().sin()];
        assert_eq!(plane_name([1.0, 0.0, 0.0], c), "oblique");
    }

    /// The localizer read first (or last) gives the same message: the largest group first.
    #[test]
    fn mixed_orientations_are_described_in_the_same_order_whatever_the_file_order() {
        let mut localizer = slice(0.0, 99, "l");
        localizer.col_dir = [0.0, 0.0, -1.0];
        let axial: Vec<Placed> = (0..3).map(|k| slice(k as f64, k, "a")).collect();
        let mut first = vec![localizer.clone()];
        first.extend(axial.iter().cloned());
        let mut last = axial.clone();
        last.push(localizer);
        for p in [first, last] {
            let err = check_same_plane_and_size(&p).unwrap_err().to_string();
            assert!(
                err.starts_with(
                    "the series mixes image orientations (3 images axial, 1 image coronal)"
                ),
                "{err}"
            );
        }
    }

    #[test]
    fn every_position_twice_is_two_volumes() {
        let p = vec![
            slice(0.0, 1, "a"),
            slice(0.0, 3, "b"),
            slice(1.0, 2, "c"),
            slice(1.0, 4, "d"),
        ];
        let err = drop_duplicates(&p, vec![0, 1, 2, 3], [0.0, 0.0, 1.0], &mut Vec::new());
        assert!(
            err.unwrap_err()
                .to_string()
                .starts_with("every slice position occurs 2 times")
        );
    }

    #[test]
    fn copies_of_one_file_are_dropped_quietly_but_said() {
        let p = vec![
            slice(0.0, 1, "a"),
            slice(0.0, 1, "a"),
            slice(1.0, 2, "c"),
            slice(1.0, 2, "c"),
        ];
        let mut w = Vec::new();
        let kept = drop_duplicates(&p, vec![0, 1, 2, 3], [0.0, 0.0, 1.0], &mut w).unwrap();
        assert_eq!(kept, vec![0, 2]);
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("2 files repeat an image already loaded"));
    }

    #[test]
    fn tilt_angle() {
        let t = 10f64.to_radians().tan();
        let w = tilt_warning([0.0, t, 1.0], [0.0, 0.0, 1.0]).unwrap();
        assert!(
            w.starts_with("gantry tilt: the slices are stepped 10.00 degrees"),
            "{w}"
        );
        assert!(tilt_warning([0.0, 0.0, -2.0], [0.0, 0.0, 1.0]).is_none());
    }

    #[test]
    fn off_line_slice_is_refused() {
        let mut p = vec![slice(0.0, 1, "a"), slice(1.0, 2, "b"), slice(2.0, 3, "c")];
        p[1].position[0] = 3.0;
        let r = check_line(
            &p,
            &[0, 1, 2],
            &[0.0, 1.0, 2.0],
            [0.0; 3],
            [0.0, 0.0, 1.0],
            [0.0, 0.0, 1.0],
        );
        assert!(
            r.unwrap_err()
                .to_string()
                .contains("image #2 is 3.00 mm to the side")
        );
    }
}
