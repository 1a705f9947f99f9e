//! Turning a series' image headers into one volume's grid: check the images can
//! be stacked, sort them along the normal of ImageOrientationPatient by
//! ImagePositionPatient, take the slice spacing from the positions, and build
//! the affine. Nothing here reads pixels.

use super::affine::{StackAxes, ras_affine};
use super::attrs::tag_label;
use super::error::DicomError;
use super::header::ImageHeader;
use super::spacing::{Sample, SpacingPlan, plan_spacing};
use super::stack_checks::{
    Placed, check_line, check_same_plane_and_size, drop_duplicates, tilt_warning,
};
use super::vec3::{cross, dot, scale, sub, unit};
use dicom_dictionary_std::tags;

/// What fills one output slice.
#[derive(Debug, Clone, PartialEq)]
pub enum Plane {
    /// The pixels of `headers[i]`.
    Image(usize),
    /// `(1 - t) * headers[lower] + t * headers[upper]`: a resampled slice, or
    /// (`filled`) one inside a gap where slices are missing.
    Blend {
        lower: usize,
        upper: usize,
        t: f64,
        filled: bool,
    },
    /// Uneven spacing: each voxel from one of `(headers[i], share)`, chosen by
    /// `spacing::pick(parts, spacing::dither(column, row))`.
    Mix {
        parts: Vec<(usize, f64)>,
        filled: bool,
    },
}

/// The volume to build: its grid, which image goes where, and what to tell the user.
#[derive(Debug, Clone)]
pub struct StackPlan {
    /// [columns, rows, slices].
    pub dims: [usize; 3],
    /// Row-major, voxel index -> RAS+ mm.
    pub affine: [[f64; 4]; 4],
    /// One entry per output slice k.
    pub planes: Vec<Plane>,
    pub warnings: Vec<String>,
    /// Short phrases for the series picker (resampled, gaps, tilt).
    pub notes: Vec<String>,
    /// Output slices filled inside gaps (missing slices).
    pub filled: Vec<usize>,
    /// Whether the images were resampled onto an even grid (uneven spacing).
    pub resampled: bool,
}

/// Plan a volume from a series' headers, or say why it cannot be one volume.
pub fn plan_stack(headers: &[ImageHeader]) -> Result<StackPlan, DicomError> {
    if headers.is_empty() {
        return Err(DicomError::Stack("the series has no images".into()));
    }
    let placed = placed_slices(headers)?;
    let first = &placed[0];
    check_same_plane_and_size(&placed)?;
    let row_dir = unit(first.row_dir).ok_or_else(bad_orientation)?;
    let col_dir = unit(first.col_dir).ok_or_else(bad_orientation)?;
    if dot(row_dir, col_dir).abs() > 1e-2 {
        return Err(bad_orientation());
    }
    let normal = unit(cross(row_dir, col_dir)).ok_or_else(bad_orientation)?;

    let mut order: Vec<usize> = (0..placed.len()).collect();
    let along = |i: usize| dot(placed[i].position, normal);
    order.sort_by(|&a, &b| {
        along(a)
            .total_cmp(&along(b))
            .then_with(|| placed[a].instance_number.cmp(&placed[b].instance_number))
            .then_with(|| placed[a].path.cmp(placed[b].path))
    });
    let mut warnings = Vec::new();
    let order = drop_duplicates(&placed, order, normal, &mut warnings)?;

    let origin = placed[order[0]].position;
    let mut notes = Vec::new();
    let (spacing, slice_step) = if order.len() == 1 {
        let (step, why) = single_slice_step(&placed[order[0]]);
        warnings.push(format!(
            "only one slice: a 1-slice volume; its thickness ({step} mm) is taken from {why}"
        ));
        let one = SpacingPlan {
            samples: vec![Sample::Input(0)],
            step,
            resampled: false,
            warnings: Vec::new(),
            notes: Vec::new(),
        };
        (one, scale(normal, step))
    } else {
        let d: Vec<f64> = order.iter().map(|&i| along(i)).collect();
        let labels: Vec<String> = order.iter().map(|&i| placed[i].label()).collect();
        let plan = plan_spacing(&d, &labels)?;
        // The grid steps along the line of the images (the table direction,
        // off the normal under gantry tilt) by `plan.step` along the normal.
        let last = placed[order[order.len() - 1]].position;
        let span = d[d.len() - 1] - d[0];
        let step = scale(sub(last, origin), plan.step / span);
        let frac: Vec<f64> = d.iter().map(|x| (x - d[0]) / plan.step).collect();
        check_line(&placed, &order, &frac, origin, step, normal)?;
        (plan, step)
    };
    warnings.extend(spacing.warnings.iter().cloned());
    notes.extend(spacing.notes.iter().cloned());
    if order.len() > 1
        && let Some(w) = tilt_warning(slice_step, normal)
    {
        warnings.push(w);
        notes.push("gantry tilt: sheared grid".into());
    }

    let axes = StackAxes {
        row_dir,
        col_dir,
        col_spacing: first.spacing[1],
        row_spacing: first.spacing[0],
        slice_step,
        origin,
    };
    let header_of = |s: usize| placed[order[s]].header;
    let planes = spacing
        .samples
        .iter()
        .map(|sample| match sample {
            Sample::Input(s) => Plane::Image(header_of(*s)),
            Sample::Between { lower, t, filled } => Plane::Blend {
                lower: header_of(*lower),
                upper: header_of(lower + 1),
                t: *t,
                filled: *filled,
            },
            Sample::Mix { parts, filled } => Plane::Mix {
                parts: parts.iter().map(|&(s, w)| (header_of(s), w)).collect(),
                filled: *filled,
            },
        })
        .collect();
    Ok(StackPlan {
        dims: [first.cols as usize, first.rows as usize, spacing.grid_len()],
        affine: ras_affine(&axes),
        planes,
        warnings,
        notes,
        filled: spacing.filled(),
        resampled: spacing.resampled,
    })
}

/// Every image with the three attributes that place it; refuse naming the tag.
fn placed_slices(headers: &[ImageHeader]) -> Result<Vec<Placed<'_>>, DicomError> {
    let mut out = Vec::with_capacity(headers.len());
    for (i, h) in headers.iter().enumerate() {
        let missing = if h.position.is_none() {
            Some(("ImagePositionPatient", tags::IMAGE_POSITION_PATIENT))
        } else if h.orientation.is_none() {
            Some(("ImageOrientationPatient", tags::IMAGE_ORIENTATION_PATIENT))
        } else if h.pixel_spacing.is_none() {
            Some(("PixelSpacing", tags::PIXEL_SPACING))
        } else {
            None
        };
        if let Some((name, tag)) = missing {
            let count = headers
                .iter()
                .filter(|o| match name {
                    "ImagePositionPatient" => o.position.is_none(),
                    "ImageOrientationPatient" => o.orientation.is_none(),
                    _ => o.pixel_spacing.is_none(),
                })
                .count();
            return Err(DicomError::Stack(format!(
                "{name} {} is missing or invalid in {count} of {} images (e.g. {}): \
                 the slices cannot be placed in the patient",
                tag_label(tag),
                headers.len(),
                h.path.display()
            )));
        }
        if let (Some(position), Some(o), Some(spacing)) =
            (h.position, h.orientation, h.pixel_spacing)
        {
            if !(spacing[0] > 0.0 && spacing[1] > 0.0) {
                return Err(DicomError::Stack(format!(
                    "PixelSpacing {} is not positive in {}",
                    tag_label(tags::PIXEL_SPACING),
                    h.path.display()
                )));
            }
            out.push(Placed {
                header: i,
                path: &h.path,
                instance_number: h.instance_number,
                sop_uid: h.sop_instance_uid.as_deref(),
                rows: h.rows,
                cols: h.cols,
                position,
                row_dir: [o[0], o[1], o[2]],
                col_dir: [o[3], o[4], o[5]],
                spacing,
                thickness: h.slice_thickness,
                between: h.spacing_between_slices,
            });
        }
    }
    Ok(out)
}

fn bad_orientation() -> DicomError {
    DicomError::Stack(format!(
        "ImageOrientationPatient {} is not two perpendicular directions",
        tag_label(tags::IMAGE_ORIENTATION_PATIENT)
    ))
}

/// The slice thickness of a lone slice and where it came from.
fn single_slice_step(p: &Placed) -> (f64, &'static str) {
    let ok = |v: Option<f64>| v.filter(|x| x.is_finite() && *x > 0.0);
    if let Some(s) = ok(p.between) {
        (s, "SpacingBetweenSlices")
    } else if let Some(s) = ok(p.thickness) {
        (s, "SliceThickness")
    } else {
        (
            1.0,
            "nothing (neither SliceThickness nor SpacingBetweenSlices is set): 1 mm assumed",
        )
    }
}
