//! `remnant`: the desktop app by default (optionally on a scan given as the only
//! argument), headless subcommands otherwise.

use std::ffi::OsString;
use std::path::PathBuf;

fn main() {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    match args.first() {
        None => std::process::exit(remnant::ui::run_app(None)),
        Some(a) if !remnant::cli::is_command(a) && std::path::Path::new(a).exists() => {
            std::process::exit(remnant::ui::run_app(Some(PathBuf::from(a))))
        }
        Some(_) => std::process::exit(remnant::cli::run(&args)),
    }
}
