//! The headless command line: the same core as the app, no window.

pub mod args;
mod convert;
mod mesh;
mod phantom;
mod report;
pub mod session;
mod trace;
mod volumetry;

use std::ffi::OsString;

pub const COMMANDS: &[&str] = &[
    "volumetry",
    "convert",
    "report",
    "phantom",
    "session",
    "grow",
    "score",
    "mesh",
    "help",
];

pub fn usage() -> String {
    format!(
        "Remnant {} - future liver remnant volumetry and PCI reporting\n\n\
         usage:\n  remnant [SCAN.nii.gz]            open the app (on the bundled sample if no scan is given)\n  \
         {}\n  {}\n  {}\n  {}\n  {}\n  {}\n  {}\n  {}\n  remnant help\n",
        env!("CARGO_PKG_VERSION"),
        volumetry::USAGE,
        convert::USAGE,
        report::USAGE,
        phantom::USAGE,
        session::USAGE,
        trace::GROW_USAGE,
        trace::SCORE_USAGE,
        mesh::USAGE,
    )
}

/// Is this the name of a CLI command (rather than a scan to open in the app)?
pub fn is_command(arg: &OsString) -> bool {
    let s = arg.to_string_lossy();
    COMMANDS.contains(&s.as_ref()) || s == "--help" || s == "-h"
}

/// Run a command; returns the process exit code. Errors print one line on stderr.
pub fn run(args: &[OsString]) -> i32 {
    let Some(cmd) = args.first() else {
        print!("{}", usage());
        return 2;
    };
    let rest = &args[1..];
    let result = match cmd.to_string_lossy().as_ref() {
        "volumetry" => volumetry::run(rest),
        "convert" => convert::run(rest),
        "phantom" => phantom::run(rest),
        "grow" => trace::run_grow(rest),
        "score" => trace::run_score(rest),
        "mesh" => mesh::run(rest),
        "report" => report::run(rest),
        "session" => session::run(rest),
        "help" | "--help" | "-h" => {
            print!("{}", usage());
            Ok(())
        }
        other => Err(format!("unknown command \"{other}\" (try: remnant help)")),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("remnant: error: {e}");
            1
        }
    }
}
