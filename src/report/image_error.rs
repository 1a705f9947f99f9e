//! Why a photo or a key image could not be used (report form previews and PDF), and
//! the one place photo files are read. Each message names the problem in words a user
//! can act on.

use std::io::Read;
use std::path::Path;

/// Photos larger than this are not read.
const MAX_PHOTO_BYTES: u64 = 64 * 1024 * 1024;

/// The formats a photo may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PhotoKind {
    Jpeg,
    Png,
}

/// Read a photo file (at most 64 MiB), JPEG or PNG by its first bytes.
pub(crate) fn read_photo(path: &Path) -> Result<(PhotoKind, Vec<u8>), ImageError> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_PHOTO_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_PHOTO_BYTES {
        return Err(ImageError::FileTooLarge(MAX_PHOTO_BYTES));
    }
    let kind = if bytes.starts_with(&[0xff, 0xd8]) {
        PhotoKind::Jpeg
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        PhotoKind::Png
    } else {
        return Err(ImageError::NotJpegOrPng);
    };
    Ok((kind, bytes))
}

/// A photo or image that cannot be shown or embedded.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("larger than {} MiB", .0 >> 20)]
    FileTooLarge(u64),
    #[error("neither a JPEG nor a PNG file")]
    NotJpegOrPng,
    #[error("the JPEG file ends before its image data")]
    JpegEndsEarly,
    #[error("corrupt JPEG: no marker at byte {0}")]
    JpegNoMarker(usize),
    #[error("unsupported JPEG coding (lossless, hierarchical or arithmetic)")]
    JpegCoding,
    #[error("truncated JPEG: no end-of-image marker")]
    JpegTruncated,
    #[error("corrupt JPEG: no frame header before the image data")]
    JpegNoFrame,
    #[error("corrupt JPEG frame header")]
    JpegFrameHeader,
    #[error("unsupported {0}-bit JPEG")]
    JpegPrecision(u8),
    #[error("JPEG without a declared size")]
    JpegNoSize,
    #[error("unsupported JPEG with {0} colour components")]
    JpegComponents(u8),
    #[error("JPEG: {0}")]
    JpegDecode(#[from] jpeg_decoder::Error),
    #[error("JPEG of {0} x {1} pixels")]
    JpegPixels(usize, usize),
    #[error("JPEG: fewer pixels than its size")]
    JpegShort,
    #[error("PNG: {0}")]
    PngDecode(#[from] png::DecodingError),
    #[error("PNG: the image is too large")]
    PngTooLarge,
    #[error("unsupported PNG bit depth")]
    PngBitDepth,
    #[error("unsupported indexed PNG")]
    PngIndexed,
    #[error("PNG data does not match its size")]
    PngLength,
    #[error("unusable size {0} x {1} pixels")]
    Size(u32, u32),
    #[error("{got} bytes of RGB data for {width} x {height} pixels (expected {expected})")]
    RgbLength {
        got: usize,
        width: u32,
        height: u32,
        expected: usize,
    },
}
