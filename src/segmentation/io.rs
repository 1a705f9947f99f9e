//! Label maps on disk: Remnant's interchange label map, its bit-exact layer file
//! (autosave), and masks made by other tools imported as one layer.

use super::labelmap::{DESCRIP_BITS, DESCRIP_LABELS, LabelMap};
use super::layer::Layer;
use crate::task::Task;
use crate::volume::Geometry;
use crate::volume::nifti::{self, MaskSelect, SpatialFields};
use crate::volume::reorient::{axis_map, resample_exact};
use std::path::{Path, PathBuf};

/// Why a label map or mask could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    #[error(transparent)]
    Nifti(#[from] nifti::FileError),
    #[error(transparent)]
    Write(#[from] crate::fsutil::AtomicWriteError),
    #[error("{}: not on the CT's grid: {why}", path.display())]
    OtherGrid {
        path: PathBuf,
        why: crate::volume::reorient::GridMismatch,
    },
    #[error("{}: layer byte {byte} is not a valid combination of layers", path.display())]
    BadLayerByte { path: PathBuf, byte: u8 },
    #[error("{}: {source}", path.display())]
    UnknownLabel {
        path: PathBuf,
        source: super::labelmap::UnknownLabel,
    },
    #[error("{}: the mask has {what}", path.display())]
    EmptyMask { path: PathBuf, what: String },
}

/// Write the interchange label map (values 0-4) with the CT's header geometry.
/// Returns a warning when traced voxels outside the liver could not be written.
pub fn save_labels(
    path: &Path,
    map: &LabelMap,
    ct_spatial: Option<&SpatialFields>,
) -> Result<Option<String>, IoError> {
    let labels = map.to_labels();
    nifti::write_volume(path, &labels, &map.geometry, ct_spatial, DESCRIP_LABELS)?;
    let lost = map.bits_lost_in_labels();
    Ok((lost > 0).then(|| {
        format!("{lost} traced voxels lie outside the liver and are not part of the label map")
    }))
}

/// Write the layer bits exactly (Remnant's own format; used by autosave and cases).
pub fn save_bits(
    path: &Path,
    map: &LabelMap,
    ct_spatial: Option<&SpatialFields>,
) -> Result<(), IoError> {
    Ok(nifti::write_volume(
        path,
        &map.bits,
        &map.geometry,
        ct_spatial,
        DESCRIP_BITS,
    )?)
}

/// Put a volume read from `path` onto the CT grid, reorienting permuted/flipped axes.
fn onto_grid(
    path: &Path,
    data: Vec<u8>,
    src: &Geometry,
    ct: &Geometry,
) -> Result<Vec<u8>, IoError> {
    let map = axis_map(ct, src).map_err(|why| IoError::OtherGrid {
        path: path.to_path_buf(),
        why,
    })?;
    Ok(resample_exact(data, src.dims, map, ct.dims))
}

/// Load a label map written by Remnant (interchange labels or layer bits) onto the CT grid.
pub fn load_label_map(path: &Path, ct: &Geometry, task: Task) -> Result<LabelMap, IoError> {
    let (vol, hdr) = nifti::read_labels(path, task)?;
    let data = {
        let g = vol.geometry.clone();
        onto_grid(path, vol.into_vec(), &g, ct)?
    };
    if hdr.descrip.starts_with("Remnant layer bits") {
        if let Some(&byte) = data.iter().find(|&&b| b > 7) {
            return Err(IoError::BadLayerByte {
                path: path.to_path_buf(),
                byte,
            });
        }
        return Ok(LabelMap {
            geometry: ct.clone(),
            bits: data,
        });
    }
    LabelMap::from_labels(ct.clone(), &data).map_err(|source| IoError::UnknownLabel {
        path: path.to_path_buf(),
        source,
    })
}

/// A mask made elsewhere (non-zero or one label = in), reoriented onto `grid`'s voxels:
/// one byte per voxel, 1 = in (e.g. a trainee's reference).
pub fn read_mask_on_grid(
    path: &Path,
    select: MaskSelect,
    grid: &crate::volume::Geometry,
    task: Task,
) -> Result<Vec<u8>, IoError> {
    let (vol, _) = nifti::read_mask(path, select, task)?;
    let g = vol.geometry.clone();
    let mut mask = onto_grid(path, vol.into_vec(), &g, grid)?;
    for v in &mut mask {
        *v = u8::from(*v != 0);
    }
    if mask.iter().all(|&v| v == 0) {
        return Err(IoError::EmptyMask {
            path: path.to_path_buf(),
            what: "no voxel inside".into(),
        });
    }
    Ok(mask)
}

/// Import a binary or multi-label mask made elsewhere as one layer (replacing it).
/// Returns the number of voxels set.
pub fn import_mask(
    path: &Path,
    select: MaskSelect,
    layer: Layer,
    map: &mut LabelMap,
    task: Task,
) -> Result<usize, IoError> {
    let (vol, _) = nifti::read_mask(path, select, task)?;
    let mask = {
        let g = vol.geometry.clone();
        onto_grid(path, vol.into_vec(), &g, &map.geometry)?
    };
    let n = mask.iter().filter(|&&m| m != 0).count();
    if n == 0 {
        let what = match select {
            MaskSelect::NonZero => "no non-zero voxel".to_string(),
            MaskSelect::Label(l) => format!("no voxel with label {l}"),
        };
        return Err(IoError::EmptyMask {
            path: path.to_path_buf(),
            what,
        });
    }
    if map.bits.iter().all(|&b| b == 0) {
        // An empty map adopts the mask buffer: no second full-size array in memory.
        let b = layer.bit();
        let mut bits = mask;
        for v in &mut bits {
            *v = if *v != 0 { b } else { 0 };
        }
        map.bits = bits;
    } else {
        map.set_layer(layer, &mask);
    }
    Ok(n)
}
