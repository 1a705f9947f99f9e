//! Turning a series' image headers into one volume's grid: check the images can
//! be stacked, sort them along the normal of ImageOrientationPatient by
//! ImagePositionPatient, take the slice spacing from the positions, and build
//! the affine. Nothing here reads pixels.

use super::affine::{StackAxes, ras_affine};
use super::attrs::tag_label;
use super::header::ImageHeader;
use super::spacing::plan_spacing;
use super::stack_checks::{
    Placed, check_line, check_same_plane_and_size, drop_duplicates, tilt_warning,
};
use super::vec3::{cross, dot, scale, sub, unit};
use dicom_dictionary_std::tags;

/// What fills one output slice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Plane {
    /// The pixels of `headers[i]`.
    Image(usize),
    /// A missing slice: `(1 - t) * plane[lower] + t * plane[upper]` (grid indices).
    Interpolated { lower: usize, upper: usize, t: f64 },
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
}

/// Plan a volume from a series' headers, or say why it cannot be one volume.
pub fn plan_stack(headers: &[ImageHeader]) -> Result<StackPlan, String> {
    if headers.is_empty() {
        return Err("the series has no images".into());
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
    let (grid_index, grid_len, slice_step) = if order.len() == 1 {
        let (step, why) = single_slice_step(&placed[order[0]]);
        warnings.push(format!(
            "only one slice: a 1-slice volume; its thickness ({step} mm) is taken from {why}"
        ));
        (vec![0], 1, scale(normal, step))
    } else {
        let d: Vec<f64> = order.iter().map(|&i| along(i)).collect();
        let labels: Vec<String> = order.iter().map(|&i| placed[i].label()).collect();
        let plan = plan_spacing(&d, &labels)?;
        warnings.extend(plan.warnings);
        let last = placed[order[order.len() - 1]].position;
        let span = (plan.grid_len - 1) as f64;
        let step = scale(sub(last, origin), 1.0 / span);
        (plan.grid_index, plan.grid_len, step)
    };
    if order.len() > 1 {
        check_line(&placed, &order, &grid_index, origin, slice_step, normal)?;
        warnings.extend(tilt_warning(slice_step, normal));
    }

    let axes = StackAxes {
        row_dir,
        col_dir,
        col_spacing: first.spacing[1],
        row_spacing: first.spacing[0],
        slice_step,
        origin,
    };
    Ok(StackPlan {
        dims: [first.cols as usize, first.rows as usize, grid_len],
        affine: ras_affine(&axes),
        planes: planes(&order, &grid_index, grid_len, |i| placed[i].header),
        warnings,
    })
}

/// Every image with the three attributes that place it; refuse naming the tag.
fn placed_slices(headers: &[ImageHeader]) -> Result<Vec<Placed<'_>>, String> {
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
            return Err(format!(
                "{name} {} is missing or invalid in {count} of {} images (e.g. {}): \
                 the slices cannot be placed in the patient",
                tag_label(tag),
                headers.len(),
                h.path.display()
            ));
        }
        if let (Some(position), Some(o), Some(spacing)) =
            (h.position, h.orientation, h.pixel_spacing)
        {
            if !(spacing[0] > 0.0 && spacing[1] > 0.0) {
                return Err(format!(
                    "PixelSpacing {} is not positive in {}",
                    tag_label(tags::PIXEL_SPACING),
                    h.path.display()
                ));
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

fn bad_orientation() -> String {
    format!(
        "ImageOrientationPatient {} is not two perpendicular directions",
        tag_label(tags::IMAGE_ORIENTATION_PATIENT)
    )
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

/// The plane list: images at their grid index, interpolation in the gaps.
fn planes(
    order: &[usize],
    grid_index: &[usize],
    grid_len: usize,
    header_of: impl Fn(usize) -> usize,
) -> Vec<Plane> {
    let mut planes = Vec::with_capacity(grid_len);
    for (s, &k) in grid_index.iter().enumerate() {
        if s > 0 {
            let lower = grid_index[s - 1];
            for g in lower + 1..k {
                let t = (g - lower) as f64 / (k - lower) as f64;
                planes.push(Plane::Interpolated { lower, upper: k, t });
            }
        }
        planes.push(Plane::Image(header_of(order[s])));
    }
    planes
}
