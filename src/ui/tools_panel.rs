//! The Tools tab: active layer, tracing tools and their settings, results waiting to
//! be accepted, region tools, undo, and the trainee's score. It reads the editor
//! (core logic in `workspace::tracing`) and binds the tool settings; every action
//! (accept, discard, region tools, undo, grow, files) comes back as an [`AppCommand`].

use super::command::{AppCommand, Command, Purpose, TraceAction};
use crate::render::Plane;
use crate::segmentation::Layer;
use crate::segmentation::seeds::SeedKind;
use crate::study::Study;
use crate::workspace::tracing::{Editor, MAX_MARGIN_MM, MAX_RADIUS_MM, RegionOp, Tool};
use egui::Color32;

/// The grow job's state, for the progress bar.
pub struct GrowStatus {
    pub progress: f32,
    pub seconds: f64,
}

const WARN: Color32 = Color32::from_rgb(240, 110, 80);

pub fn show(
    ui: &mut egui::Ui,
    ed: &mut Editor,
    study: &Study,
    grow: Option<GrowStatus>,
) -> Vec<AppCommand> {
    let mut cmds = Vec::new();
    ui.heading("Tracing tools");
    ui.horizontal(|ui| {
        ui.label("Layer");
        for l in Layer::ALL {
            ui.selectable_value(&mut ed.settings.layer, l, l.name());
        }
    });
    ui.horizontal_wrapped(|ui| {
        for t in Tool::ALL {
            if ui.selectable_label(ed.tool == t, t.name()).clicked() && ed.tool != t {
                ed.tool = t;
                ed.outline = None;
                ed.ruler = None;
            }
        }
    });
    if ed.tool == Tool::RegionFill && !study.units.is_hounsfield() {
        ui.label("Click: fill the connected region within the intensity range.");
    } else {
        ui.label(help(ed.tool));
    }
    tool_settings(ui, ed, &study.units);
    ui.separator();

    if ed.tool == Tool::Seeds || !ed.seeds.is_empty() || grow.is_some() {
        seeds_section(ui, ed, grow, &mut cmds);
        ui.separator();
    }
    if ed.tool == Tool::CutPlane || ed.cut.is_some() {
        ui.horizontal(|ui| {
            let side = match ed.cut {
                Some(c) if c.remove_positive => "removing the side the plane's normal points to",
                Some(_) => "removing the other side",
                None => "draw a line on a plane",
            };
            ui.label(format!("Cut: {side}"));
            if ui
                .add_enabled(ed.cut.is_some(), egui::Button::new("Flip side"))
                .clicked()
            {
                cmds.push(AppCommand::trace(TraceAction::FlipCut));
            }
        });
        ui.separator();
    }
    if let Some(p) = &ed.pending {
        let what = match &ed.lesion {
            Some(d) => format!("Tumour {}", d.number),
            None => p.kind.name().to_string(),
        };
        ui.strong(format!(
            "Preview: {what} into the {} layer, {:.1} mL",
            p.layer.name(),
            p.ml
        ));
        ui.horizontal(|ui| {
            if ui.button("Accept (Enter)").clicked() {
                cmds.push(AppCommand::trace(TraceAction::Accept));
            }
            if ui.button("Discard (Esc)").clicked() {
                cmds.push(AppCommand::trace(TraceAction::Discard));
            }
        });
        ui.separator();
    }

    ui.strong("Fill between slices");
    ui.horizontal(|ui| {
        ui.label("Slices");
        for p in Plane::ALL {
            ui.selectable_value(&mut ed.settings.slice_plane, p, p.name());
        }
    });
    let slice_axis = (
        ed.slice_axis(study),
        ed.settings.slice_plane.name().to_lowercase(),
    );
    ui.horizontal(|ui| {
        if ui
            .button(format!("Interpolate {} slices", slice_axis.1))
            .on_hover_text(
                "Trace the layer on every few slices, then fill the slices in between \
                 (signed-distance interpolation); preview, then accept.",
            )
            .clicked()
        {
            cmds.push(AppCommand::trace(TraceAction::FillBetween(slice_axis.0)));
        }
    });
    ui.separator();

    ui.strong("Region tools");
    ui.horizontal_wrapped(|ui| {
        if ui.button("Keep largest part").clicked() {
            cmds.push(AppCommand::trace(TraceAction::Region(
                RegionOp::KeepLargest,
            )));
        }
        if ui.button("Fill holes (3-D)").clicked() {
            cmds.push(AppCommand::trace(TraceAction::Region(
                RegionOp::FillHoles3d,
            )));
        }
        if ui
            .button(format!("Fill holes ({} slices)", slice_axis.1))
            .clicked()
        {
            cmds.push(AppCommand::trace(TraceAction::Region(
                RegionOp::FillHoles2d(slice_axis.0),
            )));
        }
    });
    ui.horizontal(|ui| {
        if ui.button("Remove islands under").clicked() {
            cmds.push(AppCommand::trace(TraceAction::Region(
                RegionOp::RemoveIslands,
            )));
        }
        ui.add(
            egui::DragValue::new(&mut ed.settings.island_ml)
                .range(0.0..=1000.0)
                .speed(0.1)
                .suffix(" mL"),
        );
    });
    ui.horizontal(|ui| {
        if ui.button("Grow").clicked() {
            cmds.push(AppCommand::trace(TraceAction::Region(RegionOp::Grow)));
        }
        if ui.button("Shrink").clicked() {
            cmds.push(AppCommand::trace(TraceAction::Region(RegionOp::Shrink)));
        }
        ui.label("by");
        ui.add(
            egui::DragValue::new(&mut ed.settings.margin_mm)
                .range(0.5..=MAX_MARGIN_MM)
                .speed(0.1)
                .suffix(" mm"),
        );
    });
    ui.separator();

    ui.horizontal(|ui| {
        if ui
            .add_enabled(ed.can_undo(), egui::Button::new("Undo (Ctrl+Z)"))
            .clicked()
        {
            cmds.push(AppCommand::Case(Command::Undo));
        }
        if ui
            .add_enabled(ed.can_redo(), egui::Button::new("Redo (Ctrl+Shift+Z)"))
            .clicked()
        {
            cmds.push(AppCommand::Case(Command::Redo));
        }
    });
    ui.small(format!(
        "{} undo steps, {:.0} KB",
        ed.undo_steps(),
        ed.undo_memory_bytes() as f64 / 1024.0
    ));
    ui.separator();

    trainee_section(ui, ed, study, &mut cmds);
    if let Some(m) = &ed.message {
        ui.separator();
        ui.label(m);
    }
    cmds
}

fn help(t: Tool) -> &'static str {
    match t {
        Tool::Navigate => "Click or drag to move the crosshair.",
        Tool::Segments => {
            "Click each landmark in turn on any plane (the prompt below names it); drag a placed one to move it."
        }
        Tool::Brush => "Drag to paint the layer (round brush, outline shows its size).",
        Tool::Eraser => "Drag to erase the layer.",
        Tool::Polygon => {
            "Click the corners on a slice; a double click, Enter or a click on the first \
             corner closes and fills it; Esc cancels."
        }
        Tool::Freehand => "Drag around the region on a slice; releasing closes and fills it.",
        Tool::RegionFill => "Click: fill the connected region within the HU range.",
        Tool::Seeds => {
            "Paint a few strokes inside the liver and a few outside it (background), \
             then Grow from seeds."
        }
        Tool::CutPlane => {
            "Drag a line on a plane: the plane through it (perpendicular to the view) \
             cuts the liver; choose the side, then accept into the resection layer."
        }
        Tool::Ruler => {
            "Drag on a plane (or click both ends) to measure a distance in mm; \
             Esc cancels one being placed."
        }
        Tool::Lesion => {
            "Click inside a lesion in the liver: it is found in 3-D as the next numbered \
             tumour. Click inside it again to refine it; a click on another lesion accepts \
             this one; Enter accepts, Esc discards."
        }
    }
}

fn tool_settings(ui: &mut egui::Ui, ed: &mut Editor, units: &crate::volume::ValueUnits) {
    let hu = units.is_hounsfield();
    let s = &mut ed.settings;
    if matches!(ed.tool, Tool::Brush | Tool::Eraser | Tool::Seeds) {
        ui.horizontal(|ui| {
            let l = ui.label("Radius");
            ui.add(
                egui::Slider::new(&mut s.radius_mm, 0.5..=MAX_RADIUS_MM)
                    .logarithmic(true)
                    .suffix(" mm"),
            )
            .labelled_by(l.id);
        });
        if ed.tool != Tool::Seeds {
            ui.checkbox(
                &mut s.brush_3d,
                "3-D ball (paints through neighbouring slices)",
            );
        }
    }
    if s.layer != Layer::Liver {
        ui.checkbox(
            &mut s.inside_liver,
            format!(
                "Paint the {} only inside the liver",
                s.layer.name().to_lowercase()
            ),
        );
    }
    let painting = matches!(ed.tool, Tool::Brush | Tool::Polygon | Tool::Freehand);
    if painting {
        let text = if hu {
            "Only voxels in an HU range".to_string()
        } else {
            format!("Only voxels in an intensity range ({})", units.symbol())
        };
        ui.checkbox(&mut s.hu_limit, text);
    }
    if ed.tool == Tool::RegionFill || (painting && s.hu_limit) {
        ui.horizontal(|ui| {
            let (mut lo, mut hi) = s.hu;
            let range = if hu {
                -1024..=3071
            } else {
                i16::MIN..=i16::MAX
            };
            ui.add(
                egui::DragValue::new(&mut lo)
                    .range(range.clone())
                    .prefix("from "),
            );
            ui.add(egui::DragValue::new(&mut hi).range(range).prefix("to "));
            ui.label(units.symbol());
            s.hu = (lo.min(hi), lo.max(hi));
        });
        if ed.tool != Tool::Polygon && ed.tool != Tool::Freehand {
            ui.checkbox(&mut s.hu_from_click, "Range from the clicked region");
        }
    }
    if ed.tool == Tool::RegionFill {
        ui.checkbox(&mut s.region_3d, "Fill in 3-D (else on the clicked slice)");
    }
}

fn seeds_section(
    ui: &mut egui::Ui,
    ed: &mut Editor,
    grow: Option<GrowStatus>,
    cmds: &mut Vec<AppCommand>,
) {
    ui.strong("Seeds for growing the liver");
    ui.horizontal(|ui| {
        ui.label("Seed");
        ui.radio_value(&mut ed.settings.seed_kind, SeedKind::Liver, "Liver")
            .on_hover_text("green strokes");
        ui.radio_value(
            &mut ed.settings.seed_kind,
            SeedKind::Background,
            "Background",
        )
        .on_hover_text("red strokes");
    });
    ui.label(format!(
        "{} liver and {} background strokes",
        ed.seeds.count(SeedKind::Liver),
        ed.seeds.count(SeedKind::Background)
    ));
    ui.checkbox(
        &mut ed.settings.grow.fill_holes,
        "Include vessels and tumours inside the liver",
    )
    .on_hover_text(
        "Fill what the liver encloses (3-D and per slice), as volumetry counts the vessels \
         inside the parenchyma. A background stroke keeps a region out.",
    );
    ui.horizontal_wrapped(|ui| {
        if let Some(g) = &grow {
            ui.add(
                egui::ProgressBar::new(g.progress)
                    .desired_width(160.0)
                    .show_percentage(),
            );
            ui.label(format!("{:.1} s", g.seconds));
            if ui.button("Cancel").clicked() {
                cmds.push(AppCommand::CancelGrow);
            }
        } else if ui
            .add_enabled(
                ed.seeds.count(SeedKind::Liver) > 0,
                egui::Button::new("Grow from seeds"),
            )
            .clicked()
        {
            cmds.push(AppCommand::StartGrow);
        }
        if ui.button("Clear seeds").clicked() {
            cmds.push(AppCommand::trace(TraceAction::ClearSeeds));
        }
        if ui.button("Open seeds...").clicked() {
            cmds.push(AppCommand::AskFile(Purpose::OpenSeeds));
        }
        if ui
            .add_enabled(!ed.seeds.is_empty(), egui::Button::new("Save seeds..."))
            .clicked()
        {
            cmds.push(AppCommand::AskFile(Purpose::SaveSeeds));
        }
    });
}

fn trainee_section(ui: &mut egui::Ui, ed: &mut Editor, study: &Study, cmds: &mut Vec<AppCommand>) {
    if ed.exercise.is_some() {
        return super::exercise_panel::show(ui, ed, cmds);
    }
    ui.strong("Trainee mode");
    ui.horizontal(|ui| {
        if ui.button("Load reference mask...").clicked() {
            cmds.push(AppCommand::AskFile(Purpose::Reference));
        }
        if ed.reference.is_some() && ui.button("Remove").clicked() {
            cmds.push(AppCommand::trace(TraceAction::RemoveReference));
        }
    });
    let Some(name) = ed.reference.as_ref().map(|r| r.name.clone()) else {
        ui.small("Score a traced layer against a reference mask (e.g. an expert's).");
        return;
    };
    ui.label(format!(
        "{} layer vs reference {name}",
        ed.settings.layer.name()
    ));
    match ed.score(study) {
        Some(s) => {
            egui::Grid::new("trainee-score")
                .num_columns(2)
                .show(ui, |ui| {
                    ui.label("Dice");
                    ui.strong(format!("{:.3}", s.dice));
                    ui.end_row();
                    ui.label("Traced / reference");
                    ui.label(format!("{:.1} / {:.1} mL", s.traced_ml, s.reference_ml));
                    ui.end_row();
                    ui.label("Volume difference");
                    let pct = s
                        .volume_diff_pct
                        .map(|p| format!(" ({p:+.1} %)"))
                        .unwrap_or_default();
                    ui.label(format!("{:+.1} mL{pct}", s.volume_diff_ml));
                    ui.end_row();
                    ui.label("Mean surface distance");
                    ui.label(
                        s.mean_surface_distance_mm
                            .map(|d| format!("{d:.2} mm"))
                            .unwrap_or_else(|| "- (a surface is empty)".into()),
                    );
                    ui.end_row();
                });
        }
        None => {
            ui.colored_label(WARN, "the reference does not match this scan's grid");
        }
    }
    ui.checkbox(
        &mut ed.show_disagreement,
        "Show disagreement (cyan: traced, not in reference; purple: missed)",
    );
}

/// The case's rulers: plane, slice and length; a click on one shows its slice,
/// Delete removes it. Shown when there are rulers or the Ruler tool is active.
pub fn rulers_section(
    ui: &mut egui::Ui,
    rulers: &[crate::measure::Ruler],
    tool: Tool,
    g: &crate::volume::Geometry,
) -> Vec<AppCommand> {
    let mut cmds = Vec::new();
    if rulers.is_empty() && tool != Tool::Ruler {
        return cmds;
    }
    ui.separator();
    ui.strong(format!("Rulers ({})", rulers.len()));
    if rulers.is_empty() {
        ui.label("None yet: drag on a plane to place one.");
    }
    for (i, r) in rulers.iter().enumerate() {
        let n = r.normal_axis(g);
        ui.horizontal(|ui| {
            let text = format!(
                "Ruler {}: {} slice {}/{}, {}",
                i + 1,
                r.plane.name(),
                r.slice(g) + 1,
                g.dims[n],
                r.label(&g.affine)
            );
            if ui.link(text).on_hover_text("Show its slice").clicked() {
                cmds.push(AppCommand::ShowRuler(i));
            }
            if ui
                .small_button("Delete")
                .on_hover_text(format!("Delete ruler {}", i + 1))
                .clicked()
            {
                cmds.push(AppCommand::Case(Command::DeleteRuler(i)));
            }
        });
    }
    cmds
}
