//! A small command-line parser: `--flag VALUE` and `--switch`, with errors that name
//! the problem in one line. Paths stay `OsString`, so non-UTF-8 names work.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;

pub struct Spec {
    /// Flags that take a value.
    pub values: &'static [&'static str],
    /// Flags that stand alone.
    pub switches: &'static [&'static str],
}

#[derive(Debug, Default)]
pub struct Args {
    values: HashMap<String, OsString>,
    switches: Vec<String>,
}

impl Args {
    pub fn parse(args: &[OsString], spec: &Spec) -> Result<Args, String> {
        let mut out = Args::default();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let s = a.to_string_lossy();
            let Some(name) = s.strip_prefix("--") else {
                return Err(format!(
                    "unexpected argument \"{s}\" (options start with --)"
                ));
            };
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(OsString::from(v))),
                None => (name.to_string(), None),
            };
            if spec.switches.contains(&name.as_str()) {
                out.switches.push(name);
            } else if spec.values.contains(&name.as_str()) {
                let v = match inline {
                    Some(v) => v,
                    None => it
                        .next()
                        .cloned()
                        .ok_or_else(|| format!("--{name} needs a value"))?,
                };
                if out.values.insert(name.clone(), v).is_some() {
                    return Err(format!("--{name} is given twice"));
                }
            } else {
                return Err(format!("unknown option --{name}"));
            }
        }
        Ok(out)
    }

    pub fn switch(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }

    pub fn path(&self, name: &str) -> Option<PathBuf> {
        self.values.get(name).map(PathBuf::from)
    }

    pub fn require_path(&self, name: &str) -> Result<PathBuf, String> {
        self.path(name)
            .ok_or_else(|| format!("--{name} is required"))
    }

    pub fn text(&self, name: &str) -> Option<String> {
        self.values
            .get(name)
            .map(|v| v.to_string_lossy().into_owned())
    }

    /// Which voxels of a mask count: `--NAME N` picks label N of a multi-label map,
    /// no flag takes every non-zero voxel.
    pub fn mask_select(&self, name: &str) -> Result<crate::volume::nifti::MaskSelect, String> {
        use crate::volume::nifti::MaskSelect;
        match self.text(name) {
            None => Ok(MaskSelect::NonZero),
            Some(t) => t
                .trim()
                .parse()
                .map(MaskSelect::Label)
                .map_err(|_| format!("--{name} \"{t}\" is not a whole number")),
        }
    }

    /// A finite number, or an error naming the flag and what was typed.
    pub fn number(&self, name: &str) -> Result<Option<f64>, String> {
        match self.text(name) {
            None => Ok(None),
            Some(t) => match t.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(Some(v)),
                _ => Err(format!("--{name} \"{t}\" is not a number")),
            },
        }
    }
}
