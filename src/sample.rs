//! The bundled sample, inside the binary: the sample CT, its reference liver and the
//! scripted seeds (`sample_data/`, < 1 MB). Nothing here reads the source tree at run
//! time, so an installed or copied `remnant` has them too.
//!
//! `remnant sample --out DIR` writes them ([`write_to`]); the app and the trainee
//! exercise open them from a folder the user's cache holds ([`materialized_dir`]),
//! written on first use and rewritten when a file there differs from the bundled one.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// File name of the sample CT.
pub const CT: &str = "ct.nii.gz";
/// File name of the reference liver mask traced on the CT.
pub const LIVER: &str = "liver.nii.gz";
/// File name of the scripted grow-from-seeds strokes.
pub const SEEDS: &str = "liver_seeds.txt";

/// Each bundled file: its name and its bytes (byte-identical to `sample_data/`).
pub const FILES: &[(&str, &[u8])] = &[
    (CT, include_bytes!("../sample_data/ct.nii.gz")),
    (LIVER, include_bytes!("../sample_data/liver.nii.gz")),
    (SEEDS, include_bytes!("../sample_data/liver_seeds.txt")),
];

/// Why the sample could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    #[error("{}: cannot create the folder: {source}", path.display())]
    Folder { path: PathBuf, source: io::Error },
    #[error("{}: cannot write the file: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
}

/// Write the bundled files into `dir` (created if missing); returns the paths written.
/// A file already there with the same bytes is left alone; one that differs is replaced
/// (written next to it, then renamed over it).
pub fn write_to(dir: &Path) -> Result<Vec<PathBuf>, SampleError> {
    std::fs::create_dir_all(dir).map_err(|source| SampleError::Folder {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::with_capacity(FILES.len());
    for (name, bytes) in FILES {
        let path = dir.join(name);
        if std::fs::read(&path).is_ok_and(|b| b == *bytes) {
            written.push(path);
            continue;
        }
        let write = || -> io::Result<()> {
            // unique per process and call: threads may write the same folder at once
            static N: AtomicUsize = AtomicUsize::new(0);
            let n = N.fetch_add(1, Ordering::Relaxed);
            let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
            std::fs::write(&tmp, bytes)?;
            std::fs::rename(&tmp, &path).inspect_err(|_| {
                let _ = std::fs::remove_file(&tmp);
            })
        };
        write().map_err(|source| SampleError::Write {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// The folder the app opens the sample from: `$REMNANT_SAMPLE_DIR` if set, else
/// `remnant/sample` in the user's cache folder (`$XDG_CACHE_HOME` or `~/.cache` on
/// Linux, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows), else the system's
/// temporary folder. The bundled files are written there first when missing or changed.
pub fn materialized_dir() -> Result<PathBuf, SampleError> {
    let dir = sample_dir();
    write_to(&dir)?;
    Ok(dir)
}

fn sample_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("REMNANT_SAMPLE_DIR") {
        return PathBuf::from(d);
    }
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("remnant")
        .join("sample")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_files_are_the_source_trees_sample() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
        for (name, bytes) in FILES {
            assert_eq!(std::fs::read(src.join(name)).unwrap(), *bytes, "{name}");
        }
    }

    #[test]
    fn write_to_writes_identical_files_and_repairs_a_changed_one() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a/b");
        let paths = write_to(&out).unwrap();
        assert_eq!(paths.len(), 3);
        for (name, bytes) in FILES {
            assert_eq!(std::fs::read(out.join(name)).unwrap(), *bytes);
        }
        std::fs::write(out.join(CT), b"not a CT").unwrap();
        write_to(&out).unwrap();
        assert_eq!(std::fs::read(out.join(CT)).unwrap(), FILES[0].1);
        // no temporary files left behind
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 3);
    }

    #[test]
    fn an_unwritable_folder_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain_file");
        std::fs::write(&file, b"x").unwrap();
        let e = write_to(&file.join("sub")).unwrap_err().to_string();
        assert!(
            e.contains("plain_file") && e.contains("cannot create the folder"),
            "{e}"
        );
    }
}
