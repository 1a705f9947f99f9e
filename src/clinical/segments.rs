//! The sentences shown with Couinaud segments and resection options (app, CLI, PDF).

/// Shown wherever a segment volume is: the landmark planes approximate the portal
/// territories.
pub const SEGMENTS_CAVEAT: &str = "Segments are drawn from landmark planes, which approximate the portal territories (Fischer et al., J Comput Assist Tomogr 2002: hemilivers agree well, single segments can be off by 10-25 %); each segment volume is an estimate.";

/// How segment 1 is drawn.
pub const CAUDATE_RULE: &str = "Segment 1 (caudate) is Remnant's own rule: the liver in a box in the frame of the IVC axis between the IVC and the portal bifurcation, up to the hepatic vein confluence, after the caudate's borders described by Couinaud 1957 and Bismuth 1982; check it on the images.";

/// The segment method and terminology, for the report.
pub const SEGMENTS_SOURCE: &str = "Couinaud segments by the landmark-plane method (Couinaud 1957; Bismuth 1982; plane version as in Fischer et al., J Comput Assist Tomogr 2002); hepatectomy names from the Brisbane 2000 terminology (Strasberg, HPB 2000).";

/// What an option table row's margin column says.
pub fn option_margin_text(
    closest_mm: Option<f64>,
    over_1cm: Option<bool>,
    clears_all: bool,
) -> String {
    if !clears_all {
        return "leaves tumour".into();
    }
    match (closest_mm, over_1cm) {
        (None, _) => "> 30 mm".into(),
        (Some(d), Some(true)) => format!("{d:.0} mm (> 1 cm)"),
        (Some(d), Some(false)) => format!("{d:.0} mm (< 1 cm)"),
        (Some(d), None) => format!("{d:.0} mm (1 cm within one voxel)"),
    }
}

/// The line under the options table naming the tumours an option leaves.
pub fn tumours_left_text(label: &str, ids: &[usize]) -> String {
    let names: Vec<String> = ids.iter().map(|i| format!("#{i}")).collect();
    format!("{label} leaves tumour {} in the remnant", names.join(", "))
}
