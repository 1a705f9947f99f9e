//! Pointer input on one plane: hover, wheel (slice, Ctrl = zoom about the pointer),
//! pan, window/level, and the primary button for the crosshair or the active tool.

use super::Frame;
use crate::ui::view_state::ViewState;
use egui::{Pos2, Rect, Vec2};

/// What a user did on the plane this frame, for the app to act on.
#[derive(Debug, Clone, Default)]
pub struct PlaneInput {
    /// Voxel under a primary press or drag (for tools), and whether the button went down now.
    pub primary: Option<([usize; 3], bool)>,
    /// The primary button was released this frame.
    pub released: bool,
    /// Voxel clicked (press and release without drag).
    pub clicked: Option<[usize; 3]>,
    /// Continuous voxel position under the pointer (for brush outlines).
    pub hover: Option<[f64; 3]>,
    /// A whole drag within one frame (press, move, release arrive together, as from
    /// a fast or scripted mouse): where it started and ended, continuous voxels.
    pub quick_drag: Option<([f64; 3], [f64; 3])>,
    /// Where the primary button was released this frame, if over the image
    /// (continuous voxels): a drag ends there even when the last move came with it.
    pub release_at: Option<[f64; 3]>,
}

/// Screen position -> image pixel (continuous).
fn to_pixel(img: Rect, px: [usize; 2], pos: Pos2) -> Vec2 {
    Vec2::new(
        (pos.x - img.min.x) / img.width() * px[0] as f32,
        (pos.y - img.min.y) / img.height() * px[1] as f32,
    )
}

/// What the user did on the plane this frame; navigation is applied to `view`.
pub(super) fn read(
    ui: &egui::Ui,
    response: &egui::Response,
    view: &mut ViewState,
    f: &Frame,
    painting: bool,
) -> PlaneInput {
    let on = OnPlane {
        ui,
        response,
        f,
        painting,
    };
    let mut input = PlaneInput::default();
    if let Some(pos) = response.hover_pos() {
        on.pointer_over(view, pos, &mut input);
    } else if view.active == f.plane {
        view.hover = None;
    }
    if ui.input(|i| i.pointer.button_released(egui::PointerButton::Primary)) {
        input.released = true;
        input.release_at = on.release_at();
    }
    if response.clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        input.clicked = voxel_at(f, pos).map(|(v, _)| v);
    } else if painting {
        input.quick_drag = quick_drag(ui, f.rect).and_then(|(p, q)| {
            let (_, a) = voxel_at(f, p)?;
            let (_, b) = voxel_at(f, q)?;
            Some((a, b))
        });
    }
    input
}

/// The voxel under screen position `pos` and its continuous voxel coordinates
/// (None outside the image).
fn voxel_at(f: &Frame, pos: Pos2) -> Option<([usize; 3], [f64; 3])> {
    let &Frame {
        axes,
        dims,
        slice,
        img,
        px,
        ..
    } = f;
    let p = to_pixel(img, px, pos);
    if p.x < 0.0 || p.y < 0.0 || p.x >= px[0] as f32 || p.y >= px[1] as f32 {
        return None;
    }
    let v = axes.voxel(dims, slice, p.x as usize, p.y as usize);
    let mut c = [v[0] as f64, v[1] as f64, v[2] as f64];
    let fx = if axes.h_flip {
        px[0] as f32 - p.x - 0.5
    } else {
        p.x - 0.5
    };
    let fy = if axes.v_flip {
        px[1] as f32 - p.y - 0.5
    } else {
        p.y - 0.5
    };
    c[axes.h] = fx as f64;
    c[axes.v] = fy as f64;
    Some((v, c))
}

/// This frame's wheel movement in lines, and whether Ctrl (Cmd) and Space are held.
fn wheel(ui: &egui::Ui) -> (f32, bool, bool) {
    ui.input(|i| {
        let mut lines = 0.0f32;
        for e in &i.events {
            if let egui::Event::MouseWheel { unit, delta, .. } = e {
                lines += match unit {
                    egui::MouseWheelUnit::Point => delta.y / 40.0,
                    egui::MouseWheelUnit::Line => delta.y,
                    egui::MouseWheelUnit::Page => delta.y * 10.0,
                };
            }
        }
        (
            lines,
            i.modifiers.command || i.modifiers.ctrl,
            i.key_down(egui::Key::Space),
        )
    })
}

/// The wheel: Ctrl zooms about the pointer at `pos`, else it steps through slices.
fn scroll(view: &mut ViewState, f: &Frame, pos: Pos2, lines: f32, ctrl: bool) {
    let (pi, axes) = (f.pi, f.axes);
    if ctrl {
        // zoom about the pointer: keep the point under the pointer fixed
        let old = view.zoom[pi];
        let new = (old * (1.0 + 0.1 * lines.signum() * lines.abs().min(5.0))).clamp(0.25, 32.0);
        let anchor = pos - (f.rect.center() + view.pan[pi]);
        view.pan[pi] += anchor - anchor * (new / old);
        view.zoom[pi] = new;
    } else {
        let step = lines.signum() as isize * (lines.abs().ceil() as isize).max(1);
        let n = f.dims[axes.normal] as isize;
        view.cursor[axes.normal] = (f.slice as isize + step).clamp(0, n - 1) as usize;
    }
}

/// The pointer's frame on one plane.
struct OnPlane<'a, 'f> {
    ui: &'a egui::Ui,
    response: &'a egui::Response,
    f: &'a Frame<'f>,
    /// A painting tool is active (a press does not move the crosshair).
    painting: bool,
}

impl OnPlane<'_, '_> {
    /// The pointer is over the plane at `pos`: hover, wheel, pan, window/level or a
    /// primary press.
    fn pointer_over(&self, view: &mut ViewState, pos: Pos2, input: &mut PlaneInput) {
        let (ui, response, f) = (self.ui, self.response, self.f);
        view.active = f.plane;
        if let Some((v, c)) = voxel_at(f, pos) {
            view.hover = Some((v, f.study.ct.get(v[0], v[1], v[2])));
            input.hover = Some(c);
        }
        let (lines, ctrl, space) = wheel(ui);
        if lines != 0.0 {
            scroll(view, f, pos, lines, ctrl);
        }
        let pan_drag = response.dragged_by(egui::PointerButton::Middle)
            || (space && response.dragged_by(egui::PointerButton::Primary));
        if pan_drag {
            view.pan[f.pi] += response.drag_delta();
        } else if response.dragged_by(egui::PointerButton::Secondary) {
            let d = response.drag_delta();
            view.window.width = (view.window.width + d.x as f64 * 4.0).clamp(1.0, 8000.0);
            view.window.level = (view.window.level - d.y as f64 * 2.0).clamp(-2000.0, 4000.0);
        } else if response.is_pointer_button_down_on()
            && ui.input(|i| i.pointer.button_down(egui::PointerButton::Primary))
            && !space
            && let Some((v, _)) = voxel_at(f, pos)
        {
            let pressed = ui.input(|i| i.pointer.button_pressed(egui::PointerButton::Primary));
            input.primary = Some((v, pressed));
            if !self.painting {
                // navigate: the crosshair follows the pointer, moving the other planes
                view.cursor = v;
            }
        }
    }

    /// Where the primary button was released this frame, if over the image.
    fn release_at(&self) -> Option<[f64; 3]> {
        self.ui
            .input(|i| {
                i.events.iter().rev().find_map(|e| match e {
                    egui::Event::PointerButton {
                        pos,
                        button: egui::PointerButton::Primary,
                        pressed: false,
                        ..
                    } => Some(*pos),
                    _ => None,
                })
            })
            .filter(|pos| self.f.rect.contains(*pos))
            .and_then(|pos| voxel_at(self.f, pos).map(|(_, c)| c))
    }
}

/// A primary press inside `rect` and its release in the same frame, moved apart.
fn quick_drag(ui: &egui::Ui, rect: Rect) -> Option<(Pos2, Pos2)> {
    ui.input(|i| {
        let mut press = None;
        for e in &i.events {
            if let egui::Event::PointerButton {
                pos,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers,
            } = e
            {
                match (*pressed, press) {
                    (true, _) if rect.contains(*pos) && !modifiers.any() => press = Some(*pos),
                    (false, Some(p)) if p.distance(*pos) >= 2.0 => return Some((p, *pos)),
                    (false, _) => press = None,
                    _ => {}
                }
            }
        }
        None
    })
}
