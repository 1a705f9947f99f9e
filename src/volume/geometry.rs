//! Voxel-to-patient geometry: the 4x4 affine that maps voxel indices (i, j, k) to
//! patient coordinates in millimetres, in the NIfTI world convention RAS+:
//! +x points to the patient's Right, +y Anterior, +z Superior (DICOM's LPS+ is the
//! same space with x and y negated). An orientation letter names where a voxel axis
//! points TO: an "RAS" volume has i increasing towards the patient's right.

use std::fmt;

/// Where the affine came from, so the UI can say how much to trust it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AffineSource {
    /// NIfTI sform (`sform_code > 0`), preferred as nibabel and the standard do.
    Sform,
    /// NIfTI qform quaternion (`qform_code > 0`, no sform).
    Qform,
    /// Neither code set: NIfTI "method 1", spacing only. Orientation is unknown.
    SpacingOnly,
    /// Built from DICOM ImagePositionPatient / ImageOrientationPatient.
    Dicom,
    /// Made by Remnant (phantoms, tests).
    Synthetic,
}

impl AffineSource {
    pub fn describe(self) -> &'static str {
        match self {
            AffineSource::Sform => "NIfTI sform",
            AffineSource::Qform => "NIfTI qform",
            AffineSource::SpacingOnly => "no orientation in header (spacing only)",
            AffineSource::Dicom => "DICOM patient position/orientation",
            AffineSource::Synthetic => "synthetic",
        }
    }
}

/// The grid of a volume: its size and where every voxel sits in the patient.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Geometry {
    /// Number of voxels along i, j, k.
    pub dims: [usize; 3],
    /// Row-major 4x4 affine, voxel index -> RAS+ millimetres.
    pub affine: [[f64; 4]; 4],
    pub source: AffineSource,
}

impl Geometry {
    /// A plain axis-aligned RAS+ grid (used by phantoms and tests).
    pub fn axis_aligned(dims: [usize; 3], spacing: [f64; 3], origin: [f64; 3]) -> Self {
        let mut affine = [[0.0; 4]; 4];
        for a in 0..3 {
            affine[a][a] = spacing[a];
            affine[a][3] = origin[a];
        }
        affine[3][3] = 1.0;
        Geometry {
            dims,
            affine,
            source: AffineSource::Synthetic,
        }
    }

    pub fn voxel_count(&self) -> usize {
        self.dims[0] * self.dims[1] * self.dims[2]
    }

    /// Linear index in NIfTI (Fortran) order: i fastest.
    #[inline]
    pub fn index(&self, i: usize, j: usize, k: usize) -> usize {
        i + self.dims[0] * (j + self.dims[1] * k)
    }

    /// The 3x3 linear part.
    pub fn linear(&self) -> [[f64; 3]; 3] {
        let a = &self.affine;
        [
            [a[0][0], a[0][1], a[0][2]],
            [a[1][0], a[1][1], a[1][2]],
            [a[2][0], a[2][1], a[2][2]],
        ]
    }

    /// Voxel spacing in mm along i, j, k: the lengths of the affine's columns.
    pub fn spacing(&self) -> [f64; 3] {
        let m = self.linear();
        let mut s = [0.0; 3];
        for (c, sc) in s.iter_mut().enumerate() {
            *sc = (m[0][c] * m[0][c] + m[1][c] * m[1][c] + m[2][c] * m[2][c]).sqrt();
        }
        s
    }

    /// Volume of one voxel in mm^3: |det| of the affine's 3x3 (exact for oblique grids).
    pub fn voxel_volume_mm3(&self) -> f64 {
        det3(&self.linear()).abs()
    }

    pub fn origin(&self) -> [f64; 3] {
        [self.affine[0][3], self.affine[1][3], self.affine[2][3]]
    }

    /// Patient position (RAS+ mm) of a (continuous) voxel index.
    pub fn to_world(&self, p: [f64; 3]) -> [f64; 3] {
        let a = &self.affine;
        let mut w = [0.0; 3];
        for (r, wr) in w.iter_mut().enumerate() {
            *wr = a[r][0] * p[0] + a[r][1] * p[1] + a[r][2] * p[2] + a[r][3];
        }
        w
    }

    /// Continuous voxel index of a patient position, or None for a singular affine.
    pub fn to_index(&self, w: [f64; 3]) -> Option<[f64; 3]> {
        let inv = inv3(&self.linear())?;
        let o = self.origin();
        let d = [w[0] - o[0], w[1] - o[1], w[2] - o[2]];
        Some(mat_vec(&inv, d))
    }

    /// For each voxel axis, the patient direction it points to (nibabel's `aff2axcodes`).
    pub fn orientation(&self) -> Orientation {
        Orientation::from_linear(&self.linear())
    }

    /// True if the direction cosines are not aligned with the patient axes.
    pub fn is_oblique(&self, tol_deg: f64) -> bool {
        let m = self.linear();
        let s = self.spacing();
        (0..3).any(|c| {
            let maxc = (0..3)
                .map(|r| (m[r][c] / s[c]).abs())
                .fold(0.0_f64, f64::max);
            maxc < tol_deg.to_radians().cos()
        })
    }

    /// Describe how two grids differ, or None if they are the same grid (within `tol` mm).
    pub fn difference(&self, other: &Geometry, tol: f64) -> Option<String> {
        if self.dims != other.dims {
            return Some(format!(
                "size {} vs {}",
                fmt_dims(self.dims),
                fmt_dims(other.dims)
            ));
        }
        let (sa, sb) = (self.spacing(), other.spacing());
        if (0..3).any(|a| (sa[a] - sb[a]).abs() > tol) {
            return Some(format!(
                "voxel spacing {} mm vs {} mm",
                fmt_vec(sa),
                fmt_vec(sb)
            ));
        }
        for r in 0..3 {
            for c in 0..3 {
                if (self.affine[r][c] - other.affine[r][c]).abs() > tol {
                    return Some(format!(
                        "axis directions differ ({} vs {})",
                        self.orientation(),
                        other.orientation()
                    ));
                }
            }
        }
        let (oa, ob) = (self.origin(), other.origin());
        if (0..3).any(|a| (oa[a] - ob[a]).abs() > tol) {
            return Some(format!("origin {} mm vs {} mm", fmt_vec(oa), fmt_vec(ob)));
        }
        None
    }
}

pub fn fmt_dims(d: [usize; 3]) -> String {
    format!("{} x {} x {}", d[0], d[1], d[2])
}

pub fn fmt_vec(v: [f64; 3]) -> String {
    format!("({:.3}, {:.3}, {:.3})", v[0], v[1], v[2])
}

pub fn det3(m: &[[f64; 3]; 3]) -> f64 {
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
}

pub fn inv3(m: &[[f64; 3]; 3]) -> Option<[[f64; 3]; 3]> {
    let d = det3(m);
    if !d.is_finite() || d.abs() < 1e-12 {
        return None;
    }
    let mut r = [[0.0; 3]; 3];
    for (i, row) in r.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            // cofactor of (j, i)
            let (a1, a2) = ((j + 1) % 3, (j + 2) % 3);
            let (b1, b2) = ((i + 1) % 3, (i + 2) % 3);
            *v = (m[a1][b1] * m[a2][b2] - m[a1][b2] * m[a2][b1]) / d;
        }
    }
    Some(r)
}

pub fn mat_vec(m: &[[f64; 3]; 3], v: [f64; 3]) -> [f64; 3] {
    [
        m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
        m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
        m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
    ]
}

/// A patient direction: the letter names where an axis points TO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PatientDir {
    Right,
    Left,
    Anterior,
    Posterior,
    Superior,
    Inferior,
}

impl PatientDir {
    pub fn letter(self) -> char {
        match self {
            PatientDir::Right => 'R',
            PatientDir::Left => 'L',
            PatientDir::Anterior => 'A',
            PatientDir::Posterior => 'P',
            PatientDir::Superior => 'S',
            PatientDir::Inferior => 'I',
        }
    }

    pub fn opposite(self) -> PatientDir {
        match self {
            PatientDir::Right => PatientDir::Left,
            PatientDir::Left => PatientDir::Right,
            PatientDir::Anterior => PatientDir::Posterior,
            PatientDir::Posterior => PatientDir::Anterior,
            PatientDir::Superior => PatientDir::Inferior,
            PatientDir::Inferior => PatientDir::Superior,
        }
    }

    /// The world axis (0 = x, 1 = y, 2 = z) and its sign in RAS+ space.
    pub fn world_axis(self) -> (usize, f64) {
        match self {
            PatientDir::Right => (0, 1.0),
            PatientDir::Left => (0, -1.0),
            PatientDir::Anterior => (1, 1.0),
            PatientDir::Posterior => (1, -1.0),
            PatientDir::Superior => (2, 1.0),
            PatientDir::Inferior => (2, -1.0),
        }
    }

    fn from_world(axis: usize, positive: bool) -> PatientDir {
        match (axis, positive) {
            (0, true) => PatientDir::Right,
            (0, false) => PatientDir::Left,
            (1, true) => PatientDir::Anterior,
            (1, false) => PatientDir::Posterior,
            (2, true) => PatientDir::Superior,
            _ => PatientDir::Inferior,
        }
    }
}

/// The direction each voxel axis (i, j, k) points to, e.g. RAS or LPS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Orientation(pub [PatientDir; 3]);

impl Orientation {
    /// Greedy assignment of each voxel axis to its dominant world axis
    /// (largest |cosine| first), as nibabel's `io_orientation` does for non-degenerate input.
    pub fn from_linear(m: &[[f64; 3]; 3]) -> Orientation {
        let mut cand: Vec<(f64, usize, usize)> = Vec::with_capacity(9);
        for c in 0..3 {
            let n = (m[0][c] * m[0][c] + m[1][c] * m[1][c] + m[2][c] * m[2][c])
                .sqrt()
                .max(1e-30);
            for r in 0..3 {
                cand.push(((m[r][c] / n).abs(), c, r));
            }
        }
        cand.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut out = [None; 3];
        let mut used_world = [false; 3];
        for (_, c, r) in cand {
            if out[c].is_none() && !used_world[r] {
                out[c] = Some(PatientDir::from_world(r, m[r][c] >= 0.0));
                used_world[r] = true;
            }
        }
        Orientation([
            out[0].unwrap_or(PatientDir::Right),
            out[1].unwrap_or(PatientDir::Anterior),
            out[2].unwrap_or(PatientDir::Superior),
        ])
    }

    /// The voxel axis that runs along a world axis (0 x, 1 y, 2 z), and whether it
    /// increases in the positive (R, A, S) direction.
    pub fn axis_for_world(&self, world: usize) -> (usize, bool) {
        for (vox, d) in self.0.iter().enumerate() {
            let (w, s) = d.world_axis();
            if w == world {
                return (vox, s > 0.0);
            }
        }
        (world, true)
    }
}

impl fmt::Display for Orientation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.0 {
            write!(f, "{}", d.letter())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ras_and_lps_letters() {
        let g = Geometry::axis_aligned([4, 4, 4], [1.0, 1.0, 1.0], [0.0; 3]);
        assert_eq!(g.orientation().to_string(), "RAS");
        let mut lps = g.clone();
        lps.affine[0][0] = -1.0;
        lps.affine[1][1] = -1.0;
        assert_eq!(lps.orientation().to_string(), "LPS");
    }

    #[test]
    fn permuted_axes_letters() {
        // i runs superior, j runs left, k runs posterior (a coronal-like acquisition).
        let mut g = Geometry::axis_aligned([4, 4, 4], [1.0; 3], [0.0; 3]);
        g.affine = [
            [0.0, -1.0, 0.0, 0.0],
            [0.0, 0.0, -2.0, 0.0],
            [0.5, 0.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 1.0],
        ];
        assert_eq!(g.orientation().to_string(), "SLP");
        assert!((g.voxel_volume_mm3() - 1.0).abs() < 1e-12);
        assert_eq!(g.spacing(), [0.5, 1.0, 2.0]);
        assert_eq!(g.orientation().axis_for_world(0), (1, false));
    }

    #[test]
    fn oblique_volume_is_det_not_product_of_diagonal() {
        let t: f64 = 30f64.to_radians();
        let mut g = Geometry::axis_aligned([2, 2, 2], [1.0; 3], [0.0; 3]);
        // rotate about z by 30 degrees, spacing 0.8 x 0.8 x 2.5
        g.affine[0][0] = 0.8 * t.cos();
        g.affine[1][0] = 0.8 * t.sin();
        g.affine[0][1] = -0.8 * t.sin();
        g.affine[1][1] = 0.8 * t.cos();
        g.affine[2][2] = 2.5;
        assert!((g.voxel_volume_mm3() - 1.6).abs() < 1e-12);
        assert!(g.is_oblique(1.0));
        let w = g.to_world([1.0, 2.0, 3.0]);
        let back = g.to_index(w).unwrap();
        for a in 0..3 {
            assert!((back[a] - [1.0, 2.0, 3.0][a]).abs() < 1e-9);
        }
    }
}
