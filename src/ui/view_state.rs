//! What the viewer shows: cursor, window/level, layout, zoom/pan per plane, layer styles.

use crate::render::{LayerStyle, Plane, Window};
use crate::segmentation::Layer;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Axial and 3-D above, coronal and sagittal below (the default).
    FourUp,
    /// Axial, coronal and sagittal side by side.
    Three,
    /// One big plane.
    Single(Plane),
    /// The 3-D view alone.
    ThreeD,
}

/// What fills one cell of the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Plane(Plane),
    ThreeD,
}

/// Keys that switch the layout (also in the View menu and Help > Shortcuts).
pub const KEY_FOUR_UP: egui::Key = egui::Key::F5;
pub const KEY_BIG_PLANE: egui::Key = egui::Key::F6;
pub const KEY_BIG_3D: egui::Key = egui::Key::F7;

impl Layout {
    /// The layout a layout key asks for (`active`: the plane the pointer was last over).
    pub fn for_key(key: egui::Key, active: Plane) -> Option<Layout> {
        match key {
            KEY_FOUR_UP => Some(Layout::FourUp),
            KEY_BIG_PLANE => Some(Layout::Single(active)),
            KEY_BIG_3D => Some(Layout::ThreeD),
            _ => None,
        }
    }

    /// Split `area` into the layout's cells, `gap` points apart; each cell uses all
    /// the space it is given (planes keep their aspect inside it).
    pub fn cells(self, area: egui::Rect, gap: f32) -> Vec<(Cell, egui::Rect)> {
        use egui::{Rect, pos2};
        let (x0, y0, x1, y1) = (area.min.x, area.min.y, area.max.x, area.max.y);
        match self {
            Layout::FourUp => {
                let (xm, ym) = ((x0 + x1) * 0.5, (y0 + y1) * 0.5);
                let h = gap * 0.5;
                vec![
                    (
                        Cell::Plane(Plane::Axial),
                        Rect::from_min_max(pos2(x0, y0), pos2(xm - h, ym - h)),
                    ),
                    (
                        Cell::ThreeD,
                        Rect::from_min_max(pos2(xm + h, y0), pos2(x1, ym - h)),
                    ),
                    (
                        Cell::Plane(Plane::Coronal),
                        Rect::from_min_max(pos2(x0, ym + h), pos2(xm - h, y1)),
                    ),
                    (
                        Cell::Plane(Plane::Sagittal),
                        Rect::from_min_max(pos2(xm + h, ym + h), pos2(x1, y1)),
                    ),
                ]
            }
            Layout::Three => {
                let w = (area.width() - 2.0 * gap) / 3.0;
                Plane::ALL
                    .iter()
                    .enumerate()
                    .map(|(i, &p)| {
                        let l = x0 + i as f32 * (w + gap);
                        (
                            Cell::Plane(p),
                            Rect::from_min_max(pos2(l, y0), pos2(l + w, y1)),
                        )
                    })
                    .collect()
            }
            Layout::Single(p) => vec![(Cell::Plane(p), area)],
            Layout::ThreeD => vec![(Cell::ThreeD, area)],
        }
    }
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
            layout: Layout::FourUp,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_up_splits_the_area_into_four_equal_cells_with_the_3d_view_top_right() {
        let area = egui::Rect::from_min_size(egui::pos2(10.0, 20.0), egui::vec2(1000.0, 800.0));
        let cells = Layout::FourUp.cells(area, 4.0);
        assert_eq!(cells.len(), 4);
        assert_eq!(cells[1].0, Cell::ThreeD);
        for (_, r) in &cells {
            assert!((r.width() - 498.0).abs() < 1e-3 && (r.height() - 398.0).abs() < 1e-3);
            assert!(area.contains_rect(*r));
        }
        assert!(cells[1].1.min.x > cells[0].1.max.x);
        assert_eq!(Layout::ThreeD.cells(area, 4.0), vec![(Cell::ThreeD, area)]);
        assert_eq!(ViewState::new([4, 4, 4]).layout, Layout::FourUp);
        assert_eq!(
            Layout::for_key(KEY_BIG_PLANE, Plane::Coronal),
            Some(Layout::Single(Plane::Coronal))
        );
    }
}
