//! The grid the tools work on: dimensions and spacing only (the tools never need the
//! patient affine); index helpers are inherent methods in `geom.rs`.

/// Dimensions and voxel spacing (mm) of a volume. Voxels are stored flat in NIfTI
/// (Fortran) order: `index = i + nx * (j + ny * k)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Grid {
    pub dims: [usize; 3],
    pub spacing: [f64; 3],
}

impl Grid {
    /// The tools' grid of a scan: its dimensions and voxel spacing (mm) from the affine.
    pub fn of(geometry: &crate::volume::Geometry) -> Grid {
        Grid {
            dims: geometry.dims,
            spacing: geometry.spacing(),
        }
    }
}
