//! Bad files the NIfTI reader must refuse with a message (and never panic on), beyond
//! those in tests/nifti.rs (truncated, wrong magic, NaN and zero spacing, zero dims,
//! 4-D, RGB, one slice, huge values, non-UTF-8 paths): one test per kind of damage.
//!
//! This test binary counts allocations, so it also checks that headers promising
//! absurd sizes are refused before anything large is allocated.

mod common;

use common::{Nifti1, i16_bytes, write_maybe_gz};
use remnant::segmentation::io::load_label_map;
use remnant::task::Task;
use remnant::volume::nifti::{NiftiError, read_ct, read_ct_bytes, read_labels_bytes};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;
use tempfile::tempdir;

/// The system allocator, remembering the largest single allocation of each thread.
struct Counting;

thread_local! {
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

fn note(size: usize) {
    let _ = LARGEST.try_with(|l| l.set(l.get().max(size)));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Run `f` and return its result with the largest allocation it made on this thread.
fn largest_allocation<T>(f: impl FnOnce() -> T) -> (T, usize) {
    LARGEST.with(|l| l.set(0));
    let r = f();
    (r, LARGEST.with(|l| l.get()))
}

const MIB: usize = 1 << 20;

fn ct_err(h: &Nifti1, data: &[u8], name: &str) -> NiftiError {
    let dir = tempdir().unwrap();
    let p = dir.path().join(name);
    h.write(&p, data);
    let e = read_ct(&p, Task::none()).unwrap_err();
    assert!(e.to_string().starts_with(&p.display().to_string()), "{e}");
    e.error
}

/// A NIfTI-2 header (540 bytes + 4 extension bytes), int16, unit spacing.
fn nifti2(dims: [i64; 3]) -> Vec<u8> {
    let mut h = vec![0u8; 544];
    h[0..4].copy_from_slice(&540i32.to_le_bytes());
    h[4..12].copy_from_slice(b"n+2\0\r\n\x1a\n");
    h[12..14].copy_from_slice(&4i16.to_le_bytes());
    h[14..16].copy_from_slice(&16i16.to_le_bytes());
    for (i, d) in [3, dims[0], dims[1], dims[2], 1, 1, 1, 1]
        .iter()
        .enumerate()
    {
        h[16 + 8 * i..24 + 8 * i].copy_from_slice(&d.to_le_bytes());
    }
    for (i, p) in [1.0f64, 1.0, 1.0, 1.0].iter().enumerate() {
        h[104 + 8 * i..112 + 8 * i].copy_from_slice(&p.to_le_bytes());
    }
    h[168..176].copy_from_slice(&544i64.to_le_bytes());
    h
}

#[test]
fn nifti2_header_promising_100000_cubed_voxels_is_refused_before_allocating() {
    let bytes = nifti2([100_000, 100_000, 100_000]);
    let (r, largest) = largest_allocation(|| read_ct_bytes(&bytes, Task::none()));
    let e = r.unwrap_err();
    assert!(
        matches!(&e, NiftiError::TooLarge(m)
            if m.contains("100000 x 100000 x 100000") && m.contains("2147483648")),
        "{e}"
    );
    assert!(
        e.to_string().starts_with("too large: header promises"),
        "{e}"
    );
    assert!(largest < MIB, "allocated {largest} bytes");
}

#[test]
fn uncompressed_file_shorter_than_its_header_promises_is_refused_before_allocating() {
    // 1000 x 1000 x 1000 int16 = 2 GB promised, 48 bytes there
    let mut h = Nifti1::new([4, 3, 2], 4, 16);
    h.dim = [3, 1000, 1000, 1000, 1, 1, 1, 1];
    let mut bytes = h.header();
    bytes.extend_from_slice(&[0u8; 48]);
    let (r, largest) = largest_allocation(|| read_ct_bytes(&bytes, Task::none()));
    let e = r.unwrap_err();
    assert!(
        matches!(&e, NiftiError::Truncated(m)
            if m.contains("1000 x 1000 x 1000 int16") && m.contains("the file has 400 bytes")),
        "{e}"
    );
    assert!(largest < MIB, "allocated {largest} bytes");
}

#[test]
fn gzip_file_too_small_for_its_header_is_refused_before_allocating() {
    // 1024^3 int16 (2 GiB) promised by a gzip file of a few hundred bytes: deflate
    // cannot expand more than 1032:1, so this cannot be a whole file.
    let dir = tempdir().unwrap();
    let p = dir.path().join("liar.nii.gz");
    let mut h = Nifti1::new([4, 3, 2], 4, 16);
    h.dim = [3, 1024, 1024, 1024, 1, 1, 1, 1];
    h.write(&p, &vec![0u8; 4096]);
    let size = std::fs::metadata(&p).unwrap().len();
    let (r, largest) = largest_allocation(|| read_ct(&p, Task::none()));
    let e = r.unwrap_err();
    assert!(
        matches!(&e.error, NiftiError::Truncated(m)
            if m.contains("1024 x 1024 x 1024 int16")
                && m.contains(&format!("the compressed file has only {size} bytes"))
                && m.contains("1032:1")),
        "{e}"
    );
    assert!(largest < 4 * MIB, "allocated {largest} bytes");
}

#[test]
fn memory_for_a_cut_gzip_file_stays_within_what_the_file_can_hold() {
    // A 100 x 100 x 100 int16 scan (2 MB) cut short: the reader may allocate the
    // volume the header promises (the file could hold it), and no more.
    let dir = tempdir().unwrap();
    let p = dir.path().join("cut.nii.gz");
    let mut h = Nifti1::new([4, 3, 2], 4, 16);
    h.dim = [3, 100, 100, 100, 1, 1, 1, 1];
    let vals: Vec<i16> = (0..1_000_000).map(|i| (i % 700) as i16).collect();
    h.write(&p, &i16_bytes(&vals));
    let full = std::fs::read(&p).unwrap();
    std::fs::write(&p, &full[..full.len() / 3]).unwrap();
    let (r, largest) = largest_allocation(|| read_ct(&p, Task::none()));
    let e = r.unwrap_err();
    assert!(matches!(&e.error, NiftiError::Truncated(_)), "{e}");
    assert!(
        largest <= 2_000_000 + 352 + 4 * MIB,
        "allocated {largest} bytes for a 2 MB volume"
    );
}

#[test]
fn infinite_spacing_is_refused() {
    let mut h = Nifti1::new([4, 3, 2], 4, 16);
    h.pixdim[3] = f32::INFINITY;
    let e = ct_err(&h, &[0u8; 48], "inf.nii");
    assert!(
        matches!(&e, NiftiError::BadGeometry(m) if m.contains("pixdim[3] is inf")),
        "{e}"
    );
    assert!(
        e.to_string().contains("finite non-zero number of mm"),
        "{e}"
    );
}

#[test]
fn negative_dimension_is_refused() {
    let mut h = Nifti1::new([4, 3, 2], 4, 16);
    h.dim = [3, 4, -3, 2, 1, 1, 1, 1];
    let e = ct_err(&h, &[0u8; 48], "neg.nii");
    assert!(
        matches!(&e, NiftiError::BadHeader(m) if m.contains("dimension 2 has size -3")),
        "{e}"
    );
}

#[test]
fn number_of_dimensions_out_of_range_is_refused() {
    for nd in [0i16, 8, -1] {
        let mut h = Nifti1::new([4, 3, 2], 4, 16);
        h.dim[0] = nd;
        let e = ct_err(&h, &[0u8; 48], "nd.nii");
        assert!(
            matches!(&e, NiftiError::BadHeader(m) if m.contains(&format!("dim[0] (number of dimensions) is {nd}"))),
            "{e}"
        );
    }
}

#[test]
fn bad_voxel_offset_is_refused() {
    for (off, shown) in [(100.0f32, "100"), (f32::NAN, "NaN"), (3e9, "3000000000")] {
        let mut h = Nifti1::new([4, 3, 2], 4, 16);
        h.vox_offset = off;
        let e = ct_err(&h, &[0u8; 48], "off.nii");
        assert!(
            matches!(&e, NiftiError::BadHeader(m) if m.contains(&format!("vox_offset {shown} is not a valid position"))),
            "{off}: {e}"
        );
    }
}

#[test]
fn voxel_offset_past_the_end_of_a_gzip_file_is_truncated() {
    // (50 kB is within what a 70-byte gzip file could expand to, so the file is read)
    let mut h = Nifti1::new([4, 3, 2], 4, 16);
    h.vox_offset = 50_000.0;
    let e = ct_err(&h, &[0u8; 48], "far.nii.gz");
    assert!(
        matches!(&e, NiftiError::Truncated(m) if m.contains("ends before the voxel data starts")),
        "{e}"
    );
}

#[test]
fn two_file_analyze_style_header_is_refused() {
    let mut h = Nifti1::new([4, 3, 2], 4, 16);
    h.magic = *b"ni1\0";
    let e = ct_err(&h, &[0u8; 48], "pair.hdr");
    assert!(
        matches!(&e, NiftiError::Unsupported(m) if m.contains(".hdr + .img")),
        "{e}"
    );
}

#[test]
fn corrupt_gzip_stream_is_refused() {
    let dir = tempdir().unwrap();
    let p = dir.path().join("corrupt.nii.gz");
    let h = Nifti1::new([40, 30, 20], 4, 16);
    let vals: Vec<i16> = (0..24_000).map(|i| (i * 7 % 3000) as i16).collect();
    h.write(&p, &i16_bytes(&vals));
    let mut bytes = std::fs::read(&p).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 64] {
        *b ^= 0x5a;
    }
    std::fs::write(&p, &bytes).unwrap();
    let e = read_ct(&p, Task::none()).unwrap_err();
    assert!(
        matches!(&e.error, NiftiError::Corrupt(m) if m.contains("cannot be decoded"))
            || matches!(&e.error, NiftiError::Truncated(_)),
        "{e}"
    );
    assert!(e.to_string().contains("corrupt.nii.gz"), "{e}");
}

#[test]
fn gzip_checksum_mismatch_is_refused() {
    // the stream decodes, but its CRC-32 does not match the data
    let dir = tempdir().unwrap();
    let p = dir.path().join("crc.nii.gz");
    Nifti1::new([4, 3, 2], 4, 16).write(&p, &i16_bytes(&[3i16; 24]));
    let mut bytes = std::fs::read(&p).unwrap();
    let n = bytes.len();
    bytes[n - 8] ^= 0xff;
    std::fs::write(&p, &bytes).unwrap();
    let e = read_ct(&p, Task::none()).unwrap_err();
    assert!(
        matches!(&e.error, NiftiError::Corrupt(m) if m.contains("gzip stream is damaged")),
        "{e}"
    );
}

#[test]
fn truncated_nifti2_header_is_refused() {
    let bytes = nifti2([4, 3, 2]);
    let e = read_ct_bytes(&bytes[..300], Task::none()).unwrap_err();
    assert!(
        matches!(&e, NiftiError::Truncated(m) if m.contains("inside the NIfTI-2 header (300 of 540 bytes)")),
        "{e}"
    );
}

#[test]
fn non_finite_scaling_is_ignored_with_a_warning() {
    let mut h = Nifti1::new([2, 1, 1], 4, 16);
    h.scl_slope = f32::NAN;
    let mut bytes = h.header();
    bytes.extend(i16_bytes(&[10, -10]));
    let (ct, hdr) = read_ct_bytes(&bytes, Task::none()).unwrap();
    assert_eq!(ct.as_slice(), &[10, -10]);
    assert!(
        hdr.warnings
            .iter()
            .any(|w| w.contains("not finite numbers; values are used unscaled")),
        "{:?}",
        hdr.warnings
    );
}

#[test]
fn data_after_the_voxels_of_a_gzip_file_gives_a_warning() {
    let dir = tempdir().unwrap();
    let p = dir.path().join("extra.nii.gz");
    let h = Nifti1::new([2, 1, 1], 4, 16);
    let mut data = i16_bytes(&[1, 2]);
    data.extend_from_slice(b"trailing bytes");
    h.write(&p, &data);
    let (ct, hdr) = read_ct(&p, Task::none()).unwrap();
    assert_eq!(ct.as_slice(), &[1, 2]);
    assert!(
        hdr.warnings
            .iter()
            .any(|w| w.contains("14 bytes follow the voxel data")),
        "{:?}",
        hdr.warnings
    );
}

#[test]
fn label_values_out_of_range_are_refused() {
    let h = Nifti1::new([3, 1, 1], 512, 16); // uint16
    let mut bytes = h.header();
    bytes.extend(300u16.to_le_bytes());
    bytes.extend(1u16.to_le_bytes());
    bytes.extend(0u16.to_le_bytes());
    let e = read_labels_bytes(&bytes, Task::none()).unwrap_err();
    assert!(
        matches!(&e, NiftiError::BadValue(m) if m.contains("voxel 0 holds 300")),
        "{e}"
    );
}

#[test]
fn layer_bits_file_with_impossible_bits_is_refused() {
    let dir = tempdir().unwrap();
    let (ct, _) = read_ct(&common::sample("ct.nii.gz"), Task::none()).unwrap();
    let g = &ct.geometry;
    let mut bits = vec![0u8; g.voxel_count()];
    bits[5] = 17; // bit 4 (16) is no layer; 1-15 are (bit 3, 8, is the stage-1 resection)
    let p = dir.path().join("bits.nii.gz");
    remnant::volume::nifti::write_volume(&p, &bits, g, None, "Remnant layer bits v1: test")
        .unwrap();
    let e = load_label_map(&p, g, Task::none()).unwrap_err().to_string();
    assert!(
        e.contains("bits.nii.gz") && e.contains("layer byte 17 is not a valid combination"),
        "{e}"
    );
}

#[test]
fn file_and_memory_entry_points_agree_on_the_sample() {
    let p = common::sample("ct.nii.gz");
    let (a, ha) = read_ct(&p, Task::none()).unwrap();
    let bytes = std::fs::read(&p).unwrap();
    let (b, hb) = read_ct_bytes(&bytes, Task::none()).unwrap();
    assert_eq!(a.as_slice(), b.as_slice());
    assert_eq!(a.geometry, b.geometry);
    assert_eq!(ha.spatial, hb.spatial);
    // and on the uncompressed form
    let raw = {
        use std::io::Read;
        let mut v = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut v)
            .unwrap();
        v
    };
    let (c, _) = read_ct_bytes(&raw, Task::none()).unwrap();
    assert_eq!(a.as_slice(), c.as_slice());
    let dir = tempdir().unwrap();
    let q = dir.path().join("raw.nii");
    write_maybe_gz(&q, &raw);
    assert_eq!(
        read_ct(Path::new(&q), Task::none()).unwrap().0.as_slice(),
        a.as_slice()
    );
}
