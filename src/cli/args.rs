//! The command line, declared with clap (derive): one struct per subcommand, typed
//! values, `--help` for the binary and every subcommand, `--version`. Errors keep
//! Remnant's format: one line naming the flag and what was typed
//! (`remnant: error: --height-cm "tall" is not a number`), exit status 1.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Parser, Subcommand};
use std::ffi::OsString;

#[derive(Debug, Parser)]
#[command(
    name = "remnant",
    version = crate::build_info::VERSION,
    about = "Future liver remnant volumetry and PCI reporting",
    long_about = "Remnant: future liver remnant volumetry and peritoneal cancer index reporting.\n\n\
                  `remnant` alone opens the app on the bundled sample CT; `remnant SCAN` opens the app on \
                  a NIfTI file or a DICOM folder. The subcommands below run headless, on the same core.",
    override_usage = "remnant [SCAN.nii.gz | DICOM_DIR]   (opens the app)\n       remnant <COMMAND> [OPTIONS]",
    after_help = "Nothing leaves the machine: Remnant has no network code."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Volumes, FLR, sFLR and the PVE verdict from a CT and its traced layers (table or JSON)
    Volumetry(super::volumetry::VolumetryArgs),
    /// Convert one DICOM series to NIfTI (or list the series of a folder)
    Convert(super::convert::ConvertArgs),
    /// Check a saved report or case, and render its PDF
    Report(super::report::ReportArgs),
    /// Write the known-answer phantom (CT + label map)
    Phantom(super::phantom::PhantomArgs),
    /// An editing session driven by commands on stdin, autosaved after every edit
    Session(super::session::SessionArgs),
    /// Grow a layer from seed strokes (the app's Grow from seeds, headless)
    Grow(super::trace::GrowArgs),
    /// Segment liver lesions from one point each (the app's Lesion tool, headless)
    Lesion(super::lesion::LesionArgs),
    /// Score a traced layer against a reference mask (trainee mode, headless)
    Score(super::trace::ScoreArgs),
    /// One layer's surface as STL or OBJ (patient mm, RAS+) for 3-D printing or other planners
    Mesh(super::mesh::MeshArgs),
    /// Write the bundled sample (CT, reference liver, seeds) into a folder
    Sample(super::sample::SampleArgs),
    /// The case registry: record cases, list them, export them for REDCap
    Registry(super::registry::RegistryArgs),
    /// A saved case as a de-identified teaching exercise (export), or check an exercise folder
    Exercise(super::exercise::ExerciseArgs),
}

/// Parse the command line; `Err` carries what to print and the exit status
/// (help and version: the text on stdout and 0; an error: one line and 1).
pub fn parse(args: &[OsString]) -> Result<Cli, (String, i32)> {
    let argv = std::iter::once(OsString::from("remnant")).chain(args.iter().cloned());
    Cli::try_parse_from(argv).map_err(|e| match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => (e.render().to_string(), 0),
        _ => (one_line(&e), 1),
    })
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        other => Some(other.to_string()),
    }
}

/// `--ct <CT>` -> `--ct`.
fn flag_name(arg: &str) -> &str {
    arg.split([' ', '=']).next().unwrap_or(arg)
}

/// One line for a clap error, in Remnant's wording.
fn one_line(e: &clap::Error) -> String {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    match e.kind() {
        ErrorKind::MissingRequiredArgument => {
            let names: Vec<&str> = arg.split(", ").map(flag_name).collect();
            format!("{} is required", names.join(" and "))
        }
        ErrorKind::UnknownArgument if arg.starts_with('-') => {
            format!("unknown option {} (see --help)", flag_name(&arg))
        }
        ErrorKind::UnknownArgument => format!("unexpected argument \"{arg}\" (see --help)"),
        ErrorKind::InvalidSubcommand => {
            let sub = context(e, ContextKind::InvalidSubcommand).unwrap_or(arg);
            format!("unknown command \"{sub}\" (try: remnant --help)")
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_else(|| "is not valid".into());
            format!("{} \"{value}\" {why}", flag_name(&arg))
        }
        ErrorKind::InvalidValue if value.is_empty() => format!("{} needs a value", flag_name(&arg)),
        ErrorKind::InvalidValue => {
            let valid = context(e, ContextKind::ValidValue).unwrap_or_default();
            format!("{} \"{value}\" must be one of: {valid}", flag_name(&arg))
        }
        ErrorKind::ArgumentConflict => {
            let other = context(e, ContextKind::PriorArg).unwrap_or_default();
            if flag_name(&other) == flag_name(&arg) || other.is_empty() {
                format!("{} is given twice", flag_name(&arg))
            } else {
                format!(
                    "{} cannot be used with {}",
                    flag_name(&arg),
                    flag_name(&other)
                )
            }
        }
        _ => {
            // clap's own text, folded onto one line without its usage block
            let text = e.render().to_string();
            let body: Vec<&str> = text
                .lines()
                .map(str::trim)
                .take_while(|l| !l.starts_with("Usage:"))
                .filter(|l| !l.is_empty())
                .collect();
            body.join(" ").trim_start_matches("error: ").to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(args: &[&str]) -> String {
        let a: Vec<OsString> = args.iter().map(OsString::from).collect();
        match parse(&a) {
            Ok(c) => panic!("{args:?} parsed: {c:?}"),
            Err((msg, code)) => {
                assert_eq!(code, 1, "{msg}");
                assert_eq!(msg.lines().count(), 1, "{msg}");
                msg
            }
        }
    }

    #[test]
    fn errors_name_the_flag_and_the_value_on_one_line() {
        assert_eq!(err(&["volumetry"]), "--ct is required");
        assert_eq!(
            err(&["volumetry", "--ct", "a", "--height-cm", "tall"]),
            "--height-cm \"tall\" is not a number"
        );
        assert_eq!(
            err(&["volumetry", "--ct", "a", "--cut-point", "1,2"]),
            "--cut-point \"1,2\" must be three numbers X,Y,Z (mm, RAS)"
        );
        assert!(err(&["volumetry", "--bogus"]).starts_with("unknown option --bogus"));
        assert!(err(&["frobnicate"]).starts_with("unknown command \"frobnicate\""));
        assert_eq!(
            err(&["volumetry", "--ct", "a", "--ct", "b"]),
            "--ct is given twice"
        );
        assert_eq!(
            err(&[
                "score",
                "--labels",
                "l",
                "--reference",
                "r",
                "--layer",
                "spleen"
            ]),
            "--layer \"spleen\" must be liver, resection, tumour or stage1"
        );
    }

    #[test]
    fn help_and_version_print_and_succeed() {
        for args in [
            vec!["--help"],
            vec!["--version"],
            vec!["volumetry", "--help"],
            vec!["help", "grow"],
        ] {
            let a: Vec<OsString> = args.iter().map(OsString::from).collect();
            let (text, code) = parse(&a).unwrap_err();
            assert_eq!(code, 0, "{args:?}");
            assert!(!text.is_empty());
        }
    }
}
