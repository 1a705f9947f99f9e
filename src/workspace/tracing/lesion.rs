//! The Lesion tool: a click (or a short stroke) inside a lesion gives it in 3-D as a
//! pending result for the tumour layer, numbered after the tumours already traced.
//! A click inside the pending lesion refines it (both clicks' intensities and seeds);
//! a click elsewhere accepts the pending lesion (one undo step) and starts the next;
//! Enter accepts, Esc discards. Accepting also closes the gap the liver trace left
//! around the tumour (see [`Editor::commit_closing_gap`]).

use super::{Editor, PendingKind};
use crate::segmentation::Layer;
use crate::segmentation::lesion::gap::{GAP_MM, liver_tumour_gap};
use crate::segmentation::lesion::{self, Diameters, Lesion, LesionError, LesionParams, Scan};
use crate::segmentation::tools::region::components;
use crate::segmentation::tools::{Bbox, Edit, Grid};
use crate::study::Study;
use crate::volume::Volume;
use std::sync::Arc;

/// The lesion waiting to be accepted: its seeds, number and measurements.
#[derive(Debug, Clone)]
pub struct LesionDraft {
    pub seeds: Vec<[usize; 3]>,
    /// Its number among the tumours (1-based).
    pub number: usize,
    pub volume_ml: f64,
    pub diameters: Diameters,
    pub density: lesion::Density,
    pub lesion_hu: f64,
    pub liver_hu: f64,
    pub millis: f64,
}

/// Number of separate tumours (6-connected parts) of the tumour layer.
pub fn tumour_count(study: &Study) -> usize {
    let grid = Grid::of(&study.ct.geometry);
    let bit = Layer::Tumour.bit();
    let b = Bbox::of_mask(&grid, &study.labels.bits, |v| v & bit != 0);
    if b.is_empty() {
        return 0;
    }
    let s = b.size();
    let mut m = vec![false; b.len()];
    for k in 0..s[2] {
        for j in 0..s[1] {
            let row = grid.flat(b.lo[0], b.lo[1] + j, b.lo[2] + k);
            for i in 0..s[0] {
                m[i + s[0] * (j + s[1] * k)] = study.labels.bits[row + i] & bit != 0;
            }
        }
    }
    components(s, &m).1.len()
}

/// What a click of the Lesion tool did.
#[derive(Debug, Clone, PartialEq)]
pub struct LesionOutcome {
    /// A pending lesion was accepted on the way (the layers changed).
    pub accepted: bool,
    /// Why no lesion is pending now (the message says what to do).
    pub error: Option<String>,
}

/// A lesion search prepared on the editor, to run anywhere (the app: a worker thread)
/// and to hand back to [`Editor::lesion_finish`].
pub struct LesionRequest {
    grid: Grid,
    ct: Arc<Volume<i16>>,
    labels: Vec<u8>,
    /// The seeds of the search (a refining click: the first click's too).
    pub seeds: Vec<[usize; 3]>,
    /// The tumour number the lesion will get.
    pub number: usize,
    /// The study revision it was prepared on (a result for another is dropped).
    pub revision: u64,
}

impl LesionRequest {
    pub fn run(&self) -> Result<Lesion, LesionError> {
        let scan = Scan {
            grid: &self.grid,
            ct: self.ct.as_slice(),
            labels: &self.labels,
            liver_bits: Layer::Liver.bit() | Layer::Tumour.bit(),
        };
        lesion::segment(&scan, &self.seeds, &LesionParams::default())
    }
}

impl Editor {
    /// The lesion tool at `points` (continuous voxel coordinates: a click, or the
    /// points of a short stroke), done here and now (the headless session; the app
    /// runs [`Editor::lesion_prepare`]'s request on a worker thread).
    pub fn lesion_at(&mut self, study: &mut Study, points: &[[f64; 3]]) -> LesionOutcome {
        let (accepted, req) = self.lesion_prepare(study, points);
        match req {
            Ok(req) => {
                let r = req.run();
                self.lesion_finish(study, req, r, accepted)
            }
            Err(e) => self.lesion_failed(accepted, e),
        }
    }

    pub(crate) fn lesion_failed(&mut self, accepted: bool, e: String) -> LesionOutcome {
        self.message = Some(format!("Lesion: {e}"));
        LesionOutcome {
            accepted,
            error: Some(e),
        }
    }

    /// Check the click and prepare the search: a click inside the pending lesion
    /// refines it, a click elsewhere first accepts it (true: the layers changed).
    pub fn lesion_prepare(
        &mut self,
        study: &mut Study,
        points: &[[f64; 3]],
    ) -> (bool, Result<LesionRequest, String>) {
        let seeds = match Editor::lesion_seeds(study.ct.dims(), points) {
            Ok(s) => s,
            Err(e) => return (false, Err(e)),
        };
        let first = seeds[0];
        let refine = self.lesion.as_ref().filter(|_| {
            self.pending.as_ref().is_some_and(|p| {
                p.kind == PendingKind::Lesion && seeds.iter().any(|&s| p.preview.contains(s))
            })
        });
        let (all_seeds, number, accepted) = match refine {
            Some(d) => {
                let mut s = d.seeds.clone();
                s.extend(&seeds);
                (s, d.number, false)
            }
            None => {
                let accepted = self.accept_pending_lesion(study);
                let idx = Grid::of(&study.ct.geometry).flat(first[0], first[1], first[2]);
                if study.labels.bits[idx] & Layer::Tumour.bit() != 0 {
                    let why = "this point is in a tumour already traced: correct it with the \
                               brush or eraser, or undo it and click again";
                    return (accepted, Err(why.into()));
                }
                (seeds, tumour_count(study) + 1, accepted)
            }
        };
        let req = LesionRequest {
            grid: Grid::of(&study.ct.geometry),
            ct: study.ct.clone(),
            labels: study.labels.bits.clone(),
            seeds: all_seeds,
            number,
            revision: study.revision,
        };
        (accepted, Ok(req))
    }

    /// The voxels of the clicked points (at most 24 of a stroke), or why not.
    fn lesion_seeds(dims: [usize; 3], points: &[[f64; 3]]) -> Result<Vec<[usize; 3]>, String> {
        let mut seeds: Vec<[usize; 3]> = Vec::new();
        for &c in points {
            let inside = (0..3).all(|a| c[a] > -0.5 && c[a] < dims[a] as f64 - 0.5);
            if !inside {
                return Err(LesionError::OutsideScan.to_string());
            }
            let v = Editor::voxel(c, dims);
            if !seeds.contains(&v) {
                seeds.push(v);
            }
        }
        if seeds.len() > 24 {
            let step = seeds.len().div_ceil(24);
            seeds = seeds.into_iter().step_by(step).collect();
        }
        if seeds.is_empty() {
            return Err("no point was given".into());
        }
        Ok(seeds)
    }

    /// Show the search's result as the pending lesion (or say why there is none). A
    /// result for a study changed since the request is dropped.
    pub fn lesion_finish(
        &mut self,
        study: &Study,
        req: LesionRequest,
        result: Result<Lesion, LesionError>,
        accepted: bool,
    ) -> LesionOutcome {
        if study.revision != req.revision || study.ct.dims() != req.grid.dims {
            let e = "the layers changed while the lesion was being found: click again".into();
            return self.lesion_failed(accepted, e);
        }
        match result {
            Ok(l) => {
                self.show_lesion(study, l, req.seeds, req.number);
                LesionOutcome {
                    accepted,
                    error: None,
                }
            }
            Err(e) => self.lesion_failed(accepted, e.to_string()),
        }
    }

    fn show_lesion(&mut self, study: &Study, l: Lesion, seeds: Vec<[usize; 3]>, number: usize) {
        let d = lesion::diameters(&l.preview, &study.ct.geometry);
        let draft = LesionDraft {
            seeds,
            number,
            volume_ml: l.volume_ml,
            diameters: d,
            density: l.density,
            lesion_hu: l.lesion_hu,
            liver_hu: l.liver_hu,
            millis: l.millis,
        };
        self.set_pending(study, PendingKind::Lesion, Layer::Tumour, l.preview);
        self.message = Some(draft.describe());
        self.lesion = Some(draft);
    }

    /// Accept a pending lesion (before the next click starts another).
    fn accept_pending_lesion(&mut self, study: &mut Study) -> bool {
        let waiting = self
            .pending
            .as_ref()
            .is_some_and(|p| p.kind == PendingKind::Lesion);
        waiting && self.accept(study)
    }
}

impl LesionDraft {
    /// One line for the panel and the session.
    pub fn describe(&self) -> String {
        let kind = match self.density {
            lesion::Density::Hypodense => "hypodense",
            lesion::Density::Hyperdense => "hyperdense",
        };
        format!(
            "Tumour {}: {:.1} mL, {:.0} x {:.0} mm (largest {:.0} mm), {kind} ({:.0} HU, liver {:.0} HU), \
             {:.0} ms. Enter accepts; click inside it again to refine; Esc discards.",
            self.number,
            self.volume_ml,
            self.diameters.long_axis_mm,
            self.diameters.short_axis_mm,
            self.diameters.max_3d_mm,
            self.lesion_hu,
            self.liver_hu,
            self.millis
        )
    }
}

/// The common part of two boxes (empty when they do not meet).
fn intersect(a: Bbox, b: Bbox) -> Bbox {
    Bbox {
        lo: [0, 1, 2].map(|x| a.lo[x].max(b.lo[x])),
        hi: [0, 1, 2].map(|x| a.hi[x].min(b.hi[x])),
    }
}

impl Editor {
    /// The liver keeps its tumours: after an applied edit `e` of the liver or tumour
    /// layer, the gap it leaves between the liver and a tumour near it joins the liver
    /// ([`crate::segmentation::lesion::gap`]), in the same undo step. Returns the edit
    /// to commit and the number of gap voxels joined.
    pub(super) fn close_gap(&self, study: &mut Study, e: Edit) -> (Edit, usize) {
        let grid = Grid::of(&study.ct.geometry);
        let t = Layer::Tumour.bit();
        if e.is_empty() {
            return (e, 0);
        }
        let tumours = Bbox::of_mask(&grid, &study.labels.bits, |v| v & t != 0);
        let near = intersect(e.bbox(), tumours);
        if near.is_empty() {
            return (e, 0);
        }
        let gap = liver_tumour_gap(&grid, study.ct.as_slice(), &study.labels.bits, near, GAP_MM);
        if gap.is_empty() {
            return (e, 0);
        }
        let mut region = e.bbox();
        for &i in &gap {
            region = region.union(&Bbox::voxel(grid.ijk(i)));
        }
        let s = region.size();
        let local = |p: [usize; 3]| {
            (p[0] - region.lo[0]) + s[0] * ((p[1] - region.lo[1]) + s[1] * (p[2] - region.lo[2]))
        };
        let labels = &mut study.labels.bits;
        e.apply(labels); // back to before the edit, to keep the box as it was
        let mut before = vec![0u8; region.len()];
        for k in region.lo[2]..region.hi[2] {
            for j in region.lo[1]..region.hi[1] {
                for i in region.lo[0]..region.hi[0] {
                    before[local([i, j, k])] = labels[grid.flat(i, j, k)];
                }
            }
        }
        e.apply(labels);
        for &i in &gap {
            labels[i] |= Layer::Liver.bit();
        }
        let labels = &study.labels.bits;
        let merged = Edit::from_xor(&grid, region, |idx, p| before[local(p)] ^ labels[idx]);
        (merged, gap.len())
    }
}
