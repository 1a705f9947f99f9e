//! Listing every file under a folder, following symbolic links without looping.

use super::error::DicomError;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::task::Task;

/// Folders nested deeper than this are not entered (a guard against odd mounts).
const MAX_DEPTH: usize = 64;

/// Files found, and paths that could not be read with the reason.
pub type Listing = (Vec<PathBuf>, Vec<(PathBuf, String)>);

/// All regular files under `root`, sorted, and the folders or entries that could
/// not be read with the reason. Stops with `DicomError::Cancelled` when asked.
pub fn list_files(root: &Path, task: Task) -> Result<Listing, DicomError> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut stack = vec![(root.to_path_buf(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        if task.cancelled() {
            return Err(DicomError::Cancelled);
        }
        if let Ok(real) = dir.canonicalize()
            && !seen.insert(real)
        {
            continue; // a link back to a folder already listed
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                problems.push((dir, format!("cannot read the folder: {e}")));
                continue;
            }
        };
        for entry in entries {
            let path = match entry {
                Ok(e) => e.path(),
                Err(e) => {
                    problems.push((dir.clone(), format!("cannot read the folder: {e}")));
                    continue;
                }
            };
            // metadata() follows links: a link to a file counts as that file.
            match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() && depth < MAX_DEPTH => stack.push((path, depth + 1)),
                Ok(m) if m.is_dir() => {
                    problems.push((path, "not searched: folders nested too deep".into()))
                }
                Ok(m) if m.is_file() => files.push(path),
                Ok(_) => {}
                Err(e) => problems.push((path, format!("cannot read the file: {e}"))),
            }
        }
    }
    files.sort();
    Ok((files, problems))
}
