//! The trainee's attempts log: one JSON object per line (JSON Lines) in
//! `<config dir>/trainee_attempts.jsonl`.
//!
//! Each attempt is written as one whole line by a single `write` on a file opened for
//! appending, then synced, so earlier lines are never rewritten. A line cut short
//! (the machine stopped mid-write) is skipped when the log is read, with a note; the
//! next append starts on a new line so it never continues a torn one.

use crate::segmentation::tools::score::Score;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// One scored attempt (one line of the log).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Attempt {
    /// Log format version.
    pub format: u32,
    /// When it was scored, UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub date_time: String,
    /// Seconds from opening the exercise to scoring.
    pub seconds: f64,
    /// The scan's file name.
    pub scan: String,
    /// The reference mask's file name.
    pub reference: String,
    /// The layer scored.
    pub layer: String,
    pub dice: f64,
    pub traced_ml: f64,
    pub reference_ml: f64,
    /// traced - reference.
    pub volume_diff_ml: f64,
    pub volume_diff_pct: Option<f64>,
    pub mean_surface_distance_mm: Option<f64>,
    pub hausdorff95_mm: Option<f64>,
    pub hausdorff_mm: Option<f64>,
}

impl Attempt {
    pub const FORMAT: u32 = 1;

    pub fn new(
        at: SystemTime,
        taken: Duration,
        scan: &str,
        reference: &str,
        layer: &str,
        s: &Score,
    ) -> Attempt {
        let secs = at
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Attempt {
            format: Self::FORMAT,
            date_time: iso_utc(secs),
            seconds: (taken.as_secs_f64() * 10.0).round() / 10.0,
            scan: scan.into(),
            reference: reference.into(),
            layer: layer.into(),
            dice: s.dice,
            traced_ml: s.traced_ml,
            reference_ml: s.reference_ml,
            volume_diff_ml: s.volume_diff_ml,
            volume_diff_pct: s.volume_diff_pct,
            mean_surface_distance_mm: s.mean_surface_distance_mm,
            hausdorff95_mm: s.hausdorff95_mm,
            hausdorff_mm: s.hausdorff_mm,
        }
    }
}

/// Why the log could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("no folder for settings: set REMNANT_CONFIG_DIR (or HOME)")]
    NoConfigDir,
    #[error("cannot create the folder {}: {source}", dir.display())]
    CreateDir {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot {step} the attempts log {}: {source}", path.display())]
    Io {
        path: PathBuf,
        step: &'static str,
        source: std::io::Error,
    },
    #[error("cannot write the attempt as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// What a read of the log found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogRead {
    /// The attempts in the file's order (oldest first).
    pub attempts: Vec<Attempt>,
    /// Line numbers (1-based) that were cut short or unreadable, skipped.
    pub skipped: Vec<usize>,
}

impl LogRead {
    /// A note for the user when lines were skipped.
    pub fn note(&self, path: &Path) -> Option<String> {
        let lines: Vec<String> = self.skipped.iter().map(|n| n.to_string()).collect();
        let which = if lines.len() == 1 { "line" } else { "lines" };
        (!lines.is_empty()).then(|| {
            format!(
                "{which} {} of {} cut short or unreadable (a write interrupted?): skipped",
                lines.join(", "),
                path.display()
            )
        })
    }
}

/// The attempts log file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptLog {
    path: PathBuf,
}

impl AttemptLog {
    pub const FILE: &'static str = "trainee_attempts.jsonl";

    /// The log in the config folder (`$REMNANT_CONFIG_DIR`, else
    /// `$XDG_CONFIG_HOME/remnant`, else the platform's config folder; see `recent`).
    pub fn in_config_dir() -> Result<AttemptLog, LogError> {
        crate::recent::config_dir()
            .map(|d| AttemptLog::at(d.join(Self::FILE)))
            .ok_or(LogError::NoConfigDir)
    }

    pub fn at(path: PathBuf) -> AttemptLog {
        AttemptLog { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one attempt as one whole line (the folder is created if missing).
    pub fn append(&self, a: &Attempt) -> Result<(), LogError> {
        let io = |step| {
            move |source| LogError::Io {
                path: self.path.clone(),
                step,
                source,
            }
        };
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| LogError::CreateDir {
                dir: dir.to_path_buf(),
                source,
            })?;
        }
        let mut line = serde_json::to_vec(a)?;
        line.push(b'\n');
        let mut f = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&self.path)
            .map_err(io("open"))?;
        // a torn last line (no newline) stays a line of its own
        let len = f.seek(SeekFrom::End(0)).map_err(io("read"))?;
        if len > 0 {
            f.seek(SeekFrom::End(-1)).map_err(io("read"))?;
            let mut last = [0u8];
            f.read_exact(&mut last).map_err(io("read"))?;
            if last[0] != b'\n' {
                line.insert(0, b'\n');
            }
        }
        f.write_all(&line).map_err(io("write"))?;
        f.sync_data().map_err(io("sync"))
    }

    /// Every readable attempt, oldest first; a missing log is empty.
    pub fn read(&self) -> Result<LogRead, LogError> {
        let text = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(LogRead::default()),
            Err(source) => {
                return Err(LogError::Io {
                    path: self.path.clone(),
                    step: "read",
                    source,
                });
            }
        };
        let mut out = LogRead::default();
        for (n, line) in text.split(|&b| b == b'\n').enumerate() {
            if line.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            match serde_json::from_slice::<Attempt>(line) {
                Ok(a) => out.attempts.push(a),
                Err(_) => out.skipped.push(n + 1),
            }
        }
        Ok(out)
    }
}

/// A Unix time as `YYYY-MM-DDTHH:MM:SSZ` (UTC; no time zone database).
pub fn iso_utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let s = secs.rem_euclid(86_400);
    // H. Hinnant's civil_from_days
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}
