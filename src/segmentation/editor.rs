//! The tracing session's logic, with no UI in it (3D Slicer's "logic" side of the
//! Segment Editor): the active tool and layer, its settings, the undo history, the
//! stroke or outline in progress, seed strokes, a result waiting to be accepted and
//! the trainee's reference. The app's Tools panel and plane views call these methods
//! with voxel coordinates; tests call them directly.
//!
//! Every change to the layers goes through an [`Edit`] on the [`UndoStack`] (the
//! changed box as run-length XOR, never a copy of the volume), including grow from
//! seeds, fill between slices and the cutting plane.

use super::Layer;
use super::plane_cut::{CutPlane, cut_voxels};
use super::seeds::{SeedKind, SeedStroke, Seeds};
use super::tools::brush::{BrushShape, paint_stroke, stroke_voxels};
use super::tools::growcut::{GrowError, GrowParams, GrowSession};
use super::tools::interpolate::{interpolate_slices, traced_slices};
use super::tools::polygon::fill_polygon;
use super::tools::region::{
    fill_holes_2d, fill_holes_3d, flood_fill, grow_shrink, keep_largest_component, remove_islands,
};
use super::tools::score::{Score, disagreement_map, score};
use super::tools::{Axis, Edit, EditCtx, Grid, PaintMode, PaintRules, Preview, UndoStack};
use crate::study::Study;
use crate::task::Task;
use crate::volume::Volume;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// Clicks move the crosshair.
    Navigate,
    Brush,
    Eraser,
    /// Click the corners; close with a double click, Enter or a click on the first corner.
    Polygon,
    /// Drag an outline; it closes and fills on release.
    Freehand,
    /// Click fills the connected region within the HU range (2-D or 3-D).
    RegionFill,
    /// Paint liver and background seed strokes for grow from seeds.
    Seeds,
    /// Drag a line: the plane through it along the view normal cuts the liver.
    CutPlane,
}

impl Tool {
    pub const ALL: [Tool; 8] = [
        Tool::Navigate,
        Tool::Brush,
        Tool::Eraser,
        Tool::Polygon,
        Tool::Freehand,
        Tool::RegionFill,
        Tool::Seeds,
        Tool::CutPlane,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Tool::Navigate => "Navigate",
            Tool::Brush => "Brush",
            Tool::Eraser => "Eraser",
            Tool::Polygon => "Polygon",
            Tool::Freehand => "Freehand",
            Tool::RegionFill => "Region fill",
            Tool::Seeds => "Seeds",
            Tool::CutPlane => "Cut plane",
        }
    }

    /// Does the tool take the primary mouse button (so the crosshair stays)?
    pub fn uses_pointer(self) -> bool {
        self != Tool::Navigate
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub layer: Layer,
    /// Brush / eraser / seed radius in mm.
    pub radius_mm: f64,
    /// Ball through the slices instead of a disc on the slice.
    pub brush_3d: bool,
    /// Resection and tumour only inside the liver (3D Slicer's "editable area").
    pub inside_liver: bool,
    /// Paint only voxels with HU in `hu`.
    pub hu_limit: bool,
    pub hu: (i16, i16),
    /// Take the HU range from the region under each press (brush, region fill).
    pub hu_from_click: bool,
    /// Region fill in 3-D (else on the clicked slice).
    pub region_3d: bool,
    pub margin_mm: f64,
    pub island_ml: f64,
    pub seed_kind: SeedKind,
    pub grow: GrowParams,
    /// The slices that fill between slices and 2-D hole filling work on.
    pub slice_plane: crate::render::Plane,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            layer: Layer::Liver,
            radius_mm: 5.0,
            brush_3d: false,
            inside_liver: true,
            hu_limit: false,
            hu: LIVER_HU,
            hu_from_click: true,
            region_3d: true,
            margin_mm: 3.0,
            island_ml: 1.0,
            seed_kind: SeedKind::Liver,
            grow: GrowParams::default(),
            slice_plane: crate::render::Plane::Axial,
        }
    }
}

/// A typical range of enhanced liver parenchyma on portal-venous CT (HU).
pub const LIVER_HU: (i16, i16) = (40, 200);
pub const MAX_RADIUS_MM: f64 = 100.0;
pub const MAX_MARGIN_MM: f64 = 50.0;

/// What produced the result waiting to be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingKind {
    FillBetween,
    Grow,
    Cut,
}

impl PendingKind {
    pub fn name(self) -> &'static str {
        match self {
            PendingKind::FillBetween => "Fill between slices",
            PendingKind::Grow => "Grow from seeds",
            PendingKind::Cut => "Cut plane",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Pending {
    pub kind: PendingKind,
    pub layer: Layer,
    pub preview: Preview,
    pub ml: f64,
}

/// A line drawn on a plane for the cutting plane, in voxel coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CutLine {
    pub a: [f64; 3],
    pub b: [f64; 3],
    /// The voxel axis normal to the plane it was drawn on.
    pub axis: Axis,
    pub remove_positive: bool,
}

/// An outline being traced on one slice (voxel coordinates).
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    pub axis: Axis,
    pub slice: usize,
    pub points: Vec<[f64; 3]>,
}

/// The trainee's reference mask on the scan's grid.
#[derive(Debug, Clone)]
pub struct Reference {
    pub name: String,
    pub mask: Vec<u8>,
}

/// Region tools of the Tools panel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RegionOp {
    KeepLargest,
    RemoveIslands,
    FillHoles3d,
    FillHoles2d(Axis),
    Grow,
    Shrink,
}

/// A highlight to draw: one value per voxel, its palette, and a revision that changes
/// with it.
pub type HighlightView<'a> = (&'a [u8], [[u8; 4]; 3], u64);

/// Highlight values and colours (see `render::Highlight`).
pub const HL_SEED_LIVER: u8 = 1;
pub const HL_SEED_BACKGROUND: u8 = 2;
pub const HL_PREVIEW: u8 = 3;
pub const TOOL_PALETTE: [[u8; 4]; 3] =
    [[60, 220, 90, 200], [240, 70, 70, 200], [60, 200, 255, 150]];
/// Trainee disagreement: 1 traced but not in the reference, 2 missed.
pub const TRAINEE_PALETTE: [[u8; 4]; 3] = [[255, 150, 40, 200], [200, 60, 255, 200], [0, 0, 0, 0]];

struct Stroke {
    points: Vec<[f64; 3]>,
    shape: BrushShape,
    mode: PaintMode,
    /// Edits painted live while dragging, replaced by one edit on release.
    live: Vec<Edit>,
}

/// Everything grow from seeds needs, to run on a worker thread.
pub struct GrowRequest {
    pub grid: Grid,
    pub ct: Arc<Volume<i16>>,
    pub fg: Vec<usize>,
    pub bg: Vec<usize>,
    pub params: GrowParams,
    /// The scan's grower: an added stroke continues from the last grow.
    pub session: GrowSession,
}

impl GrowRequest {
    pub fn run(&self, task: Task) -> Result<Preview, String> {
        let progress = |f: f32| task.report(f);
        self.session
            .grow(
                &self.grid,
                self.ct.as_slice(),
                &self.fg,
                &self.bg,
                &self.params,
                &progress,
                task.cancel,
            )
            .map(|g| g.preview)
            .map_err(|e| match e {
                GrowError::SizeMismatch => "the seeds do not fit this scan".to_string(),
                GrowError::NoForegroundSeeds => {
                    "paint at least one liver seed stroke first".to_string()
                }
                GrowError::Cancelled => "cancelled".to_string(),
            })
    }
}

pub struct Editor {
    pub tool: Tool,
    pub settings: Settings,
    undo: UndoStack,
    stroke: Option<Stroke>,
    pub outline: Option<Outline>,
    pub seeds: Seeds,
    pub pending: Option<Pending>,
    pub cut: Option<CutLine>,
    /// The last cutting plane accepted into the resection (kept with the case).
    pub last_cut: Option<CutPlane>,
    /// A cutting plane placed in the 3-D view whose resection is the pending preview.
    pub cut3d: Option<CutPlane>,
    pub reference: Option<Reference>,
    pub show_disagreement: bool,
    score_cache: Option<(u64, Layer, Option<Score>)>,
    highlight: Vec<u8>,
    highlight_rev: u64,
    highlight_dirty: bool,
    /// Layer revision the disagreement highlight was built for (None: tool highlight).
    hl_key: Option<u64>,
    /// A short message on the last action (shown in the panel).
    pub message: Option<String>,
    grow_session: GrowSession,
}

impl Default for Editor {
    fn default() -> Self {
        Editor::new()
    }
}

/// Squared distance of two points in voxel coordinates.
fn dist2(a: [f64; 3], b: [f64; 3]) -> f64 {
    (0..3).map(|k| (a[k] - b[k]).powi(2)).sum()
}

/// Append `c` to a stroke's polyline; the previous end point when the pointer moved.
fn extend(points: &mut Vec<[f64; 3]>, c: [f64; 3]) -> Option<[f64; 3]> {
    let last = *points.last()?;
    (last != c).then(|| {
        points.push(c);
        last
    })
}

fn axis_of(n: usize) -> Axis {
    match n {
        0 => Axis::I,
        1 => Axis::J,
        _ => Axis::K,
    }
}

impl Editor {
    pub fn new() -> Editor {
        Editor {
            tool: Tool::Navigate,
            settings: Settings::default(),
            undo: UndoStack::new(),
            stroke: None,
            outline: None,
            seeds: Seeds::default(),
            pending: None,
            cut: None,
            last_cut: None,
            cut3d: None,
            reference: None,
            show_disagreement: true,
            score_cache: None,
            highlight: Vec::new(),
            highlight_rev: 1,
            highlight_dirty: true,
            hl_key: None,
            message: None,
            grow_session: GrowSession::default(),
        }
    }

    /// The voxel axis normal to a plane's slices (0 = i, 1 = j, 2 = k).
    pub fn axis(normal: usize) -> Axis {
        axis_of(normal)
    }

    /// The voxel axis of the slices chosen for fill between slices and 2-D hole filling.
    pub fn slice_axis(&self, study: &Study) -> Axis {
        let axes = crate::render::PlaneAxes::new(&study.ct.geometry, self.settings.slice_plane);
        axis_of(axes.normal)
    }

    /// Forget everything tied to the open scan (a new scan was opened).
    pub fn reset_for_new_scan(&mut self) {
        let (tool, settings) = (self.tool, self.settings.clone());
        *self = Editor::new();
        self.tool = tool;
        self.settings = settings;
    }

    /// Forget the undo history (the layers were replaced by a case's own).
    pub fn clear_history(&mut self) {
        self.undo.clear();
    }

    pub fn rules(&self) -> PaintRules {
        let s = &self.settings;
        PaintRules {
            editable: (s.inside_liver && s.layer != Layer::Liver).then_some(Layer::Liver.bit()),
            hu: s.hu_limit.then_some(s.hu),
        }
    }

    pub fn can_undo(&self) -> bool {
        self.undo.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.undo.can_redo()
    }

    pub fn undo_steps(&self) -> usize {
        self.undo.len()
    }

    pub fn undo_memory_bytes(&self) -> usize {
        self.undo.memory_bytes()
    }

    pub fn is_busy(&self) -> bool {
        self.stroke.is_some()
    }

    fn commit(&mut self, study: &mut Study, edit: Edit) -> bool {
        if edit.is_empty() {
            return false;
        }
        self.undo.push(edit);
        study.touch();
        true
    }

    pub fn undo(&mut self, study: &mut Study) -> bool {
        self.finish_live(study);
        let ok = self.undo.undo(&mut study.labels.bits);
        if ok {
            study.touch();
            self.message = Some("undone".into());
        }
        ok
    }

    pub fn redo(&mut self, study: &mut Study) -> bool {
        let ok = self.undo.redo(&mut study.labels.bits);
        if ok {
            study.touch();
            self.message = Some("redone".into());
        }
        ok
    }

    /// Record a change made outside the tools (mask import, layers opened) as one
    /// undoable step: `before` is the label map before it.
    pub fn record_external(&mut self, study: &mut Study, before: &[u8]) {
        let grid = Grid::of(&study.ct.geometry);
        if before.len() == study.labels.bits.len() {
            let e = super::tools::diff(before, &study.labels.bits, &grid);
            self.undo.push(e);
        } else {
            self.undo.clear();
        }
    }

    /// HU range of the tissue around a voxel: median +- 2.5 robust SD (at least +-20 HU)
    /// of a ~5 mm neighbourhood on its slice.
    pub fn hu_range_at(study: &Study, v: [usize; 3], axis: Axis) -> (i16, i16) {
        let g = &study.ct.geometry;
        let sp = g.spacing();
        let (a, b) = axis.in_plane();
        let ra = (5.0 / sp[a]).ceil().max(1.0) as isize;
        let rb = (5.0 / sp[b]).ceil().max(1.0) as isize;
        let mut vals = Vec::new();
        for da in -ra..=ra {
            for db in -rb..=rb {
                let mut p = [v[0] as isize, v[1] as isize, v[2] as isize];
                p[a] += da;
                p[b] += db;
                if (0..3).all(|x| p[x] >= 0 && (p[x] as usize) < g.dims[x]) {
                    vals.push(study.ct.get(p[0] as usize, p[1] as usize, p[2] as usize));
                }
            }
        }
        if vals.is_empty() {
            return LIVER_HU;
        }
        vals.sort_unstable();
        let med = vals[vals.len() / 2] as f64;
        let mut dev: Vec<f64> = vals.iter().map(|&x| (x as f64 - med).abs()).collect();
        dev.sort_by(f64::total_cmp);
        let sd = 1.4826 * dev[dev.len() / 2];
        let half = (2.5 * sd).max(20.0);
        let clamp = |x: f64| x.round().clamp(i16::MIN as f64, i16::MAX as f64) as i16;
        (clamp(med - half), clamp(med + half))
    }

    /// Run one tool on the active layer under the paint rules; returns its edit (applied).
    fn edit_with(&self, study: &mut Study, tool: impl FnOnce(&EditCtx, &mut [u8]) -> Edit) -> Edit {
        let grid = Grid::of(&study.ct.geometry);
        let ctx = EditCtx::new(
            &grid,
            study.ct.as_slice(),
            self.settings.layer,
            self.rules(),
        );
        tool(&ctx, &mut study.labels.bits)
    }

    /// Brush `points` (one polyline) on the active layer.
    fn paint(
        &self,
        study: &mut Study,
        points: &[[f64; 3]],
        shape: BrushShape,
        mode: PaintMode,
    ) -> Edit {
        let r = self.settings.radius_mm;
        self.edit_with(study, |ctx, labels| {
            paint_stroke(ctx, labels, points, r, shape, mode)
        })
    }

    fn shape(&self, axis: Axis) -> BrushShape {
        if self.settings.brush_3d {
            BrushShape::Sphere
        } else {
            BrushShape::Disc(axis)
        }
    }

    fn voxel(c: [f64; 3], dims: [usize; 3]) -> [usize; 3] {
        let mut v = [0usize; 3];
        for a in 0..3 {
            v[a] = c[a].round().clamp(0.0, dims[a] as f64 - 1.0) as usize;
        }
        v
    }

    /// Primary button pressed on a plane at voxel coordinates `c` (continuous),
    /// on slice `slice` of voxel axis `axis`. Returns true when the layers changed
    /// by an accepted action (autosave now).
    pub fn press(&mut self, study: &mut Study, axis: Axis, slice: usize, c: [f64; 3]) -> bool {
        let dims = study.ct.dims();
        let v = Editor::voxel(c, dims);
        let uses_range =
            self.tool == Tool::RegionFill || (self.tool == Tool::Brush && self.settings.hu_limit);
        if self.settings.hu_from_click && uses_range {
            self.settings.hu = Editor::hu_range_at(study, v, axis);
        }
        match self.tool {
            Tool::Navigate => false,
            Tool::Brush | Tool::Eraser => {
                let mode = if self.tool == Tool::Brush {
                    PaintMode::Paint
                } else {
                    PaintMode::Erase
                };
                self.stroke = Some(Stroke {
                    points: vec![c],
                    shape: self.shape(axis),
                    mode,
                    live: Vec::new(),
                });
                self.paint_live(study, &[c]);
                false
            }
            Tool::Freehand => {
                self.outline = Some(Outline {
                    axis,
                    slice,
                    points: vec![c],
                });
                false
            }
            Tool::Polygon => {
                let same = self
                    .outline
                    .as_ref()
                    .is_some_and(|o| o.axis == axis && o.slice == slice);
                if !same {
                    self.outline = Some(Outline {
                        axis,
                        slice,
                        points: Vec::new(),
                    });
                }
                let close_to_first = self
                    .outline
                    .as_ref()
                    .is_some_and(|o| o.points.len() >= 3 && dist2(o.points[0], c) < 1.0);
                if close_to_first {
                    return self.close_outline(study);
                }
                if let Some(o) = &mut self.outline {
                    o.points.push(c);
                }
                false
            }
            Tool::RegionFill => {
                let hu = self.settings.hu;
                let plane = (!self.settings.region_3d).then_some(axis);
                let seed = [v[0] as i64, v[1] as i64, v[2] as i64];
                let e = self.edit_with(study, |ctx, labels| {
                    flood_fill(ctx, labels, seed, hu, plane, PaintMode::Paint)
                });
                let n = e.changed_voxels();
                self.message = Some(if n == 0 {
                    format!(
                        "nothing filled: the clicked voxel is outside {}..{} HU or already in the layer",
                        hu.0, hu.1
                    )
                } else {
                    format!("filled {n} voxels ({}..{} HU)", hu.0, hu.1)
                });
                self.commit(study, e)
            }
            Tool::Seeds => {
                let shape = BrushShape::Disc(axis);
                self.seeds.strokes.push(SeedStroke {
                    kind: self.settings.seed_kind,
                    radius_mm: self.settings.radius_mm,
                    shape,
                    points: vec![c],
                });
                self.mark_seed_segment(study, &[c]);
                false
            }
            Tool::CutPlane => {
                self.cut = Some(CutLine {
                    a: c,
                    b: c,
                    axis,
                    remove_positive: self.cut.map(|l| l.remove_positive).unwrap_or(true),
                });
                if self
                    .pending
                    .as_ref()
                    .is_some_and(|p| p.kind == PendingKind::Cut)
                {
                    self.discard();
                }
                false
            }
        }
    }

    /// The pointer moved with the primary button down.
    pub fn drag(&mut self, study: &mut Study, c: [f64; 3]) {
        match self.tool {
            Tool::Brush | Tool::Eraser => {
                if let Some(last) = self.stroke.as_mut().and_then(|s| extend(&mut s.points, c)) {
                    self.paint_live(study, &[last, c]);
                }
            }
            Tool::Freehand => {
                if let Some(o) = &mut self.outline {
                    let far = o.points.last().is_none_or(|&p| dist2(p, c) >= 0.25);
                    if far {
                        o.points.push(c);
                    }
                }
            }
            Tool::Seeds => {
                let last = self
                    .seeds
                    .strokes
                    .last_mut()
                    .and_then(|s| extend(&mut s.points, c));
                if let Some(last) = last {
                    self.mark_seed_segment(study, &[last, c]);
                }
            }
            Tool::CutPlane => {
                if let Some(l) = &mut self.cut {
                    l.b = c;
                }
            }
            Tool::Navigate | Tool::Polygon | Tool::RegionFill => {}
        }
    }

    /// The primary button was released. Returns true when an action was accepted.
    pub fn release(&mut self, study: &mut Study) -> bool {
        match self.tool {
            Tool::Brush | Tool::Eraser => self.finish_live(study),
            Tool::Freehand => self.close_outline(study),
            Tool::CutPlane => {
                self.preview_cut(study);
                false
            }
            _ => false,
        }
    }

    fn paint_live(&mut self, study: &mut Study, points: &[[f64; 3]]) {
        let Some(s) = &self.stroke else { return };
        let e = self.paint(study, points, s.shape, s.mode);
        if !e.is_empty() {
            study.touch();
            if let Some(s) = &mut self.stroke {
                s.live.push(e);
            }
        }
    }

    /// End a brush stroke: the live edits become one undo step.
    fn finish_live(&mut self, study: &mut Study) -> bool {
        let Some(s) = self.stroke.take() else {
            return false;
        };
        if s.live.is_empty() {
            return false;
        }
        for e in s.live.iter().rev() {
            e.apply(&mut study.labels.bits);
        }
        let e = self.paint(study, &s.points, s.shape, s.mode);
        self.commit(study, e)
    }

    /// Fill the traced outline on its slice (polygon: on Enter / double click).
    pub fn close_outline(&mut self, study: &mut Study) -> bool {
        let Some(o) = self.outline.take() else {
            return false;
        };
        if o.points.len() < 3 {
            self.message = Some("an outline needs at least 3 points".into());
            return false;
        }
        let (a, b) = o.axis.in_plane();
        let pts: Vec<[f64; 2]> = o.points.iter().map(|p| [p[a], p[b]]).collect();
        let e = self.edit_with(study, |ctx, labels| {
            fill_polygon(ctx, labels, o.axis, o.slice, &pts, PaintMode::Paint)
        });
        self.message = Some(format!("outline filled: {} voxels", e.changed_voxels()));
        self.commit(study, e)
    }

    fn mark_seed_segment(&mut self, study: &Study, points: &[[f64; 3]]) {
        let grid = Grid::of(&study.ct.geometry);
        let Some(s) = self.seeds.strokes.last() else {
            return;
        };
        if self.highlight_dirty || self.showing_disagreement() {
            self.highlight_dirty = true;
            return;
        }
        let value = match s.kind {
            SeedKind::Liver => HL_SEED_LIVER,
            SeedKind::Background => HL_SEED_BACKGROUND,
        };
        for i in stroke_voxels(&grid, points, s.radius_mm, s.shape) {
            if let Some(h) = self.highlight.get_mut(i) {
                *h = value;
            }
        }
        self.highlight_rev += 1;
    }

    pub fn clear_seeds(&mut self) {
        self.seeds = Seeds::default();
        self.highlight_dirty = true;
    }

    pub fn set_seeds(&mut self, seeds: Seeds) {
        self.seeds = seeds;
        self.highlight_dirty = true;
    }

    /// What grow from seeds needs; an error says what is missing.
    pub fn grow_request(&self, study: &Study) -> Result<GrowRequest, String> {
        let grid = Grid::of(&study.ct.geometry);
        self.seeds.check_on(&grid).map_err(|e| e.to_string())?;
        let fg = self.seeds.voxels(&grid, SeedKind::Liver);
        if fg.is_empty() {
            return Err("paint at least one liver seed stroke first (Seeds tool)".into());
        }
        Ok(GrowRequest {
            grid,
            ct: study.ct.clone(),
            fg,
            bg: self.seeds.voxels(&grid, SeedKind::Background),
            params: self.settings.grow,
            session: self.grow_session.clone(),
        })
    }

    /// Show a result for the user to accept or discard.
    pub fn set_pending(&mut self, study: &Study, kind: PendingKind, layer: Layer, p: Preview) {
        let grid = Grid::of(&study.ct.geometry);
        let ml = p.volume_ml(&grid);
        self.message = Some(format!("{}: preview of {ml:.1} mL", kind.name()));
        self.pending = Some(Pending {
            kind,
            layer,
            preview: p,
            ml,
        });
        self.highlight_dirty = true;
    }

    /// Interpolate the active layer between its traced slices along `axis`.
    pub fn fill_between(&mut self, study: &Study, axis: Axis) -> Result<usize, String> {
        let grid = Grid::of(&study.ct.geometry);
        let layer = self.settings.layer;
        let keys = traced_slices(&grid, &study.labels.bits, layer, axis);
        if keys.len() < 2 {
            return Err(format!(
                "trace the {} on at least two slices first ({} traced)",
                layer.name().to_lowercase(),
                keys.len()
            ));
        }
        let p = interpolate_slices(&grid, &study.labels.bits, layer, axis, &keys);
        let n = keys.len();
        self.set_pending(study, PendingKind::FillBetween, layer, p);
        Ok(n)
    }

    fn preview_cut(&mut self, study: &Study) {
        let Some(l) = self.cut else { return };
        let d = dist2(l.a, l.b);
        if d < 4.0 {
            self.cut = None;
            self.message = Some("drag a longer line to place the cutting plane".into());
            return;
        }
        let g = &study.ct.geometry;
        let wa = g.to_world(l.a);
        let wb = g.to_world(l.b);
        let n = l.axis.n();
        let normal = [g.affine[0][n], g.affine[1][n], g.affine[2][n]];
        let Some(plane) = CutPlane::swept_line(wa, wb, normal, l.remove_positive) else {
            return;
        };
        let idx = cut_voxels(&study.labels.bits, g, &plane);
        let grid = Grid::of(g);
        let p = Preview::from_indices(&grid, &idx);
        if idx.is_empty() {
            self.message = Some(
                "the plane removes no liver on that side (flip the side, or trace the liver first)"
                    .into(),
            );
        }
        self.set_pending(study, PendingKind::Cut, Layer::Resection, p);
    }

    /// Remove the other side of the cutting plane.
    pub fn flip_cut(&mut self, study: &Study) {
        if let Some(l) = &mut self.cut {
            l.remove_positive = !l.remove_positive;
            self.preview_cut(study);
        }
    }

    /// The cutting plane in patient coordinates, if one is drawn.
    pub fn cut_plane(&self, study: &Study) -> Option<CutPlane> {
        let l = self.cut?;
        let g = &study.ct.geometry;
        let n = l.axis.n();
        CutPlane::swept_line(
            g.to_world(l.a),
            g.to_world(l.b),
            [g.affine[0][n], g.affine[1][n], g.affine[2][n]],
            l.remove_positive,
        )
    }

    /// Write the waiting result into its layer (one undo step).
    pub fn accept(&mut self, study: &mut Study) -> bool {
        let Some(p) = self.pending.take() else {
            return false;
        };
        self.highlight_dirty = true;
        if p.kind == PendingKind::Cut {
            self.last_cut = self.cut_plane(study).or(self.cut3d.take());
            self.cut = None;
        }
        let grid = Grid::of(&study.ct.geometry);
        // Results were computed under their own rules (the cut is inside the liver by
        // construction); accepting writes them as shown.
        let ctx = EditCtx::new(&grid, study.ct.as_slice(), p.layer, PaintRules::default());
        let e = p.preview.accept(&ctx, &mut study.labels.bits);
        self.message = Some(format!(
            "{} accepted: {} voxels changed",
            p.kind.name(),
            e.changed_voxels()
        ));
        self.commit(study, e)
    }

    pub fn discard(&mut self) {
        if self.pending.take().is_some() {
            self.highlight_dirty = true;
        }
        if self.tool != Tool::CutPlane {
            self.cut = None;
        }
    }

    /// Run a region tool on the active layer (one undo step).
    pub fn region(&mut self, study: &mut Study, op: RegionOp) -> bool {
        let margin = self.settings.margin_mm.clamp(0.0, MAX_MARGIN_MM);
        let island_ml = self.settings.island_ml;
        let e = self.edit_with(study, |ctx, labels| match op {
            RegionOp::KeepLargest => keep_largest_component(ctx, labels),
            RegionOp::RemoveIslands => remove_islands(ctx, labels, island_ml),
            RegionOp::FillHoles3d => fill_holes_3d(ctx, labels),
            RegionOp::FillHoles2d(axis) => fill_holes_2d(ctx, labels, axis),
            RegionOp::Grow => grow_shrink(ctx, labels, margin),
            RegionOp::Shrink => grow_shrink(ctx, labels, -margin),
        });
        self.message = Some(format!("{} voxels changed", e.changed_voxels()));
        self.commit(study, e)
    }

    /// Trainee mode: the score of the active layer against the reference (cached per
    /// layer revision; the surface distance needs a distance transform).
    pub fn score(&mut self, study: &Study) -> Option<Score> {
        let r = self.reference.as_ref()?;
        let layer = self.settings.layer;
        if let Some((rev, l, s)) = &self.score_cache
            && *l == layer
            // while a brush stroke is painted (a new revision every frame) the score
            // of the stroke's start stands until the stroke ends
            && (*rev == study.revision || self.stroke.is_some())
        {
            return *s;
        }
        let grid = Grid::of(&study.ct.geometry);
        let s = score(&grid, &study.labels.bits, layer, &r.mask);
        self.score_cache = Some((study.revision, layer, s));
        s
    }

    pub fn set_reference(&mut self, reference: Option<Reference>) {
        self.reference = reference;
        self.score_cache = None;
        self.highlight_dirty = true;
    }

    fn showing_disagreement(&self) -> bool {
        self.reference.is_some() && self.show_disagreement && self.pending.is_none()
    }

    /// The per-voxel highlight to draw over the slices (seeds and a pending preview, or
    /// the trainee's disagreement), with its palette and a revision that changes with it.
    pub fn highlight(&mut self, study: &Study) -> Option<HighlightView<'_>> {
        let disagreement = self.showing_disagreement();
        if disagreement {
            // follows every edit of the layer
            let key = study.revision ^ ((self.settings.layer.bit() as u64) << 56);
            // not rebuilt on every frame of a brush stroke, only when it ends
            let stale = self.highlight_dirty || self.hl_key != Some(key);
            let painting = self.stroke.is_some() && self.hl_key.is_some();
            if stale && !painting {
                let grid = Grid::of(&study.ct.geometry);
                let r = self.reference.as_ref()?;
                self.highlight =
                    disagreement_map(&grid, &study.labels.bits, self.settings.layer, &r.mask);
                self.hl_key = Some(key);
                self.highlight_dirty = false;
                self.highlight_rev += 1;
            }
            return Some((&self.highlight, TRAINEE_PALETTE, self.highlight_rev));
        }
        if self.seeds.is_empty() && self.pending.is_none() {
            return None;
        }
        let n = study.ct.geometry.voxel_count();
        if self.highlight_dirty || self.highlight.len() != n || self.hl_key.is_some() {
            let grid = Grid::of(&study.ct.geometry);
            self.highlight.clear();
            self.highlight.resize(n, 0);
            for kind in [SeedKind::Background, SeedKind::Liver] {
                let value = match kind {
                    SeedKind::Liver => HL_SEED_LIVER,
                    SeedKind::Background => HL_SEED_BACKGROUND,
                };
                for i in self.seeds.voxels(&grid, kind) {
                    self.highlight[i] = value;
                }
            }
            if let Some(p) = &self.pending {
                p.preview.mark(&grid, &mut self.highlight, HL_PREVIEW);
            }
            self.hl_key = None;
            self.highlight_dirty = false;
            self.highlight_rev += 1;
        }
        Some((&self.highlight, TOOL_PALETTE, self.highlight_rev))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn phantom_study() -> Study {
        let (ct, map) = crate::phantom::make();
        let mut s = Study::new(PathBuf::from("phantom.nii.gz"), ct, None);
        s.labels = map;
        s
    }

    fn count(s: &Study, bit: u8) -> usize {
        s.labels.bits.iter().filter(|&&b| b & bit != 0).count()
    }

    #[test]
    fn a_line_drawn_on_a_slice_cuts_the_liver_on_the_chosen_side() {
        let mut s = phantom_study();
        // start from no resection: the cut alone makes it
        for b in &mut s.labels.bits {
            *b &= !Layer::Resection.bit();
        }
        let [nx, ny, nz] = s.ct.dims();
        let mut ed = Editor::new();
        ed.tool = Tool::CutPlane;
        let x = 40.3;
        ed.press(&mut s, Axis::K, nz / 2, [x, 2.0, (nz / 2) as f64]);
        ed.drag(&mut s, [x, ny as f64 - 3.0, (nz / 2) as f64]);
        assert!(!ed.release(&mut s), "a cut is previewed, not applied");
        // the plane through the line along the slice normal is i = x: count by hand
        let liver_bits = Layer::Liver.bit() | Layer::Tumour.bit();
        let side = |pos: bool| {
            let mut n = 0;
            for k in 0..nz {
                for j in 0..ny {
                    for i in 0..nx {
                        let b = s.labels.bits[i + nx * (j + ny * k)];
                        if b & liver_bits != 0 && ((i as f64) > x) == pos {
                            n += 1;
                        }
                    }
                }
            }
            n
        };
        let first = ed.pending.as_ref().unwrap().preview.voxel_count();
        ed.flip_cut(&s);
        let other = ed.pending.as_ref().unwrap().preview.voxel_count();
        let (a, b) = (side(true), side(false));
        assert!(
            (first, other) == (a, b) || (first, other) == (b, a),
            "{first}/{other} vs {a}/{b}"
        );
        assert!(ed.accept(&mut s));
        assert_eq!(count(&s, Layer::Resection.bit()), other);
        assert!(ed.undo(&mut s));
        assert_eq!(count(&s, Layer::Resection.bit()), 0);
    }

    #[test]
    fn a_brush_stroke_is_one_undo_step_and_respects_the_liver_area() {
        let mut s = phantom_study();
        let before = s.labels.bits.clone();
        let mut ed = Editor::new();
        ed.tool = Tool::Brush;
        ed.settings.layer = Layer::Tumour;
        ed.settings.radius_mm = 12.0;
        let k = s.ct.dims()[2] / 2;
        let kf = k as f64;
        ed.press(&mut s, Axis::K, k, [5.0, 5.0, kf]);
        for x in 6..60 {
            ed.drag(&mut s, [x as f64, 30.0, kf]);
        }
        assert!(ed.release(&mut s));
        assert_eq!(ed.undo_steps(), 1);
        // only inside the liver, only on slice k, only the tumour bit was set
        let [nx, ny, _] = s.ct.dims();
        for (idx, (&a, &b)) in before.iter().zip(&s.labels.bits).enumerate() {
            if a != b {
                assert_eq!(a ^ b, Layer::Tumour.bit());
                assert_ne!(a & Layer::Liver.bit(), 0, "outside the liver at {idx}");
                assert_eq!(idx / (nx * ny), k);
            }
        }
        assert_ne!(before, s.labels.bits);
        assert!(ed.undo(&mut s));
        assert_eq!(before, s.labels.bits);
        assert!(ed.redo(&mut s));
        assert_ne!(before, s.labels.bits);
    }

    #[test]
    fn the_trainee_score_is_recomputed_when_a_stroke_ends_not_on_every_frame() {
        let mut s = phantom_study();
        let reference: Vec<u8> = s.labels.bits.iter().map(|&b| b & 1).collect();
        for b in &mut s.labels.bits {
            *b = 0;
        }
        let mut ed = Editor::new();
        ed.set_reference(Some(Reference {
            name: "ref".into(),
            mask: reference,
        }));
        assert_eq!(ed.score(&s).map(|x| x.traced_ml), Some(0.0));
        let hl_rev = ed.highlight(&s).map(|h| h.2);
        ed.tool = Tool::Brush;
        ed.settings.radius_mm = 10.0;
        let k = s.ct.dims()[2] / 2;
        let rev0 = s.revision;
        ed.press(&mut s, Axis::K, k, [40.0, 40.0, k as f64]);
        ed.drag(&mut s, [50.0, 40.0, k as f64]);
        assert_ne!(s.revision, rev0, "the stroke painted");
        assert_eq!(
            ed.score(&s).map(|x| x.traced_ml),
            Some(0.0),
            "kept mid-stroke"
        );
        assert_eq!(
            ed.highlight(&s).map(|h| h.2),
            hl_rev,
            "not rebuilt mid-stroke"
        );
        assert!(ed.release(&mut s));
        assert!(
            ed.score(&s).is_some_and(|x| x.traced_ml > 0.0),
            "updated after"
        );
        assert_ne!(ed.highlight(&s).map(|h| h.2), hl_rev);
    }

    #[test]
    fn region_fill_takes_its_range_from_the_clicked_tissue() {
        let mut s = phantom_study();
        for b in &mut s.labels.bits {
            *b = 0;
        }
        let mut ed = Editor::new();
        ed.tool = Tool::RegionFill;
        // the phantom's liver is ~60 HU parenchyma in ~-100 HU fat
        let [nx, ny, nz] = s.ct.dims();
        let (c, _) = crate::phantom::make();
        let liver_voxel = (0..nx * ny * nz)
            .find(|&i| {
                let (i0, j0, k0) = (i % nx, (i / nx) % ny, i / (nx * ny));
                k0 == nz / 2 && c.as_slice()[i] > 40 && i0 > 30 && j0 > 30
            })
            .unwrap();
        let v = [
            liver_voxel % nx,
            (liver_voxel / nx) % ny,
            liver_voxel / (nx * ny),
        ];
        let changed = ed.press(
            &mut s,
            Axis::K,
            v[2],
            [v[0] as f64, v[1] as f64, v[2] as f64],
        );
        assert!(changed, "{:?}", ed.message);
        let (lo, hi) = ed.settings.hu;
        assert!(lo > -50 && hi < 200 && lo < hi, "{lo}..{hi}");
        // the fill stayed in the tissue of that range
        for (i, &b) in s.labels.bits.iter().enumerate() {
            if b != 0 {
                let hu = s.ct.as_slice()[i];
                assert!(hu >= lo && hu <= hi);
            }
        }
        assert!(count(&s, Layer::Liver.bit()) > 1000);
    }
}
