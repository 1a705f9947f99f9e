use super::*;
use crate::segmentation::tools::score::Score;
use std::io::Write;

fn score(dice: f64) -> Score {
    Score {
        dice,
        traced_ml: 1000.0,
        reference_ml: 1043.118,
        volume_diff_ml: -43.118,
        volume_diff_pct: Some(-4.1335),
        mean_surface_distance_mm: Some(1.25),
        hausdorff95_mm: Some(4.5),
        hausdorff_mm: Some(12.0),
        true_positive: 1,
        false_positive: 2,
        false_negative: 3,
    }
}

fn attempt(dice: f64, secs: u64) -> Attempt {
    Attempt::new(
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_214_307),
        Duration::from_millis(secs * 1000 + 440),
        "ct.nii.gz",
        "liver.nii.gz",
        "Liver",
        &score(dice),
    )
}

#[test]
fn attempt_fields() {
    let a = attempt(0.9, 75);
    assert_eq!(a.date_time, "2024-02-29T13:45:07Z");
    assert_eq!(a.seconds, 75.4);
    assert_eq!(a.dice, 0.9);
    assert_eq!(a.volume_diff_pct, Some(-4.1335));
    assert_eq!(a.hausdorff_mm, Some(12.0));
    assert_eq!(log::iso_utc(0), "1970-01-01T00:00:00Z");
    assert_eq!(log::iso_utc(951_782_400), "2000-02-29T00:00:00Z");
    assert_eq!(log::iso_utc(-1), "1969-12-31T23:59:59Z");
}

#[test]
fn append_read_round_trip() {
    let d = tempfile::tempdir().unwrap();
    let log = AttemptLog::at(d.path().join(AttemptLog::FILE));
    assert_eq!(
        log.read().unwrap(),
        LogRead::default(),
        "a missing log is empty"
    );
    let (a, b) = (attempt(0.81, 600), attempt(0.93, 1200));
    log.append(&a).unwrap();
    log.append(&b).unwrap();
    let r = log.read().unwrap();
    assert_eq!(r.attempts, vec![a, b]);
    assert!(r.skipped.is_empty() && r.note(log.path()).is_none());
    let text = std::fs::read_to_string(log.path()).unwrap();
    assert_eq!(text.lines().count(), 2);
    assert!(text.ends_with('\n'));
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["dice"], 0.81);
    assert_eq!(first["scan"], "ct.nii.gz");
    assert_eq!(first["date_time"], "2024-02-29T13:45:07Z");
}

#[test]
fn torn_last_line_is_skipped_and_the_next_append_starts_a_new_line() {
    let d = tempfile::tempdir().unwrap();
    let log = AttemptLog::at(d.path().join(AttemptLog::FILE));
    let (a, b) = (attempt(0.7, 10), attempt(0.8, 20));
    log.append(&a).unwrap();
    // a write cut short: half of a line, no newline
    let whole = serde_json::to_string(&b).unwrap();
    std::fs::OpenOptions::new()
        .append(true)
        .open(log.path())
        .unwrap()
        .write_all(&whole.as_bytes()[..whole.len() / 2])
        .unwrap();
    let r = log.read().unwrap();
    assert_eq!(r.attempts, vec![a.clone()]);
    assert_eq!(r.skipped, vec![2]);
    let note = r.note(log.path()).unwrap();
    assert!(
        note.contains("line 2 of") && note.contains("skipped"),
        "{note}"
    );
    // the next attempt is whole, on its own line; the torn one stays skipped
    log.append(&b).unwrap();
    let r = log.read().unwrap();
    assert_eq!(r.attempts, vec![a, b]);
    assert_eq!(r.skipped, vec![2]);
}

#[test]
fn missing_folders_are_created() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("not").join("yet").join(AttemptLog::FILE);
    let log = AttemptLog::at(path.clone());
    log.append(&attempt(0.5, 1)).unwrap();
    assert!(path.is_file());
    assert_eq!(log.read().unwrap().attempts.len(), 1);
    // a folder that cannot be made (a file is in the way) is a typed error naming it
    std::fs::write(d.path().join("file"), b"x").unwrap();
    let bad = AttemptLog::at(d.path().join("file").join(AttemptLog::FILE));
    match bad.append(&attempt(0.5, 1)) {
        Err(LogError::CreateDir { dir, .. }) => assert_eq!(dir, d.path().join("file")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn exercise_records_attempts_latest_first_even_when_the_log_fails() {
    let d = tempfile::tempdir().unwrap();
    let log = AttemptLog::at(d.path().join(AttemptLog::FILE));
    log.append(&attempt(0.6, 5)).unwrap();
    let mut ex = Exercise::start("ct.nii.gz".into(), "liver.nii.gz".into(), Ok(log.clone()));
    assert_eq!(ex.attempts.len(), 1);
    let a = ex.attempt(&score(0.88), "Liver");
    assert_eq!((a.scan.as_str(), a.dice), ("ct.nii.gz", 0.88));
    assert!(a.seconds < 60.0);
    assert_eq!(ex.record(a.clone()).unwrap(), log.path().to_path_buf());
    assert_eq!(ex.attempts[0], a);
    assert_eq!(ex.last.as_ref(), Some(&a));
    assert_eq!(log.read().unwrap().attempts.len(), 2);
    // without a log the attempt is still shown, and the note says it was not saved
    let mut ex = Exercise::start("ct".into(), "ref".into(), Err(LogError::NoConfigDir));
    assert!(matches!(ex.record(a.clone()), Err(LogError::NoConfigDir)));
    assert_eq!(ex.attempts, vec![a]);
    assert!(ex.note.as_deref().unwrap_or("").contains("NOT saved"));
}

#[test]
fn sample_exercise_files() {
    let s = SampleExercise::in_dir(&SampleExercise::bundled_dir().unwrap()).unwrap();
    // the files come from the binary, not from the source tree
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    assert!(!s.ct.starts_with(&src), "{}", s.ct.display());
    assert_eq!(
        std::fs::read(&s.ct).unwrap(),
        std::fs::read(src.join("ct.nii.gz")).unwrap()
    );
    assert_eq!(
        std::fs::read(&s.reference).unwrap(),
        std::fs::read(src.join("liver.nii.gz")).unwrap()
    );
    let d = tempfile::tempdir().unwrap();
    let e = SampleExercise::in_dir(d.path()).unwrap_err();
    let msg = e.to_string();
    assert!(
        matches!(&e, ExerciseError::Missing { path, .. } if path == &d.path().join("ct.nii.gz")),
        "{e:?}"
    );
    assert!(
        msg.contains("ct.nii.gz") && msg.contains("remnant sample --out"),
        "{msg}"
    );
    std::fs::write(d.path().join("ct.nii.gz"), b"x").unwrap();
    let msg = SampleExercise::in_dir(d.path()).unwrap_err().to_string();
    assert!(
        msg.contains("liver.nii.gz") && msg.contains("reference"),
        "{msg}"
    );
}
