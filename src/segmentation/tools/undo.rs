//! Undo records: each edit stores the bounding box of the changed voxels and the
//! XOR (old ^ new) of the label bytes over that box, run-length encoded.
//! Applying the XOR once redoes, applying it again undoes.

use super::geom::Bbox;
use super::grid::Grid;
use super::rules::EditCtx;
use rayon::prelude::*;
use std::collections::VecDeque;

/// One reversible change of the label map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    dims: [usize; 3],
    bbox: Bbox,
    /// (LEB128 run length, xor byte) pairs covering `bbox` in grid order.
    runs: Vec<u8>,
    changed: usize,
}

impl Edit {
    /// An edit that changes nothing.
    pub fn empty(grid: &Grid) -> Edit {
        Edit {
            dims: grid.dims,
            bbox: Bbox::default(),
            runs: Vec::new(),
            changed: 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.changed == 0
    }

    /// Bounding box of the changed voxels.
    pub fn bbox(&self) -> Bbox {
        self.bbox
    }

    /// Number of voxels whose byte changes.
    pub fn changed_voxels(&self) -> usize {
        self.changed
    }

    /// Heap + inline size of the record.
    pub fn memory_bytes(&self) -> usize {
        std::mem::size_of::<Edit>() + self.runs.capacity()
    }

    /// Record `xor(idx)` (0 = unchanged) over `region`; the box stored is the tight
    /// box of the non-zero values. Nothing is applied.
    pub fn from_xor(
        grid: &Grid,
        region: Bbox,
        xor: impl Fn(usize, [usize; 3]) -> u8 + Sync,
    ) -> Edit {
        let r = region.clamp(grid);
        if grid.has_no_voxels() || r.is_empty() {
            return Edit::empty(grid);
        }
        let tight = (r.lo[2]..r.hi[2])
            .into_par_iter()
            .map(|k| {
                let mut b = Bbox::default();
                for j in r.lo[1]..r.hi[1] {
                    let base = grid.flat(0, j, k);
                    let f = (r.lo[0]..r.hi[0]).find(|&i| xor(base + i, [i, j, k]) != 0);
                    if let Some(f) = f {
                        let l = (f..r.hi[0]).rev().find(|&i| xor(base + i, [i, j, k]) != 0);
                        let l = l.unwrap_or(f);
                        b = b.union(&Bbox {
                            lo: [f, j, k],
                            hi: [l + 1, j + 1, k + 1],
                        });
                    }
                }
                b
            })
            .reduce(Bbox::default, |a, b| a.union(&b));
        if tight.is_empty() {
            return Edit::empty(grid);
        }
        let parts: Vec<(Vec<u8>, usize)> = (tight.lo[2]..tight.hi[2])
            .into_par_iter()
            .map(|k| {
                let mut enc = RunEncoder::default();
                for j in tight.lo[1]..tight.hi[1] {
                    let base = grid.flat(0, j, k);
                    for i in tight.lo[0]..tight.hi[0] {
                        enc.push(xor(base + i, [i, j, k]));
                    }
                }
                enc.finish()
            })
            .collect();
        let mut runs = Vec::with_capacity(parts.iter().map(|p| p.0.len()).sum());
        let mut changed = 0;
        for (p, c) in parts {
            runs.extend_from_slice(&p);
            changed += c;
        }
        runs.shrink_to_fit();
        Edit {
            dims: grid.dims,
            bbox: tight,
            runs,
            changed,
        }
    }

    /// XOR the record into `labels`. Returns false (and changes nothing) when the
    /// buffer does not match the grid the edit was made for.
    pub fn apply(&self, labels: &mut [u8]) -> bool {
        let g = Grid {
            dims: self.dims,
            spacing: [1.0; 3],
        };
        if self.changed == 0 {
            return g.n_voxels() == labels.len();
        }
        if !g.fits(labels.len()) {
            return false;
        }
        let size = self.bbox.size();
        let (bx, by) = (size[0].max(1), size[1].max(1));
        let mut pos = 0usize;
        let mut rd = 0usize;
        while let Some((len, val)) = read_run(&self.runs, &mut rd) {
            if val != 0 {
                let end = pos.saturating_add(len);
                let mut p = pos;
                while p < end {
                    let i = p % bx;
                    let row = p / bx;
                    let (j, k) = (row % by, row / by);
                    let n = (bx - i).min(end - p);
                    let base = g.flat(
                        self.bbox.lo[0] + i,
                        self.bbox.lo[1] + j,
                        self.bbox.lo[2] + k,
                    );
                    if let Some(row) = labels.get_mut(base..base + n) {
                        row.iter_mut().for_each(|v| *v ^= val);
                    }
                    p += n;
                }
            }
            pos += len;
        }
        true
    }
}

#[derive(Default)]
struct RunEncoder {
    out: Vec<u8>,
    val: u8,
    len: usize,
    changed: usize,
}

impl RunEncoder {
    #[inline]
    fn push(&mut self, v: u8) {
        if v != 0 {
            self.changed += 1;
        }
        if v == self.val || self.len == 0 {
            self.val = v;
            self.len += 1;
        } else {
            self.flush();
            self.val = v;
            self.len = 1;
        }
    }

    fn flush(&mut self) {
        if self.len > 0 {
            let mut n = self.len;
            loop {
                let b = (n & 0x7f) as u8;
                n >>= 7;
                if n == 0 {
                    self.out.push(b);
                    break;
                }
                self.out.push(b | 0x80);
            }
            self.out.push(self.val);
        }
        self.len = 0;
    }

    fn finish(mut self) -> (Vec<u8>, usize) {
        self.flush();
        (self.out, self.changed)
    }
}

fn read_run(buf: &[u8], rd: &mut usize) -> Option<(usize, u8)> {
    let mut n = 0usize;
    let mut shift = 0u32;
    loop {
        let b = *buf.get(*rd)?;
        *rd += 1;
        n |= ((b & 0x7f) as usize) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
        if shift >= usize::BITS {
            return None;
        }
    }
    let v = *buf.get(*rd)?;
    *rd += 1;
    Some((n, v))
}

/// Edit turning `before` into `after` (equal lengths matching the grid, else empty).
pub fn diff(before: &[u8], after: &[u8], grid: &Grid) -> Edit {
    if !grid.fits(before.len()) || before.len() != after.len() {
        return Edit::empty(grid);
    }
    Edit::from_xor(grid, grid.full_box(), |i, _| before[i] ^ after[i])
}

/// Set/clear the context's layer bit inside `region`: `want(idx, [i, j, k])` returns
/// `Some(true)` to set (only where the rules allow), `Some(false)` to clear, `None`
/// to leave. Applies the change and returns its record.
pub fn write_layer(
    ctx: &EditCtx,
    labels: &mut [u8],
    region: Bbox,
    want: impl Fn(usize, [usize; 3]) -> Option<bool> + Sync,
) -> Edit {
    if !ctx.fits(labels) {
        return Edit::empty(ctx.grid);
    }
    let bit = ctx.layer.bit();
    let edit = {
        let l: &[u8] = labels;
        Edit::from_xor(ctx.grid, region, |idx, p| {
            let cur = l[idx];
            match want(idx, p) {
                Some(true) if cur & bit == 0 && ctx.may_set(idx, cur) => bit,
                Some(false) if cur & bit != 0 => bit,
                _ => 0,
            }
        })
    };
    edit.apply(labels);
    edit
}

/// One step of the history: a change of the label map, or a marker standing for a
/// change the owner keeps itself (e.g. landmarks moved), so that undo walks every
/// kind of change in the order it was made.
#[derive(Debug)]
enum Step {
    Labels(Edit),
    Marker(u64),
}

impl Step {
    fn memory_bytes(&self) -> usize {
        match self {
            Step::Labels(e) => e.memory_bytes(),
            Step::Marker(_) => std::mem::size_of::<Step>(),
        }
    }

    /// Apply a label step to `labels` (its own inverse); a marker applies to nothing.
    fn apply(&self, labels: &mut [u8]) -> bool {
        match self {
            Step::Labels(e) => e.apply(labels),
            Step::Marker(_) => true,
        }
    }

    fn undone(&self) -> Undone {
        match self {
            Step::Labels(_) => Undone::Labels,
            Step::Marker(id) => Undone::Marker(*id),
        }
    }
}

/// What one undo (or redo) took back (or did again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undone {
    /// A change of the label map (applied to the labels given).
    Labels,
    /// The marker pushed with [`UndoStack::push_marker`]: its owner restores the change.
    Marker(u64),
}

/// Bounded history of edits (oldest dropped first).
#[derive(Debug)]
pub struct UndoStack {
    undo: VecDeque<Step>,
    redo: Vec<Step>,
    max_steps: usize,
    budget: usize,
}

impl Default for UndoStack {
    fn default() -> Self {
        UndoStack::new()
    }
}

impl UndoStack {
    /// 100 steps, 256 MiB.
    pub fn new() -> Self {
        UndoStack::with_limits(100, 256 << 20)
    }

    /// At most `max_steps` (>= 1) edits and `budget_bytes`; the newest edit is always
    /// kept even when it alone exceeds the budget.
    pub fn with_limits(max_steps: usize, budget_bytes: usize) -> Self {
        UndoStack {
            undo: VecDeque::new(),
            redo: Vec::new(),
            max_steps: max_steps.max(1),
            budget: budget_bytes,
        }
    }

    /// Record an applied edit (empty edits are ignored); clears the redo list.
    pub fn push(&mut self, edit: Edit) {
        if edit.is_empty() {
            return;
        }
        self.push_step(Step::Labels(edit));
    }

    /// Record a change its owner keeps (identified by `id`) as one step; clears the
    /// redo list.
    pub fn push_marker(&mut self, id: u64) {
        self.push_step(Step::Marker(id));
    }

    fn push_step(&mut self, step: Step) {
        self.redo.clear();
        self.undo.push_back(step);
        while self.undo.len() > self.max_steps
            || (self.undo.len() > 1 && self.memory_bytes() > self.budget)
        {
            self.undo.pop_front();
        }
    }

    /// Revert the newest edit; false when there is none or `labels` does not fit.
    pub fn undo(&mut self, labels: &mut [u8]) -> bool {
        self.undo_step(labels).is_some()
    }

    /// Revert the newest step: what it was, or None when there is none or `labels`
    /// does not fit.
    pub fn undo_step(&mut self, labels: &mut [u8]) -> Option<Undone> {
        let e = self.undo.pop_back()?;
        if e.apply(labels) {
            let u = e.undone();
            self.redo.push(e);
            Some(u)
        } else {
            self.undo.push_back(e);
            None
        }
    }

    /// Re-apply the last undone edit.
    pub fn redo(&mut self, labels: &mut [u8]) -> bool {
        self.redo_step(labels).is_some()
    }

    /// Re-apply the last undone step: what it was, or None.
    pub fn redo_step(&mut self, labels: &mut [u8]) -> Option<Undone> {
        let e = self.redo.pop()?;
        if e.apply(labels) {
            let u = e.undone();
            self.undo.push_back(e);
            Some(u)
        } else {
            self.redo.push(e);
            None
        }
    }

    /// Forget the newest undone edit (a change taken back that must not be redone).
    pub fn forget_redo(&mut self) {
        self.redo.pop();
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Number of undoable steps.
    pub fn len(&self) -> usize {
        self.undo.len()
    }

    pub fn is_empty(&self) -> bool {
        self.undo.is_empty()
    }

    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }

    /// Bytes held by all undo and redo records.
    pub fn memory_bytes(&self) -> usize {
        self.undo
            .iter()
            .chain(self.redo.iter())
            .map(Step::memory_bytes)
            .sum()
    }
}
