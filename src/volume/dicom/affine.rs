//! The voxel -> patient affine of a slice stack, converted from DICOM's LPS+ to
//! the NIfTI RAS+ world the rest of Remnant uses (x and y negated).
//!
//! Voxel (i, j, k): i = column index (along the DICOM row direction), j = row
//! index (along the column direction), k = slice index in sorted order.

use super::vec3::V3;

/// In-plane axes and steps of a stack, all in DICOM LPS+.
#[derive(Debug, Clone, Copy)]
pub struct StackAxes {
    /// Unit direction of increasing column index i (IOP values 0..3).
    pub row_dir: V3,
    /// Unit direction of increasing row index j (IOP values 3..6).
    pub col_dir: V3,
    /// Distance between columns (PixelSpacing[1]) and between rows (PixelSpacing[0]), mm.
    pub col_spacing: f64,
    pub row_spacing: f64,
    /// Step from one slice to the next (k + 1), mm; not necessarily along the
    /// normal (gantry tilt gives a sheared grid).
    pub slice_step: V3,
    /// ImagePositionPatient of the first slice: centre of voxel (0, 0, 0).
    pub origin: V3,
}

/// Row-major 4x4 affine, voxel index -> RAS+ mm.
pub fn ras_affine(a: &StackAxes) -> [[f64; 4]; 4] {
    const LPS_TO_RAS: [f64; 3] = [-1.0, -1.0, 1.0];
    let mut m = [[0.0; 4]; 4];
    for (r, flip) in LPS_TO_RAS.iter().enumerate() {
        m[r][0] = flip * a.row_dir[r] * a.col_spacing;
        m[r][1] = flip * a.col_dir[r] * a.row_spacing;
        m[r][2] = flip * a.slice_step[r];
        m[r][3] = flip * a.origin[r];
    }
    m[3][3] = 1.0;
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axial_lps_stack_becomes_lps_letters_in_ras_world() {
        // Standard axial CT: rows run to the patient's left, columns to posterior,
        // slices go up. In RAS+ the i axis points Left, j Posterior, k Superior.
        let a = StackAxes {
            row_dir: [1.0, 0.0, 0.0],
            col_dir: [0.0, 1.0, 0.0],
            col_spacing: 0.7,
            row_spacing: 0.8,
            slice_step: [0.0, 0.0, 2.5],
            origin: [-100.0, -120.0, 30.0],
        };
        let m = ras_affine(&a);
        assert_eq!(m[0], [-0.7, 0.0, 0.0, 100.0]);
        assert_eq!(m[1], [0.0, -0.8, 0.0, 120.0]);
        assert_eq!(m[2], [0.0, 0.0, 2.5, 30.0]);
        assert_eq!(m[3], [0.0, 0.0, 0.0, 1.0]);
    }
}
