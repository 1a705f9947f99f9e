//! The pre-operative planning report apart from the operative report: `remnant report
//! --kind plan|operative|both` on a case made by `remnant session` (liver, tumour, an
//! accepted cut, height and weight), and the default, which follows what the case holds.

mod common;
mod report_fixtures;

use common::{bin, sample};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// A case with a liver plan; `operative`: with an operation date and findings too.
fn make_case(dir: &Path, operative: bool) -> std::path::PathBuf {
    let ct = dir.join("ct.nii.gz");
    std::fs::copy(sample("ct.nii.gz"), &ct).unwrap();
    let (vol, _) = remnant::volume::nifti::read_ct(&ct, remnant::task::Task::none()).unwrap();
    let [x, y, z] = vol.geometry.to_world([81.0, 58.0, 19.0]);
    let case = dir.join("case.json");
    let mut lines = vec![
        format!("import-mask liver {}", sample("liver.nii.gz").display()),
        "paint tumour 92 58 19 7.5".to_string(),
        format!("cut {x} {y} {z} 1 0 0"),
        "accept".to_string(),
        "planning height-cm 172".to_string(),
        "planning weight-kg 81".to_string(),
        "planning plan-date 2026-12-01".to_string(),
        "report patient-id PLAN-9".to_string(),
    ];
    if operative {
        lines.push("report operation-date 2026-12-20".to_string());
        lines.push("report findings Two nodules on the right diaphragm.".to_string());
    }
    lines.push(format!("save-case {}", case.display()));
    let mut child = Command::new(bin())
        .args(["session", "--ct"])
        .arg(&ct)
        .arg("--autosave-dir")
        .arg(dir.join("autosave"))
        // a case save updates the registry in the config folder: a test one
        .env("REMNANT_CONFIG_DIR", dir.join("config"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut stdin = child.stdin.take().unwrap();
        for l in &lines {
            writeln!(stdin, "{l}").unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("\nerror "), "{text}");
    case
}

fn report_text(case: &Path, kind: Option<&str>) -> Option<String> {
    let pdf = case.with_extension(format!("{}.pdf", kind.unwrap_or("default")));
    let mut cmd = Command::new(bin());
    cmd.args(["report", "--input"])
        .arg(case)
        .arg("--pdf")
        .arg(&pdf);
    if let Some(k) = kind {
        cmd.args(["--kind", k]);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    report_fixtures::pdftotext(&std::fs::read(&pdf).unwrap())
}

const PLAN: &str = "Pre-operative liver plan";
const OPERATIVE: &str = "Operative report";

#[test]
fn the_plan_the_operative_report_or_both() {
    let dir = tempfile::tempdir().unwrap();
    let case = make_case(dir.path(), true);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&case).unwrap()).unwrap();
    let verdict = json["report"]["liver"]["figures"]["verdict"]
        .as_str()
        .unwrap()
        .to_string();
    let Some(plan) = report_text(&case, Some("plan")) else {
        return;
    };
    let flat = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let plan = flat(&plan);
    assert!(plan.contains(PLAN), "{plan}");
    assert!(!plan.contains(OPERATIVE), "the plan alone: {plan}");
    assert!(plan.contains("not the operation's findings"), "{plan}");
    // the decision card comes first: verdict, the four figures, the next step; then
    // the volumes, criteria and sources
    let at = |s: &str| plan.find(s).unwrap_or_else(|| panic!("{s:?} in {plan}"));
    let words: String = flat(&verdict).chars().take(40).collect();
    assert!(at("Decision") < at(&words));
    for f in ["FLR", "sFLR", "FLR / body weight", "Remnant", "Next:"] {
        assert!(at(f) < at("Volumes, criteria and sources"), "{f}");
    }
    assert!(at(&words) < at("Volumes, criteria and sources"));

    let operative = flat(&report_text(&case, Some("operative")).unwrap());
    assert!(operative.contains(OPERATIVE) && !operative.contains(PLAN));

    let both = flat(&report_text(&case, Some("both")).unwrap());
    let (p, o) = (both.find(PLAN).unwrap(), both.find(OPERATIVE).unwrap());
    assert!(p < o, "the plan part first, then the operative report");
    // the default follows the case: it has a plan and operative findings
    let default = flat(&report_text(&case, None).unwrap());
    assert!(default.contains(PLAN) && default.contains(OPERATIVE));
}

#[test]
fn a_case_with_only_a_plan_prints_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let case = make_case(dir.path(), false);
    let Some(text) = report_text(&case, None) else {
        return;
    };
    assert!(text.contains(PLAN), "{text}");
    assert!(!text.contains(OPERATIVE), "{text}");
}

#[test]
fn a_bad_kind_is_refused() {
    let out = Command::new(bin())
        .args([
            "report", "--input", "x.json", "--pdf", "y.pdf", "--kind", "summary",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("summary") && e.contains("plan"), "{e}");
}
