//! The central area: the planes of the layout with the tool graphics over them.
//! Drawing returns what the pointer did (a command); `apply_pointer` hands it to
//! the active tool of the tracing session.

use super::command::AppCommand;
use super::plane_view::{self, Overlay, PlaneCache, PlaneInput};
use super::view_state::{Cell, ViewState, plane_index};
use super::view3d::{self, View3d};
use crate::render::{Plane, PlaneAxes};
use crate::study::Study;
use crate::workspace::tracing::{Editor, HighlightKind, Tool};
use crate::workspace::{Command, Workspace};

/// Pointer state carried between frames.
#[derive(Debug, Default)]
pub struct Pointer {
    /// Voxel coordinates under the pointer last frame (brush outline).
    pub hover: Option<[f64; 3]>,
    /// The primary button went down on a plane with a tool, and is not released yet.
    pub pressed: bool,
    /// The plane it went down on.
    pub pressed_on: Option<Plane>,
}

/// Tool graphics for a plane: the outline being traced, the cut line, the brush.
fn overlay_for(
    ed: &Editor,
    rulers: &[crate::measure::Ruler],
    view: &ViewState,
    plane: Plane,
    study: &Study,
    hover: Option<[f64; 3]>,
) -> Overlay {
    let mut o = Overlay::default();
    let axes = PlaneAxes::new(&study.ct.geometry, plane);
    let slice = view.cursor[axes.normal];
    let on_this = |n: usize, s: f64| n == axes.normal && (s - slice as f64).abs() < 0.5;
    if let Some(ol) = &ed.outline
        && on_this(ol.axis.n(), ol.slice as f64)
    {
        o.polyline = ol.points.clone();
        if ed.tool == Tool::Polygon
            && let (Some(h), Some(last)) = (hover, ol.points.last())
        {
            o.lines.push((*last, h));
        }
    }
    if let Some(c) = &ed.cut
        && on_this(c.axis.n(), c.a[c.axis.n()])
    {
        o.lines.push((c.a, c.b));
    }
    o.rulers = plane_view::ruler_marks(rulers, ed.ruler.as_ref(), &study.ct.geometry, plane, slice);
    if matches!(ed.tool, Tool::Brush | Tool::Eraser | Tool::Seeds) && view.active == plane {
        o.circle = hover.map(|h| (h, ed.settings.radius_mm));
    }
    o
}

/// The segment numbers and the landmarks near `plane`'s slice.
fn segment_marks(
    o: &mut Overlay,
    c: Option<&crate::segments::Couinaud>,
    lm: &crate::segments::Landmarks,
    view: &ViewState,
    plane: Plane,
    study: &Study,
) {
    let g = &study.ct.geometry;
    let axes = PlaneAxes::new(g, plane);
    let slice = view.cursor[axes.normal];
    if let Some(c) = c {
        for (s, at) in c.map.slice_centroids(axes.normal, slice) {
            o.labels.push((at, s.name().to_string()));
        }
    }
    for l in crate::segments::LandmarkId::ALL {
        if let Some(ix) = lm.get(l).and_then(|p| g.to_index(p))
            && (ix[axes.normal] - slice as f64).abs() <= 2.0
        {
            o.marks.push((ix, l.key().to_string()));
        }
    }
}

/// Draw the cells of the layout (planes and the 3-D view); returns what the pointer
/// did on the planes. The 3-D view moves the crosshair and previews its cut itself.
pub fn show(
    ui: &mut egui::Ui,
    ws: &mut Workspace,
    view: &mut ViewState,
    caches: &mut [PlaneCache; 3],
    v3d: &mut View3d,
    hover: Option<[f64; 3]>,
    plan: &mut super::plan_panel::PlanState,
) -> Vec<AppCommand> {
    let couinaud = if plan.hide_segments {
        None
    } else {
        ws.segments().and_then(|r| r.ok())
    };
    let landmarks = ws.landmarks;
    let Some(study) = ws.study.as_ref() else {
        return Vec::new();
    };
    v3d.set_segments(couinaud.as_ref(), &study.ct.geometry);
    let cut_flr = ws.cut_preview().and_then(|c| c.flr_percent());
    let ed = &mut ws.editor;
    let segments_tool = ed.tool == crate::workspace::tracing::Tool::Segments;
    let gap = 4.0;
    let area = ui.available_rect_before_wrap();
    let cells = view.layout.cells(area, gap);
    let overlays: Vec<Option<Overlay>> = cells
        .iter()
        .map(|(c, _)| match c {
            Cell::Plane(p) => {
                let mut o = overlay_for(ed, &ws.rulers, view, *p, study, hover);
                segment_marks(&mut o, couinaud.as_deref(), &landmarks, view, *p, study);
                Some(o)
            }
            Cell::ThreeD => None,
        })
        .collect();
    // the 3-D view: surfaces for the layers (a pending cut applied), the plane to show
    let pending_cut = view3d::pending_cut(ed, study);
    let cut = match pending_cut {
        Some(p) => Some(view3d::ShownCut {
            plane: p.plane,
            pending: true,
        }),
        None => ed
            .cut_plane(study)
            .map(|plane| view3d::ShownCut {
                plane,
                pending: true,
            })
            .or(ed.last_cut.map(|plane| view3d::ShownCut {
                plane,
                pending: false,
            })),
    };
    if cells.iter().any(|(c, _)| matches!(c, Cell::ThreeD)) {
        v3d.update(study, pending_cut, Some(ui.ctx().clone()));
    }
    let painting = ed.tool.uses_pointer();
    let hl = ed.highlight(study);
    let mut highlight = hl.map(|(data, kind, _)| crate::render::Highlight {
        data,
        palette: highlight_palette(kind),
    });
    let mut highlight_rev = hl.map_or(0, |(_, _, rev)| rev);
    // no tool highlight: the Couinaud segments, else the 10 mm margin ring (Plan tab)
    if highlight.is_none() {
        if let Some(c) = &couinaud {
            let (grid, palette, rev) = plan.segment_overlay.of(c, study.ct.geometry.dims);
            highlight = Some(crate::render::Highlight {
                data: grid,
                palette,
            });
            highlight_rev = rev;
        } else if let Some((ring, rev)) =
            plan.margin_ring(study.revision, &study.labels.bits, &study.ct.geometry)
        {
            highlight = Some(crate::render::margin_ring_highlight(ring));
            highlight_rev = rev;
        }
    }
    let mut inputs = Vec::new();
    let mut out_3d = view3d::View3dOutput::default();
    for ((cell, rect), overlay) in cells.iter().zip(&overlays) {
        let mut ui = ui.new_child(egui::UiBuilder::new().max_rect(*rect));
        match (cell, overlay) {
            (Cell::Plane(p), Some(overlay)) => {
                let extras = plane_view::Extras {
                    highlight: highlight.as_ref(),
                    highlight_rev,
                    painting,
                    overlay,
                };
                let cache = &mut caches[plane_index(*p)];
                inputs.push((
                    *p,
                    plane_view::show(&mut ui, *p, study, view, cache, extras),
                ));
            }
            _ => out_3d = view3d::show(&mut ui, v3d, study, view, cut, cut_flr),
        }
    }
    ui.advance_cursor_after_rect(area);
    let mut out = Vec::new();
    if let Some(c) = out_3d.cursor {
        view.cursor = c;
        if segments_tool {
            // the Segments tool: a click on the 3-D surface places the next landmark
            // there, as a press on a plane at that voxel does
            let at = c.map(|x| x as f64);
            let axis = crate::segmentation::tools::Axis::K;
            let press = Command::Press {
                axis,
                slice: c[2],
                at,
            };
            out.push(AppCommand::Case(press));
            out.push(AppCommand::Case(Command::Release));
        }
    }
    if let Some(plane) = out_3d.cut_changed {
        out.push(AppCommand::Case(Command::PreviewCut(plane)));
        // the next frame remakes the surfaces with this cut's resection
        ui.ctx().request_repaint();
    }
    let double = ui.input(|i| {
        i.pointer
            .button_double_clicked(egui::PointerButton::Primary)
    });
    out.push(AppCommand::PlaneInputs(inputs, double));
    out
}

/// What the pointer did on the planes, as commands for the active tool of the
/// tracing session (press, drag, release; a double click closes a polygon).
pub fn pointer_commands(
    ws: &Workspace,
    ptr: &mut Pointer,
    inputs: &[(Plane, PlaneInput)],
    double: bool,
) -> Vec<Command> {
    ptr.hover = inputs.iter().find_map(|(_, i)| i.hover);
    let (Some(study), ed) = (&ws.study, &ws.editor) else {
        return Vec::new();
    };
    if !ed.tool.uses_pointer() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (p, input) in inputs {
        let axes = PlaneAxes::new(&study.ct.geometry, *p);
        let axis = Editor::axis(axes.normal);
        let at = |v: [usize; 3]| {
            input
                .hover
                .unwrap_or([v[0] as f64, v[1] as f64, v[2] as f64])
        };
        match (input.primary, input.clicked) {
            // a press; a quick click (press and release within one frame) is one too
            (Some((v, true)), _) | (None, Some(v)) if input.primary.is_some() || !ptr.pressed => {
                out.push(Command::Press {
                    axis,
                    slice: v[axes.normal],
                    at: at(v),
                });
                ptr.pressed = true;
                ptr.pressed_on = Some(*p);
            }
            (Some((v, false)), _) if ptr.pressed => out.push(Command::Drag(at(v))),
            // a whole drag within one frame: press, drag and release now
            (None, None) if !ptr.pressed => {
                if let Some((a, b)) = input.quick_drag {
                    let slice = a[axes.normal].round() as usize;
                    out.push(Command::Press { axis, slice, at: a });
                    out.push(Command::Drag(b));
                    out.push(Command::Release);
                }
            }
            _ => {}
        }
    }
    if ptr.pressed && inputs.iter().any(|(_, i)| i.released) {
        // the drag ends where the button came up (moves that came with the release)
        let end = inputs
            .iter()
            .find(|(p, _)| Some(*p) == ptr.pressed_on)
            .and_then(|(_, i)| i.release_at);
        if let Some(c) = end {
            out.push(Command::Drag(c));
        }
        out.push(Command::Release);
        ptr.pressed = false;
        ptr.pressed_on = None;
    }
    if double && ed.tool == Tool::Polygon {
        out.push(Command::CloseOutline);
    }
    out
}

/// Colours of the tracing highlight's values (`workspace::tracing::HL_*`).
pub const TOOL_PALETTE: [[u8; 4]; 3] =
    [[60, 220, 90, 200], [240, 70, 70, 200], [60, 200, 255, 150]];
/// Trainee disagreement: 1 traced but not in the reference, 2 missed.
pub const TRAINEE_PALETTE: [[u8; 4]; 3] = [[0, 215, 230, 200], [200, 60, 255, 200], [0, 0, 0, 0]];

fn highlight_palette(kind: HighlightKind) -> &'static [[u8; 4]] {
    match kind {
        HighlightKind::Tool => &TOOL_PALETTE,
        HighlightKind::Disagreement => &TRAINEE_PALETTE,
    }
}
