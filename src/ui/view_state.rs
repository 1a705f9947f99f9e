//! What the viewer shows: cursor, window/level, layout, zoom/pan per plane, layer styles.

use crate::render::{LayerStyle, Plane, Window};
use crate::segmentation::Layer;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Axial, coronal and sagittal side by side.
    Three,
    /// One big plane.
    Single(Plane),
}

#[derive(Debug, Clone)]
pub struct ViewState {
    /// The voxel at the crosshair; each plane shows the slice through it.
    pub cursor: [usize; 3],
    pub window: Window,
    pub layout: Layout,
    /// Zoom factor and pan (points) per plane, in Plane::ALL order.
    pub zoom: [f32; 3],
    pub pan: [egui::Vec2; 3],
    pub styles: Vec<(Layer, LayerStyle)>,
    /// The plane the pointer was last over: keys act on it.
    pub active: Plane,
    /// Voxel and HU under the pointer, for the status bar.
    pub hover: Option<([usize; 3], i16)>,
}

pub fn plane_index(p: Plane) -> usize {
    match p {
        Plane::Axial => 0,
        Plane::Coronal => 1,
        Plane::Sagittal => 2,
    }
}

impl ViewState {
    pub fn new(dims: [usize; 3]) -> ViewState {
        ViewState {
            cursor: [dims[0] / 2, dims[1] / 2, dims[2] / 2],
            window: Window::ABDOMEN,
            layout: Layout::Three,
            zoom: [1.0; 3],
            pan: [egui::Vec2::ZERO; 3],
            styles: Layer::ALL
                .iter()
                .map(|&l| (l, LayerStyle::default_for(l)))
                .collect(),
            active: Plane::Axial,
            hover: None,
        }
    }

    pub fn style_mut(&mut self, layer: Layer) -> &mut LayerStyle {
        let i = Layer::ALL.iter().position(|&l| l == layer).unwrap_or(0);
        &mut self.styles[i].1
    }

    pub fn style(&self, layer: Layer) -> LayerStyle {
        self.styles
            .iter()
            .find(|(l, _)| *l == layer)
            .map(|(_, s)| *s)
            .unwrap_or_else(|| LayerStyle::default_for(layer))
    }

    /// Home: fit every plane, centre the cursor.
    pub fn reset(&mut self, dims: [usize; 3]) {
        let w = self.window;
        let layout = self.layout;
        let styles = self.styles.clone();
        *self = ViewState::new(dims);
        self.window = w;
        self.layout = layout;
        self.styles = styles;
    }
}
