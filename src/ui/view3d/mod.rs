//! The 3-D view: the traced layers' surfaces (remnant, translucent resection,
//! tumours; the whole liver before a resection is traced), drawn by OpenGL in an egui
//! paint callback (eframe's glow backend) with the crosshair and the cutting plane
//! (depth-tested: a surface in front hides them) and an orientation marker. A pending
//! cut (2-D cut tool or Cut in 3-D, not yet accepted) is shown as it would be accepted:
//! the surfaces are remade with its resection (live while its plane moves). Drag = rotate (trackball), right/middle drag or
//! Shift+drag = pan, wheel = zoom, a click on a surface moves the crosshair there.
//! Surfaces are meshed off the UI thread, only for the layers whose voxels changed
//! (`mesh::scene`). Camera and picking are the UI-free `mesh::camera`.

mod gl;

use super::view_state::ViewState;
use crate::mesh::MeshOptions;
use crate::mesh::camera::{Camera, DIRECTIONS, StandardView, Viewport, first_hit_any};
use crate::mesh::cut_handles::{self, Handle, PlaneFrame};
use crate::mesh::scene::{SceneLayer, surface_style, update_scene};
use crate::segmentation::plane_cut::CutPlane;
use crate::segmentation::tools::{EditCtx, Grid, PaintRules};
use crate::study::Study;
use crate::task::Job;
use crate::volume::Geometry;
use crate::workspace::tracing::{Editor, Pending};
use egui::{Color32, Pos2, Rect, Sense, Stroke, Vec2};
use gl::{DrawItem, MAX_ITEMS, Overlay};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// (scan identity, layer revision, the plane of a pending cut shown with its resection).
type SceneKey = (usize, u64, Option<CutPlane>);

/// The 3-D view's state: camera, surfaces, the meshing job, frame timing.
/// The meshing job: the surfaces of every layer, or why not.
type MeshJob = Job<Result<Vec<SceneLayer>, String>>;

pub struct View3d {
    pub camera: Camera,
    /// The surfaces shown (empty until the first meshing finishes).
    pub scene: Vec<SceneLayer>,
    /// (scan identity, layer revision) the scene was built for.
    built: Option<SceneKey>,
    job: Option<(MeshJob, SceneKey)>,
    /// The camera was fitted to the scene of this scan.
    framed: Option<usize>,
    gl: Arc<Mutex<gl::GlScene>>,
    pub show_crosshair: bool,
    pub show_cut: bool,
    frame_times: VecDeque<Instant>,
    /// Frames painted per second over the last second or so.
    pub fps: f32,
    pub frames: u64,
    /// Degrees per frame to turn the camera by itself (REMNANT_SPIN, for measuring fps).
    spin: f64,
    log_fps: bool,
    last_log: Option<Instant>,
    pub error: Option<String>,
    /// The cutting plane placed in 3-D (moved and tilted with its handles).
    pub cut3d: Option<CutPlane>,
    /// Handle being dragged: the handle, the plane and frame when the drag began, where it began.
    dragging: Option<(Handle, CutPlane, PlaneFrame, [f64; 2])>,
    last_preview: Option<Instant>,
    /// The camera (or a cut handle) moved recently: draw the lighter surfaces until then.
    moving_until: Option<Instant>,
    /// Couinaud segment numbers to write over the surfaces (patient mm), and the
    /// segments they were made from (`Arc` address).
    pub segment_labels: Vec<SegmentLabel>,
    segments_key: usize,
}

/// A Couinaud segment's number in 3-D: its name, colour and the mean position of its
/// voxels (patient mm).
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentLabel {
    pub name: &'static str,
    pub colour: [u8; 3],
    pub at: [f64; 3],
}

/// How long after the last camera or handle motion the lighter surfaces stay (so a
/// drag's or a wheel's pauses between events do not flicker between the two).
const MOVING_LINGER: std::time::Duration = std::time::Duration::from_millis(250);

impl Default for View3d {
    fn default() -> Self {
        View3d {
            camera: Camera::default(),
            scene: Vec::new(),
            built: None,
            job: None,
            framed: None,
            gl: Arc::new(Mutex::new(gl::GlScene::new(
                std::env::var_os("REMNANT_FPS_LOG").is_some(),
            ))),
            show_crosshair: true,
            show_cut: true,
            frame_times: VecDeque::new(),
            fps: 0.0,
            frames: 0,
            spin: std::env::var("REMNANT_SPIN")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0.0),
            log_fps: std::env::var_os("REMNANT_FPS_LOG").is_some(),
            last_log: None,
            error: None,
            cut3d: None,
            dragging: None,
            last_preview: None,
            moving_until: None,
            segment_labels: Vec::new(),
            segments_key: 0,
        }
    }
}

fn scan_id(study: &Study) -> usize {
    Arc::as_ptr(&study.ct) as usize
}

/// A pending (not yet accepted) cut, shown in 3-D as accepting it would leave the
/// layers: the editor's pending result and the plane it came from.
#[derive(Clone, Copy)]
pub struct PendingCut<'a> {
    pub pending: &'a Pending,
    pub plane: CutPlane,
}

/// The editor's pending cut (2-D cut tool or a plane placed in 3-D), if one waits.
pub fn pending_cut<'a>(editor: &'a Editor, study: &Study) -> Option<PendingCut<'a>> {
    let (pending, plane) = editor.pending_cut(study)?;
    Some(PendingCut { pending, plane })
}

/// A cutting plane to show: pending (not yet accepted: drawn stronger, with a hint) or
/// the accepted one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShownCut {
    pub plane: CutPlane,
    pub pending: bool,
}

/// What the user did in the 3-D view this frame.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct View3dOutput {
    /// A click hit a surface here: move the crosshair (voxel index).
    pub cursor: Option<[usize; 3]>,
    /// The 3-D cutting plane moved: preview its resection (`Command::PreviewCut`).
    pub cut_changed: Option<CutPlane>,
}

impl View3d {
    /// Start meshing when the layers (or the pending cut shown with them) changed (one
    /// job at a time; the newest state is picked up when it ends), and take finished
    /// surfaces. `pending`: the editor's pending result; a pending cut is shown applied.
    pub fn update(&mut self, study: &Study, cut: Option<PendingCut>, ctx: Option<egui::Context>) {
        let want = (scan_id(study), study.revision, cut.map(|p| p.plane));
        if let Some((job, key)) = &self.job
            && let Some(r) = job.poll()
        {
            let r = r.map_err(|e| e.to_string()).and_then(|r| r);
            let key = *key;
            self.job = None;
            match r {
                Ok(scene) => {
                    if key.0 == want.0 {
                        self.scene = scene;
                        self.built = Some(key);
                        self.error = None;
                    }
                }
                Err(e) => {
                    self.error = Some(e);
                    self.built = Some(key);
                }
            }
        }
        if self.job.is_some() || self.built == Some(want) {
            return;
        }
        let prev = if self.built.is_some_and(|b| b.0 == want.0) {
            self.scene.clone()
        } else {
            // another scan: its surfaces and a cut placed on the last one go
            self.scene.clear();
            self.cut3d = None;
            Vec::new()
        };
        let mut bits = study.labels.bits.clone();
        let g = study.ct.geometry.clone();
        let ct = study.ct.clone();
        let cut = cut.map(|p| (p.pending.preview.clone(), p.pending.layer));
        // no progress repaints (and no spinner): the job asks for one repaint when it
        // ends, so an idle window (or a test harness) is not kept busy while it runs
        let wake =
            ctx.map(|c| -> crate::task::Wake { std::sync::Arc::new(move || c.request_repaint()) });
        let job = Job::spawn("Building the 3-D surfaces", wake, move |task| {
            let quiet = crate::task::Task::new(&|_| {}, task.cancel);
            if let Some((preview, layer)) = cut {
                // the layers as accepting the cut would leave them
                let grid = Grid::of(&g);
                let ctx = EditCtx::new(&grid, ct.as_slice(), layer, PaintRules::default());
                preview.accept(&ctx, &mut bits);
            }
            let moving = MeshOptions::moving();
            update_scene(
                &prev,
                &bits,
                &g,
                &MeshOptions::display(),
                Some(&moving),
                quiet,
            )
            .map_err(|e| e.to_string())
        });
        self.job = Some((job, want));
    }

    /// Block until the surfaces for the current layers are built (tests, headless).
    pub fn wait(&mut self, study: &Study) {
        self.wait_with(study, None);
    }

    /// `wait` with a pending cut shown applied.
    pub fn wait_with(&mut self, study: &Study, pending: Option<PendingCut>) {
        self.update(study, pending, None);
        while let Some((job, _)) = &self.job {
            let r = job.wait().map_err(|e| e.to_string()).and_then(|r| r);
            let key = self.job.take().map(|(_, k)| k);
            match (r, key) {
                (Ok(scene), Some(k)) => {
                    self.scene = scene;
                    self.built = Some(k);
                }
                (Err(e), Some(k)) => {
                    self.error = Some(e);
                    self.built = Some(k);
                }
                _ => {}
            }
            self.update(study, pending, None);
        }
    }

    /// Show these segments' numbers (None: none, e.g. hidden or no landmarks); remade
    /// only when the segments change.
    pub fn set_segments(&mut self, c: Option<&Arc<crate::segments::Couinaud>>, g: &Geometry) {
        let key = c.map_or(0, |c| Arc::as_ptr(c) as usize);
        if key == self.segments_key {
            return;
        }
        self.segments_key = key;
        self.segment_labels = c.map_or(Vec::new(), |c| {
            c.map
                .centroids()
                .into_iter()
                .map(|(s, at)| SegmentLabel {
                    name: s.name(),
                    colour: s.colour(),
                    at: g.to_world(at),
                })
                .collect()
        });
    }

    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// The camera or a cut handle moved within the last `MOVING_LINGER`: the lighter
    /// surfaces (`SceneLayer::moving`) are drawn.
    pub fn moving(&self) -> bool {
        self.moving_until.is_some_and(|t| Instant::now() < t)
    }

    /// Fit the camera to the surfaces (keeping the direction it looks from).
    pub fn fit(&mut self) {
        if let Some((lo, hi)) = scene_bounds(&self.scene) {
            self.camera.frame_box(lo, hi);
        }
    }

    pub fn set_view(&mut self, v: StandardView) {
        self.camera.set_view(v);
    }

    /// Mesh uploads to the GPU so far (one per changed surface, not per frame).
    pub fn uploads(&self) -> u64 {
        self.gl.lock().map_or(0, |g| g.uploads)
    }

    fn tick_fps(&mut self) {
        let now = Instant::now();
        self.frames += 1;
        self.frame_times.push_back(now);
        while self
            .frame_times
            .front()
            .is_some_and(|t| now.duration_since(*t).as_secs_f32() > 1.0)
        {
            self.frame_times.pop_front();
        }
        if let (Some(a), n) = (self.frame_times.front(), self.frame_times.len())
            && n > 1
        {
            let dt = now.duration_since(*a).as_secs_f32();
            if dt > 0.0 {
                self.fps = (n - 1) as f32 / dt;
            }
        }
        if self.log_fps
            && self
                .last_log
                .is_none_or(|t| now.duration_since(t).as_secs_f32() >= 1.0)
        {
            self.last_log = Some(now);
            let (ms, drawn) = self
                .gl
                .lock()
                .map_or((0.0, 0), |g| (g.draw_ms, g.drawn_triangles));
            let tris: usize = self.scene.iter().map(|l| l.mesh.triangles.len()).sum();
            eprintln!(
                "remnant: 3-D view {:.1} fps (frame {}), its own drawing {ms:.1} ms, {drawn} triangles drawn ({tris} when still)",
                self.fps, self.frames
            );
        }
    }
}

fn scene_bounds(scene: &[SceneLayer]) -> Option<([f64; 3], [f64; 3])> {
    let mut lo = [f64::MAX; 3];
    let mut hi = [f64::MIN; 3];
    for l in scene {
        let (a, b) = l.mesh.bounds()?;
        for k in 0..3 {
            lo[k] = lo[k].min(a[k] as f64);
            hi[k] = hi[k].max(b[k] as f64);
        }
    }
    (!scene.is_empty()).then_some((lo, hi))
}

/// The toolbar: standard views, fit, overlays, frame rate.
fn toolbar(
    ui: &mut egui::Ui,
    v: &mut View3d,
    cut_flr: Option<f64>,
    new_cut: &mut Option<CutPlane>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label("3-D");
        for sv in StandardView::ALL {
            let tip = format!("view from the {:?} side", sv).to_lowercase();
            if ui.small_button(sv.letter()).on_hover_text(tip).clicked() {
                v.set_view(sv);
            }
        }
        if ui
            .small_button("Fit")
            .on_hover_text("fit the surfaces in view")
            .clicked()
        {
            v.fit();
        }
        ui.checkbox(&mut v.show_crosshair, "Crosshair");
        ui.checkbox(&mut v.show_cut, "Show cut");
        let placing = v.cut3d.is_some();
        if ui
            .selectable_label(placing, "Cut in 3-D")
            .on_hover_text(
                "place a cutting plane here: drag its centre to move it, its edge handles \
                 to tilt it; Enter accepts the resection",
            )
            .clicked()
        {
            if placing {
                v.cut3d = None;
            } else {
                // through the centre of the view, turned 20 degrees towards the viewer so it
                // is not seen edge-on; it removes the screen-left side (the patient's right
                // in the anterior view, as for a right hepatectomy)
                let c = &v.camera;
                let (sn, cs) = 20f64.to_radians().sin_cos();
                let normal: [f64; 3] = std::array::from_fn(|k| -cs * c.right[k] + sn * c.back[k]);
                *new_cut = Some(CutPlane {
                    point: c.target,
                    normal,
                    remove_positive: true,
                });
            }
        }
        if placing
            && ui.small_button("Flip side").clicked()
            && let Some(p) = &mut v.cut3d
        {
            p.remove_positive = !p.remove_positive;
            *new_cut = Some(*p);
        }
        if let Some(flr) = cut_flr
            && v.cut3d.is_some()
        {
            ui.label(format!("FLR with this cut: {flr:.1} %"))
                .on_hover_text(
                    "remnant / (total liver - tumour), from voxel counts; Enter accepts the cut",
                );
        }
        if v.busy() {
            ui.label("building surfaces...");
        }
        ui.label(format!("{:.0} fps", v.fps));
    });
}

/// Show the 3-D view in the space `ui` has left.
pub fn show(
    ui: &mut egui::Ui,
    v: &mut View3d,
    study: &Study,
    view: &ViewState,
    cut: Option<ShownCut>,
    cut_flr: Option<f64>,
) -> View3dOutput {
    let mut out = View3dOutput::default();
    let cell = ui.max_rect();
    let mut new_cut = None;
    toolbar(ui, v, cut_flr, &mut new_cut);
    if let Some(p) = new_cut {
        v.cut3d = Some(p);
        out.cut_changed = Some(p);
    }
    // exactly the rest of the cell (a wide toolbar must not widen the view)
    let top = ui.cursor().min.y.min(cell.max.y - 1.0);
    let rect = Rect::from_min_max(Pos2::new(cell.min.x, top), cell.max);
    let resp = ui.allocate_rect(rect, Sense::click_and_drag());
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "3-D view"));
    let sid = scan_id(study);
    if v.framed != Some(sid) && !v.scene.is_empty() {
        v.camera = Camera::default();
        v.fit();
        v.framed = Some(sid);
    }
    let vp = Viewport {
        width: rect.width().max(1.0) as f64,
        height: rect.height().max(1.0) as f64,
    };
    // input
    let (shift, scroll) = ui.input(|i| (i.modifiers.shift, i.smooth_scroll_delta.y));
    let local = |p: Pos2| [(p.x - rect.min.x) as f64, (p.y - rect.min.y) as f64];
    let mut in_motion = false;
    let frame = v
        .cut3d
        .and_then(|p| PlaneFrame::new(&p, v.camera.target, v.camera.radius * 0.8));
    if resp.drag_started_by(egui::PointerButton::Primary)
        && let (Some(plane), Some(f), Some(pos)) = (v.cut3d, frame, resp.interact_pointer_pos())
    {
        let at = local(pos);
        v.dragging = [Handle::Move, Handle::TiltU, Handle::TiltW]
            .into_iter()
            .find(|&h| {
                v.camera
                    .project(f.handle(h), vp)
                    .is_some_and(|s| (s[0] - at[0]).hypot(s[1] - at[1]) < 12.0)
            })
            .map(|h| (h, plane, f, at));
    }
    if let Some((h, plane, f, from)) = v.dragging {
        if let Some(pos) = resp.interact_pointer_pos() {
            let p = cut_handles::drag(&plane, &f, h, &v.camera, vp, from, local(pos));
            v.cut3d = Some(p);
            // live preview, at most 5 times a second while dragging
            if v.last_preview
                .is_none_or(|t| t.elapsed().as_millis() >= 200)
            {
                v.last_preview = Some(Instant::now());
                out.cut_changed = Some(p);
            }
        }
        if resp.drag_stopped() || !resp.dragged() {
            v.dragging = None;
            out.cut_changed = v.cut3d;
        }
    } else if resp.dragged_by(egui::PointerButton::Primary) && !shift {
        let d = resp.drag_delta();
        v.camera.orbit(d.x as f64, d.y as f64);
        in_motion = true;
    } else if resp.dragged_by(egui::PointerButton::Secondary)
        || resp.dragged_by(egui::PointerButton::Middle)
        || (resp.dragged_by(egui::PointerButton::Primary) && shift)
    {
        let d = resp.drag_delta();
        v.camera.pan(d.x as f64, d.y as f64, vp);
        in_motion = true;
    }
    if resp.hovered() && scroll != 0.0 {
        v.camera.zoom((scroll as f64 * 0.004).exp());
        in_motion = true;
    }
    if resp.clicked()
        && let Some(pos) = resp.interact_pointer_pos()
    {
        let s = [(pos.x - rect.min.x) as f64, (pos.y - rect.min.y) as f64];
        let ray = v.camera.ray(s, vp);
        if let Some((_, hit)) = first_hit_any(&ray, v.scene.iter().map(|l| &*l.mesh))
            && let Some(ix) = study.ct.geometry.to_index(hit.point)
        {
            let d = study.ct.geometry.dims;
            out.cursor = Some(std::array::from_fn(|a| {
                ix[a].round().clamp(0.0, d[a] as f64 - 1.0) as usize
            }));
        }
    }
    if v.spin != 0.0 {
        // orbit() turns 0.008 rad (0.458 degrees) per pixel
        v.camera.orbit(v.spin / 0.458, 0.0);
        ui.ctx().request_repaint();
        in_motion = true;
    }
    // while the camera turns, pans or zooms, or a cut handle is dragged: the lighter
    // surfaces (the full ones come back MOVING_LINGER after the last motion; a jump to a
    // standard view or a fit is not a motion)
    let now = Instant::now();
    if in_motion || v.dragging.is_some() {
        v.moving_until = Some(now + MOVING_LINGER);
    }
    let moving = v.moving();
    if let Some(t) = v.moving_until.filter(|_| moving) {
        ui.ctx().request_repaint_after(t - now);
    }
    // surfaces, crosshair and cutting plane (GL, depth-tested)
    let mut items: [Option<DrawItem>; MAX_ITEMS] = Default::default();
    for (slot, l) in items.iter_mut().zip(&v.scene) {
        let (c, a) = surface_style(l.layer);
        *slot = Some(DrawItem {
            key: l.layer as u8,
            generation: l.generation,
            mesh: l.mesh.clone(),
            moving: l.moving.clone(),
            color: [
                c[0] as f32 / 255.0,
                c[1] as f32 / 255.0,
                c[2] as f32 / 255.0,
                a,
            ],
        });
    }
    let cam = v.camera;
    let g = &study.ct.geometry;
    let f32s = |p: [f64; 3]| p.map(|x| x as f32);
    let mut overlay = Overlay::default();
    if v.show_crosshair {
        let c = g.to_world(view.cursor.map(|x| x as f64));
        let len = cam.radius * 0.35;
        let m = g.linear();
        let s = g.spacing();
        let mut seg = [[0f32; 3]; 6];
        for a in 0..3 {
            let d = [m[0][a] / s[a], m[1][a] / s[a], m[2][a] / s[a]];
            seg[2 * a] = f32s(std::array::from_fn(|k| c[k] - d[k] * len));
            seg[2 * a + 1] = f32s(std::array::from_fn(|k| c[k] + d[k] * len));
        }
        overlay.crosshair = Some(seg);
    }
    // the plane being placed in 3-D (with handles), else the 2-D tool's or the accepted one
    let placing = v
        .cut3d
        .and_then(|p| PlaneFrame::new(&p, cam.target, cam.radius * 0.8));
    let shown = placing
        .map(|f| (f, cut.is_some_and(|c| c.pending)))
        .or_else(|| {
            cut.filter(|_| v.show_cut).and_then(|c| {
                PlaneFrame::new(&c.plane, cam.target, cam.radius * 0.8).map(|f| (f, c.pending))
            })
        });
    if let Some((f, pending)) = shown {
        overlay.square = Some((f.corners().map(f32s), pending));
    }
    let mvp = v.camera.view_projection(vp);
    let b = v.camera.back;
    let view_dir = [b[0] as f32, b[1] as f32, b[2] as f32];
    let glscene = v.gl.clone();
    let callback = egui::PaintCallback {
        rect,
        callback: Arc::new(eframe::egui_glow::CallbackFn::new(move |info, painter| {
            let c = info.clip_rect_in_pixels();
            if let Ok(mut s) = glscene.lock() {
                s.paint(
                    painter.gl(),
                    &items,
                    &overlay,
                    &gl::FrameView {
                        mvp,
                        view_dir,
                        clip: [c.left_px, c.from_bottom_px, c.width_px, c.height_px],
                        moving,
                    },
                );
            }
        })),
    };
    // painted through a painter clipped to the view: the callback's clear stays inside it
    ui.painter_at(rect).add(callback);
    v.tick_fps();
    // handles and labels (egui, over the GL picture)
    let painter = ui.painter_at(rect);
    let to_screen = |p: [f64; 3]| {
        cam.project(p, vp)
            .map(|s| Pos2::new(rect.min.x + s[0] as f32, rect.min.y + s[1] as f32))
    };
    if let Some(f) = placing {
        draw_handles(&painter, &f, &to_screen);
    }
    if let Some((_, true)) = shown {
        painter.text(
            rect.right_top() + Vec2::new(-8.0, 8.0),
            egui::Align2::RIGHT_TOP,
            "cut preview: Enter accepts, Esc discards",
            egui::FontId::proportional(12.0),
            Color32::from_rgb(140, 190, 255),
        );
    }
    segment_numbers(&painter, &v.segment_labels, &to_screen);
    orientation_marker(&painter, rect, &cam);
    let msg = if let Some(e) = &v.error {
        Some(format!("3-D surfaces: {e}"))
    } else if v.scene.is_empty() && v.busy() {
        Some("Building the 3-D surfaces...".to_string())
    } else if v.scene.is_empty() {
        Some("No liver traced yet: the 3-D view shows the traced layers".to_string())
    } else {
        None
    };
    if let Some(m) = msg {
        // wrapped to the view, so a narrow four-up cell shows all of it
        let galley = painter.layout(
            m,
            egui::FontId::proportional(14.0),
            Color32::LIGHT_GRAY,
            (rect.width() - 24.0).max(40.0),
        );
        let at = rect.center() - galley.size() / 2.0;
        painter.galley(at, galley, Color32::LIGHT_GRAY);
    }
    if let Ok(s) = v.gl.lock()
        && let Some(e) = &s.error
    {
        painter.text(
            rect.left_top() + Vec2::new(8.0, 8.0),
            egui::Align2::LEFT_TOP,
            e,
            egui::FontId::proportional(12.0),
            Color32::from_rgb(240, 90, 80),
        );
    }
    out
}

/// The Couinaud segment numbers over the surfaces, each on a disc of its colour (the
/// same colours as on the slices).
fn segment_numbers(
    painter: &egui::Painter,
    labels: &[SegmentLabel],
    to_screen: &dyn Fn([f64; 3]) -> Option<Pos2>,
) {
    for l in labels {
        let Some(p) = to_screen(l.at) else { continue };
        let [r, g, b] = l.colour;
        painter.circle(
            p,
            11.0,
            Color32::from_rgb(r, g, b),
            egui::Stroke::new(1.0, Color32::BLACK),
        );
        painter.text(
            p,
            egui::Align2::CENTER_CENTER,
            l.name,
            egui::FontId::proportional(12.0),
            Color32::BLACK,
        );
    }
}

/// The three drag handles of the plane being placed (the square itself is drawn by GL).
fn draw_handles(
    painter: &egui::Painter,
    f: &PlaneFrame,
    to_screen: &dyn Fn([f64; 3]) -> Option<Pos2>,
) {
    let blue = Color32::from_rgb(90, 170, 255);
    for (h, r) in [
        (Handle::Move, 7.0),
        (Handle::TiltU, 6.0),
        (Handle::TiltW, 6.0),
    ] {
        if let Some(p) = to_screen(f.handle(h)) {
            painter.circle(p, r, Color32::WHITE, Stroke::new(2.0, blue));
        }
    }
}

/// R/L, A/P, S/I axes with their letters in the lower-left corner.
fn orientation_marker(painter: &egui::Painter, rect: Rect, cam: &Camera) {
    let c = rect.left_bottom() + Vec2::new(48.0, -48.0);
    for (letter, d) in DIRECTIONS {
        let s = cam.screen_direction(d);
        let dir = Vec2::new(s[0] as f32, s[1] as f32);
        let col = match letter {
            "R" | "L" => Color32::from_rgb(230, 90, 90),
            "A" | "P" => Color32::from_rgb(90, 200, 110),
            _ => Color32::from_rgb(110, 150, 240),
        };
        painter.line_segment([c, c + dir * 26.0], Stroke::new(2.0, col));
        painter.text(
            c + dir * 36.0,
            egui::Align2::CENTER_CENTER,
            letter,
            egui::FontId::proportional(13.0),
            col,
        );
    }
}
