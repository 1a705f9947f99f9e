//! The set of surfaces the 3-D view and the PDF snapshot show, rebuilt layer by
//! layer: a cheap fingerprint of each layer's voxels tells which layer changed since
//! the last build, and only those are meshed again.

use super::{MaskBox, Mesh, MeshError, MeshLayer, MeshOptions};
use crate::render::LayerStyle;
use crate::segmentation::Layer;
use crate::task::Task;
use crate::volume::Geometry;
use rayon::prelude::*;
use std::sync::Arc;

/// One surface of the scene.
#[derive(Debug, Clone)]
pub struct SceneLayer {
    pub layer: MeshLayer,
    pub mesh: Arc<Mesh>,
    /// Voxel fingerprint the mesh was made from.
    pub fingerprint: u64,
    /// A lighter surface of the same voxels drawn while the camera moves (made only with
    /// a `moving` budget, and only when `mesh` has more triangles than it).
    pub moving: Option<Arc<Mesh>>,
    /// Changes whenever the mesh is rebuilt (GPU buffers are uploaded again then).
    pub generation: u64,
    /// Seconds the meshing took.
    pub seconds: f64,
}

/// A fingerprint per `MeshLayer::ALL` entry: voxel count and an order-free hash of the
/// selected voxels' indices (equal fingerprints: same voxels, barring a 2^-64 collision).
pub fn fingerprints(bits: &[u8]) -> [u64; 4] {
    const CHUNK: usize = 1 << 20;
    bits.par_chunks(CHUNK)
        .enumerate()
        .map(|(c, chunk)| {
            let mut h = [0u64; 4];
            let base = (c * CHUNK) as u64;
            for (i, &b) in chunk.iter().enumerate() {
                if b == 0 {
                    continue;
                }
                let x = (base + i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                let x = (x ^ (x >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                for (k, l) in MeshLayer::ALL.iter().enumerate() {
                    if l.selects(b) {
                        h[k] = h[k].wrapping_add(x ^ (x >> 32)).wrapping_add(1 << 48);
                    }
                }
            }
            h
        })
        .reduce(
            || [0u64; 4],
            |a, b| std::array::from_fn(|k| a[k].wrapping_add(b[k])),
        )
}

/// Colour and opacity of a surface: the layer colours of the slice views, the
/// resection translucent so the tumours in it show.
pub fn surface_style(layer: MeshLayer) -> ([u8; 3], f32) {
    match layer {
        MeshLayer::Liver | MeshLayer::Remnant => (LayerStyle::default_for(Layer::Liver).color, 1.0),
        MeshLayer::Resection => (LayerStyle::default_for(Layer::Resection).color, 0.5),
        MeshLayer::Tumour => (LayerStyle::default_for(Layer::Tumour).color, 1.0),
    }
}

/// The layers shown: the remnant, the resection and tumours once a resection is
/// traced; the whole liver and tumours before.
pub fn shown_layers(fp: &[u64; 4]) -> Vec<MeshLayer> {
    let has = |l: MeshLayer| fp[MeshLayer::ALL.iter().position(|&x| x == l).unwrap_or(0)] != 0;
    let wanted: &[MeshLayer] = if has(MeshLayer::Resection) {
        &[MeshLayer::Remnant, MeshLayer::Resection, MeshLayer::Tumour]
    } else {
        &[MeshLayer::Liver, MeshLayer::Tumour]
    };
    wanted.iter().copied().filter(|&l| has(l)).collect()
}

/// Rebuild the scene for `bits`, reusing every layer of `prev` whose voxels did not change.
/// `moving`: also make each layer's lighter surface for a moving camera with these options
/// (`MeshOptions::moving`) when the surface made with `opts` is heavier.
pub fn update_scene(
    prev: &[SceneLayer],
    bits: &[u8],
    g: &Geometry,
    opts: &MeshOptions,
    moving: Option<&MeshOptions>,
    task: Task,
) -> Result<Vec<SceneLayer>, MeshError> {
    let fp = fingerprints(bits);
    let layers = shown_layers(&fp);
    let mut out = Vec::with_capacity(layers.len());
    let next_gen = prev.iter().map(|l| l.generation).max().unwrap_or(0) + 1;
    for (n, layer) in layers.iter().enumerate() {
        let f = fp[MeshLayer::ALL.iter().position(|l| l == layer).unwrap_or(0)];
        if let Some(old) = prev
            .iter()
            .find(|p| p.layer == *layer && p.fingerprint == f)
        {
            out.push(old.clone());
            continue;
        }
        if task.cancelled() {
            return Err(MeshError::Cancelled);
        }
        let t0 = std::time::Instant::now();
        // the label map is scanned once for both levels of detail
        let mask = MaskBox::of_layer(bits, g, *layer, Task::none())?;
        let (mesh, light) = match moving {
            None => (mask.into_mesh(g, opts, Task::none())?, None),
            Some(m) => {
                let mesh = mask.mesh(g, opts, Task::none())?;
                let heavier = m.max_triangles.is_some_and(|b| mesh.triangles.len() > b);
                let light = if heavier {
                    Some(Arc::new(mask.into_mesh(g, m, Task::none())?))
                } else {
                    None
                };
                (mesh, light)
            }
        };
        out.push(SceneLayer {
            layer: *layer,
            mesh: Arc::new(mesh),
            moving: light,
            fingerprint: f,
            generation: next_gen + n as u64,
            seconds: t0.elapsed().as_secs_f64(),
        });
        task.report((n + 1) as f32 / layers.len() as f32);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segmentation::Layer;

    #[test]
    fn only_the_changed_layer_is_meshed_again() {
        let (_ct, mut map) = crate::phantom::make();
        let g = map.geometry.clone();
        let opts = MeshOptions::default();
        let first = update_scene(&[], &map.bits, &g, &opts, None, Task::none()).unwrap();
        let names: Vec<_> = first.iter().map(|l| l.layer).collect();
        assert_eq!(
            names,
            [MeshLayer::Remnant, MeshLayer::Resection, MeshLayer::Tumour]
        );
        // grow tumour B (in the remnant) by one voxel column: remnant and tumour change
        let (t, l) = (Layer::Tumour.bit(), Layer::Liver.bit());
        map.bits[g.index(74, 40, 20)] = l | t;
        let second = update_scene(&first, &map.bits, &g, &opts, None, Task::none()).unwrap();
        let same = |a: &SceneLayer, b: &SceneLayer| Arc::ptr_eq(&a.mesh, &b.mesh);
        assert!(same(&first[1], &second[1]), "the resection did not change");
        assert!(!same(&first[0], &second[0]));
        assert!(!same(&first[2], &second[2]));
        assert!(second[2].generation > first[2].generation);
        // nothing changed: everything reused
        let third = update_scene(&second, &map.bits, &g, &opts, None, Task::none()).unwrap();
        assert!(third.iter().zip(&second).all(|(a, b)| same(a, b)));
        // without a resection the whole liver is one surface
        for b in &mut map.bits {
            *b &= !Layer::Resection.bit();
        }
        let fourth = update_scene(&third, &map.bits, &g, &opts, None, Task::none()).unwrap();
        let names: Vec<_> = fourth.iter().map(|l| l.layer).collect();
        assert_eq!(names, [MeshLayer::Liver, MeshLayer::Tumour]);
        assert!(same(&fourth[1], &third[2]), "tumour unchanged");
        assert!(fourth.iter().all(|l| l.moving.is_none()), "none asked for");
    }

    #[test]
    fn a_lighter_surface_only_where_the_full_one_is_heavier_than_its_budget() {
        let (_ct, map) = crate::phantom::make();
        let g = map.geometry.clone();
        let opts = MeshOptions::default();
        let full = update_scene(&[], &map.bits, &g, &opts, None, Task::none()).unwrap();
        // a budget between the tumour's and the remnant's triangle counts
        let tris: Vec<usize> = full.iter().map(|l| l.mesh.triangles.len()).collect();
        let budget = (tris[0] / 3).max(tris[2] + 1);
        assert!(budget < tris[0], "{tris:?}");
        let light = MeshOptions {
            max_triangles: Some(budget),
            ..opts
        };
        let scene = update_scene(&[], &map.bits, &g, &opts, Some(&light), Task::none()).unwrap();
        for (l, n) in scene.iter().zip(&tris) {
            assert_eq!(l.mesh.triangles.len(), *n, "the full surface is unchanged");
            match &l.moving {
                Some(m) => {
                    assert!(*n > budget && m.triangles.len() < *n / 2, "{:?}", l.layer);
                    assert!(m.edge_report().watertight());
                }
                None => assert!(*n <= budget, "{:?}: {n} triangles", l.layer),
            }
        }
        assert!(scene[0].moving.is_some() && scene[2].moving.is_none());
    }
}
