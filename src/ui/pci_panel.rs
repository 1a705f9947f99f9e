//! The PCI work area: Sugarbaker's 13 regions on the abdomen drawing
//! ([`super::pci_drawing`]), the total and the CC score beside it. A click cycles the
//! lesion size (unscored -> LS-0 -> LS-1 -> LS-2 -> LS-3 -> LS-0); arrow keys move the
//! selection and 0-3 type a score; Delete clears. Unscored regions show as "?".

use crate::pci::{CcScore, DIAGRAM_GRID, LesionSize, Pci, SMALL_BOWEL_REGIONS};
use egui::Color32;

#[derive(Debug, Clone, Default)]
pub struct PciState {
    pub selected: usize,
}

/// Returns true if anything changed.
pub fn show(ui: &mut egui::Ui, st: &mut PciState, pci: &mut Pci, cc: &mut Option<CcScore>) -> bool {
    let before = *pci;
    let cc_before = *cc;
    ui.heading("Peritoneal cancer index");
    ui.small("Sugarbaker 1996: 13 regions, lesion size LS-0 to LS-3 each, total 0-39");
    // the drawing on the left, totals and the CC score beside it when there is room
    let avail = ui.available_size();
    let side = avail.x >= 760.0;
    let draw_size = if side {
        egui::vec2(avail.x - 360.0, (avail.y - 10.0).max(360.0))
    } else {
        egui::vec2(avail.x, (avail.x / 1.48 * 1.16 + 40.0).max(300.0))
    };
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
    if side {
        ui.horizontal_top(|ui| {
            if let Some(r) = super::pci_drawing::draw(ui, pci, st.selected, draw_size) {
                st.selected = r;
                let _ = pci.cycle(r);
            }
            ui.vertical(|ui| totals_and_cc(ui, pci, cc));
        });
    } else {
        if let Some(r) = super::pci_drawing::draw(ui, pci, st.selected, draw_size) {
            st.selected = r;
            let _ = pci.cycle(r);
        }
        totals_and_cc(ui, pci, cc);
    }
    *pci != before || *cc != cc_before
}

/// The total, what is missing, Elias's flags and the CC score.
fn totals_and_cc(ui: &mut egui::Ui, pci: &mut Pci, cc: &mut Option<CcScore>) {
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
