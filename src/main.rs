//! `remnant`: the desktop app by default (optionally on a scan given as the only
//! argument), headless subcommands otherwise.

use std::ffi::OsString;
use std::path::PathBuf;

fn main() {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    match args.first() {
        None => std::process::exit(gui(None)),
        Some(a) if !remnant::cli::is_command(a) && std::path::Path::new(a).exists() => {
            std::process::exit(gui(Some(PathBuf::from(a))))
        }
        Some(_) => std::process::exit(remnant::cli::run(&args)),
    }
}

#[cfg(feature = "gui")]
fn gui(scan: Option<PathBuf>) -> i32 {
    remnant::ui::run_app(scan)
}

#[cfg(not(feature = "gui"))]
fn gui(_scan: Option<PathBuf>) -> i32 {
    eprintln!(
        "remnant was built without the `gui` feature: only the subcommands are available (remnant help)"
    );
    2
}
