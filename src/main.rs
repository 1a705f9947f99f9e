//! `remnant`: the desktop app by default, headless subcommands otherwise.

use std::ffi::OsString;

fn main() {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    if args.first().is_some_and(remnant::cli::is_command) {
        std::process::exit(remnant::cli::run(&args));
    }
    std::process::exit(remnant::ui::run_app(args.first().map(std::path::PathBuf::from)));
}
