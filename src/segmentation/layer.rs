//! The traced structures. Each is one bit of a voxel's label byte, so they overlap
//! freely: the resection is drawn over the liver and tumours inside it.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Layer {
    /// The whole liver outline (bit 0).
    Liver,
    /// The part planned for resection (bit 1); counts only inside the liver.
    Resection,
    /// Tumours (bit 2); always part of the whole liver.
    Tumour,
    /// Two-stage hepatectomy: the liver removed at the first stage (bit 3), e.g. wedge
    /// resections that clear the future remnant of tumour. The Resection layer is then
    /// the second-stage (major) resection. Empty for a one-stage plan.
    Stage1,
}

impl Layer {
    pub const ALL: [Layer; 4] = [Layer::Liver, Layer::Resection, Layer::Tumour, Layer::Stage1];

    pub fn bit(self) -> u8 {
        match self {
            Layer::Liver => 1,
            Layer::Resection => 2,
            Layer::Tumour => 4,
            Layer::Stage1 => 8,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Layer::Liver => "Liver",
            Layer::Resection => "Resection",
            Layer::Tumour => "Tumour",
            Layer::Stage1 => "Stage-1 resection",
        }
    }

    pub fn parse(s: &str) -> Option<Layer> {
        match s.to_ascii_lowercase().as_str() {
            "liver" => Some(Layer::Liver),
            "resection" | "resected" => Some(Layer::Resection),
            "tumour" | "tumor" => Some(Layer::Tumour),
            "stage1" | "stage-1" | "stage1-resection" | "stage-1 resection" => Some(Layer::Stage1),
            _ => None,
        }
    }
}
