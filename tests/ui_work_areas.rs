//! Task work areas at 1280 x 800: the PCI and Report tabs take the central area, the
//! PCI is the abdomen drawing with large regions that answer clicks and keys, the
//! report form fits the window without clipped widgets, and the scan is one click away.

mod common;
use common::*;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use remnant::ui::{AppCommand, RemnantApp, Tab};

const W: f32 = 1280.0;
const H: f32 = 800.0;

fn harness(tab: Tab) -> Harness<'static, RemnantApp> {
    // SAFETY: every test of this binary sets the same value before reading it.
    unsafe {
        std::env::set_var(
            "REMNANT_CONFIG_DIR",
            std::env::temp_dir().join("remnant-test-work-areas"),
        )
    };
    let mut app = RemnantApp::new(None);
    app.apply(AppCommand::Open(sample("phantom_ct.nii.gz")));
    app.wait_for_jobs();
    app.tab = tab;
    let mut h = Harness::builder()
        .with_size(egui::vec2(W, H))
        .build_ui_state(|ui, app: &mut RemnantApp| app.ui_root(ui), app);
    h.run_steps(3);
    h
}

/// A left click at a point (press and release there).
fn click_at(h: &mut Harness<'static, RemnantApp>, p: egui::Pos2) {
    h.hover_at(p);
    h.run_steps(2);
    h.drag_at(p);
    h.run_steps(1);
    h.drop_at(p);
    h.run_steps(3);
}

#[test]
fn the_pci_drawing_takes_the_centre_and_its_regions_answer_clicks_and_keys() {
    let mut h = harness(Tab::Pci);
    // the case and work panels stepped aside: no plane view, no Tools tab
    assert!(h.query_by_label("Tools").is_none());
    // every region is a large target inside the window
    let mut rects = Vec::new();
    for r in 0..13 {
        let label = format!("Region {r} ");
        let rect = h.get_by_label_contains(&label).rect();
        assert!(
            rect.width() >= 100.0 && rect.height() >= 80.0,
            "region {r}: {rect:?}"
        );
        assert!(
            rect.max.x <= W && rect.max.y <= H,
            "region {r} outside: {rect:?}"
        );
        rects.push(rect);
    }
    // the nine abdominal regions form the 3 x 3 diagram: 1 2 3 / 8 0 4 / 7 6 5
    let c = |r: usize| rects[r].center();
    assert!(c(1).x < c(2).x && c(2).x < c(3).x && (c(1).y - c(3).y).abs() < 1.0);
    assert!(c(8).x < c(0).x && c(0).x < c(4).x && c(1).y < c(0).y && c(0).y < c(6).y);
    assert!(c(7).x < c(6).x && c(6).x < c(5).x);
    // the small bowel regions 9-12 beside the abdomen, top to bottom
    for r in 9..13 {
        assert!(
            rects[r].min.x >= rects[4].max.x,
            "region {r} not beside the abdomen"
        );
    }
    assert!(c(9).y < c(10).y && c(10).y < c(11).y && c(11).y < c(12).y);
    // a click at a region's centre cycles it: unscored -> LS-0 -> LS-1
    for _ in 0..2 {
        click_at(&mut h, c(6));
    }
    h.get_by_label("Region 6 Pelvis: LS-1");
    // keys: 3 on the selected region, arrow up moves to region 0, Delete clears it
    h.key_press(egui::Key::Num3);
    h.run_steps(3);
    assert_eq!(h.state().ws.report.pci.get(6).map(|l| l.points()), Some(3));
    h.key_press(egui::Key::ArrowUp);
    h.run_steps(3);
    h.key_press(egui::Key::Num2);
    h.run_steps(3);
    h.get_by_label("Region 0 Central: LS-2");
    h.get_by_label("PCI 5 / 39");
    h.key_press(egui::Key::Delete);
    h.run_steps(3);
    h.get_by_label("Region 0 Central: not scored");
    // right click: choose the size directly
    h.get_by_label_contains("Region 11 ").click_secondary();
    h.run_steps(3);
    h.get_by_label("LS-3").click();
    h.run_steps(3);
    h.get_by_label("Region 11 Upper ileum: LS-3");
    h.get_by_label("PCI 6 / 39");
    // the scan is one click away, and back on the tab it came from
    h.get_by_label("Scan").click();
    h.run_steps(3);
    assert_eq!(h.state().tab, Tab::Tools);
    h.get_by_label("Tools");
    // "PCI" is both the switch above the planes and the work panel's tab
    h.get_all_by_label("PCI").next().unwrap().click();
    h.run_steps(3);
    assert_eq!(h.state().tab, Tab::Pci);
}

#[test]
fn the_report_form_fits_1280_by_800_in_two_columns() {
    let mut h = harness(Tab::Report);
    // open every optional part of the form
    h.get_by_label("present").click();
    h.run_steps(3);
    h.get_by_label("HIPEC given").click();
    h.run_steps(3);
    assert!(h.state().ws.report.hipec.is_some());
    // (pixels per point is 1: accesskit's boxes are egui points)
    let nodes: Vec<(String, egui::Rect)> = h
        .query_all_by(|_| true)
        .filter_map(|n| {
            let a = n.accesskit_node();
            let b = a.bounding_box()?;
            let r = egui::Rect::from_min_max(
                egui::pos2(b.x0 as f32, b.y0 as f32),
                egui::pos2(b.x1 as f32, b.y1 as f32),
            );
            Some((a.label().unwrap_or_default().to_string(), r))
        })
        .collect();
    assert!(nodes.len() > 60, "the form is there: {} nodes", nodes.len());
    let clipped: Vec<_> = nodes
        .iter()
        .filter(|(_, r)| r.is_positive() && (r.max.x > W + 0.5 || r.min.x < -0.5))
        .collect();
    assert!(clipped.is_empty(), "widgets beyond the window: {clipped:?}");
    // two columns: the diaphragm row on the left, HIPEC on the right, side by side
    let x = |label: &str| h.get_by_label(label).rect().center().x;
    assert!(x("full") < W / 2.0, "diaphragm row in the left column");
    assert!(x("HIPEC given") > W / 2.0, "HIPEC in the right column");
    // the whole diaphragm row is visible (it was cut off in the 360-px side panel)
    let full = h.get_by_label("full").rect();
    assert!(full.max.x <= W && full.max.y <= H, "{full:?}");
}
