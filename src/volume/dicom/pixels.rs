//! Decoding one image (a file, or one frame of a multi-frame file) into its
//! units (HU for CT): the codec (via dicom-pixeldata) gives stored values;
//! BitsStored/HighBit/PixelRepresentation make them integers, and the image's
//! own RescaleSlope/RescaleIntercept (the frame's functional group in an
//! enhanced image) make them HU or the modality's units, rounded to i16.
//! Only the calls into dicom-rs and its codecs run under the panic guard.
//!
//! Uncompressed little endian files (most CT series) skip the codec: the header
//! is parsed up to the pixel data and the stored values are read from where the
//! length check found them, into a buffer reused by each worker thread.

use super::error::DicomError;
use std::cell::RefCell;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use dicom_dictionary_std::tags;
use dicom_object::{InMemDicomObject, OpenFileOptions, Tag};
use dicom_pixeldata::{PixelDecoder, PixelRepresentation};

use super::attrs;
use super::guard::no_panic;
use super::header::ImageHeader;
use super::lengths::{Extent, PixelSpan, check_lengths};

/// What the conversion of one slice did, for the volume's warnings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SliceStats {
    pub slope: f64,
    pub intercept: f64,
    /// Voxels whose HU value did not fit in i16 and were clamped.
    pub clamped: usize,
    /// RescaleSlope was 0 (taken as 1).
    pub zero_slope: bool,
}

/// How stored samples are laid out (from the decoded pixel data).
#[derive(Debug, Clone, Copy)]
pub struct SampleFormat {
    pub bits_allocated: u16,
    pub bits_stored: u16,
    pub high_bit: u16,
    pub signed: bool,
}

/// Read image `h` (one frame of its file) and write its `rows x cols` values
/// (rescaled) into `out` (row by row, column index fastest, as DICOM stores them).
pub fn decode_into(
    h: &ImageHeader,
    rows: u32,
    cols: u32,
    out: &mut [i16],
) -> Result<SliceStats, DicomError> {
    decode(h, rows, cols, out).map_err(|e| DicomError::InFile {
        place: match h.frames_in_file {
            1 => h.path.display().to_string(),
            _ => format!("{} frame {}", h.path.display(), h.frame + 1),
        },
        source: Box::new(e),
    })
}

fn decode(
    h: &ImageHeader,
    rows: u32,
    cols: u32,
    out: &mut [i16],
) -> Result<SliceStats, DicomError> {
    let path = h.path.as_path();
    let layout = check_lengths(path, Extent::WholeFile)?;
    if let Some(span) = layout.native_pixels
        && let Some(stats) = decode_native(h, span, rows, cols, out)?
    {
        return Ok(stats);
    }
    let obj = no_panic("cannot read the file", || {
        OpenFileOptions::new().open_file(path)
    })?
    .map_err(|e| DicomError::Pixels(format!("cannot read the file: {e}")))?;
    let ts = obj.meta().transfer_syntax().to_string();
    check_before_decoding(&obj, h, rows, cols)?;
    check_codestream_size(&obj, &ts, h.frame, rows, cols)?;
    let decoded = no_panic("cannot decode the pixel data", || {
        obj.decode_pixel_data_frame(h.frame)
    })?
    .map_err(|e| {
        DicomError::Pixels(format!(
            "cannot decode the pixel data (transfer syntax {ts}): {e}"
        ))
    })?;
    if (decoded.rows(), decoded.columns()) != (rows, cols) {
        return Err(DicomError::Pixels(format!(
            "the image is {} x {}, not {cols} x {rows} like the rest of the series",
            decoded.columns(),
            decoded.rows()
        )));
    }
    if decoded.samples_per_pixel() != 1 {
        return Err(DicomError::Pixels(
            "colour images cannot be part of a CT volume".into(),
        ));
    }
    let format = SampleFormat {
        bits_allocated: decoded.bits_allocated(),
        bits_stored: decoded.bits_stored(),
        high_bit: decoded.high_bit(),
        signed: decoded.pixel_representation() == PixelRepresentation::Signed,
    };
    let (slope, intercept, zero_slope) = rescale_of(&obj, h)?;
    // A frame decoded on its own holds only that frame's samples.
    let clamped = to_hu(decoded.data(), format, slope, intercept, out)?;
    Ok(SliceStats {
        slope,
        intercept,
        clamped,
        zero_slope,
    })
}

/// Reads a codestream's (width, height) from its header.
type CodestreamSize = fn(&[u8]) -> Option<(u32, u32)>;

/// A JPEG-family frame (JPEG, JPEG-LS, JPEG 2000) must be as large as Rows x Columns
/// say: the decoders size their output from the attributes and zero-fill what the
/// codestream does not cover, so a damaged Rows (32 -> 143) would otherwise load as an
/// image padded with invented rows. The size is read from the codestream's own header.
fn check_codestream_size(
    obj: &InMemDicomObject,
    ts: &str,
    frame: u32,
    rows: u32,
    cols: u32,
) -> Result<(), DicomError> {
    let ts = ts.trim_end_matches(['\0', ' ']);
    // JPEG (1.2.840.10008.1.2.4.50-.70), JPEG-LS (.80, .81), JPEG 2000 (.90-.93) and
    // High-Throughput JPEG 2000 (.201-.203)
    let Some(n) = ts
        .strip_prefix("1.2.840.10008.1.2.4.")
        .and_then(|n| n.parse::<u32>().ok())
    else {
        return Ok(());
    };
    let (kind, size): (&str, CodestreamSize) = match n {
        50..=70 | 80 | 81 => ("JPEG", jpeg_size),
        90..=93 | 201..=203 => ("JPEG 2000", j2k_size),
        _ => return Ok(()),
    };
    let Some(fragments) = obj.get(tags::PIXEL_DATA).and_then(|e| e.fragments()) else {
        return Ok(());
    };
    let frames = attrs::int(obj, tags::NUMBER_OF_FRAMES).unwrap_or(1);
    // the frame's first fragment holds its header: one frame, or one fragment a frame
    let first = match (frames, usize::try_from(frame)) {
        (1, _) => fragments.first(),
        (n, Ok(f)) if usize::try_from(n) == Ok(fragments.len()) => fragments.get(f),
        _ => None,
    };
    match first.and_then(|f| size(f)) {
        Some((w, h)) if (w, h) != (cols, rows) => Err(DicomError::Pixels(format!(
            "the {kind} image is {w} x {h}, but Columns x Rows (0028,0011 / 0028,0010) \
             say {cols} x {rows}: damaged"
        ))),
        _ => Ok(()),
    }
}

/// The image size in a JPEG 2000 codestream's SIZ marker segment (Xsiz - XOsiz,
/// Ysiz - YOsiz; ISO/IEC 15444-1 A.5.1), if `data` starts with SOC + SIZ.
fn j2k_size(data: &[u8]) -> Option<(u32, u32)> {
    let siz = data.strip_prefix(&[0xFF, 0x4F, 0xFF, 0x51])?;
    // Lsiz (2), Rsiz (2), then Xsiz, Ysiz, XOsiz, YOsiz (4 each, big-endian)
    let at = |i: usize| {
        siz.get(4 + 4 * i..8 + 4 * i)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    Some((at(0)?.checked_sub(at(2)?)?, at(1)?.checked_sub(at(3)?)?))
}

/// The image size in a JPEG or JPEG-LS stream's start-of-frame segment (X, Y; ITU-T
/// T.81 B.2.2, T.87 C.2.2), found by walking the marker segments from SOI.
fn jpeg_size(data: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    if data.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    loop {
        let (&ff, &marker) = (data.get(at)?, data.get(at + 1)?);
        if ff != 0xFF {
            return None;
        }
        if marker == 0xFF {
            at += 1; // fill byte
            continue;
        }
        let len = usize::from(u16::from_be_bytes([*data.get(at + 2)?, *data.get(at + 3)?]));
        // SOF0-SOF15 but DHT (C4), JPG (C8) and DAC (CC); SOF55 (F7) for JPEG-LS
        if matches!(marker, 0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC)) || marker == 0xF7
        {
            // Lf (2), P (1), Y (2), X (2)
            let y = u16::from_be_bytes([*data.get(at + 5)?, *data.get(at + 6)?]);
            let x = u16::from_be_bytes([*data.get(at + 7)?, *data.get(at + 8)?]);
            return Some((u32::from(x), u32::from(y)));
        }
        if marker == 0xDA {
            return None; // scan data before any frame header
        }
        at += 2 + len;
    }
}

/// Slope (0 taken as 1), intercept, and whether the slope was 0: the frame's
/// own functional group values, else the file's top-level attributes.
fn rescale_of(obj: &InMemDicomObject, h: &ImageHeader) -> Result<(f64, f64, bool), DicomError> {
    let (slope, intercept) = match h.frame_rescale {
        Some(si) => si,
        None => (
            rescale(obj, tags::RESCALE_SLOPE, "RescaleSlope", 1.0)?,
            rescale(obj, tags::RESCALE_INTERCEPT, "RescaleIntercept", 0.0)?,
        ),
    };
    let zero_slope = slope == 0.0;
    Ok((if zero_slope { 1.0 } else { slope }, intercept, zero_slope))
}

thread_local! {
    /// Stored bytes of one slice, reused from slice to slice on each thread.
    static STORED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// An uncompressed little endian slice read straight from `span`; `Ok(None)`
/// (use the codec path) when the header lacks what the shortcut needs.
fn decode_native(
    h: &ImageHeader,
    span: PixelSpan,
    rows: u32,
    cols: u32,
    out: &mut [i16],
) -> Result<Option<SliceStats>, DicomError> {
    let path = h.path.as_path();
    let obj = no_panic("cannot read the file", || {
        OpenFileOptions::new()
            .read_until(tags::PIXEL_DATA)
            .open_file(path)
    })?
    .map_err(|e| DicomError::Pixels(format!("cannot read the file: {e}")))?;
    check_before_decoding(&obj, h, rows, cols)?;
    let field = |tag| attrs::int(&obj, tag).and_then(|v| u16::try_from(v).ok());
    let (Some(bits_allocated), Some(bits_stored), Some(high_bit), Some(repr)) = (
        field(tags::BITS_ALLOCATED),
        field(tags::BITS_STORED),
        field(tags::HIGH_BIT),
        field(tags::PIXEL_REPRESENTATION),
    ) else {
        return Ok(None);
    };
    let format = SampleFormat {
        bits_allocated,
        bits_stored,
        high_bit,
        signed: repr == 1,
    };
    let (slope, intercept, zero_slope) = rescale_of(&obj, h)?;
    // Only what the slice needs (the value may carry a padding byte).
    let need = out.len() * usize::from(bits_allocated / 8);
    let start = u64::from(h.frame) * need as u64;
    let frames = u64::from(h.frames_in_file.max(1));
    if h.frames_in_file > 1 && u64::from(span.len) < frames * need as u64 {
        return Err(DicomError::Pixels(format!(
            "the pixel data holds {} bytes, {frames} frames (NumberOfFrames) of {need} bytes need {}",
            span.len,
            frames * need as u64
        )));
    }
    let n = need.min((u64::from(span.len).saturating_sub(start)) as usize);
    let clamped = STORED.with_borrow_mut(|buf| {
        if buf.len() < n {
            buf.resize(n, 0);
        }
        let mut f =
            File::open(path).map_err(|e| DicomError::Io(format!("cannot read the file: {e}")))?;
        f.seek(SeekFrom::Start(span.offset + start))
            .and_then(|_| f.read_exact(&mut buf[..n]))
            .map_err(|e| DicomError::Io(format!("cannot read the pixel data: {e}")))?;
        to_hu(&buf[..n], format, slope, intercept, out)
    })?;
    Ok(Some(SliceStats {
        slope,
        intercept,
        clamped,
        zero_slope,
    }))
}

/// RescaleSlope or RescaleIntercept: `default` when absent or empty; a value
/// that is not a finite number is refused (the voxels would not be HU).
fn rescale(obj: &InMemDicomObject, tag: Tag, name: &str, default: f64) -> Result<f64, DicomError> {
    let Some(raw) = attrs::text(obj, tag) else {
        return Ok(default);
    };
    attrs::float(obj, tag).ok_or_else(|| {
        DicomError::Pixels(format!(
            "{name} {} is not a number (\"{raw}\"): the values cannot be converted to HU",
            attrs::tag_label(tag)
        ))
    })
}

/// The codecs allocate what Rows, Columns, SamplesPerPixel, BitsAllocated and
/// NumberOfFrames promise: check them against the series before decoding (the
/// file may also have changed since its header was read).
fn check_before_decoding(
    obj: &InMemDicomObject,
    h: &ImageHeader,
    rows: u32,
    cols: u32,
) -> Result<(), DicomError> {
    let int = |tag| attrs::int(obj, tag);
    let (r, c) = (int(tags::ROWS), int(tags::COLUMNS));
    if (r, c) != (Some(i64::from(rows)), Some(i64::from(cols))) {
        let show = |v: Option<i64>| v.map_or("?".to_string(), |v| v.to_string());
        return Err(DicomError::Pixels(format!(
            "the image is {} x {}, not {cols} x {rows} like the rest of the series",
            show(c),
            show(r)
        )));
    }
    if int(tags::SAMPLES_PER_PIXEL).unwrap_or(1) != 1 {
        return Err(DicomError::Pixels(
            "colour images cannot be part of a CT volume".into(),
        ));
    }
    let frames = int(tags::NUMBER_OF_FRAMES).unwrap_or(1);
    if frames != i64::from(h.frames_in_file) {
        return Err(DicomError::Pixels(format!(
            "NumberOfFrames is {frames}, not {} as when the series was scanned",
            h.frames_in_file
        )));
    }
    match int(tags::BITS_ALLOCATED) {
        Some(8 | 16 | 32) => Ok(()),
        b => Err(DicomError::Pixels(format!(
            "BitsAllocated {} is not supported",
            b.map_or("(missing)".to_string(), |b| b.to_string())
        ))),
    }
}

/// Convert stored samples (little-endian bytes) to HU in `out`; returns how many
/// values were clamped to the i16 range.
pub fn to_hu(
    data: &[u8],
    f: SampleFormat,
    slope: f64,
    intercept: f64,
    out: &mut [i16],
) -> Result<usize, DicomError> {
    let bytes = match f.bits_allocated {
        8 => 1,
        16 => 2,
        32 => 4,
        b => {
            return Err(DicomError::Pixels(format!(
                "BitsAllocated {b} is not supported"
            )));
        }
    };
    let bits = f.bits_stored.clamp(1, f.bits_allocated);
    let shift = u32::from((f.high_bit + 1).saturating_sub(bits)).min(31);
    let need = out.len() * bytes;
    let Some(data) = data.get(..need) else {
        return Err(DicomError::Pixels(format!(
            "the pixel data is too short: {} bytes for {} pixels",
            data.len(),
            out.len()
        )));
    };
    let bits = u32::from(bits);
    let integral = slope == 1.0 && intercept.fract() == 0.0 && intercept.abs() < 1e6;
    if bytes == 2 && integral {
        return Ok(convert_u16(
            data,
            shift,
            bits,
            f.signed,
            intercept as i32,
            out,
        ));
    }
    Ok(match bytes {
        1 => convert::<1>(data, shift, bits, f.signed, slope, intercept, out),
        2 => convert::<2>(data, shift, bits, f.signed, slope, intercept, out),
        _ => convert::<4>(data, shift, bits, f.signed, slope, intercept, out),
    })
}

/// The usual CT case (16-bit samples, slope 1, whole intercept): branch-free
/// integer arithmetic the compiler can vectorise.
fn convert_u16(
    data: &[u8],
    shift: u32,
    bits: u32,
    signed: bool,
    add: i32,
    out: &mut [i16],
) -> usize {
    let mask = (1u32 << bits) - 1;
    // Sign extension by shifting the sign bit to bit 31 and back (0: unsigned).
    let up = if signed { 32 - bits } else { 0 };
    let mut clamped = 0;
    for (o, c) in out.iter_mut().zip(data.chunks_exact(2)) {
        let v = (u32::from(u16::from_le_bytes([c[0], c[1]])) >> shift) & mask;
        let hu = (((v << up) as i32) >> up) + add;
        clamped += usize::from(!(-32768..=32767).contains(&hu));
        *o = hu.clamp(-32768, 32767) as i16;
    }
    clamped
}

/// The conversion loop for `B`-byte samples (monomorphised: this is the hot loop).
fn convert<const B: usize>(
    data: &[u8],
    shift: u32,
    bits: u32,
    signed: bool,
    slope: f64,
    intercept: f64,
    out: &mut [i16],
) -> usize {
    let mask: u64 = (1u64 << bits) - 1;
    let sign_bit: u64 = 1u64 << (bits - 1);
    let stored = |chunk: &[u8]| -> i64 {
        let mut le = [0u8; 8];
        le[..B].copy_from_slice(&chunk[..B]);
        let v = (u64::from_le_bytes(le) >> shift) & mask;
        if signed && v & sign_bit != 0 {
            v as i64 - (1i64 << bits)
        } else {
            v as i64
        }
    };
    let (lo, hi) = (i64::from(i16::MIN), i64::from(i16::MAX));
    let mut clamped = 0;
    let samples = out.iter_mut().zip(data.chunks_exact(B));
    if slope == 1.0 && intercept.fract() == 0.0 && intercept.abs() < 1e9 {
        // The usual CT case: integer arithmetic only.
        let add = intercept as i64;
        for (o, chunk) in samples {
            let hu = stored(chunk) + add;
            clamped += usize::from(hu < lo || hu > hi);
            *o = hu.clamp(lo, hi) as i16;
        }
    } else {
        for (o, chunk) in samples {
            let hu = (stored(chunk) as f64 * slope + intercept).round();
            clamped += usize::from(hu < lo as f64 || hu > hi as f64);
            *o = hu.clamp(lo as f64, hi as f64) as i16;
        }
    }
    clamped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(bits_stored: u16, signed: bool) -> SampleFormat {
        SampleFormat {
            bits_allocated: 16,
            bits_stored,
            high_bit: bits_stored - 1,
            signed,
        }
    }

    #[test]
    fn unsigned_12_bit_with_intercept() {
        // 0xF400 has garbage above bit 11: masked to 0x400 = 1024 -> 0 HU.
        let data = [0x00, 0xF4, 0x00, 0x00];
        let mut out = [0i16; 2];
        let c = to_hu(&data, fmt(12, false), 1.0, -1024.0, &mut out).unwrap();
        assert_eq!((out, c), ([0, -1024], 0));
    }

    #[test]
    fn signed_12_bit_sign_extends() {
        // 0x0FFF in 12 bits is -1.
        let data = [0xFF, 0x0F];
        let mut out = [0i16; 1];
        to_hu(&data, fmt(12, true), 2.0, 0.0, &mut out).unwrap();
        assert_eq!(out, [-2]);
    }

    #[test]
    fn clamps_and_counts() {
        let data = [0xFF, 0xFF];
        let mut out = [0i16; 1];
        let c = to_hu(&data, fmt(16, false), 1.0, 0.0, &mut out).unwrap();
        assert_eq!((out, c), ([i16::MAX], 1));
    }

    #[test]
    fn j2k_size_reads_the_siz_marker() {
        let mut cs = vec![0xFF, 0x4F, 0xFF, 0x51, 0, 41, 0, 0];
        for v in [40u32 + 3, 32 + 5, 3, 5] {
            cs.extend(v.to_be_bytes());
        }
        assert_eq!(j2k_size(&cs), Some((40, 32)));
        assert_eq!(j2k_size(&cs[..20]), None);
        assert_eq!(j2k_size(&[0xFF, 0xD8, 0xFF, 0xC3]), None);
    }

    #[test]
    fn jpeg_size_reads_the_frame_header() {
        // SOI, an APP0 of 4 bytes, then SOF3 (lossless): Lf, P = 16, Y = 32, X = 40
        let mut s = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 1, 2];
        s.extend([0xFF, 0xC3, 0, 11, 16, 0, 32, 0, 40, 1, 1, 0x11, 0]);
        assert_eq!(jpeg_size(&s), Some((40, 32)));
        s[2 + 6 + 1] = 0xF7; // SOF55: JPEG-LS
        assert_eq!(jpeg_size(&s), Some((40, 32)));
        assert_eq!(jpeg_size(&s[..12]), None);
        assert_eq!(jpeg_size(&[0xFF, 0x4F, 0xFF, 0x51]), None);
    }

    #[test]
    fn short_data_is_an_error() {
        let mut out = [0i16; 4];
        assert!(to_hu(&[0u8; 3], fmt(16, false), 1.0, 0.0, &mut out).is_err());
    }
}
