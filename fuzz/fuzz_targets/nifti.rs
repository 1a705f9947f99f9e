//! The NIfTI reader on arbitrary bytes: as a CT, as a label map and as a mask, through
//! the same code as files on disk (`read_*_bytes`). Any error is fine; a panic, an
//! allocation the header could not justify or a hang is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use remnant::task::Task;
use remnant::volume::nifti::{MaskSelect, read_ct_bytes, read_labels_bytes, read_mask_bytes};

fuzz_target!(|data: &[u8]| {
    if let Ok((ct, hdr)) = read_ct_bytes(data, Task::none()) {
        assert_eq!(ct.as_slice().len(), hdr.voxel_count());
        assert_eq!(ct.dims(), hdr.dims);
    }
    if let Ok((labels, _)) = read_labels_bytes(data, Task::none()) {
        assert_eq!(labels.as_slice().len(), labels.geometry.voxel_count());
    }
    if let Ok((mask, _)) = read_mask_bytes(data, MaskSelect::Label(1), Task::none()) {
        assert!(mask.as_slice().iter().all(|&v| v <= 1));
    }
});
