//! Small previews of attached photos for the report form: JPEG (scaled while decoding)
//! or PNG, EXIF orientation applied, reduced to fit a square of `max_side` pixels.

use std::io::Cursor;
use std::path::Path;

use super::ImageError;
use super::image_error::{PhotoKind, read_photo};

/// Decoded images larger than this are refused.
const MAX_PIXELS: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    pub width: usize,
    pub height: usize,
    /// Unpremultiplied RGBA, row by row from the top.
    pub rgba: Vec<u8>,
}

pub fn thumbnail(path: &Path, max_side: usize) -> Result<Thumbnail, ImageError> {
    let max_side = max_side.max(1);
    let t = match read_photo(path)? {
        (PhotoKind::Jpeg, bytes) => {
            let t = jpeg(&bytes, max_side)?;
            orient(t, super::pdf::jpeg_orientation(&bytes))
        }
        (PhotoKind::Png, bytes) => png(&bytes)?,
    };
    Ok(shrink(t, max_side))
}

fn jpeg(bytes: &[u8], max_side: usize) -> Result<Thumbnail, ImageError> {
    let mut d = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    let side = max_side.min(u16::MAX as usize) as u16;
    d.scale(side, side)?;
    let px = d.decode()?;
    let info = d.info().ok_or(ImageError::JpegNoFrame)?;
    let (w, h) = (info.width as usize, info.height as usize);
    let n = w * h;
    if n == 0 || n > MAX_PIXELS {
        return Err(ImageError::JpegPixels(w, h));
    }
    let mut rgba = Vec::with_capacity(n * 4);
    use jpeg_decoder::PixelFormat::*;
    match info.pixel_format {
        L8 => px.iter().take(n).for_each(|&g| rgba.extend([g, g, g, 255])),
        L16 => px
            .chunks_exact(2)
            .take(n)
            .for_each(|c| rgba.extend([c[0], c[0], c[0], 255])),
        RGB24 => px
            .chunks_exact(3)
            .take(n)
            .for_each(|c| rgba.extend([c[0], c[1], c[2], 255])),
        CMYK32 => px.chunks_exact(4).take(n).for_each(|c| {
            let k = 255 - c[3] as u32;
            let ch = |v: u8| ((255 - v as u32) * k / 255) as u8;
            rgba.extend([ch(c[0]), ch(c[1]), ch(c[2]), 255])
        }),
    }
    if rgba.len() != n * 4 {
        return Err(ImageError::JpegShort);
    }
    Ok(Thumbnail {
        width: w,
        height: h,
        rgba,
    })
}

fn png(bytes: &[u8]) -> Result<Thumbnail, ImageError> {
    let limits = png::Limits {
        bytes: MAX_PIXELS * 4,
    };
    let mut d = png::Decoder::new_with_limits(Cursor::new(bytes), limits);
    d.set_transformations(png::Transformations::normalize_to_color8());
    let mut r = d.read_info()?;
    let size = r.output_buffer_size().ok_or(ImageError::PngTooLarge)?;
    let mut buf = vec![0; size];
    let f = r.next_frame(&mut buf)?;
    let (w, h) = (f.width as usize, f.height as usize);
    let n = w * h;
    let data = &buf[..f.buffer_size()];
    let mut rgba = Vec::with_capacity(n * 4);
    match f.color_type {
        png::ColorType::Grayscale => data.iter().for_each(|&g| rgba.extend([g, g, g, 255])),
        png::ColorType::GrayscaleAlpha => data
            .chunks_exact(2)
            .for_each(|c| rgba.extend([c[0], c[0], c[0], c[1]])),
        png::ColorType::Rgb => data
            .chunks_exact(3)
            .for_each(|c| rgba.extend([c[0], c[1], c[2], 255])),
        png::ColorType::Rgba => rgba.extend_from_slice(data),
        png::ColorType::Indexed => return Err(ImageError::PngIndexed),
    }
    if rgba.len() != n * 4 {
        return Err(ImageError::PngLength);
    }
    Ok(Thumbnail {
        width: w,
        height: h,
        rgba,
    })
}

/// Apply an EXIF orientation (1 = as stored; 2-8 mirror and/or rotate).
fn orient(t: Thumbnail, orientation: u8) -> Thumbnail {
    if !(2..=8).contains(&orientation) {
        return t;
    }
    let (w, h) = (t.width, t.height);
    let swap = orientation >= 5;
    let (ow, oh) = if swap { (h, w) } else { (w, h) };
    let mut out = vec![0u8; w * h * 4];
    for y in 0..oh {
        for x in 0..ow {
            // source pixel shown at (x, y) after the transform
            let (sx, sy) = match orientation {
                2 => (w - 1 - x, y),
                3 => (w - 1 - x, h - 1 - y),
                4 => (x, h - 1 - y),
                5 => (y, x),
                6 => (y, h - 1 - x),
                7 => (w - 1 - y, h - 1 - x),
                _ => (w - 1 - y, x),
            };
            let s = (sy * w + sx) * 4;
            let d = (y * ow + x) * 4;
            out[d..d + 4].copy_from_slice(&t.rgba[s..s + 4]);
        }
    }
    Thumbnail {
        width: ow,
        height: oh,
        rgba: out,
    }
}

/// Reduce to fit `max_side` (box average), keeping the aspect ratio.
fn shrink(t: Thumbnail, max_side: usize) -> Thumbnail {
    let f = t.width.max(t.height).div_ceil(max_side);
    if f <= 1 {
        return t;
    }
    let (w, h) = (t.width.div_ceil(f), t.height.div_ceil(f));
    let mut rgba = vec![0u8; w * h * 4];
    for y in 0..h {
        for x in 0..w {
            let mut acc = [0u32; 4];
            let mut n = 0u32;
            for sy in y * f..((y + 1) * f).min(t.height) {
                for sx in x * f..((x + 1) * f).min(t.width) {
                    let s = (sy * t.width + sx) * 4;
                    for c in 0..4 {
                        acc[c] += t.rgba[s + c] as u32;
                    }
                    n += 1;
                }
            }
            for c in 0..4 {
                rgba[(y * w + x) * 4 + c] = (acc[c] / n.max(1)) as u8;
            }
        }
    }
    Thumbnail {
        width: w,
        height: h,
        rgba,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name)
    }

    #[test]
    fn jpeg_photos_fit_the_box_and_follow_exif_orientation() {
        let up = thumbnail(&data("photo_upright.jpg"), 64).unwrap();
        let rot = thumbnail(&data("photo_exif6.jpg"), 64).unwrap();
        assert!(up.width <= 64 && up.height <= 64);
        assert_eq!(up.rgba.len(), up.width * up.height * 4);
        // the EXIF-6 file stores the picture on its side: shown upright, it has the
        // upright file's aspect
        assert_eq!(
            up.width > up.height,
            rot.width > rot.height,
            "{}x{} vs {}x{}",
            up.width,
            up.height,
            rot.width,
            rot.height
        );
    }

    #[test]
    fn orientation_and_shrink_move_pixels_as_exif_says() {
        // 2 x 1: red, blue
        let t = Thumbnail {
            width: 2,
            height: 1,
            rgba: vec![255, 0, 0, 255, 0, 0, 255, 255],
        };
        let m = orient(t.clone(), 2); // mirrored: blue, red
        assert_eq!(&m.rgba[..4], &[0, 0, 255, 255]);
        let r = orient(t.clone(), 6); // 90 degrees clockwise: 1 x 2, red on top
        assert_eq!((r.width, r.height), (1, 2));
        assert_eq!(&r.rgba[..4], &[255, 0, 0, 255]);
        let s = shrink(t, 1); // averaged
        assert_eq!((s.width, s.height), (1, 1));
        assert_eq!(&s.rgba[..], &[127, 0, 127, 255]);
    }

    #[test]
    fn bad_files_say_why() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x.jpg");
        std::fs::write(&p, b"not an image").unwrap();
        let e = thumbnail(&p, 64).unwrap_err();
        assert!(matches!(e, ImageError::NotJpegOrPng), "{e}");
        assert_eq!(e.to_string(), "neither a JPEG nor a PNG file");
        let bytes = std::fs::read(data("photo_upright.jpg")).unwrap();
        std::fs::write(&p, &bytes[..bytes.len() / 3]).unwrap();
        assert!(thumbnail(&p, 64).is_err());
        assert!(thumbnail(&d.path().join("missing.jpg"), 64).is_err());
    }
}
