//! What each tool does with the pointer: press, drag and release on a plane, in
//! voxel coordinates.

use super::{Editor, PendingKind, Tool};
use crate::segmentation::Layer;
use crate::segmentation::seeds::SeedStroke;
use crate::segmentation::tools::brush::BrushShape;
use crate::segmentation::tools::polygon::fill_polygon;
use crate::segmentation::tools::region::flood_fill;
use crate::segmentation::tools::{Axis, Edit, PaintMode};
use crate::study::Study;

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

pub(super) struct Stroke {
    pub(super) points: Vec<[f64; 3]>,
    pub(super) shape: BrushShape,
    pub(super) mode: PaintMode,
    /// Edits painted live while dragging, replaced by one edit on release.
    pub(super) live: Vec<Edit>,
}

/// Squared distance of two points in voxel coordinates.
pub(super) fn dist2(a: [f64; 3], b: [f64; 3]) -> f64 {
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

impl Editor {
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
            Tool::Navigate | Tool::Segments => false,
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
                let (e, _) = match self.settings.layer {
                    Layer::Liver | Layer::Tumour => self.close_gap(study, e),
                    _ => (e, 0),
                };
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
            Tool::Ruler => {
                self.ruler_press(study, axis, c);
                false
            }
            Tool::Lesion => {
                self.lesion_stroke = Some(vec![c]);
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
            Tool::Ruler => self.ruler_drag(c),
            Tool::Lesion => {
                if let Some(s) = &mut self.lesion_stroke
                    && s.last().is_none_or(|&p| dist2(p, c) >= 1.0)
                {
                    s.push(c);
                }
            }
            Tool::Navigate | Tool::Polygon | Tool::RegionFill | Tool::Segments => {}
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
            Tool::Ruler => {
                self.ruler_release(study);
                false
            }
            Tool::Lesion => match self.lesion_stroke.take() {
                Some(points) if self.defer_lesions => {
                    self.lesion_wanted = Some(points);
                    false
                }
                Some(points) => self.lesion_at(study, &points).accepted,
                None => false,
            },
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
    pub(super) fn finish_live(&mut self, study: &mut Study) -> bool {
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
}
