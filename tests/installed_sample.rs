//! The sample travels inside the binary: a `remnant` copied away from the source tree
//! (with an environment that names no path into it) writes the sample byte-identical to
//! `sample_data/`, measures it, and opens it in the app without the build path.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FILES: [&str; 3] = ["ct.nii.gz", "liver.nii.gz", "liver_seeds.txt"];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The binary copied into a fresh folder, and that folder (its own HOME and cache).
fn copied_binary() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let exe = dir.path().join("remnant");
    std::fs::copy(env!("CARGO_BIN_EXE_remnant"), &exe).unwrap();
    std::fs::create_dir(dir.path().join("home")).unwrap();
    (dir, exe)
}

/// Run the copied binary in its folder with an environment that has no path into the repo.
fn run(dir: &Path, exe: &Path, args: &[&str]) -> Output {
    Command::new(exe)
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", dir.join("home"))
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_copied_binary_writes_the_sample_byte_identical_and_measures_it() {
    let (dir, exe) = copied_binary();
    let o = run(dir.path(), &exe, &["sample", "--out", "D"]);
    assert!(o.status.success(), "{}", text(&o));
    for f in FILES {
        assert_eq!(
            std::fs::read(dir.path().join("D").join(f)).unwrap(),
            std::fs::read(repo().join("sample_data").join(f)).unwrap(),
            "{f} differs from sample_data/"
        );
        assert!(text(&o).contains(f), "{}", text(&o));
    }
    let o = run(
        dir.path(),
        &exe,
        &[
            "volumetry",
            "--ct",
            "D/ct.nii.gz",
            "--liver-mask",
            "D/liver.nii.gz",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    let total = out
        .lines()
        .find(|l| l.starts_with("Total liver"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(total.ends_with("1043.118"), "{total}");
}

#[test]
fn an_out_folder_that_cannot_be_made_is_a_clear_error() {
    let (dir, exe) = copied_binary();
    std::fs::write(dir.path().join("a_file"), b"x").unwrap();
    let o = run(dir.path(), &exe, &["sample", "--out", "a_file/D"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("remnant: error: a_file/D: cannot create the folder"),
        "{err}"
    );
}

#[test]
fn version_names_the_commit_and_the_build_date() {
    let (dir, exe) = copied_binary();
    let o = run(dir.path(), &exe, &["--version"]);
    assert!(o.status.success());
    let v = String::from_utf8_lossy(&o.stdout);
    let want = format!(
        "remnant {} (commit {}, built {})",
        env!("CARGO_PKG_VERSION"),
        remnant::build_info::COMMIT,
        remnant::build_info::BUILD_DATE
    );
    assert_eq!(v.trim(), want);
    assert!(!remnant::build_info::COMMIT.is_empty() && !remnant::build_info::BUILD_DATE.is_empty());
}

/// The app's File > Open bundled sample and the exercise open files written from the
/// binary into the cache folder, not the source tree's.
#[test]
fn the_apps_sample_and_exercise_come_from_the_binary() {
    use remnant::ui::AppCommand;
    let src = repo().join("sample_data");
    match remnant::ui::open_bundled_sample() {
        AppCommand::Open(p) => {
            assert!(!p.starts_with(repo()), "{}", p.display());
            assert_eq!(
                std::fs::read(&p).unwrap(),
                std::fs::read(src.join("ct.nii.gz")).unwrap()
            );
        }
        _ => panic!("not an Open command"),
    }
    match remnant::ui::open_sample_exercise() {
        AppCommand::OpenExercise(d) => {
            assert!(!d.starts_with(repo()), "{}", d.display());
            for f in FILES {
                assert_eq!(
                    std::fs::read(d.join(f)).unwrap(),
                    std::fs::read(src.join(f)).unwrap()
                );
            }
        }
        _ => panic!("not an OpenExercise command"),
    }
}

/// With the source tree hidden (a private mount namespace with an empty tmpfs over it:
/// root and `unshare` needed, as in CI), the copied binary still writes the sample.
/// Where hiding is impossible the test says so loudly and passes, unless
/// REMNANT_REQUIRE_PYTHON=1 or REMNANT_REQUIRE_MOUNT=1 (CI) is set.
#[test]
fn with_the_source_tree_hidden_the_sample_is_still_written() {
    let hide = format!(
        "mount -t tmpfs none '{}' && test ! -e '{}' && exec \"$0\" \"$@\"",
        repo().display(),
        repo().join("sample_data").display()
    );
    let (dir, exe) = copied_binary();
    let probe = Command::new("unshare")
        .args(["-m", "sh", "-c", &hide, "true"])
        .output();
    if !matches!(&probe, Ok(o) if o.status.success()) {
        // as in tests/save_failures.rs: CI (scripts/test.sh) sets these and must not skip
        let required = ["REMNANT_REQUIRE_PYTHON", "REMNANT_REQUIRE_MOUNT"]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|x| x == "1"));
        eprintln!(
            "\n!!!!!!!! HIDDEN-SOURCE-TREE TEST NOT RUN: cannot hide the source tree here \
             (needs root and unshare(1)): {probe:?}\n"
        );
        assert!(
            !required,
            "REMNANT_REQUIRE_PYTHON or REMNANT_REQUIRE_MOUNT is set: failing"
        );
        return;
    }
    let o = Command::new("unshare")
        .args(["-m", "sh", "-c", &hide])
        .arg(&exe)
        .args(["sample", "--out", "D"])
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", dir.path().join("home"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    for f in FILES {
        assert_eq!(
            std::fs::read(dir.path().join("D").join(f)).unwrap(),
            std::fs::read(repo().join("sample_data").join(f)).unwrap(),
            "{f}"
        );
    }
}
