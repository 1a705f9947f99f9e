//! The Debian package's generated files, from the clap definitions of `remnant`: a man
//! page for `remnant` and one per subcommand (`remnant-volumetry.1`, ...; clap_mangen)
//! and shell completions for bash, zsh and fish (clap_complete).
//!
//!     cargo run --release --example package_files -- OUT_DIR
//!
//! writes OUT_DIR/man/*.1 and OUT_DIR/completions/{remnant.bash,_remnant,remnant.fish}.
//! `scripts/package.sh` runs it before `cargo deb`.

use clap::CommandFactory;
use clap_complete::Shell;
use std::path::{Path, PathBuf};

fn man_pages(cmd: clap::Command, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        written.extend(man_pages(sub.clone(), dir)?);
    }
    let man = clap_mangen::Man::new(cmd)
        .source(format!("remnant {}", remnant::build_info::VERSION_NUMBER))
        .date(remnant::build_info::BUILD_DATE)
        .manual("Remnant manual");
    written.push(man.generate_to(dir)?);
    Ok(written)
}

fn main() {
    let Some(out) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: package_files OUT_DIR");
        std::process::exit(2);
    };
    let run = || -> std::io::Result<()> {
        let man_dir = out.join("man");
        let comp_dir = out.join("completions");
        std::fs::create_dir_all(&man_dir)?;
        std::fs::create_dir_all(&comp_dir)?;
        // no `help` subcommand page: `remnant help X` is `remnant X --help`
        let mut cmd = remnant::cli::args::Cli::command().disable_help_subcommand(true);
        cmd.build();
        for p in man_pages(cmd, &man_dir)? {
            println!("wrote {}", p.display());
        }
        let mut cmd = remnant::cli::args::Cli::command();
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let p = clap_complete::generate_to(shell, &mut cmd, "remnant", &comp_dir)?;
            println!("wrote {}", p.display());
        }
        Ok(())
    };
    if let Err(e) = run() {
        eprintln!("package_files: {}: {e}", out.display());
        std::process::exit(1);
    }
}
