//! Images ready to embed: samples, their coding and colour space, and how
//! they are written as image XObjects.

use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use pdf_writer::types::Predictor;
use pdf_writer::{Filter, Finish, Pdf, Ref};

/// How an image's samples are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Coding {
    /// zlib-compressed rows, each with a PNG "Up" predictor tag (see
    /// [`deflate_rows`]); `channels` samples per pixel.
    FlateUp { channels: u8 },
    /// A JPEG file, as is.
    Dct,
}

/// 8-bit samples, `width` pixels of `channels` a row, compressed after PNG
/// "Up" prediction (each sample minus the one above), which shrinks smooth
/// images several-fold compared with plain deflate.
pub(super) fn deflate_rows(samples: &[u8], width: u32, channels: u8) -> Vec<u8> {
    let stride = (width as usize)
        .saturating_mul(usize::from(channels))
        .max(1);
    let mut out = Vec::with_capacity(samples.len() + samples.len() / stride + 1);
    let mut previous: &[u8] = &[];
    for row in samples.chunks(stride) {
        out.push(2); // PNG filter type 2: Up.
        out.extend(
            row.iter()
                .enumerate()
                .map(|(i, &b)| b.wrapping_sub(previous.get(i).copied().unwrap_or(0))),
        );
        previous = row;
    }
    deflate(&out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Color {
    Gray,
    Rgb,
    /// `inverted`: Adobe-style JPEG with inverted CMYK values.
    Cmyk {
        inverted: bool,
    },
}

/// An image ready to embed.
#[derive(Debug, Clone)]
pub(super) struct PdfImage {
    pub width: u32,
    pub height: u32,
    pub coding: Coding,
    pub color: Color,
    pub data: Vec<u8>,
    /// zlib-compressed 8-bit alpha, if any.
    pub alpha: Option<Vec<u8>>,
}

/// zlib-compresses `bytes` (for FlateDecode).
pub(super) fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    // Writing into a Vec cannot fail.
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .unwrap_or_default()
}

pub(super) fn write_image(pdf: &mut Pdf, image: &PdfImage, id: Ref, mask_id: Option<Ref>) {
    let width = i32::try_from(image.width).unwrap_or(i32::MAX);
    let height = i32::try_from(image.height).unwrap_or(i32::MAX);
    let mut x = pdf.image_xobject(id, &image.data);
    match image.coding {
        Coding::FlateUp { channels } => {
            x.filter(Filter::FlateDecode);
            x.decode_parms()
                .predictor(Predictor::PngUp)
                .colors(i32::from(channels))
                .bits_per_component(8)
                .columns(width);
        }
        Coding::Dct => {
            x.filter(Filter::DctDecode);
        }
    }
    x.width(width);
    x.height(height);
    x.bits_per_component(8);
    match image.color {
        Color::Gray => x.color_space().device_gray(),
        Color::Rgb => x.color_space().device_rgb(),
        Color::Cmyk { inverted } => {
            x.color_space().device_cmyk();
            if inverted {
                x.decode([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
            }
        }
    }
    if let Some(mask_id) = mask_id {
        x.s_mask(mask_id);
    }
    x.finish();
    if let (Some(alpha), Some(mask_id)) = (&image.alpha, mask_id) {
        let mut m = pdf.image_xobject(mask_id, alpha);
        m.filter(Filter::FlateDecode);
        m.width(width);
        m.height(height);
        m.bits_per_component(8);
        m.color_space().device_gray();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn up_prediction_round_trips() {
        let samples: Vec<u8> = (0..5 * 3 * 4).map(|i| (i * 37 % 251) as u8).collect();
        let packed = deflate_rows(&samples, 5, 3);
        let mut raw = Vec::new();
        flate2::read::ZlibDecoder::new(&packed[..])
            .read_to_end(&mut raw)
            .unwrap();
        assert_eq!(raw.len(), samples.len() + 4);
        let mut decoded: Vec<u8> = Vec::new();
        for (r, row) in raw.chunks(16).enumerate() {
            assert_eq!(row[0], 2);
            for (i, &d) in row[1..].iter().enumerate() {
                let above = if r == 0 { 0 } else { decoded[(r - 1) * 15 + i] };
                decoded.push(d.wrapping_add(above));
            }
        }
        assert_eq!(decoded, samples);
    }
}
