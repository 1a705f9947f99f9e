//! Put a mask made by another tool onto the CT's grid when it stores the same
//! physical grid with permuted or flipped axes (e.g. a DICOM series converted by
//! dcm2niix to LPS while the CT is RAS). Anything else is a different grid and is
//! refused with a sentence saying how the grids differ: Remnant never resamples.

use super::geometry::{Geometry, fmt_dims, inv3, mat_vec};

/// Tolerances, in voxels: direction/spacing entries and origin offset.
const LINEAR_TOL: f64 = 1e-3;
const OFFSET_TOL: f64 = 1e-2;

/// For each CT axis: which mask axis runs along it, and whether it runs backwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AxisMap {
    pub src_axis: [usize; 3],
    pub flipped: [bool; 3],
}

impl AxisMap {
    pub fn is_identity(&self) -> bool {
        self.src_axis == [0, 1, 2] && self.flipped == [false; 3]
    }
}

/// How the mask's grid differs from the CT's (each message says so in a sentence).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GridMismatch {
    #[error("the CT's affine is singular")]
    SingularAffine,
    #[error(
        "voxel spacing differs: CT {:.3} x {:.3} x {:.3} mm, mask {:.3} x {:.3} x {:.3} mm",
        ct[0], ct[1], ct[2], mask[0], mask[1], mask[2]
    )]
    Spacing { ct: [f64; 3], mask: [f64; 3] },
    #[error(
        "axis directions differ beyond a permutation or flip (CT {ct}, mask {mask}): \
         the mask was resampled or is oblique to the CT"
    )]
    Directions { ct: String, mask: String },
    #[error(
        "the mask is {} voxels and the CT {} along the same axes: they cover different regions",
        fmt_dims(*mask), fmt_dims(*ct)
    )]
    Extent { mask: [usize; 3], ct: [usize; 3] },
    #[error(
        "the mask's grid is shifted by {voxels:.2} voxels along CT axis {axis} (origin differs): \
         it is not on the CT's grid"
    )]
    Shifted { voxels: f64, axis: usize },
}

/// How `src` maps onto `dst` if it is the same grid up to axis order and flips.
pub fn axis_map(dst: &Geometry, src: &Geometry) -> Result<AxisMap, GridMismatch> {
    let inv = inv3(&dst.linear()).ok_or(GridMismatch::SingularAffine)?;
    let sl = src.linear();
    // t = inv(dst) * src: columns = src voxel steps expressed in dst voxel steps.
    let mut t = [[0.0; 3]; 3];
    for c in 0..3 {
        let col = mat_vec(&inv, [sl[0][c], sl[1][c], sl[2][c]]);
        for r in 0..3 {
            t[r][c] = col[r];
        }
    }
    let mut src_axis = [usize::MAX; 3];
    let mut flipped = [false; 3];
    for c in 0..3 {
        let mut hit = None;
        for r in 0..3 {
            let v = t[r][c];
            if (v.abs() - 1.0).abs() < LINEAR_TOL {
                if hit.is_some() {
                    return Err(not_same(dst, src));
                }
                hit = Some((r, v < 0.0));
            } else if v.abs() > LINEAR_TOL {
                return Err(not_same(dst, src));
            }
        }
        let (r, neg) = hit.ok_or_else(|| not_same(dst, src))?;
        if src_axis[r] != usize::MAX {
            return Err(not_same(dst, src));
        }
        src_axis[r] = c;
        flipped[r] = neg;
    }
    for r in 0..3 {
        if src.dims[src_axis[r]] != dst.dims[r] {
            return Err(GridMismatch::Extent {
                mask: src.dims,
                ct: dst.dims,
            });
        }
    }
    // Origin: src voxel 0 must land on dst voxel 0 or on the far end of a flipped axis.
    let so = src.origin();
    let p = dst.to_index(so).ok_or(GridMismatch::SingularAffine)?;
    for r in 0..3 {
        let want = if flipped[r] {
            (dst.dims[r] - 1) as f64
        } else {
            0.0
        };
        if (p[r] - want).abs() > OFFSET_TOL {
            return Err(GridMismatch::Shifted {
                voxels: p[r] - want,
                axis: r,
            });
        }
    }
    Ok(AxisMap { src_axis, flipped })
}

fn not_same(dst: &Geometry, src: &Geometry) -> GridMismatch {
    let (a, b) = (dst.spacing(), src.spacing());
    let mut sa = [a[0], a[1], a[2]];
    let mut sb = [b[0], b[1], b[2]];
    sa.sort_by(f64::total_cmp);
    sb.sort_by(f64::total_cmp);
    if (0..3).any(|i| (sa[i] - sb[i]).abs() > 1e-3 * sa[i].max(1e-9)) {
        return GridMismatch::Spacing { ct: a, mask: b };
    }
    let name = |g: &Geometry| {
        let oblique = if g.is_oblique(0.5) { " oblique" } else { "" };
        format!("{}{oblique}", g.orientation())
    };
    GridMismatch::Directions {
        ct: name(dst),
        mask: name(src),
    }
}

/// Copy `src` voxels onto the `dst` grid using the axis map.
pub fn resample_exact<T: Copy + Default>(
    src: Vec<T>,
    src_dims: [usize; 3],
    map: AxisMap,
    dst_dims: [usize; 3],
) -> Vec<T> {
    if map.is_identity() {
        return src;
    }
    let mut out = vec![T::default(); dst_dims[0] * dst_dims[1] * dst_dims[2]];
    let sstride = [1, src_dims[0], src_dims[0] * src_dims[1]];
    // step in src linear index for +1 along each dst axis, and the start index
    let mut step = [0isize; 3];
    let mut start = 0isize;
    for r in 0..3 {
        let s = sstride[map.src_axis[r]] as isize;
        if map.flipped[r] {
            step[r] = -s;
            start += s * (dst_dims[r] as isize - 1);
        } else {
            step[r] = s;
        }
    }
    let mut o = 0;
    for k in 0..dst_dims[2] {
        for j in 0..dst_dims[1] {
            let mut idx = start + step[1] * j as isize + step[2] * k as isize;
            for _ in 0..dst_dims[0] {
                out[o] = src[idx as usize];
                idx += step[0];
                o += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ras(dims: [usize; 3]) -> Geometry {
        Geometry::axis_aligned(dims, [0.8, 0.9, 2.5], [-100.0, -50.0, 20.0])
    }

    #[test]
    fn identity_grid_maps_to_identity() {
        let g = ras([5, 6, 7]);
        assert!(axis_map(&g, &g).unwrap().is_identity());
    }

    #[test]
    fn lps_flipped_and_permuted_mask_lands_on_ct_voxels() {
        let ct = ras([4, 3, 2]);
        // The same grid stored with axes (k, i, j) and i, j flipped.
        let mut m = Geometry::axis_aligned([2, 4, 3], [1.0; 3], [0.0; 3]);
        let a = ct.affine;
        // src axis 0 = ct k, src axis 1 = ct i flipped, src axis 2 = ct j flipped
        for r in 0..3 {
            m.affine[r][0] = a[r][2];
            m.affine[r][1] = -a[r][0];
            m.affine[r][2] = -a[r][1];
        }
        let o = ct.to_world([3.0, 2.0, 0.0]);
        for r in 0..3 {
            m.affine[r][3] = o[r];
        }
        let map = axis_map(&ct, &m).unwrap();
        assert_eq!(map.src_axis, [1, 2, 0]);
        assert_eq!(map.flipped, [true, true, false]);
        // value = ct linear index of the voxel the mask voxel sits on
        let mut src = vec![0u32; 24];
        for k in 0..3 {
            for j in 0..4 {
                for i in 0..2 {
                    let w = m.to_world([i as f64, j as f64, k as f64]);
                    let p = ct.to_index(w).unwrap();
                    let lin = ct.index(
                        p[0].round() as usize,
                        p[1].round() as usize,
                        p[2].round() as usize,
                    );
                    src[i + 2 * (j + 4 * k)] = lin as u32;
                }
            }
        }
        let out = resample_exact(src, m.dims, map, ct.dims);
        let want: Vec<u32> = (0..24).collect();
        assert_eq!(out, want);
    }

    #[test]
    fn different_spacing_is_refused_with_reason() {
        let ct = ras([4, 4, 4]);
        let other = Geometry::axis_aligned([4, 4, 4], [1.0, 1.0, 1.0], [-100.0, -50.0, 20.0]);
        let e = axis_map(&ct, &other).unwrap_err();
        assert!(matches!(e, GridMismatch::Spacing { .. }), "{e}");
        assert!(e.to_string().contains("voxel spacing differs"), "{e}");
    }

    #[test]
    fn shifted_origin_is_refused_with_reason() {
        let ct = ras([4, 4, 4]);
        let other = Geometry::axis_aligned([4, 4, 4], [0.8, 0.9, 2.5], [-99.0, -50.0, 20.0]);
        let e = axis_map(&ct, &other).unwrap_err();
        assert!(matches!(e, GridMismatch::Shifted { axis: 0, .. }), "{e}");
        assert!(e.to_string().contains("shifted by"), "{e}");
    }
}
