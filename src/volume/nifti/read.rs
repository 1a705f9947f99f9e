//! Streaming NIfTI reader: header first (validated), then the voxels decoded chunk by
//! chunk straight into the output buffer.

use super::header::{self, DataType, NiftiHeader};
use super::{FileError, NiftiError};
use crate::task::Task;
use crate::volume::Volume;
use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

/// How a mask made by another tool becomes one layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaskSelect {
    /// Every non-zero voxel (a binary mask).
    NonZero,
    /// Only voxels equal to this label value (one organ of a multi-label map).
    Label(u32),
}

const CHUNK: usize = 4 << 20;

struct Source<'a> {
    reader: Box<dyn Read + 'a>,
    compressed: bool,
}

fn io_err(e: io::Error) -> NiftiError {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => NiftiError::Truncated("the file ends early".into()),
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => {
            NiftiError::Corrupt(format!("compressed data cannot be decoded ({e})"))
        }
        _ => NiftiError::Io(e.to_string()),
    }
}

/// Read as many bytes as are there, up to buf.len().
fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> Result<usize, NiftiError> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_err(e)),
        }
    }
    Ok(n)
}

/// Where a file's bytes come from: a file on disk, or bytes already in memory. Both
/// go through the very same parsing and decoding code (the in-memory form serves the
/// fuzz targets and tests without temporary files).
#[derive(Clone, Copy)]
enum Input<'a> {
    File(&'a Path),
    Bytes(&'a [u8]),
}

/// deflate cannot expand data more than 1032:1 (a 258-byte match in 2 bits), so a
/// gzip file of n bytes holds at most about 1032 n bytes: a header promising more is
/// refused before anything is allocated.
const MAX_GZIP_RATIO: u64 = 1032;

fn open(input: Input<'_>) -> Result<(NiftiHeader, Source<'_>), NiftiError> {
    match input {
        Input::File(path) => open_file(path),
        Input::Bytes(b) => {
            let compressed = b.starts_with(&[0x1f, 0x8b]);
            let reader: Box<dyn Read + '_> = if compressed {
                Box::new(MultiGzDecoder::new(b))
            } else {
                Box::new(b)
            };
            open_stream(reader, compressed, b.len() as u64)
        }
    }
}

fn open_file(path: &Path) -> Result<(NiftiHeader, Source<'static>), NiftiError> {
    let mut file = File::open(path).map_err(|e| NiftiError::Io(e.to_string()))?;
    let meta = file.metadata().map_err(|e| NiftiError::Io(e.to_string()))?;
    if meta.is_dir() {
        return Err(NiftiError::Io("this is a folder, not a file".into()));
    }
    let mut magic = [0u8; 2];
    let got = read_full(&mut file, &mut magic)?;
    let compressed = got == 2 && magic == [0x1f, 0x8b];
    let file = {
        use std::io::Seek;
        let mut f = file;
        f.seek(io::SeekFrom::Start(0))
            .map_err(|e| NiftiError::Io(e.to_string()))?;
        f
    };
    let reader: Box<dyn Read> = if compressed {
        Box::new(MultiGzDecoder::new(BufReader::with_capacity(1 << 20, file)))
    } else {
        Box::new(BufReader::with_capacity(1 << 20, file))
    };
    open_stream(reader, compressed, meta.len())
}

/// Parse the header from the start of `reader` and skip to the voxel data. `file_len`
/// is the stored (possibly compressed) length, checked against what the header promises.
fn open_stream<'a>(
    mut reader: Box<dyn Read + 'a>,
    compressed: bool,
    file_len: u64,
) -> Result<(NiftiHeader, Source<'a>), NiftiError> {
    let mut buf = [0u8; header::MAX_HEADER_BYTES];
    let n = read_full(&mut *reader, &mut buf[..4])?;
    let size = i32::from_le_bytes([buf[0], buf[1], buf[2], buf[3]]);
    let hdr_len = match size {
        _ if n < 4 => {
            return Err(header::parse(&buf[..n])
                .err()
                .unwrap_or(NiftiError::Truncated("empty file".into())));
        }
        540 => 540,
        _ if size.swap_bytes() == 540 => 540,
        _ => 348,
    };
    let n = 4 + read_full(&mut *reader, &mut buf[4..hdr_len])?;
    let hdr = header::parse(&buf[..n])?;
    let need = hdr.vox_offset + hdr.data_bytes() as u64;
    let promised = || {
        format!(
            "the header promises {} x {} x {} {} voxels ({} bytes from offset {})",
            hdr.dims[0],
            hdr.dims[1],
            hdr.dims[2],
            hdr.datatype.name(),
            hdr.data_bytes(),
            hdr.vox_offset,
        )
    };
    if compressed && file_len.saturating_mul(MAX_GZIP_RATIO).saturating_add(4096) < need {
        return Err(NiftiError::Truncated(format!(
            "{} but the compressed file has only {file_len} bytes, which cannot hold that much \
             (gzip expands at most {MAX_GZIP_RATIO}:1)",
            promised()
        )));
    }
    if !compressed && file_len < need {
        return Err(NiftiError::Truncated(format!(
            "{} but the file has {file_len} bytes",
            promised()
        )));
    }
    // Skip extensions up to the voxel data.
    let skip = hdr.vox_offset.saturating_sub(hdr_len as u64);
    let skipped = io::copy(&mut (&mut *reader).take(skip), &mut io::sink()).map_err(io_err)?;
    if skipped < skip {
        return Err(NiftiError::Truncated(
            "the file ends before the voxel data starts".into(),
        ));
    }
    Ok((hdr, Source { reader, compressed }))
}

/// Read only the header (fast; for file pickers and checks).
pub fn read_header(path: &Path) -> Result<NiftiHeader, FileError> {
    open(Input::File(path))
        .map(|(h, _)| h)
        .map_err(|e| FileError::new(path, e))
}

/// After the voxels: a compressed file must end (its CRC is checked on the way).
fn finish(src: &mut Source<'_>, hdr: &mut NiftiHeader) -> Result<(), NiftiError> {
    if !src.compressed {
        return Ok(());
    }
    let mut extra = 0u64;
    let mut buf = [0u8; 4096];
    loop {
        match src.reader.read(&mut buf) {
            Ok(0) => break,
            Ok(k) => extra += k as u64,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(NiftiError::Corrupt(format!(
                    "the gzip stream is damaged after the voxel data ({e})"
                )));
            }
        }
        if extra > 1 << 30 {
            break;
        }
    }
    if extra > 0 {
        hdr.warnings.push(format!(
            "{extra} bytes follow the voxel data the header describes; they were ignored"
        ));
    }
    Ok(())
}

fn truncated_at(hdr: &NiftiHeader, got: usize) -> NiftiError {
    NiftiError::Truncated(format!(
        "the header promises {} x {} x {} {} voxels ({} bytes) but the data ends after {} bytes",
        hdr.dims[0],
        hdr.dims[1],
        hdr.dims[2],
        hdr.datatype.name(),
        hdr.data_bytes(),
        got
    ))
}

/// Read raw bytes into `out` in chunks, with progress and cancellation.
fn read_bytes(
    src: &mut Source<'_>,
    hdr: &NiftiHeader,
    out: &mut [u8],
    task: Task,
    done_before: usize,
) -> Result<(), NiftiError> {
    let total = hdr.data_bytes().max(1);
    let mut pos = 0;
    while pos < out.len() {
        if task.cancelled() {
            return Err(NiftiError::Cancelled);
        }
        let end = (pos + CHUNK).min(out.len());
        let n = read_full(&mut *src.reader, &mut out[pos..end])?;
        pos += n;
        if pos < end {
            return Err(truncated_at(hdr, done_before + pos));
        }
        task.report((done_before + pos) as f32 / total as f32);
    }
    Ok(())
}

/// Read `out.len()` bytes from `offset` of an uncompressed file with positioned reads
/// in parallel chunks: the copy and the first-touch page faults of the fresh buffer
/// (most of the time of a read from the page cache) are shared between the cores.
/// The file's length was checked against the header before.
fn pread_parallel(path: &Path, offset: u64, out: &mut [u8], task: Task) -> Result<(), NiftiError> {
    use rayon::prelude::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let file = File::open(path).map_err(|e| NiftiError::Io(e.to_string()))?;
    let total = out.len().max(1);
    let done = AtomicUsize::new(0);
    out.par_chunks_mut(CHUNK)
        .enumerate()
        .try_for_each(|(i, chunk)| {
            if task.cancelled() {
                return Err(NiftiError::Cancelled);
            }
            read_exact_at(&file, chunk, offset + (i * CHUNK) as u64).map_err(io_err)?;
            let d = done.fetch_add(chunk.len(), Ordering::Relaxed) + chunk.len();
            task.report(d as f32 / total as f32);
            Ok(())
        })
}

/// A positioned read of the whole of `buf` (no shared file cursor: threads read at once).
#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

/// A positioned read of the whole of `buf` (Windows: `seek_read` moves the file's cursor,
/// but each call names its own offset, so parallel calls still read the right bytes).
#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut at: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, at) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                at += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Decode the voxels one chunk at a time and hand each (scaled) value to `put`.
/// Receives each decoded chunk: (index of its first voxel, scaled values).
type PutChunk<'a> = dyn FnMut(usize, &[f64]) -> Result<(), NiftiError> + 'a;

fn read_converted(
    src: &mut Source<'_>,
    hdr: &NiftiHeader,
    task: Task,
    put: &mut PutChunk,
) -> Result<(), NiftiError> {
    let size = hdr.datatype.size();
    let n = hdr.voxel_count();
    let per_chunk = (CHUNK / size).min(n.max(1));
    let mut bytes = vec![0u8; per_chunk * size];
    let mut vals = vec![0f64; per_chunk];
    let (slope, inter) = if hdr.has_scaling() {
        (hdr.scl_slope, hdr.scl_inter)
    } else {
        (1.0, 0.0)
    };
    let mut start = 0;
    while start < n {
        let count = per_chunk.min(n - start);
        let b = &mut bytes[..count * size];
        read_bytes(src, hdr, b, task, start * size)?;
        if !hdr.little_endian {
            for c in b.chunks_exact_mut(size) {
                c.reverse();
            }
        }
        decode(hdr.datatype, b, &mut vals[..count]);
        if slope != 1.0 || inter != 0.0 {
            for v in &mut vals[..count] {
                *v = *v * slope + inter;
            }
        }
        put(start, &vals[..count])?;
        start += count;
    }
    Ok(())
}

fn decode(dt: DataType, b: &[u8], out: &mut [f64]) {
    macro_rules! conv {
        ($t:ty, $n:expr) => {
            for (o, c) in out.iter_mut().zip(b.chunks_exact($n)) {
                let mut a = [0u8; $n];
                a.copy_from_slice(c);
                *o = <$t>::from_le_bytes(a) as f64;
            }
        };
    }
    match dt {
        DataType::U8 => conv!(u8, 1),
        DataType::I8 => conv!(i8, 1),
        DataType::I16 => conv!(i16, 2),
        DataType::U16 => conv!(u16, 2),
        DataType::I32 => conv!(i32, 4),
        DataType::U32 => conv!(u32, 4),
        DataType::I64 => conv!(i64, 8),
        DataType::U64 => conv!(u64, 8),
        DataType::F32 => conv!(f32, 4),
        DataType::F64 => conv!(f64, 8),
    }
}

fn with_path<T>(path: &Path, r: Result<T, NiftiError>) -> Result<T, FileError> {
    r.map_err(|e| FileError::new(path, e))
}

/// The fast path for the common CT file (gzip, int16, no scaling): read the whole
/// compressed file and inflate it with libdeflate in one call straight into the final
/// buffer (header included; the volume then starts `vox_offset` bytes in, no copy).
/// None when libdeflate cannot take this file (e.g. several gzip members): the
/// streaming reader then handles it.
fn whole_gzip_i16(
    input: Input<'_>,
    hdr: &NiftiHeader,
    task: Task,
) -> Result<Option<Vec<i16>>, NiftiError> {
    match input {
        Input::File(path) => {
            let file = File::open(path).map_err(|e| NiftiError::Io(e.to_string()))?;
            // SAFETY: the map is read-only and lives only during this call; if another
            // program truncated the file meanwhile, libdeflate sees bad data and the
            // streaming reader takes over (a concurrent in-place rewrite of a scan being
            // opened is not supported).
            let comp =
                unsafe { memmap2::Mmap::map(&file) }.map_err(|e| NiftiError::Io(e.to_string()))?;
            inflate_i16(&comp, hdr, task)
        }
        Input::Bytes(b) => inflate_i16(b, hdr, task),
    }
}

fn inflate_i16(comp: &[u8], hdr: &NiftiHeader, task: Task) -> Result<Option<Vec<i16>>, NiftiError> {
    if task.cancelled() {
        return Err(NiftiError::Cancelled);
    }
    task.report(0.1);
    let total = hdr.vox_offset as usize + hdr.data_bytes();
    let mut data: Vec<i16> = vec![0; total.div_ceil(2)];
    let mut d = libdeflater::Decompressor::new();
    match d.gzip_decompress(comp, bytemuck::cast_slice_mut(&mut data)) {
        Ok(got) if got >= total => {
            if !hdr.little_endian {
                for v in &mut data {
                    *v = v.swap_bytes();
                }
            }
            task.report(1.0);
            Ok(Some(data))
        }
        Ok(got) => Err(truncated_at(
            hdr,
            got.saturating_sub(hdr.vox_offset as usize),
        )),
        // Too little room means more data than the header promises, or a multi-member
        // file: let the streaming reader decide.
        Err(libdeflater::DecompressionError::InsufficientSpace) => Ok(None),
        Err(libdeflater::DecompressionError::BadData) => {
            // Distinguish a cut file (streaming reader says "truncated") from corruption.
            Ok(None)
        }
    }
}

/// Read a CT as i16 Hounsfield units (scl_slope/scl_inter applied). int16 files
/// without scaling are decompressed straight into the final buffer; other types are
/// converted chunk by chunk, values rounded to whole HU and clamped to the int16 range
/// (with a warning if any had to be clamped).
pub fn read_ct(path: &Path, task: Task) -> Result<(Volume<i16>, NiftiHeader), FileError> {
    with_path(path, read_ct_inner(Input::File(path), task))
}

/// [`read_ct`] on the bytes of a `.nii` or `.nii.gz` file already in memory.
pub fn read_ct_bytes(bytes: &[u8], task: Task) -> Result<(Volume<i16>, NiftiHeader), NiftiError> {
    read_ct_inner(Input::Bytes(bytes), task)
}

fn read_ct_inner(input: Input<'_>, task: Task) -> Result<(Volume<i16>, NiftiHeader), NiftiError> {
    let (mut hdr, mut src) = open(input)?;
    let geometry = hdr.geometry()?;
    if src.compressed
        && hdr.datatype == DataType::I16
        && !hdr.has_scaling()
        && hdr.vox_offset % 2 == 0
        && let Some(data) = whole_gzip_i16(input, &hdr, task)?
    {
        let vol = Volume::from_offset_vec(data, (hdr.vox_offset / 2) as usize, geometry)?;
        return Ok((vol, hdr));
    }
    let n = hdr.voxel_count();
    let mut data: Vec<i16> = vec![0; n];
    if hdr.datatype == DataType::I16 && !hdr.has_scaling() {
        match input {
            // Uncompressed file: both cores read (and fault in) halves of the buffer.
            Input::File(path) if !src.compressed => pread_parallel(
                path,
                hdr.vox_offset,
                bytemuck::cast_slice_mut(&mut data),
                task,
            )?,
            _ => read_bytes(&mut src, &hdr, bytemuck::cast_slice_mut(&mut data), task, 0)?,
        }
        if !hdr.little_endian {
            for v in &mut data {
                *v = v.swap_bytes();
            }
        }
    } else {
        let mut clamped = 0usize;
        let mut non_finite = 0usize;
        read_converted(&mut src, &hdr, task, &mut |start, vals| {
            for (o, &v) in data[start..start + vals.len()].iter_mut().zip(vals) {
                if !v.is_finite() {
                    non_finite += 1;
                    *o = -1024;
                    continue;
                }
                let r = v.round();
                if r < i16::MIN as f64 || r > i16::MAX as f64 {
                    clamped += 1;
                }
                *o = r.clamp(i16::MIN as f64, i16::MAX as f64) as i16;
            }
            Ok(())
        })?;
        if non_finite > 0 {
            hdr.warnings.push(format!(
                "{non_finite} voxels are NaN or infinite; they are shown as air (-1024 HU)"
            ));
        }
        if clamped > 0 {
            hdr.warnings.push(format!(
                "{clamped} voxels lie outside the int16 range and were clamped"
            ));
        }
    }
    finish(&mut src, &mut hdr)?;
    Ok((Volume::new(data, geometry)?, hdr))
}

/// Read a label map whose values are whole numbers 0..=255 (Remnant's own label maps,
/// or multi-label maps from other tools).
pub fn read_labels(path: &Path, task: Task) -> Result<(Volume<u8>, NiftiHeader), FileError> {
    with_path(path, read_u8(Input::File(path), task, None))
}

/// [`read_labels`] on the bytes of a file already in memory.
pub fn read_labels_bytes(
    bytes: &[u8],
    task: Task,
) -> Result<(Volume<u8>, NiftiHeader), NiftiError> {
    read_u8(Input::Bytes(bytes), task, None)
}

/// Read a binary or multi-label mask made elsewhere as a 0/1 mask.
pub fn read_mask(
    path: &Path,
    select: MaskSelect,
    task: Task,
) -> Result<(Volume<u8>, NiftiHeader), FileError> {
    with_path(path, read_u8(Input::File(path), task, Some(select)))
}

/// [`read_mask`] on the bytes of a file already in memory.
pub fn read_mask_bytes(
    bytes: &[u8],
    select: MaskSelect,
    task: Task,
) -> Result<(Volume<u8>, NiftiHeader), NiftiError> {
    read_u8(Input::Bytes(bytes), task, Some(select))
}

fn read_u8(
    input: Input<'_>,
    task: Task,
    select: Option<MaskSelect>,
) -> Result<(Volume<u8>, NiftiHeader), NiftiError> {
    let (mut hdr, mut src) = open(input)?;
    let geometry = hdr.geometry()?;
    let n = hdr.voxel_count();
    let mut data: Vec<u8> = vec![0; n];
    if hdr.datatype == DataType::U8 && !hdr.has_scaling() {
        read_bytes(&mut src, &hdr, &mut data, task, 0)?;
        if let Some(sel) = select {
            for v in &mut data {
                *v = match sel {
                    MaskSelect::NonZero => (*v != 0) as u8,
                    MaskSelect::Label(l) => (*v as u32 == l) as u8,
                };
            }
        }
    } else {
        read_converted(&mut src, &hdr, task, &mut |start, vals| {
            for (idx, (o, &v)) in data[start..start + vals.len()]
                .iter_mut()
                .zip(vals)
                .enumerate()
            {
                *o = match select {
                    Some(MaskSelect::NonZero) => (v != 0.0 && !v.is_nan()) as u8,
                    Some(MaskSelect::Label(l)) => (v == l as f64) as u8,
                    None => {
                        if v.fract() != 0.0 || !(0.0..=255.0).contains(&v) {
                            return Err(NiftiError::BadValue(format!(
                                "voxel {} holds {v}; a label map must hold whole numbers 0 to 255",
                                start + idx
                            )));
                        }
                        v as u8
                    }
                };
            }
            Ok(())
        })?;
    }
    finish(&mut src, &mut hdr)?;
    Ok((Volume::new(data, geometry)?, hdr))
}
