//! The value parsers of the subcommands' flags (`value_parser = values::number`):
//! each error text follows `--flag "value"` in the one-line message `args` prints.
//! Their own module so that `args` (which names every subcommand's flags) and the
//! subcommands (which name these parsers) do not import each other.

use crate::segmentation::Layer;
use crate::volume::nifti::MaskSelect;
use crate::volumetry::LiverCondition;

/// A finite number.
pub fn number(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err("is not a number".into()),
    }
}

/// Three numbers `X,Y,Z` (mm, RAS).
pub fn triple(s: &str) -> Result<[f64; 3], String> {
    let v: Vec<f64> = s.split(',').filter_map(|x| x.trim().parse().ok()).collect();
    match v[..] {
        [x, y, z] if v.iter().all(|c| c.is_finite()) => Ok([x, y, z]),
        _ => Err("must be three numbers X,Y,Z (mm, RAS)".into()),
    }
}

/// Which voxels of a multi-label map count: `N` picks label N.
pub fn label(s: &str) -> Result<MaskSelect, String> {
    s.trim()
        .parse()
        .map(MaskSelect::Label)
        .map_err(|_| "is not a whole number".into())
}

/// `liver`, `resection` or `tumour`.
pub fn layer(s: &str) -> Result<Layer, String> {
    Layer::parse(s).ok_or_else(|| "must be liver, resection, tumour or stage1".into())
}

/// `normal`, `chemo` or `cirrhosis`.
pub fn condition(s: &str) -> Result<LiverCondition, String> {
    LiverCondition::parse(s).ok_or_else(|| "must be normal, chemo or cirrhosis".into())
}
