//! The tracing session's logic, with no UI in it (3D Slicer's "logic" side of the
//! Segment Editor): the active tool and layer, its settings, the undo history, the
//! stroke or outline in progress, seed strokes, a result waiting to be accepted and
//! the trainee's reference. The app's Tools panel and plane views call these methods
//! with voxel coordinates; tests call them directly.
//!
//! Split by concern: [`pointer`] (what each tool does with the pointer),
//! [`pending`] (results waiting to be accepted: fill between slices, grow, cut),
//! [`grow`] (grow from seeds as a background request), [`regions`] (region tools),
//! [`trainee`] (score against a reference) and [`highlight`] (the per-voxel overlay
//! values; their colours are the UI's).
//!
//! Every change to the layers goes through an [`Edit`] on the [`UndoStack`] (the
//! changed box as run-length XOR, never a copy of the volume), including grow from
//! seeds, fill between slices and the cutting plane.

mod grow;
mod highlight;
mod lesion;
#[cfg(test)]
mod lesion_tests;
mod pending;
mod pointer;
mod regions;
mod ruler;
#[cfg(test)]
mod tests;
mod trainee;

pub use grow::GrowRequest;
pub use highlight::{HL_PREVIEW, HL_SEED_BACKGROUND, HL_SEED_LIVER, HighlightKind, HighlightView};
pub use lesion::{LesionDraft, LesionOutcome, LesionRequest, tumour_count};
pub use pending::{Pending, PendingKind};
pub use pointer::{CutLine, Outline};
pub use regions::RegionOp;
pub use ruler::RulerDraft;
pub use trainee::Reference;

use crate::segmentation::Layer;
use crate::segmentation::plane_cut::CutPlane;
use crate::segmentation::seeds::{SeedKind, Seeds};
use crate::segmentation::tools::brush::{BrushShape, paint_stroke};
use crate::segmentation::tools::growcut::{GrowParams, GrowSession};
use crate::segmentation::tools::score::Score;
use crate::segmentation::tools::{
    Axis, Edit, EditCtx, Grid, PaintMode, PaintRules, UndoStack, Undone,
};
use crate::study::Study;

/// A brush stroke given as numbers (the headless session, scripts): sphere stamps of
/// `radius_mm` along a polyline in voxel coordinates, on `layer`, with no paint rules
/// (the stroke is written where it is given). One undo step.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptedStroke {
    pub layer: Layer,
    pub points: Vec<[f64; 3]>,
    pub radius_mm: f64,
    pub mode: PaintMode,
}

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
    /// Drag (or click twice) on a plane: a distance in mm.
    Ruler,
    /// Click the Couinaud landmarks in turn; drag one to move it.
    Segments,
    /// Click (or a short stroke) inside a lesion: the lesion in 3-D, a numbered tumour.
    Lesion,
}

impl Tool {
    pub const ALL: [Tool; 11] = [
        Tool::Navigate,
        Tool::Brush,
        Tool::Eraser,
        Tool::Polygon,
        Tool::Freehand,
        Tool::RegionFill,
        Tool::Seeds,
        Tool::Lesion,
        Tool::CutPlane,
        Tool::Ruler,
        Tool::Segments,
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
            Tool::Ruler => "Ruler",
            Tool::Segments => "Segments",
            Tool::Lesion => "Lesion",
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

/// Why a tracing action could not start; the message says what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TracingError {
    #[error(transparent)]
    Seeds(#[from] crate::segmentation::seeds::SeedsError),
    #[error("paint at least one liver seed stroke first (Seeds tool)")]
    NoLiverSeeds,
    #[error("trace the {layer} on at least two slices first ({traced} traced)")]
    TooFewSlices { layer: String, traced: usize },
}

pub struct Editor {
    pub tool: Tool,
    pub settings: Settings,
    undo: UndoStack,
    stroke: Option<pointer::Stroke>,
    pub outline: Option<Outline>,
    pub seeds: Seeds,
    pub pending: Option<Pending>,
    pub cut: Option<CutLine>,
    /// The ruler being placed (Ruler tool).
    pub ruler: Option<RulerDraft>,
    /// A ruler just placed, for the workspace to take (`Workspace::add_ruler`).
    pub placed_ruler: Option<crate::measure::Ruler>,
    /// The last cutting plane accepted into the resection (kept with the case).
    pub last_cut: Option<CutPlane>,
    /// A cutting plane placed in the 3-D view whose resection is the pending preview.
    pub cut3d: Option<CutPlane>,
    pub reference: Option<Reference>,
    /// The trainee exercise traced against `reference` (File > Open sample exercise).
    pub exercise: Option<crate::trainee::Exercise>,
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
    /// The lesion waiting to be accepted (Lesion tool), and the stroke being drawn.
    pub lesion: Option<LesionDraft>,
    lesion_stroke: Option<Vec<[f64; 3]>>,
    /// Leave the Lesion tool's search to the caller (the app runs it on a worker
    /// thread): a release stores its points in `lesion_wanted` instead.
    pub defer_lesions: bool,
    /// The points of a Lesion click waiting for the caller (see `defer_lesions`).
    pub lesion_wanted: Option<Vec<[f64; 3]>>,
}

impl Default for Editor {
    fn default() -> Self {
        Editor::new()
    }
}

/// Squared distance of two points in voxel coordinates.
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
            ruler: None,
            placed_ruler: None,
            last_cut: None,
            cut3d: None,
            reference: None,
            exercise: None,
            show_disagreement: true,
            score_cache: None,
            highlight: Vec::new(),
            highlight_rev: 1,
            highlight_dirty: true,
            hl_key: None,
            message: None,
            grow_session: GrowSession::default(),
            lesion: None,
            lesion_stroke: None,
            defer_lesions: false,
            lesion_wanted: None,
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
        let (tool, settings, defer) = (self.tool, self.settings.clone(), self.defer_lesions);
        *self = Editor::new();
        self.tool = tool;
        self.settings = settings;
        self.defer_lesions = defer;
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
        self.undo_step(study).is_some()
    }

    /// Take back the newest step: a label change is undone here; a marker
    /// ([`Editor::push_marker`]) is returned for its owner to undo.
    pub fn undo_step(&mut self, study: &mut Study) -> Option<Undone> {
        self.finish_live(study);
        let u = self.undo.undo_step(&mut study.labels.bits)?;
        if u == Undone::Labels {
            study.touch();
            self.message = Some("undone".into());
        }
        Some(u)
    }

    pub fn redo(&mut self, study: &mut Study) -> bool {
        self.redo_step(study).is_some()
    }

    /// Do the last undone step again (a marker is returned for its owner to redo).
    pub fn redo_step(&mut self, study: &mut Study) -> Option<Undone> {
        let u = self.undo.redo_step(&mut study.labels.bits)?;
        if u == Undone::Labels {
            study.touch();
            self.message = Some("redone".into());
        }
        Some(u)
    }

    /// Record a change kept outside the layers (landmarks) as one undo step, in order
    /// with the layer edits; `id` names it to its owner.
    pub fn push_marker(&mut self, id: u64) {
        self.undo.push_marker(id);
    }

    /// Take back the newest undo step for good (a change the caller could not keep):
    /// undone, and not left to redo.
    pub fn take_back_last(&mut self, study: &mut Study) {
        if self.undo(study) {
            self.undo.forget_redo();
        }
    }

    /// A brush stroke given as numbers (`remnant session`): sphere stamps along the
    /// polyline on the stroke's layer, no paint rules; one undo step. Returns the
    /// number of voxels changed.
    pub fn scripted_stroke(&mut self, study: &mut Study, s: &ScriptedStroke) -> usize {
        let grid = Grid::of(&study.ct.geometry);
        let ctx = EditCtx::new(&grid, study.ct.as_slice(), s.layer, PaintRules::default());
        let e = paint_stroke(
            &ctx,
            &mut study.labels.bits,
            &s.points,
            s.radius_mm,
            BrushShape::Sphere,
            s.mode,
        );
        let n = e.changed_voxels();
        self.highlight_dirty = true;
        self.commit(study, e);
        n
    }

    /// Record a change made outside the tools (mask import, layers opened) as one
    /// undoable step: `before` is the label map before it.
    pub fn record_external(&mut self, study: &mut Study, before: &[u8]) {
        let grid = Grid::of(&study.ct.geometry);
        if before.len() == study.labels.bits.len() {
            let e = crate::segmentation::tools::diff(before, &study.labels.bits, &grid);
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
}
