//! The guided path strip and the Lesion tool through the app's widgets: the strip
//! shows each step to do / done, a click on a step (or Alt+N) opens its tool or tab,
//! a click on the axial view inside a lesion makes a numbered pending tumour that
//! Enter accepts, and the verdict appears once liver and resection are traced.

mod common;
use common::ui::{drag, settle};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use remnant::segmentation::Layer;
use remnant::segmentation::lesion::phantom::{self, LesionSpec};
use remnant::ui::{AppCommand, Purpose, RemnantApp, Tab};
use remnant::volume::Geometry;
use remnant::volume::nifti::write_volume;
use remnant::workspace::tracing::Tool;

const SP: f64 = 0.7;
const DIMS: [usize; 3] = [110, 110, 84];

/// A liver phantom with a hypodense lesion at the centre of the scan (where the
/// axial view's middle points when a scan opens), written as CT + liver mask.
fn files(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let c = DIMS.map(|d| d as f64 * SP / 2.0);
    let p = phantom::make(
        DIMS,
        SP,
        [34.0, 34.0, 26.0],
        &[],
        &[LesionSpec::sphere(c, 9.0, -30.0)],
        15.0,
    );
    let g = Geometry::axis_aligned(DIMS, [SP; 3], [0.0; 3]);
    let ct = dir.join("ct.nii.gz");
    let liver = dir.join("liver.nii.gz");
    write_volume(&ct, &p.ct, &g, None, "phantom").unwrap();
    let m: Vec<u8> = p.liver.iter().map(|&l| u8::from(l)).collect();
    write_volume(&liver, &m, &g, None, "liver").unwrap();
    (ct, liver)
}

fn harness(app: RemnantApp) -> Harness<'static, RemnantApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        .with_max_steps(12)
        .build_ui_state(|ui, a: &mut RemnantApp| a.ui_root(ui), app);
    settle(&mut h);
    h
}

fn step_button(h: &Harness<'static, RemnantApp>, name: &str) -> String {
    h.query_all_by_role(egui::accesskit::Role::Button)
        .filter_map(|b| b.accesskit_node().label())
        .find(|l| l.contains(name))
        .unwrap_or_else(|| panic!("no strip step {name}"))
}

#[test]
fn the_strip_leads_from_liver_to_verdict_and_a_click_finds_a_tumour() {
    let dir = tempfile::tempdir().unwrap();
    let (ct, liver) = files(dir.path());
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(ct));
    app.wait_for_jobs();
    let mut h = harness(app);
    // nothing traced: every step to do
    for s in ["1 Liver", "2 Tumours", "3 Resection", "4 Patient", "5 Plan"] {
        assert!(step_button(&h, s).starts_with("[ ]"), "{s} to do");
    }
    // the Liver step opens the Seeds tool on the liver layer
    let liver_step = step_button(&h, "1 Liver");
    h.get_by_label(&liver_step).click();
    settle(&mut h);
    assert_eq!(h.state().tab, Tab::Tools);
    assert_eq!(h.state().ws.editor.tool, Tool::Seeds);
    // the liver comes in (as if grown); the step is done
    h.state_mut().apply(AppCommand::FileChosen(
        Purpose::ImportMask(Layer::Liver),
        liver,
    ));
    settle(&mut h);
    assert!(step_button(&h, "1 Liver").starts_with("[x]"));
    // Alt+2: the Lesion tool; a click in the middle of the axial view is in the lesion
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::Num2);
    settle(&mut h);
    assert_eq!(h.state().ws.editor.tool, Tool::Lesion);
    let c = h.get_by_label("Axial view").rect().center();
    drag(&mut h, c, &[c]);
    // the search runs on a worker thread: the frames go on meanwhile and one of them
    // takes its result (as the app's event loop does, without waiting on the job)
    for _ in 0..200 {
        if h.state().ws.editor.lesion.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.step();
    }
    settle(&mut h);
    let number = h.state().ws.editor.lesion.as_ref().map(|d| d.number);
    assert_eq!(number, Some(1), "{:?}", h.state().ws.editor.message);
    h.get_by_label_contains("Preview: Tumour 1");
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    let tumours = step_button(&h, "2 Tumours");
    assert!(
        tumours.starts_with("[x]") && tumours.contains("1 tumour"),
        "{tumours}"
    );
    // Alt+3: the cut plane tool; a line across the axial view, Enter
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::Num3);
    settle(&mut h);
    assert_eq!(h.state().ws.editor.tool, Tool::CutPlane);
    let r = h.get_by_label("Axial view").rect();
    let (top, bottom) = (
        r.center() + egui::vec2(40.0, -80.0),
        r.center() + egui::vec2(40.0, 80.0),
    );
    drag(&mut h, top, &[r.center() + egui::vec2(40.0, 0.0), bottom]);
    assert!(
        h.state().ws.editor.pending.is_some(),
        "{:?}",
        h.state().ws.editor.message
    );
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    let resection = step_button(&h, "3 Resection");
    assert!(resection.starts_with("[x]"), "{resection}");
    // the verdict closes the strip (the Plan tab's first sentence); Patient opens Plan
    assert!(h.state_mut().ws.guide().verdict.is_some());
    let patient = step_button(&h, "4 Patient");
    h.get_by_label(&patient).click();
    settle(&mut h);
    assert_eq!(h.state().tab, Tab::Plan);
    h.get_by_label("Export PDF");
}

/// F1 lists the strip's shortcuts with the others.
#[test]
fn the_shortcut_list_names_the_guided_path_keys() {
    let mut h = harness(RemnantApp::new(None));
    h.key_press(egui::Key::F1);
    settle(&mut h);
    h.get_by_label_contains("Alt + 1 ... Alt + 5");
    h.get_by_label_contains("guided path: Liver, Tumours, Resection, Patient, Plan");
}

/// Esc while a lesion search runs stops waiting for it: its result is dropped and no
/// tumour becomes pending.
#[test]
fn esc_cancels_a_running_lesion_search() {
    let dir = tempfile::tempdir().unwrap();
    let (ct, liver) = files(dir.path());
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(ct));
    app.wait_for_jobs();
    app.apply(AppCommand::FileChosen(
        Purpose::ImportMask(Layer::Liver),
        liver,
    ));
    // a click's search, as a release of the Lesion tool leaves it, started
    let c = DIMS.map(|d| d as f64 / 2.0);
    app.ws.editor.lesion_wanted = Some(vec![c]);
    let (_, req) = app.ws.lesion_request().expect("a search was asked for");
    app.jobs
        .spawn_lesion(req.expect("the click is inside the liver"));
    app.apply(AppCommand::Case(remnant::workspace::Command::Escape));
    assert!(app.jobs.lesion.is_none(), "no search waited for");
    assert_eq!(
        app.ws.editor.message.as_deref(),
        Some("Lesion: search cancelled")
    );
    app.wait_for_jobs();
    assert!(app.ws.editor.pending.is_none() && app.ws.editor.lesion.is_none());
}
