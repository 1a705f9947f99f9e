//! Reading intra-operative photos for embedding: JPEG files are embedded as
//! they are (DCTDecode, size from the frame header, EXIF orientation
//! honoured); PNG files are decoded and re-compressed (FlateDecode).

use std::io::Cursor;
use std::path::Path;

use super::image::{Coding, Color, PdfImage, deflate, deflate_rows};
use crate::report::ImageError;
use crate::report::image_error::{PhotoKind, read_photo};

/// Decoded PNG samples larger than this are refused.
const MAX_DECODED_BYTES: usize = 256 * 1024 * 1024;

/// An image and its EXIF orientation (1-8, 1 = as stored).
pub(super) struct Photo {
    pub image: PdfImage,
    pub orientation: u8,
}

/// Reads a JPEG or PNG photo; the error says why it could not be used.
pub(super) fn load(path: &Path) -> Result<Photo, ImageError> {
    match read_photo(path)? {
        (PhotoKind::Jpeg, bytes) => jpeg(bytes),
        (PhotoKind::Png, bytes) => png(&bytes).map(|image| Photo {
            image,
            orientation: 1,
        }),
    }
}

/// Frame facts of a JPEG file.
#[derive(Debug, PartialEq, Eq)]
struct JpegInfo {
    width: u16,
    height: u16,
    components: u8,
    adobe: bool,
    orientation: u8,
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([s[0], s[1]]))
}

/// The EXIF orientation (1-8) of a JPEG file's bytes; 1 when absent or unreadable.
pub(crate) fn jpeg_orientation(b: &[u8]) -> u8 {
    jpeg_info(b).map_or(1, |i| i.orientation)
}

/// Walks the JPEG markers up to the first scan.
fn jpeg_info(b: &[u8]) -> Result<JpegInfo, ImageError> {
    let truncated = || ImageError::JpegEndsEarly;
    let mut i = 2;
    let mut frame = None;
    let mut adobe = false;
    let mut orientation = 1;
    loop {
        if *b.get(i).ok_or_else(truncated)? != 0xff {
            return Err(ImageError::JpegNoMarker(i));
        }
        while b.get(i) == Some(&0xff) {
            i += 1;
        }
        let marker = *b.get(i).ok_or_else(truncated)?;
        i += 1;
        match marker {
            0x01 | 0xd0..=0xd8 => continue,
            0xd9 => return Err(truncated()),
            _ => {}
        }
        let len = usize::from(be16(b, i).ok_or_else(truncated)?);
        let segment = b
            .get(i + 2..i + len.max(2))
            .filter(|_| len >= 2)
            .ok_or_else(truncated)?;
        i += len;
        match marker {
            0xc0..=0xc2 => frame = Some(segment.to_vec()),
            0xc3 | 0xc5..=0xc7 | 0xc9..=0xcb | 0xcd..=0xcf => {
                return Err(ImageError::JpegCoding);
            }
            0xee if segment.starts_with(b"Adobe") => adobe = true,
            0xe1 if segment.starts_with(b"Exif\0\0") => {
                orientation = exif_orientation(&segment[6..]).unwrap_or(1);
            }
            0xda => break,
            _ => {}
        }
    }
    // Entropy-coded data cannot hold FF D9, so its absence after the scan
    // header means the file was cut short.
    if !b
        .get(i..)
        .is_some_and(|rest| rest.windows(2).any(|w| w == [0xff, 0xd9]))
    {
        return Err(ImageError::JpegTruncated);
    }
    let f = frame.ok_or(ImageError::JpegNoFrame)?;
    let (Some(&precision), Some(height), Some(width), Some(&components)) =
        (f.first(), be16(&f, 1), be16(&f, 3), f.get(5))
    else {
        return Err(ImageError::JpegFrameHeader);
    };
    if precision != 8 {
        return Err(ImageError::JpegPrecision(precision));
    }
    if width == 0 || height == 0 {
        return Err(ImageError::JpegNoSize);
    }
    if !matches!(components, 1 | 3 | 4) {
        return Err(ImageError::JpegComponents(components));
    }
    Ok(JpegInfo {
        width,
        height,
        components,
        adobe,
        orientation,
    })
}

/// The Orientation tag (0x0112) of IFD0 in an EXIF TIFF block.
fn exif_orientation(tiff: &[u8]) -> Option<u8> {
    let big = match tiff.get(0..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |at: usize| {
        let s = tiff.get(at..at.checked_add(2)?)?;
        Some(if big {
            u16::from_be_bytes([s[0], s[1]])
        } else {
            u16::from_le_bytes([s[0], s[1]])
        })
    };
    let u32_at = |at: usize| {
        let s = tiff.get(at..at.checked_add(4)?)?;
        let a = [s[0], s[1], s[2], s[3]];
        Some(if big {
            u32::from_be_bytes(a)
        } else {
            u32::from_le_bytes(a)
        })
    };
    if u16_at(2)? != 42 {
        return None;
    }
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let count = usize::from(u16_at(ifd)?);
    for k in 0..count {
        let entry = ifd.checked_add(2 + k * 12)?;
        if u16_at(entry)? == 0x0112 {
            let value = u16_at(entry.checked_add(8)?)?;
            return u8::try_from(value).ok().filter(|v| (1..=8).contains(v));
        }
    }
    None
}

fn jpeg(bytes: Vec<u8>) -> Result<Photo, ImageError> {
    let info = jpeg_info(&bytes)?;
    let color = match info.components {
        1 => Color::Gray,
        3 => Color::Rgb,
        _ => Color::Cmyk {
            inverted: info.adobe,
        },
    };
    Ok(Photo {
        image: PdfImage {
            width: u32::from(info.width),
            height: u32::from(info.height),
            coding: Coding::Dct,
            color,
            data: bytes,
            alpha: None,
        },
        orientation: info.orientation,
    })
}

/// Decodes a PNG to 8-bit samples, alpha split off as a soft mask.
fn png(bytes: &[u8]) -> Result<PdfImage, ImageError> {
    let limits = png::Limits {
        bytes: MAX_DECODED_BYTES,
    };
    let mut decoder = png::Decoder::new_with_limits(Cursor::new(bytes), limits);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info()?;
    let size = reader
        .output_buffer_size()
        .filter(|&s| s <= MAX_DECODED_BYTES)
        .ok_or(ImageError::PngTooLarge)?;
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf)?;
    buf.truncate(info.buffer_size());
    if info.bit_depth != png::BitDepth::Eight {
        return Err(ImageError::PngBitDepth);
    }
    let (color, channels) = match info.color_type {
        png::ColorType::Grayscale => (Color::Gray, 1),
        png::ColorType::GrayscaleAlpha => (Color::Gray, 2),
        png::ColorType::Rgb => (Color::Rgb, 3),
        png::ColorType::Rgba => (Color::Rgb, 4),
        png::ColorType::Indexed => return Err(ImageError::PngIndexed),
    };
    let expected = (info.width as usize)
        .checked_mul(info.height as usize)
        .and_then(|n| n.checked_mul(channels));
    if expected != Some(buf.len()) {
        return Err(ImageError::PngLength);
    }
    let (data, alpha) = if channels == 2 || channels == 4 {
        let color_channels = channels - 1;
        let mut samples = Vec::with_capacity(buf.len() / channels * color_channels);
        let mut alpha = Vec::with_capacity(buf.len() / channels);
        for px in buf.chunks_exact(channels) {
            samples.extend_from_slice(&px[..color_channels]);
            alpha.push(px[color_channels]);
        }
        let alpha = alpha.iter().any(|&a| a != 255).then(|| deflate(&alpha));
        (samples, alpha)
    } else {
        (buf, None)
    };
    let channels = if color == Color::Gray { 1 } else { 3 };
    Ok(PdfImage {
        width: info.width,
        height: info.height,
        coding: Coding::FlateUp { channels },
        color,
        data: deflate_rows(&data, info.width, channels),
        alpha,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal JPEG header: SOI, optional APP1 EXIF, SOF0, SOS.
    fn jpeg_header(orientation: Option<u16>, sof: u8) -> Vec<u8> {
        let mut b = vec![0xff, 0xd8];
        if let Some(o) = orientation {
            let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01".to_vec();
            tiff.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1]);
            tiff.extend_from_slice(&o.to_be_bytes());
            tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
            let mut seg = b"Exif\0\0".to_vec();
            seg.extend(tiff);
            b.extend_from_slice(&[0xff, 0xe1]);
            b.extend_from_slice(&((seg.len() + 2) as u16).to_be_bytes());
            b.extend(seg);
        }
        b.extend_from_slice(&[0xff, sof, 0x00, 0x11, 8, 0x01, 0x2c, 0x02, 0x58, 3]);
        b.extend_from_slice(&[1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        b.extend_from_slice(&[0xff, 0xda, 0x00, 0x02, 0x12, 0x34, 0xff, 0xd9]);
        b
    }

    #[test]
    fn reads_jpeg_frame_and_orientation() {
        let info = jpeg_info(&jpeg_header(Some(6), 0xc0)).unwrap();
        assert_eq!(
            info,
            JpegInfo {
                width: 600,
                height: 300,
                components: 3,
                adobe: false,
                orientation: 6
            }
        );
        assert_eq!(jpeg_info(&jpeg_header(None, 0xc2)).unwrap().orientation, 1);
        assert!(jpeg_info(&jpeg_header(None, 0xc3)).is_err());
    }

    #[test]
    fn truncated_or_garbage_jpeg_is_an_error() {
        let full = jpeg_header(Some(3), 0xc0);
        assert!(jpeg_info(&full).is_ok());
        for cut in 0..full.len() {
            assert!(jpeg_info(&full[..cut]).is_err(), "cut at {cut}");
        }
        assert!(jpeg_info(&[0xff, 0xd8, 0x00, 0x00]).is_err());
        assert!(jpeg_info(&[0xff, 0xd8, 0xff, 0xc0, 0x00, 0x00]).is_err());
    }

    #[test]
    fn decodes_png_with_alpha() {
        let mut encoded = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut encoded, 2, 1);
            enc.set_color(png::ColorType::Rgba);
            enc.set_depth(png::BitDepth::Eight);
            let mut w = enc.write_header().unwrap();
            w.write_image_data(&[255, 0, 0, 255, 0, 0, 255, 128])
                .unwrap();
        }
        let image = png(&encoded).unwrap();
        assert_eq!((image.width, image.height), (2, 1));
        assert_eq!(image.color, Color::Rgb);
        assert!(image.alpha.is_some());
        assert!(png(&encoded[..encoded.len() / 2]).is_err());
    }
}
