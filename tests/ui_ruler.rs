//! The ruler driven headless through egui_kittest on the sample CT: a drag (or two
//! clicks) on a plane places a ruler whose listed length is the distance of the two
//! screen points, worked out here from the view's geometry and the scan's affine
//! (not with the app's code); rulers survive a case save and reopen, and are
//! deleted from the Tools tab.

#![allow(clippy::needless_range_loop)]

mod common;
use common::ui::drag;
use common::*;
use egui::{Pos2, Rect};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use remnant::render::Plane;
use remnant::ui::RemnantApp;
use remnant::ui::{AppCommand, Purpose, Tab};
use remnant::workspace::tracing::Tool;

fn config_dir() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let d = std::env::temp_dir().join(format!("remnant-ruler-config-{}", std::process::id()));
        // SAFETY: set once, before any test thread reads it (all readers go through this Once).
        unsafe { std::env::set_var("REMNANT_CONFIG_DIR", d) };
    });
}

fn harness(mut app: RemnantApp) -> Harness<'static, RemnantApp> {
    config_dir();
    app.tab = Tab::Tools;
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut RemnantApp| app.ui_root(ui), app);
    h.run();
    h
}

fn sample_harness() -> Harness<'static, RemnantApp> {
    config_dir();
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(sample("ct.nii.gz")));
    app.wait_for_jobs();
    harness(app)
}

/// The sample: 122 x 101 x 30 voxels of 3 mm, RAS+ (i towards the patient's right,
/// j towards anterior, k towards superior; checked at the start of the test).
const DIMS: [usize; 3] = [122, 101, 30];
const MM: f64 = 3.0;

/// Where the slice image sits in a plane's cell: fitted at its true aspect, centred
/// (zoom 1, no pan), as a viewer shows it.
fn image_rect(cell: Rect, w_mm: f64, h_mm: f64) -> Rect {
    let fit = (cell.width() as f64 / w_mm).min(cell.height() as f64 / h_mm);
    Rect::from_center_size(
        cell.center(),
        egui::vec2((w_mm * fit) as f32, (h_mm * fit) as f32),
    )
}

/// Continuous voxel coordinates of a screen point on a plane, in radiological
/// convention: axial (i, j) shown with the patient's right on the left and anterior
/// up; coronal (i, k) right on the left, superior up; sagittal (j, k) anterior on
/// the left, superior up. On this RAS+ grid every shown axis runs backwards on screen.
fn voxel_at(plane: Plane, cell: Rect, p: Pos2, slice: usize) -> [f64; 3] {
    let (h, v) = match plane {
        Plane::Axial => (0, 1),
        Plane::Coronal => (0, 2),
        Plane::Sagittal => (1, 2),
    };
    let n = 3 - h - v;
    let img = image_rect(cell, DIMS[h] as f64 * MM, DIMS[v] as f64 * MM);
    let fx = (p.x - img.min.x) as f64 / img.width() as f64 * DIMS[h] as f64;
    let fy = (p.y - img.min.y) as f64 / img.height() as f64 * DIMS[v] as f64;
    let mut c = [0.0; 3];
    c[h] = DIMS[h] as f64 - fx - 0.5;
    c[v] = DIMS[v] as f64 - fy - 0.5;
    c[n] = slice as f64;
    c
}

/// |A a - A b| with the affine written out here.
fn distance_mm(m: &[[f64; 4]; 4], a: [f64; 3], b: [f64; 3]) -> f64 {
    let w = |p: [f64; 3]| -> [f64; 3] {
        let mut o = [0.0; 3];
        for r in 0..3 {
            o[r] = m[r][0] * p[0] + m[r][1] * p[1] + m[r][2] * p[2] + m[r][3];
        }
        o
    };
    let (x, y) = (w(a), w(b));
    ((x[0] - y[0]).powi(2) + (x[1] - y[1]).powi(2) + (x[2] - y[2]).powi(2)).sqrt()
}

/// The length the Tools tab lists for ruler `n` (1-based): "Ruler n: ..., 43.2 mm".
fn listed_mm(h: &Harness<'static, RemnantApp>, n: usize) -> f64 {
    let prefix = format!("Ruler {n}:");
    let node = h.get_by_label_contains(&prefix);
    let text = node
        .accesskit_node()
        .label()
        .unwrap_or_default()
        .to_string();
    let mm = text
        .rsplit(", ")
        .next()
        .and_then(|t| t.strip_suffix(" mm"))
        .unwrap_or_else(|| panic!("no length in {text:?}"));
    mm.parse().unwrap()
}

fn affine(h: &Harness<'static, RemnantApp>) -> [[f64; 4]; 4] {
    h.state().ws.study.as_ref().unwrap().ct.geometry.affine
}

#[test]
fn a_drag_on_a_plane_measures_the_known_distance_and_survives_a_case_reopen() {
    let mut h = sample_harness();
    // the grid these tests assume (nibabel: shape (122, 101, 30), diag(3, 3, 3), RAS)
    let m = affine(&h);
    assert_eq!(h.state().ws.study.as_ref().unwrap().ct.dims(), DIMS);
    for r in 0..3 {
        for c in 0..3 {
            assert_eq!(m[r][c], if r == c { MM } else { 0.0 }, "affine[{r}][{c}]");
        }
    }
    h.get_by_label("Ruler").click();
    h.run();
    assert_eq!(h.state().ws.editor.tool, Tool::Ruler);
    let cursor = h.state().view.as_ref().unwrap().cursor;

    // axial: a drag from the upper left to the lower right of the centre
    let cell = h.get_by_label("Axial view").rect();
    let (p1, p2) = (
        cell.center() + egui::vec2(-70.0, -40.0),
        cell.center() + egui::vec2(55.0, 35.0),
    );
    drag(&mut h, p1, &[cell.center(), p2]);
    let (a, b) = (
        voxel_at(Plane::Axial, cell, p1, cursor[2]),
        voxel_at(Plane::Axial, cell, p2, cursor[2]),
    );
    let expected = distance_mm(&m, a, b);
    assert!(expected > 50.0, "a long enough ruler: {expected:.1} mm");
    assert_eq!(h.state().ws.rulers.len(), 1);
    let listed = listed_mm(&h, 1);
    assert!(
        (listed - expected).abs() <= 0.5,
        "listed {listed} mm, expected {expected:.2} mm"
    );
    let r = h.state().ws.rulers[0];
    assert_eq!(r.plane, Plane::Axial);
    assert_eq!((r.a[2], r.b[2]), (cursor[2] as f64, cursor[2] as f64));
    assert!(
        h.state().ws.has_unsaved_changes(),
        "a ruler is work to save"
    );
    // the crosshair stayed where it was
    assert_eq!(h.state().view.as_ref().unwrap().cursor, cursor);
    // the list names the plane and the slice
    h.get_by_label_contains(&format!("Ruler 1: Axial slice {}/30", cursor[2] + 1));

    // coronal: another drag
    let cell = h.get_by_label("Coronal view").rect();
    let (q1, q2) = (
        cell.center() + egui::vec2(-60.0, 30.0),
        cell.center() + egui::vec2(40.0, -25.0),
    );
    drag(&mut h, q1, &[q2]);
    let expected2 = distance_mm(
        &m,
        voxel_at(Plane::Coronal, cell, q1, cursor[1]),
        voxel_at(Plane::Coronal, cell, q2, cursor[1]),
    );
    assert_eq!(h.state().ws.rulers.len(), 2);
    assert_eq!(h.state().ws.rulers[1].plane, Plane::Coronal);
    let listed2 = listed_mm(&h, 2);
    assert!(
        (listed2 - expected2).abs() <= 0.5,
        "listed {listed2} mm, expected {expected2:.2} mm"
    );

    // sagittal: two clicks (press and release at each end)
    let cell = h.get_by_label("Sagittal view").rect();
    let (s1, s2) = (
        cell.center() + egui::vec2(-30.0, -30.0),
        cell.center() + egui::vec2(30.0, 20.0),
    );
    for p in [s1, s2] {
        h.hover_at(p);
        h.run();
        h.drag_at(p);
        h.run();
        h.drop_at(p);
        h.run();
    }
    assert_eq!(h.state().ws.rulers.len(), 3, "two clicks place a ruler");
    let expected3 = distance_mm(
        &m,
        voxel_at(Plane::Sagittal, cell, s1, cursor[0]),
        voxel_at(Plane::Sagittal, cell, s2, cursor[0]),
    );
    let listed3 = listed_mm(&h, 3);
    assert!(
        (listed3 - expected3).abs() <= 0.5,
        "listed {listed3} mm, expected {expected3:.2} mm"
    );
    // a single click then Esc places nothing
    h.hover_at(s1);
    h.run();
    h.drag_at(s1);
    h.run();
    h.drop_at(s1);
    h.run();
    assert!(
        h.state().ws.editor.ruler.is_some(),
        "waiting for the second end"
    );
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.state().ws.editor.ruler.is_none());
    assert_eq!(h.state().ws.rulers.len(), 3);

    println!(
        "listed {listed} / {listed2} / {listed3} mm; expected {expected:.2} / {expected2:.2} / {expected3:.2} mm"
    );
    // save the case, open it in a new app: the rulers and their lengths come back
    let dir = tempfile::tempdir().unwrap();
    let cp = dir.path().join("ruler-case.json");
    h.state_mut()
        .apply(AppCommand::FileChosen(Purpose::SaveCase, cp.clone()));
    h.state_mut().wait_for_jobs();
    h.run();
    assert!(!h.state().ws.has_unsaved_changes());
    let saved = h.state().ws.rulers.clone();
    // closed first (a running window holds the case it saved: another would get it read-only)
    drop(h);
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::FileChosen(Purpose::OpenCase, cp.clone()));
    app.wait_for_jobs();
    let mut h2 = harness(app);
    assert_eq!(h2.state().ws.rulers, saved, "end points come back exactly");
    assert_eq!(listed_mm(&h2, 1), listed);
    assert_eq!(listed_mm(&h2, 2), listed2);
    assert_eq!(listed_mm(&h2, 3), listed3);
    assert!(!h2.state().ws.has_unsaved_changes());

    // Delete removes one (unsaved work); the others keep their numbers' order
    h2.get_all_by_label("Delete").next().unwrap().click();
    h2.run();
    assert_eq!(h2.state().ws.rulers, saved[1..].to_vec());
    assert!(h2.state().ws.has_unsaved_changes());
    assert_eq!(listed_mm(&h2, 1), listed2);
    assert!(h2.query_by_label_contains("Ruler 3:").is_none());

    // the PDF exported from the app draws the axial ruler... which was deleted:
    // put it back, export, and its length is in the PDF's text
    h2.state_mut().ws.add_ruler(saved[0]);
    let pdf = dir.path().join("report.pdf");
    h2.state_mut()
        .apply(AppCommand::FileChosen(Purpose::ExportPdf, pdf.clone()));
    h2.state_mut().wait_for_jobs();
    if let Some(pdftotext) = common::tool("pdftotext") {
        let out = common::tools::run(std::process::Command::new(pdftotext).arg(&pdf).arg("-"));
        let text = String::from_utf8_lossy(&out.stdout);
        let label = format!("{listed:.1} mm");
        assert!(text.contains(&label), "{label} in {text}");
    }
}

/// A fast (or scripted) mouse: press, moves and release arrive in one frame, or
/// the moves arrive with the release. Both place the ruler between press and release.
#[test]
fn a_drag_whose_events_arrive_together_still_places_the_ruler() {
    let mut h = sample_harness();
    h.get_by_label("Ruler").click();
    h.run();
    let m = affine(&h);
    let slice = h.state().view.as_ref().unwrap().cursor[2];
    let cell = h.get_by_label("Axial view").rect();
    let press = |pos, pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: egui::Modifiers::NONE,
    };
    // everything in one frame
    let (p1, p2) = (
        cell.center() + egui::vec2(-60.0, -20.0),
        cell.center() + egui::vec2(50.0, 30.0),
    );
    h.hover_at(p1);
    h.run();
    h.event(press(p1, true));
    h.event(egui::Event::PointerMoved(p2));
    h.event(press(p2, false));
    h.run();
    assert_eq!(h.state().ws.rulers.len(), 1, "one-frame drag");
    let expected = distance_mm(
        &m,
        voxel_at(Plane::Axial, cell, p1, slice),
        voxel_at(Plane::Axial, cell, p2, slice),
    );
    let got = h.state().ws.rulers[0].length_mm(&m);
    assert!((got - expected).abs() <= 0.5, "{got} vs {expected}");
    // press in one frame, the moves with the release in the next
    let (q1, q2) = (
        cell.center() + egui::vec2(-40.0, 40.0),
        cell.center() + egui::vec2(70.0, -10.0),
    );
    h.hover_at(q1);
    h.run();
    h.event(press(q1, true));
    h.run();
    h.event(egui::Event::PointerMoved(q2));
    h.event(press(q2, false));
    h.run();
    assert_eq!(h.state().ws.rulers.len(), 2, "split drag");
    assert!(h.state().ws.editor.ruler.is_none(), "nothing left waiting");
    let expected = distance_mm(
        &m,
        voxel_at(Plane::Axial, cell, q1, slice),
        voxel_at(Plane::Axial, cell, q2, slice),
    );
    let got = h.state().ws.rulers[1].length_mm(&m);
    assert!((got - expected).abs() <= 0.5, "{got} vs {expected}");
}
