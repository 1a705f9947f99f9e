//! Slice images for display: a plane of the CT through window/level, with the label
//! layers blended on top (filled or as contours), in radiological convention.
//! UI-free: the app turns the RGBA buffer into a texture; reports embed it as an image.
//!
//! Radiological convention: axial and coronal views show the patient's right on the
//! screen's left (as if facing the patient); axial has anterior at the top; coronal
//! and sagittal have superior at the top; sagittal has anterior on the left.

use crate::segmentation::Layer;
use crate::volume::{Geometry, Volume};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Plane {
    Axial,
    Coronal,
    Sagittal,
}

impl Plane {
    pub const ALL: [Plane; 3] = [Plane::Axial, Plane::Coronal, Plane::Sagittal];

    pub fn name(self) -> &'static str {
        match self {
            Plane::Axial => "Axial",
            Plane::Coronal => "Coronal",
            Plane::Sagittal => "Sagittal",
        }
    }

    /// World axis normal to the plane (0 x, 1 y, 2 z).
    fn normal_world(self) -> usize {
        match self {
            Plane::Axial => 2,
            Plane::Coronal => 1,
            Plane::Sagittal => 0,
        }
    }

    /// (world axis shown left-to-right, world axis shown top-to-bottom), with the
    /// world direction that increases towards screen right / screen bottom.
    fn screen_world(self) -> ((usize, bool), (usize, bool)) {
        // (axis, true if +world grows to the right/bottom)
        match self {
            // right = patient left (-x), bottom = posterior (-y)
            Plane::Axial => ((0, false), (1, false)),
            // right = patient left (-x), bottom = inferior (-z)
            Plane::Coronal => ((0, false), (2, false)),
            // right = posterior (-y), bottom = inferior (-z)
            Plane::Sagittal => ((1, false), (2, false)),
        }
    }
}

/// How the voxel axes of a volume map onto one plane's screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaneAxes {
    /// Voxel axis through the slices.
    pub normal: usize,
    /// Voxel axis drawn left to right, and whether it runs backwards on screen.
    pub h: usize,
    pub h_flip: bool,
    /// Voxel axis drawn top to bottom, and whether it runs backwards on screen.
    pub v: usize,
    pub v_flip: bool,
}

impl PlaneAxes {
    pub fn new(g: &Geometry, plane: Plane) -> PlaneAxes {
        let o = g.orientation();
        let (normal, _) = o.axis_for_world(plane.normal_world());
        let ((hw, h_pos), (vw, v_pos)) = plane.screen_world();
        let (h, h_inc) = o.axis_for_world(hw);
        let (v, v_inc) = o.axis_for_world(vw);
        // voxel axis increasing towards +world: flip when screen wants -world
        PlaneAxes {
            normal,
            h,
            h_flip: h_inc != h_pos,
            v,
            v_flip: v_inc != v_pos,
        }
    }

    /// Image size in pixels (one per voxel).
    pub fn size(&self, dims: [usize; 3]) -> [usize; 2] {
        [dims[self.h], dims[self.v]]
    }

    /// Physical size of one pixel (mm) horizontally and vertically.
    pub fn pixel_mm(&self, g: &Geometry) -> [f64; 2] {
        let s = g.spacing();
        [s[self.h], s[self.v]]
    }

    /// Voxel index under an image pixel on a slice.
    pub fn voxel(&self, dims: [usize; 3], slice: usize, x: usize, y: usize) -> [usize; 3] {
        let mut p = [0; 3];
        p[self.normal] = slice;
        p[self.h] = if self.h_flip { dims[self.h] - 1 - x } else { x };
        p[self.v] = if self.v_flip { dims[self.v] - 1 - y } else { y };
        p
    }

    /// Image pixel of a voxel (inverse of `voxel`), ignoring the slice.
    pub fn pixel(&self, dims: [usize; 3], p: [usize; 3]) -> [usize; 2] {
        let x = if self.h_flip {
            dims[self.h] - 1 - p[self.h]
        } else {
            p[self.h]
        };
        let y = if self.v_flip {
            dims[self.v] - 1 - p[self.v]
        } else {
            p[self.v]
        };
        [x, y]
    }
}

/// Window/level in HU.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Window {
    pub width: f64,
    pub level: f64,
}

impl Window {
    pub const LIVER: Window = Window {
        width: 150.0,
        level: 90.0,
    };
    pub const ABDOMEN: Window = Window {
        width: 400.0,
        level: 50.0,
    };
    pub const BONE: Window = Window {
        width: 1800.0,
        level: 400.0,
    };
    pub const LUNG: Window = Window {
        width: 1500.0,
        level: -600.0,
    };
    pub const PRESETS: [(&'static str, Window); 4] = [
        ("Liver", Window::LIVER),
        ("Abdomen", Window::ABDOMEN),
        ("Bone", Window::BONE),
        ("Lung", Window::LUNG),
    ];

    /// Grey level for every possible HU value (65,536 entries).
    pub fn lut(&self) -> Vec<u8> {
        let w = self.width.max(1.0);
        let lo = self.level - w / 2.0;
        (0..=u16::MAX)
            .map(|u| {
                let hu = u as i16 as f64;
                (((hu - lo) / w) * 255.0).round().clamp(0.0, 255.0) as u8
            })
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LayerStyle {
    pub visible: bool,
    pub opacity: f32,
    pub color: [u8; 3],
    /// Draw only the outline on the slice.
    pub contour: bool,
}

impl LayerStyle {
    pub fn default_for(layer: Layer) -> LayerStyle {
        let color = match layer {
            Layer::Liver => [60, 200, 90],
            Layer::Resection => [250, 170, 40],
            Layer::Tumour => [230, 50, 60],
            Layer::Stage1 => [70, 140, 250],
        };
        LayerStyle {
            visible: true,
            opacity: 0.45,
            color,
            contour: false,
        }
    }
}

/// An extra per-voxel highlight drawn above the layers (e.g. trainee disagreement,
/// a grow-from-seeds preview): value 0 = nothing, 1..=3 = palette entries.
pub struct Highlight<'a> {
    pub data: &'a [u8],
    /// Colour of value v at `palette[v - 1]` (values beyond it are not drawn).
    pub palette: &'a [[u8; 4]],
}

/// Colour of the 10 mm margin ring drawn around each tumour (value 1 of its highlight).
pub const MARGIN_RING_PALETTE: [[u8; 4]; 3] = [[255, 240, 80, 230], [0; 4], [0; 4]];

/// The margin ring (from `volumetry::margins::margin_ring`) as a slice highlight.
pub fn margin_ring_highlight(ring: &[u8]) -> Highlight<'_> {
    Highlight {
        data: ring,
        palette: &MARGIN_RING_PALETTE,
    }
}

/// Render one slice into `out` (RGBA, width x height from `PlaneAxes::size`).
#[allow(clippy::too_many_arguments)]
pub fn render_slice(
    ct: &Volume<i16>,
    bits: Option<&[u8]>,
    axes: PlaneAxes,
    slice: usize,
    lut: &[u8],
    styles: &[(Layer, LayerStyle)],
    highlight: Option<&Highlight>,
    out: &mut Vec<u8>,
) {
    let dims = ct.dims();
    let [w, h] = axes.size(dims);
    let slice = slice.min(dims[axes.normal].saturating_sub(1));
    out.clear();
    out.resize(w * h * 4, 255);
    let walk = SliceWalk::new(dims, axes, slice);
    // One pass gathers the slice (HU -> grey, and the label bytes) in screen order, so the
    // overlay passes below read a small contiguous buffer even for strided planes.
    let mut slice_bits = if bits.is_some() {
        vec![0u8; w * h]
    } else {
        Vec::new()
    };
    let gather = Gather {
        hu: ct.as_slice(),
        lut,
        bits,
        walk: &walk,
    };
    gather.slice(out, &mut slice_bits, w);
    if bits.is_some() {
        blend_layers(out, &slice_bits, [w, h], styles);
    }
    if let Some(hl) = highlight {
        blend_highlight(out, hl, [w, h], &walk);
    }
}

/// Where screen pixel (x, y) of a slice lies in the volume's voxel array.
struct SliceWalk {
    /// Index of pixel (0, 0), and the steps for one pixel right and one down.
    origin: isize,
    dh: isize,
    dv: isize,
}

impl SliceWalk {
    /// The walk over slice `slice` of a volume of `dims` seen along `axes`.
    fn new(dims: [usize; 3], axes: PlaneAxes, slice: usize) -> SliceWalk {
        let stride = [1usize, dims[0], dims[0] * dims[1]];
        let base = slice * stride[axes.normal];
        let (sh, sv) = (stride[axes.h] as isize, stride[axes.v] as isize);
        let start_h = if axes.h_flip {
            (dims[axes.h] as isize - 1) * sh
        } else {
            0
        };
        let start_v = if axes.v_flip {
            (dims[axes.v] as isize - 1) * sv
        } else {
            0
        };
        SliceWalk {
            origin: base as isize + start_h + start_v,
            dh: if axes.h_flip { -sh } else { sh },
            dv: if axes.v_flip { -sv } else { sv },
        }
    }

    /// The voxel index of screen pixel (x, y).
    #[inline]
    fn index(&self, x: usize, y: usize) -> usize {
        (self.origin + self.dh * x as isize + self.dv * y as isize) as usize
    }
}

/// The grey levels and label bytes of one slice, read in screen order.
struct Gather<'a> {
    hu: &'a [i16],
    lut: &'a [u8],
    bits: Option<&'a [u8]>,
    walk: &'a SliceWalk,
}

impl Gather<'_> {
    /// Fill `out` (RGBA rows of `w` pixels) with grey and `slice_bits` with the label
    /// bytes. Rows in parallel: a sagittal or coronal slice reads one cache line per
    /// voxel, and the cores share those misses.
    fn slice(&self, out: &mut [u8], slice_bits: &mut [u8], w: usize) {
        use rayon::prelude::*;
        if self.bits.is_some() {
            out.par_chunks_mut(w * 4)
                .zip(slice_bits.par_chunks_mut(w))
                .enumerate()
                .with_min_len(16)
                .for_each(|(y, (row, brow))| self.row(y, row, Some(brow)));
        } else {
            out.par_chunks_mut(w * 4)
                .enumerate()
                .with_min_len(16)
                .for_each(|(y, row)| self.row(y, row, None));
        }
    }

    /// Screen row `y`: grey into `row`, label bytes into `brow` (when there are labels).
    #[inline]
    fn row(&self, y: usize, row: &mut [u8], brow: Option<&mut [u8]>) {
        let (hu, lut, dh) = (self.hu, self.lut, self.walk.dh);
        let mut idx = self.walk.index(0, y) as isize;
        match (self.bits, brow) {
            (Some(b), Some(brow)) => {
                for (px, sb) in row.chunks_exact_mut(4).zip(brow.iter_mut()) {
                    let g = lut[hu[idx as usize] as u16 as usize];
                    px[0] = g;
                    px[1] = g;
                    px[2] = g;
                    *sb = b[idx as usize];
                    idx += dh;
                }
            }
            _ => {
                for px in row.chunks_exact_mut(4) {
                    let g = lut[hu[idx as usize] as u16 as usize];
                    px[0] = g;
                    px[1] = g;
                    px[2] = g;
                    idx += dh;
                }
            }
        }
    }
}

/// Blend the visible layers over the grey slice `out` (`[w, h]` pixels; `sb` its
/// label bytes). One pass over the slice for all layers (a pixel no visible layer
/// covers costs one test, however many layers there are), rows in parallel. Per
/// pixel the layers blend in `styles` order, as separate passes per layer would.
fn blend_layers(out: &mut [u8], sb: &[u8], [w, h]: [usize; 2], styles: &[(Layer, LayerStyle)]) {
    let visible: Vec<(u8, LayerStyle, u32)> = styles
        .iter()
        .filter(|(_, s)| s.visible && s.opacity > 0.0)
        .map(|&(l, s)| (l.bit(), s, (s.opacity.clamp(0.0, 1.0) * 256.0) as u32))
        .collect();
    let any = visible.iter().fold(0u8, |m, &(b, _, _)| m | b);
    if any == 0 {
        return;
    }
    use rayon::prelude::*;
    out.par_chunks_mut(w * 4)
        .enumerate()
        .with_min_len(16)
        .for_each(|(y, row)| {
            for x in 0..w {
                let v = sb[y * w + x];
                if v & any == 0 {
                    continue;
                }
                for &(b, style, a) in &visible {
                    if v & b == 0 {
                        continue;
                    }
                    if style.contour {
                        let has = |x: usize, y: usize| sb[y * w + x] & b != 0;
                        let edge = x == 0
                            || y == 0
                            || x + 1 == w
                            || y + 1 == h
                            || !has(x - 1, y)
                            || !has(x + 1, y)
                            || !has(x, y - 1)
                            || !has(x, y + 1);
                        if !edge {
                            continue;
                        }
                    }
                    let px = &mut row[x * 4..x * 4 + 3];
                    let alpha = if style.contour { 256 } else { a };
                    for c in 0..3 {
                        px[c] = ((px[c] as u32 * (256 - alpha) + style.color[c] as u32 * alpha)
                            >> 8) as u8;
                    }
                }
            }
        });
}

/// Blend the highlight's palette colours over `out` (`[w, h]` pixels).
fn blend_highlight(out: &mut [u8], hl: &Highlight, [w, h]: [usize; 2], walk: &SliceWalk) {
    for y in 0..h {
        for x in 0..w {
            let v = hl.data[walk.index(x, y)];
            let Some(&c) = (v as usize).checked_sub(1).and_then(|i| hl.palette.get(i)) else {
                continue;
            };
            let a = c[3] as u32;
            let px = &mut out[(y * w + x) * 4..(y * w + x) * 4 + 3];
            for k in 0..3 {
                px[k] = ((px[k] as u32 * (255 - a) + c[k] as u32 * a) / 255) as u8;
            }
        }
    }
}

/// Histogram of HU values in `bin` HU wide bins from `lo` to `hi`.
pub fn hu_histogram(hu: &[i16], lo: i16, hi: i16, bin: i16) -> Vec<(f64, u64)> {
    let bin = bin.max(1) as i32;
    let n = ((hi as i32 - lo as i32) / bin + 1) as usize;
    let mut counts = vec![0u64; n];
    for &v in hu {
        let v = v as i32;
        if v >= lo as i32 && v <= hi as i32 {
            counts[((v - lo as i32) / bin) as usize] += 1;
        }
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, c)| ((lo as i32 + i as i32 * bin) as f64 + bin as f64 / 2.0, c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An LPS and an RAS file of the same patient with a marker on the patient's
    /// left: both must show the marker on the screen's right in axial and coronal.
    #[test]
    fn marker_on_the_patients_left_is_on_screen_right_for_ras_and_lps() {
        let dims = [20, 10, 6];
        for lps in [false, true] {
            let mut g = Geometry::axis_aligned(dims, [1.0, 1.0, 1.0], [0.0; 3]);
            if lps {
                g.affine[0][0] = -1.0;
                g.affine[1][1] = -1.0;
            }
            let mut data = vec![0i16; 1200];
            // voxel i where world x is most negative... patient's left is +x in LPS, -x in RAS
            let left_i = if lps { 19 } else { 0 };
            for k in 0..6 {
                for j in 0..10 {
                    data[left_i + 20 * (j + 10 * k)] = 1000;
                }
            }
            let ct = Volume::new(data, g.clone()).unwrap();
            let lut = Window {
                width: 2.0,
                level: 500.0,
            }
            .lut();
            for plane in [Plane::Axial, Plane::Coronal] {
                let ax = PlaneAxes::new(&g, plane);
                let mut out = Vec::new();
                render_slice(&ct, None, ax, 2, &lut, &[], None, &mut out);
                let [w, _] = ax.size(dims);
                assert_eq!(w, 20);
                assert_eq!(
                    out[(w - 1) * 4],
                    255,
                    "{plane:?} lps={lps}: marker at screen right"
                );
                assert_eq!(
                    out[0], 0,
                    "{plane:?} lps={lps}: screen left is the patient's right"
                );
            }
        }
    }

    #[test]
    fn pixel_and_voxel_are_inverse() {
        let mut g = Geometry::axis_aligned([7, 5, 3], [1.0; 3], [0.0; 3]);
        g.affine[1][1] = -2.0;
        for plane in Plane::ALL {
            let ax = PlaneAxes::new(&g, plane);
            let [w, h] = ax.size(g.dims);
            for y in 0..h {
                for x in 0..w {
                    let v = ax.voxel(g.dims, 1.min(g.dims[ax.normal] - 1), x, y);
                    assert_eq!(ax.pixel(g.dims, v), [x, y]);
                }
            }
        }
    }

    /// Overlays on a known slice: a filled layer blends its colour at its opacity, a
    /// contour layer paints only its edge pixels at full strength, hidden layers and
    /// pixels without a visible layer keep the grey, and layers blend in list order.
    #[test]
    fn overlays_blend_filled_and_contour_layers_in_order() {
        let dims = [7, 7, 1];
        let g = Geometry::axis_aligned(dims, [1.0; 3], [0.0; 3]);
        let ct = Volume::new(vec![0i16; 49], g.clone()).unwrap();
        // Grey 0 everywhere (window far above 0 HU).
        let lut = Window {
            width: 2.0,
            level: 500.0,
        }
        .lut();
        let liver = Layer::Liver.bit();
        let tumour = Layer::Tumour.bit();
        let stage1 = Layer::Stage1.bit();
        let mut bits = vec![0u8; 49];
        for j in 1..6 {
            for i in 1..6 {
                bits[i + 7 * j] |= liver;
            }
        }
        for j in 2..5 {
            for i in 2..5 {
                bits[i + 7 * j] |= tumour | stage1;
            }
        }
        let mut tstyle = LayerStyle::default_for(Layer::Tumour);
        tstyle.contour = true;
        let mut hidden = LayerStyle::default_for(Layer::Stage1);
        hidden.visible = false;
        let lstyle = LayerStyle::default_for(Layer::Liver);
        let styles = [
            (Layer::Liver, lstyle),
            (Layer::Tumour, tstyle),
            (Layer::Stage1, hidden),
        ];
        let ax = PlaneAxes::new(&g, Plane::Axial);
        let mut out = Vec::new();
        render_slice(&ct, Some(&bits), ax, 0, &lut, &styles, None, &mut out);
        let [w, h] = ax.size(dims);
        assert_eq!([w, h], [7, 7]);
        let a = (lstyle.opacity * 256.0) as u32;
        let filled: Vec<u8> = (0..3)
            .map(|c| ((lstyle.color[c] as u32 * a) >> 8) as u8)
            .collect();
        // The screen may flip rows; count pixels by colour instead of by position.
        let mut grey = 0;
        let mut liver_only = 0;
        let mut edge = 0;
        for px in out.chunks_exact(4) {
            if px[..3] == [0, 0, 0] {
                grey += 1;
            } else if px[..3] == filled[..] {
                liver_only += 1;
            } else if px[..3] == tstyle.color {
                edge += 1;
            } else {
                panic!("unexpected colour {:?}", &px[..3]);
            }
        }
        // 49 - 25 liver pixels are grey; the 3 x 3 tumour has 8 edge pixels (contour at
        // full strength over the liver's blend) and its centre shows the liver blend.
        assert_eq!(grey, 24);
        assert_eq!(edge, 8);
        assert_eq!(liver_only, 25 - 8);
    }
}
