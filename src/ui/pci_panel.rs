//! The PCI entry grid: Sugarbaker's 13 regions as a clickable abdominal diagram
//! (regions 1-8 around 0, and the four small-bowel regions 9-12). A click cycles the
//! lesion size (unscored -> LS-0 -> LS-1 -> LS-2 -> LS-3 -> LS-0); arrow keys move the
//! selection and 0-3 type a score; Delete clears. Unscored regions show as "?".

use crate::pci::{CcScore, DIAGRAM_GRID, LesionSize, Pci, REGIONS, SMALL_BOWEL_REGIONS};
use egui::{Color32, Sense, Vec2};

#[derive(Debug, Clone, Default)]
pub struct PciState {
    pub selected: usize,
}

fn score_text(s: Option<LesionSize>) -> String {
    s.map_or("?".into(), |l| l.points().to_string())
}

fn fill(s: Option<LesionSize>) -> Color32 {
    match s.map(|l| l.points()) {
        None => Color32::from_gray(60),
        Some(0) => Color32::from_rgb(50, 90, 60),
        Some(1) => Color32::from_rgb(150, 140, 50),
        Some(2) => Color32::from_rgb(190, 110, 40),
        _ => Color32::from_rgb(190, 50, 50),
    }
}

/// One region box; returns true when clicked.
fn region_box(ui: &mut egui::Ui, pci: &Pci, region: usize, size: Vec2, selected: bool) -> bool {
    let r = &REGIONS[region];
    let score = pci.get(region);
    let (rect, resp) = ui.allocate_exact_size(size, Sense::click());
    let label = format!(
        "Region {} {}: {}",
        region,
        r.name,
        score.map_or("not scored".to_string(), |l| l.label().to_string())
    );
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    let p = ui.painter();
    p.rect_filled(rect, 4.0, fill(score));
    if selected {
        p.rect_stroke(
            rect,
            4.0,
            egui::Stroke::new(2.0, Color32::WHITE),
            egui::StrokeKind::Inside,
        );
    }
    p.text(
        rect.left_top() + Vec2::new(4.0, 2.0),
        egui::Align2::LEFT_TOP,
        format!("{region}"),
        egui::FontId::proportional(11.0),
        Color32::from_gray(220),
    );
    p.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        score_text(score),
        egui::FontId::proportional(22.0),
        Color32::WHITE,
    );
    p.text(
        rect.center_bottom() - Vec2::new(0.0, 3.0),
        egui::Align2::CENTER_BOTTOM,
        r.name,
        egui::FontId::proportional(10.0),
        Color32::from_gray(230),
    );
    let resp = resp.on_hover_text(format!(
        "{} - {}\n{}\nClick to cycle the lesion size; keys 0-3 set it, Delete clears.",
        region, r.name, r.contents
    ));
    resp.clicked()
}

/// Returns true if anything changed.
pub fn show(ui: &mut egui::Ui, st: &mut PciState, pci: &mut Pci, cc: &mut Option<CcScore>) -> bool {
    let before = *pci;
    let cc_before = *cc;
    ui.heading("Peritoneal cancer index");
    ui.small("Sugarbaker 1996: 13 regions, lesion size LS-0 to LS-3 each, total 0-39");
    let cell = Vec2::new(92.0, 62.0);
    egui::Grid::new("pci-grid")
        .spacing(Vec2::splat(3.0))
        .show(ui, |ui| {
            for row in DIAGRAM_GRID {
                for region in row {
                    if region_box(ui, pci, region, cell, st.selected == region) {
                        st.selected = region;
                        let _ = pci.cycle(region);
                    }
                }
                ui.end_row();
            }
        });
    ui.small("As seen facing the patient: patient's right on the left.");
    ui.label("Small bowel");
    ui.horizontal(|ui| {
        for region in SMALL_BOWEL_REGIONS {
            if region_box(
                ui,
                pci,
                region,
                Vec2::new(68.0, 56.0),
                st.selected == region,
            ) {
                st.selected = region;
                let _ = pci.cycle(region);
            }
        }
    });
    // keyboard entry on the selected region (only when no text field has focus)
    if !ui.ctx().egui_wants_keyboard_input() {
        let (keys, clear, mv) = ui.input(|i| {
            let digit = [
                egui::Key::Num0,
                egui::Key::Num1,
                egui::Key::Num2,
                egui::Key::Num3,
            ]
            .iter()
            .position(|k| i.key_pressed(*k));
            let clear = i.key_pressed(egui::Key::Delete) || i.key_pressed(egui::Key::Backspace);
            let mv = [
                egui::Key::ArrowLeft,
                egui::Key::ArrowRight,
                egui::Key::ArrowUp,
                egui::Key::ArrowDown,
            ]
            .iter()
            .position(|k| i.key_pressed(*k));
            (digit, clear, mv)
        });
        if let Some(d) = keys
            && let Some(ls) = LesionSize::from_points(d as u8)
        {
            let _ = pci.set(st.selected, ls);
        }
        if clear {
            let _ = pci.clear(st.selected);
        }
        if let Some(m) = mv {
            st.selected = move_selection(st.selected, m);
        }
    }
    let total = pci.total();
    ui.label(
        egui::RichText::new(format!("PCI {total} / 39"))
            .size(20.0)
            .strong(),
    );
    let unscored = pci.unscored_count();
    if unscored > 0 {
        ui.colored_label(
            Color32::from_rgb(230, 170, 60),
            format!("{unscored} region(s) not scored yet"),
        );
    }
    for f in pci.flags() {
        ui.colored_label(Color32::from_rgb(240, 110, 80), &f.message);
        ui.small(f.source);
    }
    ui.separator();
    ui.label("Completeness of cytoreduction");
    ui.radio_value(cc, None, "CC not recorded");
    for c in CcScore::ALL {
        ui.radio_value(cc, Some(c), format!("{}: {}", c.label(), c.description()));
    }
    ui.separator();
    ui.small("LS-0 no tumour seen; LS-1 <= 0.5 cm; LS-2 <= 5 cm; LS-3 > 5 cm or confluent");
    *pci != before || *cc != cc_before
}

/// Arrow-key movement over the diagram: 0 left, 1 right, 2 up, 3 down.
fn move_selection(cur: usize, dir: usize) -> usize {
    // positions: the 3x3 grid in rows 0-2, small bowel in row 3 (columns 0-3)
    let pos = |r: usize| -> (usize, usize) {
        for (y, row) in DIAGRAM_GRID.iter().enumerate() {
            if let Some(x) = row.iter().position(|&v| v == r) {
                return (y, x);
            }
        }
        (
            3,
            SMALL_BOWEL_REGIONS
                .iter()
                .position(|&v| v == r)
                .unwrap_or(0),
        )
    };
    let at = |y: usize, x: usize| -> usize {
        if y < 3 {
            DIAGRAM_GRID[y][x.min(2)]
        } else {
            SMALL_BOWEL_REGIONS[x.min(3)]
        }
    };
    let (y, x) = pos(cur);
    match dir {
        0 => at(y, x.saturating_sub(1)),
        1 => at(y, x + 1),
        2 => at(y.saturating_sub(1), x),
        _ => at((y + 1).min(3), x),
    }
}
