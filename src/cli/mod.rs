//! The headless command line: the same core as the app, no window.

pub mod args;
mod convert;
mod exercise;
mod lesion;
mod mesh;
mod phantom;
mod registry;
mod report;
mod sample;
mod seg;
pub mod session;
mod trace;
mod values;
mod volumetry;

use args::Command;

/// What a command returns on failure: any error (typed errors from the core, or a
/// sentence); printed as one line `remnant: error: ...` at the boundary.
pub type CliError = Box<dyn std::error::Error + Send + Sync>;
use std::ffi::OsString;

/// The subcommand names (anything else on the command line is a scan for the app).
pub const COMMANDS: &[&str] = &[
    "volumetry",
    "convert",
    "report",
    "phantom",
    "session",
    "grow",
    "lesion",
    "score",
    "mesh",
    "sample",
    "registry",
    "exercise",
    "help",
];

/// Is this a CLI command or flag (rather than a scan to open in the app)?
pub fn is_command(arg: &OsString) -> bool {
    let s = arg.to_string_lossy();
    COMMANDS.contains(&s.as_ref()) || s.starts_with('-')
}

/// Run a command; returns the process exit code. Errors print one line on stderr.
pub fn run(args: &[OsString]) -> i32 {
    let cli = match args::parse(args) {
        Ok(c) => c,
        Err((text, 0)) => {
            print!("{text}");
            return 0;
        }
        Err((text, code)) => {
            eprintln!("remnant: error: {text}");
            return code;
        }
    };
    let result = match cli.command {
        Command::Volumetry(a) => volumetry::run(a),
        Command::Convert(a) => convert::run(a),
        Command::Phantom(a) => phantom::run(a),
        Command::Grow(a) => trace::run_grow(a),
        Command::Lesion(a) => lesion::run(a),
        Command::Score(a) => trace::run_score(a),
        Command::Report(a) => report::run(a),
        Command::Session(a) => session::run(a),
        Command::Mesh(a) => mesh::run(a),
        Command::Sample(a) => sample::run(a),
        Command::Registry(a) => registry::run(a),
        Command::Exercise(a) => exercise::run(a),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("remnant: error: {e}");
            1
        }
    }
}
