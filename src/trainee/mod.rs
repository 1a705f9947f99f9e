//! The trainee exercise, with no UI in it: the bundled sample traced against its
//! reference liver (File > Open sample exercise), the timer, and the log of attempts
//! ([`log`]). The score itself is `segmentation::tools::score::score_on`.

pub mod export;
pub mod log;

pub use log::{Attempt, AttemptLog, LogError, LogRead};

use crate::segmentation::tools::score::Score;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// The files of an exercise: the CT and the reference traced on it (the bundled
/// sample's liver, or an exported exercise's layer, see [`export`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleExercise {
    pub ct: PathBuf,
    pub reference: PathBuf,
    /// The layer to trace (the sample: the liver).
    pub layer: crate::segmentation::Layer,
    /// What to do, from an exported exercise's manifest (None: the sample).
    pub task: Option<String>,
}

/// Why the sample exercise cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ExerciseError {
    #[error(
        "the sample exercise needs {} ({what}), which is missing: {source}. The sample ships \
         inside Remnant: File > Open sample exercise, or `remnant sample --out DIR` writes it",
        path.display()
    )]
    Missing {
        path: PathBuf,
        what: &'static str,
        source: std::io::Error,
    },
    #[error("{0} is not a file")]
    NotAFile(PathBuf),
    #[error("no exercise is open (File > Open sample exercise)")]
    NoExercise,
    #[error("the reference does not match this scan's grid")]
    GridMismatch,
    #[error("a preview is waiting: accept or discard it first (it is not in the layer yet)")]
    PreviewPending,
}

impl SampleExercise {
    /// File names in the sample folder.
    pub const CT: &'static str = "ct.nii.gz";
    pub const REFERENCE: &'static str = "liver.nii.gz";

    /// The folder of the sample bundled in the binary (`crate::sample`), written into the
    /// user's cache folder on first use: found the same from any folder or install.
    pub fn bundled_dir() -> Result<PathBuf, crate::sample::SampleError> {
        crate::sample::materialized_dir()
    }

    /// The exercise in `dir`: both files must be there.
    pub fn in_dir(dir: &Path) -> Result<SampleExercise, ExerciseError> {
        let check = |name: &str, what: &'static str| {
            let path = dir.join(name);
            match std::fs::metadata(&path) {
                Ok(m) if m.is_file() => Ok(path),
                Ok(_) => Err(ExerciseError::NotAFile(path)),
                Err(source) => Err(ExerciseError::Missing { path, what, source }),
            }
        };
        Ok(SampleExercise {
            ct: check(Self::CT, "the sample CT")?,
            reference: check(Self::REFERENCE, "the reference liver mask")?,
            layer: crate::segmentation::Layer::Liver,
            task: None,
        })
    }

    /// The exercise in `dir` (File > Open exercise): an exported one (its
    /// `exercise.json` names the files and the layer), else the sample's layout. A
    /// folder that is neither is refused, naming what is missing.
    pub fn open_dir(dir: &Path) -> Result<SampleExercise, export::ExportError> {
        let Some((m, layer)) = export::read_manifest(dir)? else {
            let any = dir.join(Self::CT).exists() || dir.join(Self::REFERENCE).exists();
            if !any {
                return Err(export::ExportError::NotAnExercise(dir.to_path_buf()));
            }
            // the sample's layout: a missing file is named
            return Ok(Self::in_dir(dir)?);
        };
        let file = |name: &str| {
            let path = dir.join(name);
            match std::fs::metadata(&path) {
                Ok(md) if md.is_file() => Ok(path),
                Ok(_) => Err(std::io::Error::other("not a file")),
                Err(e) => Err(e),
            }
            .map_err(|source| export::ExportError::Folder {
                path: dir.join(name),
                source,
            })
        };
        Ok(SampleExercise {
            ct: file(&m.ct)?,
            reference: file(&m.reference)?,
            layer,
            task: Some(m.task),
        })
    }
}

/// An exercise in progress: what is traced against what, since when, and the attempts.
#[derive(Debug, Clone)]
pub struct Exercise {
    /// The scan's file name.
    pub scan: String,
    /// The reference mask's file name.
    pub reference: String,
    started: Instant,
    /// The last attempt scored in this exercise.
    pub last: Option<Attempt>,
    /// Every attempt in the log (this exercise's and earlier ones), latest first.
    pub attempts: Vec<Attempt>,
    /// The log (None: no config folder, see [`LogError::NoConfigDir`]).
    pub log: Option<AttemptLog>,
    /// What reading or writing the log said (skipped lines, a failed write).
    pub note: Option<String>,
}

impl Exercise {
    /// Start the timer now; the earlier attempts are read from `log`.
    pub fn start(scan: String, reference: String, log: Result<AttemptLog, LogError>) -> Exercise {
        let (attempts, note) = match &log {
            Ok(l) => match l.read() {
                Ok(r) => {
                    let note = r.note(l.path());
                    let mut a = r.attempts;
                    a.reverse();
                    (a, note)
                }
                Err(e) => (Vec::new(), Some(e.to_string())),
            },
            Err(e) => (Vec::new(), Some(format!("attempts are not logged: {e}"))),
        };
        Exercise {
            scan,
            reference,
            started: Instant::now(),
            last: None,
            attempts,
            log: log.ok(),
            note,
        }
    }

    /// Time since the exercise started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// The attempt of `score` (the layer `layer` traced), now.
    pub fn attempt(&self, score: &Score, layer: &str) -> Attempt {
        Attempt::new(
            SystemTime::now(),
            self.elapsed(),
            &self.scan,
            &self.reference,
            layer,
            score,
        )
    }

    /// Keep `attempt` as the last one and append it to the log. The attempt is kept
    /// in the list even when the log cannot be written (the error says so).
    pub fn record(&mut self, attempt: Attempt) -> Result<PathBuf, LogError> {
        self.last = Some(attempt.clone());
        self.attempts.insert(0, attempt.clone());
        let written = match &self.log {
            Some(l) => l.append(&attempt).map(|()| l.path().to_path_buf()),
            None => Err(LogError::NoConfigDir),
        };
        if let Err(e) = &written {
            self.note = Some(format!("the last attempt was NOT saved to the log: {e}"));
        }
        written
    }
}

#[cfg(test)]
mod tests;
