//! The label map: one byte per voxel on the CT's grid, one bit per layer.
//!
//! Interchange format (a NIfTI uint8 label map with the CT's exact affine, read by
//! 3D Slicer, ITK-SNAP and nibabel):
//!
//! | value | meaning |
//! |---|---|
//! | 0 | not liver |
//! | 1 | remnant liver (liver kept, tumour-free) |
//! | 2 | resected liver (tumour-free) |
//! | 3 | tumour inside the resection |
//! | 4 | tumour left in the remnant (e.g. for ablation) |
//! | 5 | liver resected at the first stage of a two-stage hepatectomy (tumour-free) |
//! | 6 | tumour resected at the first stage |
//!
//! Values 1-6 add up to the whole liver, so resected + remnant + tumour = total by
//! construction. Values 5 and 6 appear only in two-stage plans (the Stage-1 resection
//! layer); a one-stage plan writes 0-4 exactly as before, and every older label map
//! loads unchanged. In a two-stage plan, 2 and 3 are the second-stage resection, and a
//! voxel traced in both resections is written as stage 1 (it is removed first). Resection traced outside the liver is not part of the liver and is
//! not exported (it is kept in Remnant's own bit-exact format used by autosave).

use super::layer::Layer;
use crate::volume::Geometry;

pub const LABEL_REMNANT: u8 = 1;
pub const LABEL_RESECTED: u8 = 2;
pub const LABEL_TUMOUR_RESECTED: u8 = 3;
pub const LABEL_TUMOUR_REMNANT: u8 = 4;
pub const LABEL_STAGE1_RESECTED: u8 = 5;
pub const LABEL_TUMOUR_STAGE1: u8 = 6;

/// Text written into the NIfTI `descrip` field of each format.
pub const DESCRIP_LABELS: &str =
    "Remnant labels: 1 remnant 2 resected 3 tumour-resected 4 tumour-remnant 5/6 stage-1";
pub const DESCRIP_BITS: &str = "Remnant layer bits v2: 1 liver 2 resection 4 tumour 8 stage-1";

#[derive(Debug, Clone, PartialEq)]
pub struct LabelMap {
    pub geometry: Geometry,
    /// One byte per voxel, NIfTI order; bits per `Layer::bit`.
    pub bits: Vec<u8>,
}

/// Map one bit pattern to its interchange label.
pub fn label_of(bits: u8) -> u8 {
    let liver = bits & (Layer::Liver.bit() | Layer::Tumour.bit()) != 0;
    let tumour = bits & Layer::Tumour.bit() != 0;
    let resected = bits & Layer::Resection.bit() != 0;
    let stage1 = bits & Layer::Stage1.bit() != 0;
    match (liver, tumour, resected) {
        (false, _, _) => 0,
        (true, true, _) if stage1 => LABEL_TUMOUR_STAGE1,
        (true, false, _) if stage1 => LABEL_STAGE1_RESECTED,
        (true, true, true) => LABEL_TUMOUR_RESECTED,
        (true, true, false) => LABEL_TUMOUR_REMNANT,
        (true, false, true) => LABEL_RESECTED,
        (true, false, false) => LABEL_REMNANT,
    }
}

/// Map an interchange label back to layer bits (None for an unknown value).
pub fn bits_of_label(label: u8) -> Option<u8> {
    let (l, r, t) = (
        Layer::Liver.bit(),
        Layer::Resection.bit(),
        Layer::Tumour.bit(),
    );
    let s1 = Layer::Stage1.bit();
    Some(match label {
        LABEL_STAGE1_RESECTED => l | s1,
        LABEL_TUMOUR_STAGE1 => l | t | s1,
        0 => 0,
        LABEL_REMNANT => l,
        LABEL_RESECTED => l | r,
        LABEL_TUMOUR_RESECTED => l | r | t,
        LABEL_TUMOUR_REMNANT => l | t,
        _ => return None,
    })
}

impl LabelMap {
    pub fn empty(geometry: Geometry) -> Self {
        let n = geometry.voxel_count();
        LabelMap {
            geometry,
            bits: vec![0; n],
        }
    }

    pub fn count(&self, layer: Layer) -> usize {
        let b = layer.bit();
        self.bits.iter().filter(|&&v| v & b != 0).count()
    }

    /// Replace one layer with a 0/1 mask on the same grid.
    pub fn set_layer(&mut self, layer: Layer, mask: &[u8]) {
        let b = layer.bit();
        for (v, &m) in self.bits.iter_mut().zip(mask) {
            // write only what changes: untouched pages of a fresh map stay unallocated
            if m != 0 {
                if *v & b == 0 {
                    *v |= b;
                }
            } else if *v & b != 0 {
                *v &= !b;
            }
        }
    }

    pub fn clear_layer(&mut self, layer: Layer) {
        let b = !layer.bit();
        for v in &mut self.bits {
            *v &= b;
        }
    }

    /// One layer as a 0/1 mask.
    pub fn layer_mask(&self, layer: Layer) -> Vec<u8> {
        let b = layer.bit();
        self.bits.iter().map(|&v| (v & b != 0) as u8).collect()
    }

    /// The interchange label map (see the module documentation).
    pub fn to_labels(&self) -> Vec<u8> {
        self.bits.iter().map(|&b| label_of(b)).collect()
    }

    /// Voxels with layer bits that the interchange format cannot hold
    /// (resection outside the liver).
    pub fn bits_lost_in_labels(&self) -> usize {
        let liver = Layer::Liver.bit() | Layer::Tumour.bit();
        self.bits
            .iter()
            .filter(|&&b| b & liver == 0 && b != 0)
            .count()
    }

    /// Build from an interchange label map; unknown values are an error naming them.
    pub fn from_labels(geometry: Geometry, labels: &[u8]) -> Result<Self, UnknownLabel> {
        let mut bits = Vec::with_capacity(labels.len());
        for (idx, &l) in labels.iter().enumerate() {
            match bits_of_label(l) {
                Some(b) => bits.push(b),
                None => {
                    return Err(UnknownLabel {
                        voxel: idx,
                        label: l,
                    });
                }
            }
        }
        Ok(LabelMap { geometry, bits })
    }
}

/// A label map value that is not one of Remnant's interchange labels.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "voxel {voxel} holds label {label}; Remnant label maps hold 0-6 \
     (to load another tool's mask, import it as a layer instead)"
)]
pub struct UnknownLabel {
    pub voxel: usize,
    pub label: u8,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_every_meaningful_bit_pattern() {
        for label in 0..=6u8 {
            let b = bits_of_label(label).unwrap();
            assert_eq!(label_of(b), label);
        }
        assert_eq!(bits_of_label(7), None);
        // the one-stage labels are what they always were (older maps load unchanged)
        assert_eq!(bits_of_label(2), Some(1 | 2));
        assert_eq!(bits_of_label(4), Some(1 | 4));
        // stage 1 wins where both resections are traced: it is removed first
        let s1 = Layer::Stage1.bit();
        assert_eq!(label_of(1 | 2 | s1), LABEL_STAGE1_RESECTED);
        assert_eq!(label_of(1 | 2 | 4 | s1), LABEL_TUMOUR_STAGE1);
        // a stage-1 resection outside the liver is not liver
        assert_eq!(label_of(s1), 0);
        // tumour traced without the liver bit still counts as liver
        assert_eq!(label_of(Layer::Tumour.bit()), LABEL_TUMOUR_REMNANT);
        // resection outside the liver is not liver
        assert_eq!(label_of(Layer::Resection.bit()), 0);
    }
}
