//! The case panel: scan facts, window/level, layers, live volumes, HU histogram.

use super::view_state::ViewState;
use crate::render::Window;
use crate::segmentation::Layer;
use crate::study::Study;
use crate::volume::ValueUnits;
use crate::volume::geometry::fmt_dims;
use crate::volumetry::Volumes;
use egui_plot::{Bar, BarChart, Plot};

/// The whole case panel.
pub fn show(ui: &mut egui::Ui, study: &mut Study, view: &mut ViewState, hist: &[(f64, u64)]) {
    ui.heading("Case");
    case_info(ui, study);
    ui.separator();
    ui.strong("Window / level");
    window_level(ui, view, &study.units);
    ui.separator();
    ui.strong("Layers");
    layers(ui, view);
    ui.separator();
    ui.strong("Volumes");
    volumes(ui, study);
    ui.separator();
    ui.strong(format!("{} histogram", study.units.symbol()));
    histogram(ui, hist, view.window, &study.units);
}

pub fn case_info(ui: &mut egui::Ui, study: &Study) {
    let g = &study.ct.geometry;
    let s = g.spacing();
    egui::Grid::new("case-grid").num_columns(2).show(ui, |ui| {
        ui.label("Scan");
        ui.label(study.name())
            .on_hover_text(study.path.display().to_string());
        ui.end_row();
        if let Some(series) = &study.series {
            ui.label("Series");
            ui.label(series.label()).on_hover_text(&series.key);
            ui.end_row();
        }
        ui.label("Size");
        ui.label(format!("{} voxels", fmt_dims(g.dims)));
        ui.end_row();
        ui.label("Spacing");
        ui.label(format!("{:.3} x {:.3} x {:.3} mm", s[0], s[1], s[2]));
        ui.end_row();
        ui.label("Orientation");
        let oblique = if g.is_oblique(1.0) { ", oblique" } else { "" };
        ui.label(format!(
            "{}{} ({})",
            g.orientation(),
            oblique,
            g.source.describe()
        ));
        ui.end_row();
        ui.label("Voxel");
        ui.label(format!("{:.4} mm³", g.voxel_volume_mm3()));
        ui.end_row();
        if !study.units.is_hounsfield() {
            ui.label("Values");
            ui.label(format!(
                "{} {}",
                study.units.modality,
                study.units.describe()
            ));
            ui.end_row();
        }
    });
    for w in &study.warnings {
        ui.colored_label(
            egui::Color32::from_rgb(230, 160, 40),
            format!("Warning: {w}"),
        );
    }
}

pub fn window_level(ui: &mut egui::Ui, view: &mut ViewState, units: &ValueUnits) {
    // CT presets in HU; other scans (MR) get presets from their own percentiles.
    let presets: Vec<(String, Window)> = if units.is_hounsfield() {
        Window::PRESETS
            .iter()
            .map(|(n, w)| (n.to_string(), *w))
            .collect()
    } else {
        units
            .windows
            .iter()
            .map(|p| {
                let w = Window {
                    width: f64::from(p.width),
                    level: f64::from(p.level),
                };
                (p.name.clone(), w)
            })
            .collect()
    };
    ui.horizontal_wrapped(|ui| {
        for (name, w) in presets {
            let selected = view.window == w;
            if ui
                .selectable_label(selected, name)
                .on_hover_text(format!("W {:.0} / L {:.0}", w.width, w.level))
                .clicked()
            {
                view.window = w;
            }
        }
    });
    ui.horizontal(|ui| {
        let l = ui.label("W");
        let (max_w, lo_l, hi_l) = if units.is_hounsfield() {
            (8000.0, -2000.0, 4000.0)
        } else {
            (65536.0, -32768.0, 32767.0)
        };
        ui.add(
            egui::DragValue::new(&mut view.window.width)
                .range(1.0..=max_w)
                .speed(2.0),
        )
        .labelled_by(l.id);
        let l = ui.label("L");
        ui.add(
            egui::DragValue::new(&mut view.window.level)
                .range(lo_l..=hi_l)
                .speed(1.0),
        )
        .labelled_by(l.id);
    });
}

pub fn layers(ui: &mut egui::Ui, view: &mut ViewState) {
    for layer in Layer::ALL {
        let st = view.style_mut(layer);
        ui.horizontal(|ui| {
            let [r, g, b] = st.color;
            let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
            ui.painter()
                .rect_filled(rect, 2.0, egui::Color32::from_rgb(r, g, b));
            ui.checkbox(&mut st.visible, layer.name());
            ui.add(egui::Slider::new(&mut st.opacity, 0.0..=1.0).show_value(false))
                .on_hover_text(format!("{} opacity", layer.name()));
            ui.checkbox(&mut st.contour, format!("{} outline", layer.name()))
                .on_hover_text("Draw only the outline of this layer");
        });
    }
}

pub fn volumes(ui: &mut egui::Ui, study: &mut Study) {
    let c = study.counts();
    let v = Volumes::from_counts(&c, study.ct.geometry.voxel_volume_mm3());
    egui::Grid::new("volumes-grid")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            let stage1 = c.two_stage().then_some((
                "Stage-1 resected",
                c.stage1_resected,
                v.stage1_resected_ml,
            ));
            for (name, n, ml) in [
                ("Total liver", c.total, v.total_ml),
                ("Tumour", c.tumour, v.tumour_ml),
                ("Functional", c.functional(), v.functional_ml),
            ]
            .into_iter()
            .chain(stage1)
            .chain([
                ("Resected", c.resected, v.resected_ml),
                ("Remnant", c.remnant, v.remnant_ml),
            ]) {
                ui.label(name);
                ui.label(format!("{ml:.1} mL"));
                ui.label(format!("{n} vox"));
                ui.end_row();
            }
        });
    ui.small("Volume = voxels × |det(affine 3×3)|");
}

pub fn histogram(ui: &mut egui::Ui, hist: &[(f64, u64)], window: Window, units: &ValueUnits) {
    let bin = match hist {
        [a, b, ..] => b.0 - a.0,
        _ => 10.0,
    };
    let bars: Vec<Bar> = hist
        .iter()
        .map(|&(x, c)| Bar::new(x, (c as f64 + 1.0).log10()).width(bin))
        .collect();
    Plot::new("hu-histogram")
        .height(110.0)
        .allow_zoom(false)
        .allow_drag(false)
        .show_axes([true, false])
        .show(ui, |p| {
            let name = format!("{} (log count)", units.symbol());
            p.bar_chart(BarChart::new(name, bars).color(egui::Color32::from_gray(170)));
            let lo = window.level - window.width / 2.0;
            let hi = window.level + window.width / 2.0;
            p.vline(
                egui_plot::VLine::new("window low", lo)
                    .color(egui::Color32::from_rgb(255, 200, 60)),
            );
            p.vline(
                egui_plot::VLine::new("window high", hi)
                    .color(egui::Color32::from_rgb(255, 200, 60)),
            );
        });
}
