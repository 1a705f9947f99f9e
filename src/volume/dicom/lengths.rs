//! A cheap pre-flight check of a file's value lengths, run before dicom-rs
//! reads it.
//!
//! dicom-rs 0.10 reserves and zero-fills the whole length an element header
//! claims before it reads the value, so one damaged length field (up to 4 GiB)
//! costs seconds and gigabytes before the read fails at the end of the file.
//! This walks the file the way dicom-rs's `DataSetReader` does (same header
//! decoders, same rules for sequences, items and encapsulated pixel data) but
//! skips values instead of reading them, and refuses a file in which a value
//! claims more bytes than are left. Whatever dicom-rs then allocates for a
//! value is bounded by the file's size.
//!
//! Structural errors that dicom-rs itself reports cheaply (a bad tag, an item
//! where none may be, a premature end) end the walk without an error: dicom-rs
//! meets the same error at the same place and gives its own message.
//!
//! The walk also says where the pixels of an uncompressed little endian file
//! are, so that loading can read them straight into place (see `pixels.rs`).

use super::error::DicomError;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use dicom_core::header::{DataElementHeader, HasLength, Header, Length, SequenceItemHeader};
use dicom_core::{Tag, VR};
use dicom_encoding::Codec;
use dicom_encoding::decode::Decode;
use dicom_encoding::decode::explicit_le::ExplicitVRLittleEndianDecoder;
use dicom_encoding::text::SpecificCharacterSet;
use dicom_parser::stateful::decode::{CharacterSetOverride, DynStatefulDecoder, StatefulDecode};
use dicom_transfer_syntax_registry::{TransferSyntaxIndex, TransferSyntaxRegistry};

use super::attrs::tag_label;
use super::guard::no_panic;

/// How much of the file dicom-rs is about to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extent {
    /// Up to the top-level Pixel Data element (`read_until(PIXEL_DATA)`); the
    /// Pixel Data length itself is checked too, so a truncated image is found
    /// while scanning.
    Header,
    /// Every element, pixel data and trailing elements included.
    WholeFile,
}

/// No single value of a file Remnant reads may be larger than this (1 GiB),
/// even in a deflated data set whose inflated size is not known in advance.
const MAX_VALUE_BYTES: u64 = 1 << 30;

/// Values at least this long are skipped by seeking rather than reading (in
/// files; a deflated data set is always read through).
const SEEK_MIN: u32 = 1 << 16;

/// Transfer syntaxes whose Pixel Data is the stored values, little endian.
const NATIVE_LE: [&str; 2] = ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1"];

/// What the walk learnt about the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Layout {
    /// Where the top-level Pixel Data value is, when the transfer syntax is
    /// uncompressed little endian, the value has a defined length and the whole
    /// file was walked to its end without a problem (`Extent::WholeFile`).
    pub native_pixels: Option<PixelSpan>,
    /// `Extent::Header`: the defined length of the top-level Pixel Data value
    /// where the walk stopped (to check it against NumberOfFrames).
    pub pixel_data_len: Option<u32>,
}

/// A value's place in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelSpan {
    /// Byte offset of the value in the file.
    pub offset: u64,
    pub len: u32,
}

/// Pixel Data (7FE0,0010): where `Extent::Header` stops.
const PIXEL_DATA: Tag = Tag(0x7FE0, 0x0010);
const ITEM_DELIMITER: Tag = Tag(0xFFFE, 0xE00D);

/// `Err` (phrased "truncated or damaged: ...") when some value in `path`
/// claims more bytes than the file holds after it.
pub fn check_lengths(path: &Path, extent: Extent) -> Result<Layout, DicomError> {
    walk_file(path, extent)
}

/// The data set's bytes: the file itself (values can be skipped by seeking),
/// or an inflating stream.
enum Source {
    File(BufReader<File>),
    Stream(Box<dyn Read>),
}

impl Read for Source {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Source::File(f) => f.read(buf),
            Source::Stream(s) => s.read(buf),
        }
    }
}

impl Seek for Source {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        match self {
            Source::File(f) => f.seek(pos),
            Source::Stream(_) => Err(std::io::ErrorKind::Unsupported.into()),
        }
    }
}

fn walk_file(path: &Path, extent: Extent) -> Result<Layout, DicomError> {
    let cannot = |e: std::io::Error| DicomError::Io(format!("cannot read the file: {e}"));
    let mut file = File::open(path).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len();
    let mut head = Vec::with_capacity(132);
    (&mut file)
        .take(132)
        .read_to_end(&mut head)
        .map_err(cannot)?;
    // As dicom-rs detects it: "DICM" after a 128-byte preamble, or at the start.
    let magic_end = if head.get(128..132) == Some(b"DICM".as_slice()) {
        132
    } else if head.get(0..4) == Some(b"DICM".as_slice()) {
        4
    } else {
        return Ok(Layout::default()); // not Part 10: dicom-rs refuses it before reading a value
    };
    file.seek(SeekFrom::Start(magic_end)).map_err(cannot)?;
    let mut reader = BufReader::new(file);
    let Some((ts_uid, meta_end)) = walk_meta(&mut reader, magic_end, size)? else {
        return Ok(Layout::default());
    };
    let Some(ts) = TransferSyntaxRegistry.get(&ts_uid) else {
        return Ok(Layout::default()); // unknown transfer syntax: dicom-rs stops here
    };
    let (source, bound) = match ts.codec() {
        Codec::Dataset(Some(adapter)) => {
            let inflating = guarded(|| adapter.adapt_reader(Box::new(reader)))?;
            (Source::Stream(inflating), None)
        }
        Codec::Dataset(None) => return Ok(Layout::default()),
        _ => (Source::File(reader), Some(size.saturating_sub(meta_end))),
    };
    let Ok(decoder) = guarded(|| {
        DynStatefulDecoder::new_with_override(
            source,
            ts,
            SpecificCharacterSet::default(),
            CharacterSetOverride::default(),
            0,
        )
    })?
    else {
        return Ok(Layout::default());
    };
    let mut w = Walker {
        decoder,
        bound,
        extent,
        data_start: meta_end,
        seeked: 0,
        native: NATIVE_LE.contains(&ts.uid()),
        pixels: None,
        pixel_data_len: None,
    };
    let clean_end = w.walk()?;
    Ok(Layout {
        pixel_data_len: w.pixel_data_len,
        native_pixels: w
            .pixels
            .filter(|_| clean_end && extent == Extent::WholeFile),
    })
}

/// Explicit VR little endian file meta group, read as dicom-rs reads it.
/// Returns the transfer syntax UID and the offset where the data set starts,
/// or `None` where dicom-rs would refuse the meta group.
fn walk_meta(
    reader: &mut impl Read,
    start: u64,
    size: u64,
) -> Result<Option<(String, u64)>, DicomError> {
    let decoder = ExplicitVRLittleEndianDecoder::default();
    let Ok((group, n)) = guarded(|| decoder.decode_header(reader))? else {
        return Ok(None);
    };
    if group.tag() != Tag(0x0002, 0x0000) || group.length() != Length(4) {
        return Ok(None);
    }
    let mut value = [0u8; 4];
    if reader.read_exact(&mut value).is_err() {
        return Ok(None);
    }
    let group_length = u32::from_le_bytes(value);
    let mut pos = start + n as u64 + 4;
    let mut total: u32 = 0;
    let mut ts = None;
    while total < group_length {
        let Ok((h, n)) = guarded(|| decoder.decode_header(reader))? else {
            return Ok(None);
        };
        pos += n as u64;
        let Some(len) = h.length().get() else {
            return Ok(None);
        };
        check(h.tag(), len, size.saturating_sub(pos))?;
        if h.tag() == Tag(0x0002, 0x0010) && len <= 1024 {
            let mut uid = vec![0u8; len as usize];
            if reader.read_exact(&mut uid).is_err() {
                return Ok(None);
            }
            let text = String::from_utf8_lossy(&uid);
            ts = Some(text.trim_end_matches(['\0', ' ']).trim().to_string());
        } else if std::io::copy(
            &mut reader.by_ref().take(u64::from(len)),
            &mut std::io::sink(),
        )
        .is_err()
        {
            return Ok(None);
        }
        pos += u64::from(len);
        total = total.saturating_add(n as u32).saturating_add(len);
    }
    Ok(ts.map(|t| (t, pos)))
}

/// A call into dicom-rs's decoders, under the panic guard.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, DicomError> {
    no_panic("unreadable DICOM header", f)
}

/// A value of `len` bytes must fit in the `left` bytes that follow it.
fn check(tag: Tag, len: u32, left: u64) -> Result<(), DicomError> {
    let len = u64::from(len);
    if len > left || len > MAX_VALUE_BYTES {
        return Err(DicomError::Damaged(format!(
            "truncated or damaged: element {} claims {len} bytes but only {} are left in the file",
            tag_label(tag),
            left.min(MAX_VALUE_BYTES)
        )));
    }
    Ok(())
}

/// dicom-rs reads a binary value as whole fixed-size numbers (`len / size` of them)
/// but then moves on by the declared length, so a length that is not a multiple of
/// the value size makes it read the next element header from the wrong offset, where
/// any bytes can claim gigabytes (found by fuzzing). Such a value is damaged: refused.
fn whole_values(h: &DataElementHeader) -> Result<(), DicomError> {
    let size: u32 = match h.vr() {
        VR::US | VR::OW | VR::SS => 2,
        VR::AT | VR::FL | VR::OF | VR::SL | VR::UL | VR::OL => 4,
        VR::FD | VR::OD | VR::SV | VR::OV | VR::UV => 8,
        _ => return Ok(()),
    };
    match h.length().get() {
        Some(len) if len % size != 0 => Err(DicomError::Damaged(format!(
            "truncated or damaged: element {} ({}) has {len} bytes, not a whole number of \
             {size}-byte values",
            tag_label(h.tag()),
            h.vr().to_string()
        ))),
        _ => Ok(()),
    }
}

/// Counts the bytes written to it and drops them.
struct CountingSink(u64);

impl std::io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// An open sequence or item, as dicom-rs tracks it.
struct Open {
    item: bool,
    pixel_data: bool,
    len: Length,
    base: u64,
}

struct Walker<S> {
    decoder: S,
    /// Bytes in the data set (None when deflated: only the size cap applies).
    bound: Option<u64>,
    extent: Extent,
    /// File offset of the data set's first byte.
    data_start: u64,
    /// Bytes skipped by seeking, which the decoder's own position does not count.
    seeked: u64,
    /// Uncompressed little endian: the Pixel Data value is the stored values.
    native: bool,
    pixels: Option<PixelSpan>,
    pixel_data_len: Option<u32>,
}

impl<S: StatefulDecode<Reader = Source> + Sized> Walker<S> {
    /// Position in the data set.
    fn pos(&self) -> u64 {
        self.decoder.position() + self.seeked
    }

    fn left(&self) -> u64 {
        match self.bound {
            Some(b) => b.saturating_sub(self.pos()),
            None => MAX_VALUE_BYTES,
        }
    }

    /// Check then skip a value of `len` bytes; a value cut short by the end of
    /// the data (how a damaged length shows in a deflated data set) is refused.
    fn skip(&mut self, tag: Tag, len: u32) -> Result<(), DicomError> {
        check(tag, len, self.left())?;
        if self.bound.is_some() && len >= SEEK_MIN {
            // in a file, within its size (just checked): no need to read it
            let to = self.data_start + self.pos() + u64::from(len);
            let decoder = &mut self.decoder;
            guarded(|| decoder.seek(to))?
                .map_err(|e| DicomError::Io(format!("cannot read the file: {e}")))?;
            self.seeked += u64::from(len);
            return Ok(());
        }
        let mut sink = CountingSink(0);
        let decoder = &mut self.decoder;
        guarded(|| decoder.read_to(len, &mut sink))?
            .map_err(|e| DicomError::Io(format!("cannot read the file: {e}")))?;
        if sink.0 < u64::from(len) {
            return Err(DicomError::Damaged(format!(
                "truncated or damaged: element {} claims {len} bytes but only {} are left in the file",
                tag_label(tag),
                sink.0
            )));
        }
        Ok(())
    }

    /// Mirrors `dicom_parser::dataset::DataSetReader::next` token by token.
    /// `Ok(true)` when the data set ended where the file ends, outside any
    /// sequence; `Ok(false)` when the walk stopped early (where dicom-rs stops
    /// or reports an error of its own).
    fn walk(&mut self) -> Result<bool, DicomError> {
        let mut st = WalkState::default();
        loop {
            if st.check_end && self.close_ended(&mut st) {
                return Ok(false); // dicom-rs: inconsistent sequence end
            }
            let fragment = st
                .open
                .last()
                .filter(|top| top.item && top.pixel_data)
                .map(|top| top.len);
            let step = if st.in_sequence {
                self.item_header(&mut st)?
            } else if let Some(len) = fragment {
                // A fragment (or the basic offset table) of encapsulated pixel data.
                let Some(len) = len.get() else {
                    return Ok(false); // dicom-rs: undefined item length
                };
                st.check_end = true;
                self.skip(PIXEL_DATA, len)?;
                None
            } else if let Some(h) = st.last_header.take() {
                self.element_value(&mut st, h)?
            } else {
                self.element_header(&mut st)?
            };
            if let Some(done) = step {
                return Ok(done);
            }
        }
    }

    /// Close every sequence or item whose defined length ends here; true when one
    /// ended before here.
    fn close_ended(&self, st: &mut WalkState) -> bool {
        while st.check_end {
            if let Some(top) = st.open.last()
                && let Some(len) = top.len.get()
            {
                let end = top.base + u64::from(len);
                let pos = self.pos();
                if end == pos {
                    st.in_sequence = top.item;
                    st.open.pop();
                    continue; // the end of a defined length: check again
                }
                if end < pos {
                    return true;
                }
            }
            st.check_end = false;
        }
        false
    }

    /// Inside a sequence: an item starts, or an item or the sequence ends.
    fn item_header(&mut self, st: &mut WalkState) -> Result<Step, DicomError> {
        let decoder = &mut self.decoder;
        match guarded(|| decoder.decode_item_header())? {
            Ok(SequenceItemHeader::Item { len }) => {
                let Some(pixel_data) = st.open.last().map(|o| o.pixel_data) else {
                    return Ok(Some(false)); // dicom-rs: unexpected item
                };
                st.in_sequence = false;
                st.open.push(Open {
                    item: true,
                    pixel_data,
                    len,
                    base: self.pos(),
                });
                st.check_end = len == Length(0);
            }
            Ok(SequenceItemHeader::ItemDelimiter) => {
                st.open.pop();
                st.in_sequence = true;
                st.check_end = true;
            }
            Ok(SequenceItemHeader::SequenceDelimiter) => {
                st.open.pop();
                st.in_sequence = false;
                st.check_end = true;
            }
            Err(_) => return Ok(Some(false)),
        }
        Ok(None)
    }

    /// The value after header `h`: encapsulated pixel data opens its fragments,
    /// any other value is checked and skipped.
    fn element_value(
        &mut self,
        st: &mut WalkState,
        h: DataElementHeader,
    ) -> Result<Step, DicomError> {
        if h.is_encapsulated_pixeldata() {
            return self.encapsulated_pixel_data(st);
        }
        whole_values(&h)?;
        if self.native && st.open.is_empty() && h.tag() == PIXEL_DATA {
            let offset = self.data_start + self.pos();
            let len = h.length().0;
            self.pixels = Some(PixelSpan { offset, len });
        }
        self.skip(h.tag(), h.length().0)?;
        st.check_end = true;
        Ok(None)
    }

    /// Encapsulated pixel data: its first item, or its end when it has none.
    fn encapsulated_pixel_data(&mut self, st: &mut WalkState) -> Result<Step, DicomError> {
        st.open.push(Open {
            item: false,
            pixel_data: true,
            len: Length::UNDEFINED,
            base: self.pos(),
        });
        let decoder = &mut self.decoder;
        match guarded(|| decoder.decode_item_header())? {
            Ok(SequenceItemHeader::Item { len }) => {
                st.in_sequence = false;
                st.open.push(Open {
                    item: true,
                    pixel_data: true,
                    len,
                    base: self.pos(),
                });
                st.check_end = len == Length(0);
            }
            Ok(SequenceItemHeader::SequenceDelimiter) => {
                st.open.pop();
                st.in_sequence = false;
            }
            _ => return Ok(Some(false)),
        }
        Ok(None)
    }

    /// The next element header: a sequence or undefined-length element opens, an
    /// item delimiter closes, any other header waits for its value.
    fn element_header(&mut self, st: &mut WalkState) -> Result<Step, DicomError> {
        let decoder = &mut self.decoder;
        let Ok(h) = guarded(|| decoder.decode_header())? else {
            // the end of the file, or dicom-rs fails here too
            return Ok(Some(
                st.open.is_empty() && self.bound.is_some() && self.left() == 0,
            ));
        };
        let top_level = st.open.is_empty();
        if top_level && self.extent == Extent::Header && h.tag() >= PIXEL_DATA {
            // dicom-rs stops here without reading the value.
            if let Some(len) = h.length().get() {
                check(h.tag(), len, self.left())?;
                if h.tag() == PIXEL_DATA {
                    self.pixel_data_len = Some(len);
                }
            }
            return Ok(Some(false));
        }
        if h.vr() == VR::SQ {
            st.in_sequence = true;
            st.open.push(Open {
                item: false,
                pixel_data: false,
                len: h.length(),
                base: self.pos(),
            });
            st.check_end = h.length() == Length(0);
        } else if h.tag() == ITEM_DELIMITER {
            if !top_level {
                st.in_sequence = true;
                st.open.pop();
                st.check_end = true;
            }
        } else if h.is_encapsulated_pixeldata() {
            st.last_header = Some(h);
        } else if h.length().is_undefined() {
            st.in_sequence = true;
            st.open.push(Open {
                item: false,
                pixel_data: false,
                len: h.length(),
                base: self.pos(),
            });
        } else {
            st.last_header = Some(h);
        }
        Ok(None)
    }
}

/// Where the walk is: the open sequences and items, and what comes next.
#[derive(Default)]
struct WalkState {
    open: Vec<Open>,
    /// An item header (or a delimiter) comes next.
    in_sequence: bool,
    /// Check whether a defined-length sequence or item ends here.
    check_end: bool,
    /// A header whose value comes next.
    last_header: Option<DataElementHeader>,
}

/// One token walked: None to go on, Some(`walk`'s answer) to stop.
type Step = Option<bool>;

#[cfg(test)]
mod tests {
    use super::*;

    /// Explicit VR little endian element bytes.
    fn el(group: u16, elem: u16, vr: &[u8; 2], value: &[u8]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend(group.to_le_bytes());
        b.extend(elem.to_le_bytes());
        b.extend(vr);
        if matches!(vr, b"OB" | b"OW" | b"SQ" | b"UN" | b"UT") {
            b.extend([0, 0]);
            b.extend((value.len() as u32).to_le_bytes());
        } else {
            b.extend((value.len() as u16).to_le_bytes());
        }
        b.extend(value);
        b
    }

    /// A minimal Part 10 file: preamble, meta group, then `body`.
    fn file(ts: &str, body: &[u8]) -> Vec<u8> {
        let mut uid = ts.as_bytes().to_vec();
        if uid.len() % 2 == 1 {
            uid.push(0);
        }
        let meta = el(0x0002, 0x0010, b"UI", &uid);
        let mut b = vec![0u8; 128];
        b.extend(b"DICM");
        b.extend(el(
            0x0002,
            0x0000,
            b"UL",
            &(meta.len() as u32).to_le_bytes(),
        ));
        b.extend(meta);
        b.extend(body);
        b
    }

    fn layout(bytes: &[u8], extent: Extent) -> Result<Layout, DicomError> {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("f.dcm");
        std::fs::write(&p, bytes).expect("write");
        check_lengths(&p, extent)
    }

    fn run(bytes: &[u8], extent: Extent) -> Result<(), DicomError> {
        layout(bytes, extent).map(|_| ())
    }

    const EXPLICIT: &str = "1.2.840.10008.1.2.1";

    #[test]
    fn a_sound_file_passes() {
        let mut body = el(0x0010, 0x0010, b"PN", b"DOE^J ");
        body.extend(el(0x7FE0, 0x0010, b"OW", &[0u8; 64]));
        let f = file(EXPLICIT, &body);
        run(&f, Extent::Header).expect("sound");
        run(&f, Extent::WholeFile).expect("sound");
    }

    #[test]
    fn the_pixels_of_a_sound_uncompressed_file_are_located() {
        let mut body = el(0x0010, 0x0010, b"PN", b"DOE^J ");
        let pixels: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
        body.extend(el(0x7FE0, 0x0010, b"OW", &pixels));
        let f = file(EXPLICIT, &body);
        let span = layout(&f, Extent::WholeFile)
            .expect("sound")
            .native_pixels
            .expect("located");
        let at = span.offset as usize;
        assert_eq!(span.len, 200_000);
        assert_eq!(&f[at..at + span.len as usize], pixels.as_slice());
        // not for the header-only walk, nor for a compressed syntax or damaged tail
        // (the header-only walk gives the Pixel Data length, for the frame count check)
        assert_eq!(
            layout(&f, Extent::Header).expect("sound"),
            Layout {
                native_pixels: None,
                pixel_data_len: Some(200_000)
            }
        );
        let rle = file("1.2.840.10008.1.2.5", &body);
        assert_eq!(
            layout(&rle, Extent::WholeFile)
                .expect("sound")
                .native_pixels,
            None
        );
        let mut tail = f.clone();
        tail.extend([0x08, 0x00]); // half a tag after the pixels
        assert_eq!(
            layout(&tail, Extent::WholeFile)
                .expect("sound")
                .native_pixels,
            None
        );
    }

    #[test]
    fn a_huge_length_before_the_pixels_is_refused() {
        let mut body = el(0x0010, 0x0010, b"PN", b"DOE^J ");
        // a private OB element claiming 4 GiB - 2
        body.extend([0x09, 0x00, 0x10, 0x00, b'O', b'B', 0, 0]);
        body.extend(0xFFFF_FFFEu32.to_le_bytes());
        body.extend([0u8; 40]);
        let err = run(&file(EXPLICIT, &body), Extent::Header)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("truncated or damaged: element (0009,0010) claims 4294967294 bytes"),
            "{err}"
        );
    }

    #[test]
    fn a_binary_value_of_partial_numbers_is_refused() {
        // UL with 46 bytes: dicom-rs would read 11 numbers and lose its place by 2
        // bytes, taking the next bytes for a header that claims ~4 GiB (fuzz finding).
        let mut body = el(0x0004, 0x1202, b"UL", &[1u8; 46]);
        body.extend(el(0x0010, 0x0010, b"PN", b"DOE^J "));
        let err = run(&file(EXPLICIT, &body), Extent::Header)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "truncated or damaged: element (0004,1202) (UL) has 46 bytes, not a whole number \
             of 4-byte values"
        );
        let ok = el(0x0004, 0x1202, b"UL", &[1u8; 44]);
        run(&file(EXPLICIT, &ok), Extent::Header).expect("sound");
    }

    #[test]
    fn truncated_pixel_data_is_found_by_the_header_check() {
        let mut body = el(0x7FE0, 0x0010, b"OW", &[0u8; 64]);
        body.truncate(body.len() - 10);
        let f = file(EXPLICIT, &body);
        let err = run(&f, Extent::Header).unwrap_err().to_string();
        assert!(
            err.contains("(7FE0,0010) claims 64 bytes but only 54"),
            "{err}"
        );
        assert!(run(&f, Extent::WholeFile).is_err());
    }

    #[test]
    fn elements_after_the_pixels_are_checked_for_the_whole_file() {
        let mut body = el(0x7FE0, 0x0010, b"OW", &[0u8; 8]);
        body.extend([0xFC, 0xFF, 0xFC, 0xFF, b'O', b'B', 0, 0]);
        body.extend(1_000_000u32.to_le_bytes());
        let f = file(EXPLICIT, &body);
        run(&f, Extent::Header).expect("sound");
        let err = run(&f, Extent::WholeFile).unwrap_err().to_string();
        assert!(err.contains("(FFFC,FFFC) claims 1000000"), "{err}");
    }

    #[test]
    fn fragments_of_encapsulated_pixel_data_are_checked() {
        let item = |len: u32| {
            let mut b = vec![0xFE, 0xFF, 0x00, 0xE0];
            b.extend(len.to_le_bytes());
            b
        };
        let mut body = vec![0xE0, 0x7F, 0x10, 0x00, b'O', b'B', 0, 0];
        body.extend(0xFFFF_FFFFu32.to_le_bytes());
        body.extend(item(0)); // empty offset table
        body.extend(item(16));
        body.extend([0u8; 16]);
        body.extend([0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]);
        let rle = "1.2.840.10008.1.2.5";
        run(&file(rle, &body), Extent::WholeFile).expect("sound");
        let mut bad = body.clone();
        let at = bad.len() - 8 - 16 - 4;
        bad[at..at + 4].copy_from_slice(&0x7FFF_0000u32.to_le_bytes());
        let err = run(&file(rle, &bad), Extent::WholeFile)
            .unwrap_err()
            .to_string();
        assert!(err.contains("(7FE0,0010) claims 2147418112"), "{err}");
    }

    #[test]
    fn a_damaged_item_inside_a_sequence_is_checked() {
        // (0008,1140) SQ undefined length, one item of undefined length
        // holding an element that claims too much.
        let mut body = vec![0x08, 0x00, 0x40, 0x11, b'S', b'Q', 0, 0];
        body.extend(0xFFFF_FFFFu32.to_le_bytes());
        body.extend([0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF]);
        body.extend([0x08, 0x00, 0x55, 0x11, b'U', b'T', 0, 0]);
        body.extend(50_000u32.to_le_bytes());
        body.extend([b'x'; 10]);
        let err = run(&file(EXPLICIT, &body), Extent::Header)
            .unwrap_err()
            .to_string();
        assert!(err.contains("(0008,1155) claims 50000"), "{err}");
    }

    #[test]
    fn a_damaged_meta_group_is_checked() {
        let mut b = vec![0u8; 128];
        b.extend(b"DICM");
        b.extend(el(0x0002, 0x0000, b"UL", &100u32.to_le_bytes()));
        b.extend([0x02, 0x00, 0x02, 0x00, b'O', b'B', 0, 0]);
        b.extend(0x1000_0000u32.to_le_bytes());
        let err = run(&b, Extent::Header).unwrap_err().to_string();
        assert!(err.contains("(0002,0002) claims 268435456"), "{err}");
    }

    #[test]
    fn a_deflated_value_cut_short_is_refused() {
        use std::io::Write;
        let deflate = |body: &[u8]| {
            let mut e =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(body).expect("deflate");
            e.finish().expect("deflate")
        };
        let deflated = "1.2.840.10008.1.2.1.99";
        let mut body = el(0x0010, 0x0010, b"PN", b"DOE^J ");
        body.extend(el(0x7FE0, 0x0010, b"OW", &[7u8; 64]));
        run(&file(deflated, &deflate(&body)), Extent::WholeFile).expect("sound");
        // the pixel data claims 100 MB; the inflated data set holds 64 bytes
        let at = body.len() - 64 - 4;
        body[at..at + 4].copy_from_slice(&100_000_000u32.to_le_bytes());
        let err = run(&file(deflated, &deflate(&body)), Extent::WholeFile)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("(7FE0,0010) claims 100000000 bytes but only 64 are left"),
            "{err}"
        );
    }

    #[test]
    fn not_dicom_and_empty_files_are_left_to_the_reader() {
        run(b"", Extent::Header).expect("sound");
        run(b"hello", Extent::WholeFile).expect("sound");
    }
}
