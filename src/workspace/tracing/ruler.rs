//! The ruler tool: press-drag-release (or two clicks) on a plane places a ruler.
//! The editor keeps the ruler being placed; a finished one waits in
//! `Editor::placed_ruler` for the workspace to take (the workspace keeps the case's
//! rulers, see `Workspace::add_ruler`).

use super::Editor;
use crate::measure::Ruler;
use crate::render::{Plane, PlaneAxes};
use crate::segmentation::tools::Axis;
use crate::study::Study;

/// A ruler being placed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RulerDraft {
    pub ruler: Ruler,
    /// The voxel axis through the slices of its plane.
    pub normal: usize,
    /// The first end was placed by a click: the next click on the same slice places
    /// the second.
    pub waiting: bool,
}

/// Shorter than this (in voxels) a press-release is a click, not a ruler.
const MIN_VOXELS: f64 = 1.0;

impl Editor {
    pub(super) fn ruler_press(&mut self, study: &Study, axis: Axis, c: [f64; 3]) {
        let g = &study.ct.geometry;
        let Some(plane) = Plane::ALL
            .into_iter()
            .find(|&p| PlaneAxes::new(g, p).normal == axis.n())
        else {
            return;
        };
        let n = axis.n();
        match &mut self.ruler {
            Some(d) if d.waiting && d.ruler.plane == plane && d.ruler.a[n] == c[n] => {
                d.ruler.b = c;
                d.waiting = false;
            }
            _ => {
                self.ruler = Some(RulerDraft {
                    ruler: Ruler { plane, a: c, b: c },
                    normal: n,
                    waiting: false,
                });
            }
        }
    }

    pub(super) fn ruler_drag(&mut self, c: [f64; 3]) {
        if let Some(d) = &mut self.ruler
            && !d.waiting
        {
            // stay on the slice the ruler started on
            d.ruler.b = c;
            d.ruler.b[d.normal] = d.ruler.a[d.normal];
        }
    }

    /// The button was released: a ruler long enough is placed; a click leaves its
    /// first end waiting for a second click.
    pub(super) fn ruler_release(&mut self, study: &Study) {
        let Some(d) = &mut self.ruler else { return };
        let r = d.ruler;
        let dist = (0..3)
            .map(|k| (r.a[k] - r.b[k]).powi(2))
            .sum::<f64>()
            .sqrt();
        if dist < MIN_VOXELS {
            d.waiting = true;
            self.message = Some("ruler: click the second end (Esc cancels)".into());
            return;
        }
        self.ruler = None;
        self.message = Some(format!(
            "ruler on the {} plane: {}",
            r.plane.name().to_lowercase(),
            r.label(&study.ct.geometry.affine)
        ));
        self.placed_ruler = Some(r);
    }
}
