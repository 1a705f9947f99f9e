//! The one place the real test CT is loaded: the bundled sample (`sample_data/`).

use super::super::grid::Grid;
use crate::task::Task;
use crate::volume::nifti::{MaskSelect, read_ct, read_mask};

/// Real CT (HU) and the reference liver mask (1 = liver) of the bundled sample,
/// 122 x 101 x 30 voxels of 3 mm, Fortran order. Panics (failing the test) when missing.
pub(crate) fn load_real_ct() -> (Grid, Vec<i16>, Vec<u8>) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    let (ct, _) = read_ct(&dir.join("ct.nii.gz"), Task::none()).expect("sample CT");
    let (liver, _) = read_mask(&dir.join("liver.nii.gz"), MaskSelect::NonZero, Task::none())
        .expect("sample liver mask");
    let grid = Grid::of(&ct.geometry);
    assert_eq!(liver.geometry.dims, ct.geometry.dims, "liver mask grid");
    (grid, ct.into_vec(), liver.into_vec())
}
