//! Surface nets (Gibson 1998, "Constrained elastic surface nets") on binary label bits:
//! one vertex per grid cell whose 8 voxel centres are not all inside or all outside,
//! placed at the mean of the cell's crossing-edge midpoints, and one quad per voxel
//! pair (6-neighbours) with one inside and one outside, joining the 4 cells around it.
//! The result is closed; a 2x2 "checkerboard" of voxels in one plane (two voxels
//! touching along an edge only) would make an edge shared by four quads, so such
//! squares are first closed by filling one voxel of the mesh's own copy of the mask
//! (the label map and every volume are untouched).

use super::smooth::{fix_volume, quad_volume, taubin};
use super::{Mesh, MeshError, MeshLayer};
use crate::task::Task;
use crate::volume::Geometry;
use rayon::prelude::*;

/// Smoothing settings. The defaults are light: stair steps of one voxel go, shapes stay.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeshOptions {
    /// Taubin lambda/mu pairs (0 = the raw surface nets mesh).
    pub smooth_iterations: usize,
    pub lambda: f32,
    pub mu: f32,
    /// After smoothing, move every vertex along its normal so the enclosed volume
    /// equals the unsmoothed mesh's again.
    pub keep_volume: bool,
    /// A triangle budget for display: when the full-resolution surface would have more
    /// triangles, it is made on a coarser grid (blocks of 2 to 8 voxels per in-plane
    /// axis, a block inside when at least half its voxels are). `None` (export, tests):
    /// always the full grid.
    pub max_triangles: Option<usize>,
}

/// Triangles per surface the 3-D view draws at most (about; see `MeshOptions::display`):
/// Mesa's software renderer (llvmpipe, 2 cores) draws about 4 million triangles a second.
pub const DISPLAY_TRIANGLES: usize = 60_000;

/// Triangles per surface drawn while the camera moves (the 3-D view's level of detail
/// for turning, zooming and dragging: VTK's "interactive update rate" idea); the
/// `DISPLAY_TRIANGLES` surface comes back as soon as the view is still.
pub const MOVING_TRIANGLES: usize = 6_000;

impl MeshOptions {
    /// The 3-D view's and the PDF snapshot's surfaces: the default smoothing on a grid
    /// coarse enough for about `DISPLAY_TRIANGLES` triangles (export keeps the full grid).
    pub fn display() -> MeshOptions {
        MeshOptions {
            max_triangles: Some(DISPLAY_TRIANGLES),
            ..MeshOptions::default()
        }
    }

    /// The lighter surface drawn while the 3-D view's camera moves (`MOVING_TRIANGLES`).
    pub fn moving() -> MeshOptions {
        MeshOptions {
            max_triangles: Some(MOVING_TRIANGLES),
            ..MeshOptions::default()
        }
    }
}

impl Default for MeshOptions {
    fn default() -> Self {
        // Taubin 1995: lambda > 0, mu < -lambda, pass band k_PB = 1/lambda + 1/mu ~ 0.1
        MeshOptions {
            smooth_iterations: 10,
            lambda: 0.5,
            mu: -0.53,
            keep_volume: true,
            max_triangles: None,
        }
    }
}

const NONE: u32 = u32::MAX;

/// Mesh one layer of a label map (`bits`, one byte per voxel on `g`).
pub fn mesh_layer(
    bits: &[u8],
    g: &Geometry,
    layer: MeshLayer,
    opts: &MeshOptions,
    task: Task,
) -> Result<Mesh, MeshError> {
    MaskBox::of_layer(bits, g, layer, task)?.into_mesh(g, opts, task)
}

/// Mesh the voxels for which `select(byte)` holds.
pub fn mesh_mask(
    bits: &[u8],
    g: &Geometry,
    select: &(dyn Fn(u8) -> bool + Sync),
    opts: &MeshOptions,
    task: Task,
) -> Result<Mesh, MeshError> {
    MaskBox::of(bits, g, select, task)?.into_mesh(g, opts, task)
}

/// The selected voxels on their bounding box, padded by one empty voxel on every side
/// (so the surface closes), as 0/1 bytes: what each level of detail of one surface is
/// made from, so the label map is scanned once for all of them.
pub struct MaskBox {
    m: Vec<u8>,
    dims: [usize; 3],
    /// Voxel index of the box's first (unpadded) voxel.
    lo: [usize; 3],
    /// Determinant of the affine's 3 x 3 (its sign says whether the grid is mirrored).
    det: f64,
}

impl MaskBox {
    /// The box of one layer.
    pub fn of_layer(
        bits: &[u8],
        g: &Geometry,
        layer: MeshLayer,
        task: Task,
    ) -> Result<MaskBox, MeshError> {
        MaskBox::of(bits, g, &|b| layer.selects(b), task).map_err(|e| match e {
            MeshError::Empty(_) => MeshError::Empty(layer.name()),
            e => e,
        })
    }

    /// The box of the voxels for which `select(byte)` holds.
    pub fn of(
        bits: &[u8],
        g: &Geometry,
        select: &(dyn Fn(u8) -> bool + Sync),
        task: Task,
    ) -> Result<MaskBox, MeshError> {
        if bits.len() != g.voxel_count() {
            return Err(MeshError::SizeMismatch {
                got: bits.len(),
                want: g.voxel_count(),
            });
        }
        let det = crate::volume::geometry::det3(&g.linear());
        if det == 0.0 || !det.is_finite() {
            return Err(MeshError::SingularAffine);
        }
        let Some((lo, hi)) = bounding_box(bits, g.dims, select) else {
            return Err(MeshError::Empty("selected"));
        };
        task.report(0.1);
        // the box padded by one empty voxel on every side, so the surface closes
        let n = [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1];
        let (x, y, z) = (n[0] + 2, n[1] + 2, n[2] + 2);
        let mut m = vec![0u8; x * y * z];
        let [gx, gy, _] = g.dims;
        m.par_chunks_mut(x * y)
            .enumerate()
            .skip(1)
            .take(n[2])
            .for_each(|(lk, slab)| {
                let k = lk - 1 + lo[2];
                for lj in 1..=n[1] {
                    let j = lj - 1 + lo[1];
                    let src = &bits[lo[0] + gx * (j + gy * k)..][..n[0]];
                    let dst = &mut slab[1 + x * lj..][..n[0]];
                    for (d, &s) in dst.iter_mut().zip(src) {
                        *d = select(s) as u8;
                    }
                }
            });
        if task.cancelled() {
            return Err(MeshError::Cancelled);
        }
        Ok(MaskBox {
            m,
            dims: [x, y, z],
            lo,
            det,
        })
    }

    /// Mesh it with `opts`, keeping the box for another level of detail.
    pub fn mesh(&self, g: &Geometry, opts: &MeshOptions, task: Task) -> Result<Mesh, MeshError> {
        let f = self.factor(g, opts);
        let (m, d) = if f == [1; 3] {
            (self.m.clone(), self.dims)
        } else {
            coarsen(&self.m, self.dims, f)
        };
        mesh_grid(m, d, f, self.lo, self.det, g, opts, task)
    }

    /// Mesh it with `opts` (the box is used up: no copy of it on the full grid).
    pub fn into_mesh(
        self,
        g: &Geometry,
        opts: &MeshOptions,
        task: Task,
    ) -> Result<Mesh, MeshError> {
        let f = self.factor(g, opts);
        let (m, d) = if f == [1; 3] {
            (self.m, self.dims)
        } else {
            coarsen(&self.m, self.dims, f)
        };
        mesh_grid(m, d, f, self.lo, self.det, g, opts, task)
    }

    /// Blocks per axis for `opts`' display budget: the same surface on a coarser grid
    /// when the full one is too big.
    fn factor(&self, g: &Geometry, opts: &MeshOptions) -> [usize; 3] {
        match opts.max_triangles {
            Some(budget) => coarsening(&self.m, self.dims, g, budget),
            None => [1; 3],
        }
    }
}

/// Surface nets, smoothing and the affine on a (possibly coarsened) padded 0/1 grid `m`
/// of dims `d` whose cells are blocks of `f` voxels from voxel `lo`.
#[allow(clippy::too_many_arguments)]
fn mesh_grid(
    mut m: Vec<u8>,
    d: [usize; 3],
    f: [usize; 3],
    lo: [usize; 3],
    det: f64,
    g: &Geometry,
    opts: &MeshOptions,
    task: Task,
) -> Result<Mesh, MeshError> {
    let [x, y, z] = d;
    close_checkerboards(&mut m, [x, y, z]);
    task.report(0.3);
    let (mut verts, quads) = surface_nets(&m, [x, y, z]);
    if task.cancelled() {
        return Err(MeshError::Cancelled);
    }
    task.report(0.6);
    if opts.smooth_iterations > 0 {
        let before = quad_volume(&verts, &quads);
        let adj = super::smooth::Adjacency::from_quads(verts.len(), &quads);
        let iterations = opts.smooth_iterations * anisotropy(g);
        taubin(&mut verts, &adj, iterations, opts.lambda, opts.mu);
        if opts.keep_volume {
            fix_volume(&mut verts, &quads, before);
        }
    }
    task.report(0.9);
    // local cell coordinates -> voxel index -> patient mm (the full affine); a coarse
    // cell c (padded) is the block of voxels (c - 1) f .. (c - 1) f + f - 1, centre
    // (c - 1) f + (f - 1) / 2
    let scale = f.map(|v| v as f64);
    let off: [f64; 3] = std::array::from_fn(|a| lo[a] as f64 - scale[a] + (scale[a] - 1.0) / 2.0);
    let positions: Vec<[f32; 3]> = verts
        .par_iter()
        .map(|v| {
            let w = g.to_world([
                v[0] as f64 * scale[0] + off[0],
                v[1] as f64 * scale[1] + off[1],
                v[2] as f64 * scale[2] + off[2],
            ]);
            [w[0] as f32, w[1] as f32, w[2] as f32]
        })
        .collect();
    let flip = det < 0.0;
    let mut triangles = Vec::with_capacity(quads.len() * 2);
    for q in &quads {
        let p = q.map(|i| positions[i as usize]);
        let d2 = |a: [f32; 3], b: [f32; 3]| {
            let d = super::sub32(a, b);
            d[0] * d[0] + d[1] * d[1] + d[2] * d[2]
        };
        let (t1, t2) = if d2(p[0], p[2]) <= d2(p[1], p[3]) {
            ([q[0], q[1], q[2]], [q[0], q[2], q[3]])
        } else {
            ([q[0], q[1], q[3]], [q[1], q[2], q[3]])
        };
        for t in [t1, t2] {
            // a mirrored grid (det < 0) turns outward faces inward: swap back
            triangles.push(if flip { [t[0], t[2], t[1]] } else { t });
        }
    }
    task.report(1.0);
    Ok(Mesh {
        positions,
        triangles,
    })
}

/// Voxel faces between inside and outside in a 0/1 array (each makes one quad, two
/// triangles, of the surface).
fn boundary_faces(m: &[u8], d: [usize; 3]) -> usize {
    let [x, y, _] = d;
    let sz = x * y;
    m.par_chunks(sz)
        .enumerate()
        .map(|(k, slab)| {
            let mut n = 0usize;
            let next = m.get((k + 1) * sz..(k + 2) * sz);
            for (p, &v) in slab.iter().enumerate() {
                let i = p % x;
                if i + 1 < x && slab[p + 1] != v {
                    n += 1;
                }
                if p + x < sz && slab[p + x] != v {
                    n += 1;
                }
                if let Some(nx) = next
                    && nx[p] != v
                {
                    n += 1;
                }
            }
            n
        })
        .sum()
}

/// Block sizes per axis for a surface of about `budget` triangles: 1 when the full grid
/// fits; otherwise blocks about 2 to 8 of the finest voxel steps long, so an axis
/// much coarser than that (the 3 mm slices of a 0.7 mm scan) keeps single voxels.
fn coarsening(m: &[u8], d: [usize; 3], g: &Geometry, budget: usize) -> [usize; 3] {
    let triangles = 2 * boundary_faces(m, d);
    if triangles <= budget {
        return [1; 3];
    }
    let s = g.spacing();
    let finest = s.iter().cloned().fold(f64::MAX, f64::min);
    let mut best = [1; 3];
    for f in 2..=8usize {
        // blocks about f finest voxels long: a much coarser axis keeps single voxels
        let len = f as f64 * finest;
        let fa: [usize; 3] = std::array::from_fn(|a| ((len / s[a]).round() as usize).clamp(1, f));
        best = fa;
        // faces shrink with the square of the block edge: (fx fy fz)^(2/3)
        let shrink = ((fa[0] * fa[1] * fa[2]) as f64).powf(2.0 / 3.0);
        if triangles as f64 / shrink <= budget as f64 {
            break;
        }
    }
    best
}

/// The padded 0/1 array on blocks of `f` voxels (padded again): a block is inside when
/// at least half of its voxels are.
fn coarsen(m: &[u8], d: [usize; 3], f: [usize; 3]) -> (Vec<u8>, [usize; 3]) {
    let [x, y, _] = d;
    let inner = [d[0] - 2, d[1] - 2, d[2] - 2];
    let n: [usize; 3] = std::array::from_fn(|a| inner[a].div_ceil(f[a]));
    let c = [n[0] + 2, n[1] + 2, n[2] + 2];
    let mut out = vec![0u8; c[0] * c[1] * c[2]];
    out.par_chunks_mut(c[0] * c[1])
        .enumerate()
        .skip(1)
        .take(n[2])
        .for_each(|(ck, slab)| {
            let k0 = (ck - 1) * f[2];
            let k1 = (k0 + f[2]).min(inner[2]);
            for cj in 1..=n[1] {
                let j0 = (cj - 1) * f[1];
                let j1 = (j0 + f[1]).min(inner[1]);
                for ci in 1..=n[0] {
                    let i0 = (ci - 1) * f[0];
                    let i1 = (i0 + f[0]).min(inner[0]);
                    let (mut inside, mut all) = (0usize, 0usize);
                    for k in k0..k1 {
                        for j in j0..j1 {
                            let base = x * (j + 1 + y * (k + 1)) + 1;
                            for v in &m[base + i0..base + i1] {
                                inside += *v as usize;
                            }
                            all += i1 - i0;
                        }
                    }
                    slab[ci + c[0] * cj] = (2 * inside >= all && inside > 0) as u8;
                }
            }
        });
    (out, c)
}

/// How many in-plane voxels one step of the coarsest axis spans (1 on isotropic
/// grids): a 3 mm slice over 0.7 mm pixels leaves terraces ~4 voxels wide, which take
/// that many times the smoothing of a one-voxel stair step.
fn anisotropy(g: &Geometry) -> usize {
    let s = g.spacing();
    let (lo, hi) = (
        s.iter().cloned().fold(f64::MAX, f64::min),
        s.iter().cloned().fold(0.0, f64::max),
    );
    if lo > 0.0 {
        (hi / lo).round().clamp(1.0, 8.0) as usize
    } else {
        1
    }
}

/// Smallest box (inclusive voxel indices) holding every selected voxel.
pub(crate) fn bounding_box(
    bits: &[u8],
    dims: [usize; 3],
    select: &(dyn Fn(u8) -> bool + Sync),
) -> Option<([usize; 3], [usize; 3])> {
    let [nx, ny, _] = dims;
    bits.par_chunks(nx * ny)
        .enumerate()
        .filter_map(|(k, slab)| {
            let (mut lo, mut hi) = ([usize::MAX; 2], [0usize; 2]);
            let mut any = false;
            for (j, row) in slab.chunks_exact(nx).enumerate() {
                let first = row.iter().position(|&b| b != 0 && select(b));
                let Some(first) = first else { continue };
                let last = row
                    .iter()
                    .rposition(|&b| b != 0 && select(b))
                    .unwrap_or(first);
                any = true;
                lo[0] = lo[0].min(first);
                hi[0] = hi[0].max(last);
                lo[1] = lo[1].min(j);
                hi[1] = hi[1].max(j);
            }
            any.then_some(([lo[0], lo[1], k], [hi[0], hi[1], k]))
        })
        .reduce_with(|a, b| {
            (
                [a.0[0].min(b.0[0]), a.0[1].min(b.0[1]), a.0[2].min(b.0[2])],
                [a.1[0].max(b.1[0]), a.1[1].max(b.1[1]), a.1[2].max(b.1[2])],
            )
        })
}

/// Fill one voxel of every 2x2 square (in any axis plane) whose two inside voxels
/// touch only diagonally, until none is left (filling can make a new one nearby).
fn close_checkerboards(m: &mut [u8], d: [usize; 3]) {
    let [x, y, z] = d;
    let strides = [1, x, x * y];
    for _pass in 0..64 {
        let mut changed = 0usize;
        for (u, v) in [(0usize, 1usize), (1, 2), (0, 2)] {
            let (su, sv) = (strides[u], strides[v]);
            // every square's low corner p stays inside the array with p + su + sv
            for k in 0..z - (v == 2 || u == 2) as usize {
                for j in 0..y - (v == 1 || u == 1) as usize {
                    let row = x * (j + y * k);
                    for i in 0..x - (u == 0) as usize {
                        let p = row + i;
                        let a = m[p];
                        let b = m[p + su];
                        if a == b {
                            continue;
                        }
                        let c = m[p + sv];
                        let dd = m[p + su + sv];
                        if a == dd && b == c {
                            // fill an outside voxel of the square
                            if a == 0 {
                                m[p] = 1;
                            } else {
                                m[p + su] = 1;
                            }
                            changed += 1;
                        }
                    }
                }
            }
        }
        if changed == 0 {
            return;
        }
    }
}

/// Vertex offset inside a cell for each 8-corner inside/outside pattern (corner bit
/// dx + 2 dy + 4 dz): the mean of the midpoints of the edges that cross the surface.
fn offsets() -> [[f32; 3]; 256] {
    let mut t = [[0.5f32; 3]; 256];
    for (mask, o) in t.iter_mut().enumerate() {
        let mut sum = [0.0f32; 3];
        let mut n = 0;
        for c0 in 0..8usize {
            for axis in 0..3 {
                let bit = 1 << axis;
                if c0 & bit != 0 {
                    continue;
                }
                let c1 = c0 | bit;
                if (mask >> c0) & 1 != (mask >> c1) & 1 {
                    for a in 0..3 {
                        let p0 = ((c0 >> a) & 1) as f32;
                        let p1 = ((c1 >> a) & 1) as f32;
                        sum[a] += 0.5 * (p0 + p1);
                    }
                    n += 1;
                }
            }
        }
        if n > 0 {
            *o = sum.map(|s| s / n as f32);
        }
    }
    t
}

/// Vertices (local cell coordinates: voxel centre (i, j, k) of the padded array is at
/// (i, j, k)) and outward quads of a 0/1 array with an empty border.
fn surface_nets(m: &[u8], d: [usize; 3]) -> (Vec<[f32; 3]>, Vec<[u32; 4]>) {
    let [x, y, z] = d;
    let (sy, sz) = (x, x * y);
    let (cx, cy) = (x - 1, y - 1);
    let table = offsets();
    let mut prev = vec![NONE; cx * cy];
    let mut cur = vec![NONE; cx * cy];
    let mut verts: Vec<[f32; 3]> = Vec::new();
    let mut quads: Vec<[u32; 4]> = Vec::new();
    for k in 0..z - 1 {
        for j in 0..y - 1 {
            for i in 0..x - 1 {
                let p = i + sy * j + sz * k;
                let ci = i + cx * j;
                let mask = m[p] as usize
                    | (m[p + 1] as usize) << 1
                    | (m[p + sy] as usize) << 2
                    | (m[p + sy + 1] as usize) << 3
                    | (m[p + sz] as usize) << 4
                    | (m[p + sz + 1] as usize) << 5
                    | (m[p + sz + sy] as usize) << 6
                    | (m[p + sz + sy + 1] as usize) << 7;
                if mask == 0 || mask == 255 {
                    cur[ci] = NONE;
                    continue;
                }
                let o = table[mask];
                cur[ci] = verts.len() as u32;
                verts.push([i as f32 + o[0], j as f32 + o[1], k as f32 + o[2]]);
                let inside = mask & 1 == 1;
                // x-edge (p, p+x): cells c, c-y, c-z, c-y-z; CCW about +x
                if j > 0 && k > 0 && (mask & 1) != (mask >> 1) & 1 {
                    let q = [prev[ci], cur[ci], cur[ci - cx], prev[ci - cx]];
                    quads.push(orient(q, inside));
                }
                // y-edge (p, p+y): CCW about +y
                if i > 0 && k > 0 && (mask & 1) != (mask >> 2) & 1 {
                    let q = [cur[ci - 1], cur[ci], prev[ci], prev[ci - 1]];
                    quads.push(orient(q, inside));
                }
                // z-edge (p, p+z): CCW about +z
                if i > 0 && j > 0 && (mask & 1) != (mask >> 4) & 1 {
                    let q = [cur[ci - cx], cur[ci], cur[ci - 1], cur[ci - 1 - cx]];
                    quads.push(orient(q, inside));
                }
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (verts, quads)
}

/// The quad as listed faces +axis; keep it when the inside voxel is the lower one.
#[inline]
fn orient(q: [u32; 4], inside_low: bool) -> [u32; 4] {
    debug_assert!(q.iter().all(|&v| v != NONE));
    if inside_low {
        q
    } else {
        [q[3], q[2], q[1], q[0]]
    }
}
