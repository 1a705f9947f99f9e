//! A scan: voxels on a grid with its true patient geometry.

pub mod dicom;
pub mod geometry;
pub mod nifti;
pub mod reorient;
pub mod units;

pub use geometry::{AffineSource, Geometry, Orientation, PatientDir};
pub use units::ValueUnits;

use ndarray::{Array3, ShapeBuilder};
use nifti::NiftiError;

/// Voxels in NIfTI order (i fastest) as an ndarray indexed `[i, j, k]`, plus geometry.
#[derive(Debug, Clone)]
pub struct Volume<T> {
    pub data: Array3<T>,
    pub geometry: Geometry,
}

impl<T: Copy> Volume<T> {
    pub fn new(voxels: Vec<T>, geometry: Geometry) -> Result<Self, NiftiError> {
        let [nx, ny, nz] = geometry.dims;
        let data = Array3::from_shape_vec((nx, ny, nz).f(), voxels).map_err(|_| {
            NiftiError::BadHeader("voxel count does not match the dimensions".into())
        })?;
        Ok(Volume { data, geometry })
    }

    pub fn dims(&self) -> [usize; 3] {
        self.geometry.dims
    }

    /// The voxels as one slice in NIfTI order.
    pub fn as_slice(&self) -> &[T] {
        self.data
            .as_slice_memory_order()
            .expect("volumes are built contiguous in Fortran order")
    }

    pub fn as_mut_slice(&mut self) -> &mut [T] {
        self.data
            .as_slice_memory_order_mut()
            .expect("volumes are built contiguous in Fortran order")
    }

    /// Voxels that start `offset` elements into `buf` (e.g. after a file header that was
    /// decompressed into the same buffer): no copy is made.
    pub fn from_offset_vec(
        buf: Vec<T>,
        offset: usize,
        geometry: Geometry,
    ) -> Result<Self, NiftiError> {
        let [nx, ny, nz] = geometry.dims;
        let n = nx * ny * nz;
        if buf.len() < offset + n {
            return Err(NiftiError::BadHeader(
                "voxel count does not match the dimensions".into(),
            ));
        }
        let flat = ndarray::Array1::from_vec(buf).slice_move(ndarray::s![offset..offset + n]);
        let data = flat
            .into_shape_with_order(((nx, ny, nz), ndarray::Order::ColumnMajor))
            .map_err(|_| {
                NiftiError::BadHeader("voxel count does not match the dimensions".into())
            })?;
        Ok(Volume { data, geometry })
    }

    /// The voxels as a Vec in NIfTI order (no copy unless the volume was built at an offset).
    pub fn into_vec(self) -> Vec<T> {
        let n = self.geometry.voxel_count();
        let (mut v, off) = self.data.into_raw_vec_and_offset();
        if let Some(o) = off
            && o > 0
        {
            v.drain(..o);
        }
        v.truncate(n);
        v
    }

    pub fn get(&self, i: usize, j: usize, k: usize) -> T {
        self.data[[i, j, k]]
    }
}
