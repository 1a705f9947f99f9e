//! Damaged files (truncated anywhere, bytes overwritten) in every codec: scan
//! and load must return a clear error or a volume of the right size, never panic
//! (`survive` says what each damage must give).
//!
//! dicom-parser 0.10 reserves and zero-fills whatever length an element claims
//! before reading it; `volume::dicom` checks every length against the file
//! first (lengths.rs), so a damaged length costs neither seconds nor gigabytes:
//! each test here takes about a second, most of it making the series.

mod dicom_common;

use std::path::PathBuf;

use remnant::task::Task;
use remnant::volume::dicom::{load_files, load_series, scan_folder};

/// A small deterministic generator (no rand crate needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// How a copy was damaged.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Damage {
    /// Cut to this many bytes.
    Cut(usize),
    /// A few bytes overwritten anywhere.
    Overwritten,
    /// The last quarter (pixel data / codestream) overwritten with noise.
    TailNoise,
}

fn variants(bytes: &[u8], rng: &mut Lcg) -> Vec<(Damage, Vec<u8>)> {
    let n = bytes.len();
    let mut out = Vec::new();
    for cut in [0, 1, 131, 132, 200, n / 3, n / 2, n * 9 / 10, n - 1] {
        let cut = cut.min(n);
        out.push((Damage::Cut(cut), bytes[..cut].to_vec()));
    }
    for _ in 0..25 {
        let mut b = bytes.to_vec();
        let hits = 1 + rng.next() as usize % 8;
        for _ in 0..hits {
            let at = rng.next() as usize % n;
            b[at] = rng.next() as u8;
        }
        out.push((Damage::Overwritten, b));
    }
    // Overwrite the tail (pixel data / codestream) with noise.
    let mut b = bytes.to_vec();
    for x in b.iter_mut().skip(n * 3 / 4) {
        *x = rng.next() as u8;
    }
    out.push((Damage::TailNoise, b));
    out
}

/// `f()`, or a test failure naming `what` if it panics.
fn no_panic<T>(what: &str, f: impl FnOnce() -> T) -> T {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| panic!("{what}: panicked instead of returning a result or an error"))
}

/// Two images of a series in `syntax`, each damaged 35 ways (cut short 9 ways, a few bytes
/// overwritten 25 times, its last quarter overwritten with noise), loaded one by one and
/// then scanned as one folder. What each must give:
/// - never a panic;
/// - refused: a one-line error that names the damaged file;
/// - loaded: a volume of the undamaged image's size (40 x 32 x 1) with the 1-slice warning,
///   never one whose size came from a damaged Rows / Columns;
/// - cut short: refused, except a cut that loses only the last byte of encapsulated pixel
///   data (its closing sequence delimiter) or of a deflated data set's stream tail, which
///   may load but then with exactly the undamaged image's voxels;
/// - the tail noise: loads for uncompressed pixel data (noise is valid pixel values),
///   refused for every compressed syntax (the codestream, or the deflate stream, is broken);
/// - the folder scan accounts for every file (in a series or skipped with a reason), and
///   each series it lists loads (40 x 32 x k) or is refused with a one-line error.
fn survive(syntax: &str) {
    let Some(g) = dicom_common::make("axial", syntax) else {
        return;
    };
    let uncompressed = syntax == "explicit";
    let mut originals: Vec<PathBuf> = std::fs::read_dir(&g.data)
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    originals.sort();
    let damaged = g.tmp.path().join("damaged");
    std::fs::create_dir(&damaged).expect("mkdir");
    let mut rng = Lcg(42);
    let (mut loaded, mut refused, mut internal, mut files) = (0, 0, 0, 0);
    for (f, path) in originals.iter().take(2).enumerate() {
        let whole = load_files(std::slice::from_ref(path), Task::none()).expect("undamaged image");
        let dims = whole.volume.geometry.dims;
        assert_eq!(dims, [40, 32, 1], "{syntax}: the undamaged image");
        let bytes = std::fs::read(path).expect("read");
        let n = bytes.len();
        for (v, (damage, data)) in variants(&bytes, &mut rng).into_iter().enumerate() {
            let name = format!("f{f}_v{v}.dcm");
            let what = format!("{syntax} {name} ({damage:?} of {n} bytes)");
            let p = damaged.join(&name);
            std::fs::write(&p, data).expect("write");
            files += 1;
            match no_panic(&what, || load_files(&[p], Task::none())) {
                Ok(vol) => {
                    loaded += 1;
                    assert_eq!(
                        vol.volume.geometry.dims, dims,
                        "{what}: loaded with another size"
                    );
                    assert!(
                        vol.warnings
                            .iter()
                            .any(|w| w.starts_with("only one slice: a 1-slice volume")),
                        "{what}: {:?}",
                        vol.warnings
                    );
                    match damage {
                        Damage::Cut(at) => {
                            assert!(
                                !uncompressed && at == n - 1,
                                "{what}: a file cut short loaded"
                            );
                            assert!(
                                vol.volume.as_slice() == whole.volume.as_slice(),
                                "{what}: loaded with other voxels than the whole file"
                            );
                        }
                        Damage::TailNoise => assert!(
                            uncompressed,
                            "{what}: a noisy codestream loaded without an error"
                        ),
                        Damage::Overwritten => {}
                    }
                }
                Err(e) => {
                    refused += 1;
                    let msg = e.to_string();
                    internal += usize::from(msg.contains("internal decoder error"));
                    assert!(
                        msg.contains(&name),
                        "{what}: the error does not name the file: {msg}"
                    );
                    assert!(!msg.contains('\n'), "{what}: not one line: {msg}");
                    assert!(
                        !(uncompressed && damage == Damage::TailNoise),
                        "{what}: uncompressed pixel noise refused: {msg}"
                    );
                }
            }
        }
    }
    println!("{syntax}: {loaded} loaded, {refused} refused ({internal} caught decoder panics)");
    assert!(
        loaded > 0 && refused > 0,
        "{syntax}: {loaded} loaded, {refused} refused"
    );

    let scan = no_panic(&format!("{syntax}: scan"), || {
        scan_folder(&damaged, Task::none())
    })
    .expect("scan");
    let listed: usize = scan.series.iter().map(|s| s.image_count).sum();
    assert_eq!(
        listed + scan.skipped.len(),
        files,
        "{syntax}: {listed} in series + {} skipped",
        scan.skipped.len()
    );
    for (path, reason) in &scan.skipped {
        assert!(
            !reason.trim().is_empty(),
            "{}: skipped without a reason",
            path.display()
        );
    }
    for s in &scan.series {
        match no_panic(&format!("{syntax}: load a scanned series"), || {
            load_series(s, Task::none())
        }) {
            // (one variant of each image can make a 2-slice series)
            Ok(vol) => assert_eq!(vol.volume.geometry.dims[..2], [40, 32], "{syntax}"),
            // (a series-level refusal, such as positions repeated, names no one file)
            Err(e) => {
                let msg = e.to_string();
                assert!(
                    !msg.trim().is_empty() && !msg.contains('\n'),
                    "{syntax}: series error {msg:?}"
                );
            }
        }
    }
}

#[test]
fn damaged_explicit() {
    survive("explicit");
}

#[test]
fn damaged_deflated() {
    survive("deflated");
}

#[test]
fn damaged_rle() {
    survive("rle");
}

#[test]
fn damaged_jpeg_lossless() {
    survive("jpeg-lossless");
}

#[test]
fn damaged_jpeg_ls() {
    survive("jpegls");
}

#[test]
fn damaged_jpeg_2000() {
    survive("j2k-lossless");
}

/// A damaged Rows in a JPEG 2000 file (32 -> 143, as one of `damaged_jpeg_2000`'s random
/// overwrites happened to make): the decoder sizes its output from Rows and zero-fills the
/// 111 rows its codestream lacks, so the load must compare the two and refuse the file.
#[test]
fn a_jpeg_2000_file_whose_rows_disagree_with_its_codestream_is_refused() {
    let Some(g) = dicom_common::make("axial", "j2k-lossless") else {
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&g.data)
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let victim = &files[0];
    let whole = load_files(std::slice::from_ref(victim), Task::none()).expect("undamaged");
    assert_eq!(whole.volume.geometry.dims, [40, 32, 1]);
    let python = dicom_common::tools::python(&["pydicom"]).expect("make() checked pydicom");
    dicom_common::tools::run(
        std::process::Command::new(python)
            .arg("-c")
            .arg("import pydicom, sys\nds = pydicom.dcmread(sys.argv[1])\nds.Rows = 143\nds.save_as(sys.argv[1])")
            .arg(victim),
    );
    let err = load_files(std::slice::from_ref(victim), Task::none())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "the JPEG 2000 image is 40 x 32, but Columns x Rows (0028,0011 / 0028,0010) say \
             40 x 143: damaged"
        ),
        "{err}"
    );
}

/// Offset of the 4-byte length of the Pixel Data element (explicit VR LE, OW).
fn pixel_data_length_at(bytes: &[u8]) -> usize {
    let tag = [0xE0, 0x7F, 0x10, 0x00, b'O', b'W', 0, 0];
    bytes
        .windows(tag.len())
        .rposition(|w| w == tag)
        .expect("an explicit VR OW Pixel Data element")
        + tag.len()
}

#[test]
fn a_huge_pixel_data_length_is_refused_before_anything_is_read() {
    let Some(g) = dicom_common::make("axial", "explicit") else {
        return;
    };
    let mut first: Vec<PathBuf> = std::fs::read_dir(&g.data)
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    first.sort();
    let mut bytes = std::fs::read(&first[0]).expect("read");
    let at = pixel_data_length_at(&bytes);
    bytes[at..at + 4].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    let dir = g.tmp.path().join("damaged");
    std::fs::create_dir(&dir).expect("mkdir");
    let p = dir.join("x.dcm");
    std::fs::write(&p, &bytes).expect("write");

    let t = std::time::Instant::now();
    let scan = scan_folder(&dir, Task::none()).expect("scan");
    assert!(scan.series.is_empty());
    assert_eq!(scan.skipped.len(), 1);
    assert!(
        scan.skipped[0].1.starts_with(
            "truncated or damaged: element (7FE0,0010) claims 4294967280 bytes but only"
        ),
        "{:?}",
        scan.skipped
    );
    assert_eq!(
        scan.skipped_counts(),
        vec![("truncated or damaged".to_string(), 1)]
    );
    let err = load_files(&[p], Task::none()).unwrap_err().to_string();
    assert!(err.contains("truncated or damaged"), "{err}");
    // Without the length check dicom-rs zero-fills 4 GiB first (seconds).
    assert!(t.elapsed().as_secs_f64() < 1.0, "{:?}", t.elapsed());
}

#[test]
fn a_huge_element_after_the_pixels_is_refused_at_load() {
    let Some(g) = dicom_common::make("axial", "explicit") else {
        return;
    };
    let scan = scan_folder(&g.data, Task::none()).expect("scan");
    let series = &scan.series[0];
    // Trailing padding (FFFC,FFFC) OB claiming 2 GiB after the first file's pixels.
    let victim = &series.files[0];
    let mut bytes = std::fs::read(victim).expect("read");
    bytes.extend([0xFC, 0xFF, 0xFC, 0xFF, b'O', b'B', 0, 0]);
    bytes.extend(0x7FFF_FFF0u32.to_le_bytes());
    bytes.extend([0u8; 16]);
    std::fs::write(victim, &bytes).expect("write");
    // The header scan stops at the pixel data, so the file is still listed...
    let again = scan_folder(&g.data, Task::none()).expect("scan");
    assert_eq!(again.series[0].image_count, series.image_count);
    // ...but loading reads the whole file and refuses it, naming the element.
    let err = load_series(&again.series[0], Task::none())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("truncated or damaged: element (FFFC,FFFC) claims 2147483632 bytes"),
        "{err}"
    );
}

/// The closures passed to the panic guard (`no_panic`, and lengths.rs's
/// `guarded`, which only forwards to it), read from src/volume/dicom.
fn guarded_closures() -> Vec<(String, String)> {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/volume/dicom"));
    // every .rs file below it, child modules' folders included
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).expect("src/volume/dicom") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 10, "{files:?}");
    let mut out = Vec::new();
    for path in files {
        let name = path
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let src = std::fs::read_to_string(&path).expect("read");
        // the module's own unit tests may call the guard on anything
        let src = src.split("#[cfg(test)]").next().unwrap_or("");
        for call in ["no_panic(", "guarded("] {
            let mut from = 0;
            while let Some(at) = src[from..].find(call) {
                let start = from + at;
                from = start + call.len();
                let before = &src[..start];
                if before.ends_with("fn ") || before.ends_with("::") {
                    continue; // the definition, or an import path
                }
                let args = balanced(&src[start + call.len() - 1..]);
                let closure = match call {
                    "no_panic(" => args.split_once(',').map_or("", |x| x.1).trim().to_string(),
                    _ => args.trim().to_string(),
                };
                out.push((name.clone(), closure));
            }
        }
    }
    out
}

/// The text inside the parentheses that open `s`.
fn balanced(s: &str) -> &str {
    let mut depth = 0;
    let mut in_str = false;
    let mut prev = ' ';
    for (i, c) in s.char_indices() {
        match c {
            '"' if prev != '\\' => in_str = !in_str,
            '(' if !in_str => depth += 1,
            ')' if !in_str => {
                depth -= 1;
                if depth == 0 {
                    return &s[1..i];
                }
            }
            _ => {}
        }
        prev = c;
    }
    panic!("unbalanced parentheses in {s}");
}

/// The panic guard turns a panic into "internal decoder error" for the file.
/// It must wrap only calls into dicom-rs and its codecs: a panic in Remnant's
/// own code (pixels.rs, lengths.rs, ...) is our bug and must not pass for a
/// damaged file. Every closure under the guard may only call the listed
/// third-party functions and methods; a plain function call (our own code, such
/// as `walk_file(..)` or `decode(..)`) or any other method fails this test.
#[test]
fn the_panic_guard_wraps_only_third_party_decoder_calls() {
    const THIRD_PARTY: [&str; 11] = [
        "open_file",               // dicom-object OpenFileOptions
        "read_until",              // dicom-object OpenFileOptions
        "decode_pixel_data_frame", // dicom-pixeldata PixelDecoder
        "decode_header",           // dicom-encoding / dicom-parser decoders
        "decode_item_header",      // dicom-parser StatefulDecode
        "new_with_override",       // dicom-parser DynStatefulDecoder
        "adapt_reader",            // dicom-encoding deflate adapter
        "seek",                    // dicom-parser StatefulDecode
        "read_to",                 // dicom-parser StatefulDecode
        "new",                     // only as OpenFileOptions::new / Box::new (checked below)
        "default",                 // only as SpecificCharacterSet::default etc. (checked below)
    ];
    const THIRD_PARTY_TYPES: [&str; 5] = [
        "OpenFileOptions",
        "DynStatefulDecoder",
        "Box",
        "SpecificCharacterSet",
        "CharacterSetOverride",
    ];
    let sites = guarded_closures();
    assert!(sites.len() >= 10, "guard sites found: {sites:?}");
    let call = |text: &str| -> Vec<(String, String)> {
        // (what precedes the name: "." method, "Type::" path, "" plain call), name
        let b = text.as_bytes();
        let mut calls = Vec::new();
        for (i, _) in text.match_indices('(') {
            let mut j = i;
            while j > 0 && (b[j - 1].is_ascii_alphanumeric() || b[j - 1] == b'_') {
                j -= 1;
            }
            let name = &text[j..i];
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_uppercase()) {
                continue; // a tuple, a grouping, or an enum/struct constructor (Ok, Some)
            }
            let prefix = if text[..j].ends_with('.') {
                ".".to_string()
            } else if text[..j].ends_with("::") {
                let head = text[..j - 2]
                    .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .next()
                    .unwrap_or("");
                format!("{head}::")
            } else {
                String::new()
            };
            calls.push((prefix, name.to_string()));
        }
        calls
    };
    for (file, closure) in &sites {
        if file == "lengths.rs" && closure == "f" {
            continue; // `guarded` forwarding its closure; its callers are checked
        }
        assert!(
            closure.starts_with("||"),
            "{file}: the guard is given `{closure}`, not a closure of decoder calls"
        );
        let body = closure.trim_start_matches("||");
        for (prefix, name) in call(body) {
            let ok = THIRD_PARTY.contains(&name.as_str())
                && match prefix.as_str() {
                    "." => name != "new" && name != "default",
                    "" => false,
                    path => THIRD_PARTY_TYPES.contains(&path.trim_end_matches(':')),
                };
            assert!(
                ok,
                "{file}: the panic guard wraps `{prefix}{name}(..)` in `{closure}`: only \
                 dicom-rs / codec calls may run under it, not Remnant's own code"
            );
        }
    }
}
