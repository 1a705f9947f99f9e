//! NIfTI-1 writer (.nii, or .nii.gz when the name ends in .gz), saved atomically.
//! When the voxels come from a NIfTI file, its qform/sform fields are written back
//! unchanged so every reader computes the very same affine for both files.

use super::header::{DataType, SpatialFields, linear_to_quatern};
use crate::fsutil::{AtomicWriteError, atomic_write_with};
use crate::volume::geometry::Geometry;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Scalar types Remnant writes.
pub trait NiftiScalar: bytemuck::Pod {
    const TYPE: DataType;
}
impl NiftiScalar for u8 {
    const TYPE: DataType = DataType::U8;
}
impl NiftiScalar for i16 {
    const TYPE: DataType = DataType::I16;
}
impl NiftiScalar for f32 {
    const TYPE: DataType = DataType::F32;
}

/// Spatial header fields for a geometry: the stored ones when given, else built
/// from the affine (sform exact, qform the nearest rotation).
fn spatial_for(g: &Geometry, stored: Option<&SpatialFields>) -> SpatialFields {
    if let Some(s) = stored {
        return s.clone();
    }
    let lin = g.linear();
    let sp = g.spacing();
    let (q, qfac) = linear_to_quatern(&lin);
    let a = &g.affine;
    SpatialFields {
        qform_code: 1,
        sform_code: 1,
        quatern: q,
        qoffset: g.origin(),
        pixdim: [qfac, sp[0], sp[1], sp[2]],
        srow: [a[0], a[1], a[2]],
        xyzt_units: 2,
    }
}

fn header_bytes(
    dt: DataType,
    g: &Geometry,
    s: &SpatialFields,
    descrip: &str,
    cal: (f64, f64),
) -> Vec<u8> {
    let mut h = vec![0u8; 352];
    let put_i16 =
        |h: &mut Vec<u8>, off: usize, v: i16| h[off..off + 2].copy_from_slice(&v.to_le_bytes());
    let put_f32 = |h: &mut Vec<u8>, off: usize, v: f64| {
        h[off..off + 4].copy_from_slice(&(v as f32).to_le_bytes())
    };
    h[0..4].copy_from_slice(&348i32.to_le_bytes());
    h[38] = b'r';
    put_i16(&mut h, 40, 3);
    for a in 0..3 {
        put_i16(&mut h, 42 + 2 * a, g.dims[a].min(i16::MAX as usize) as i16);
    }
    for a in 3..7 {
        put_i16(&mut h, 42 + 2 * a, 1);
    }
    put_i16(&mut h, 70, dt.code());
    put_i16(&mut h, 72, (dt.size() * 8) as i16);
    put_f32(&mut h, 76, if s.pixdim[0] < 0.0 { -1.0 } else { 1.0 });
    for a in 0..3 {
        put_f32(&mut h, 80 + 4 * a, s.pixdim[a + 1]);
    }
    for a in 3..7 {
        put_f32(&mut h, 80 + 4 * a, 1.0);
    }
    put_f32(&mut h, 108, 352.0);
    put_f32(&mut h, 112, 1.0); // scl_slope
    put_f32(&mut h, 116, 0.0); // scl_inter
    h[123] = (s.xyzt_units & 0x07) as u8 | 8; // spatial unit as stored, seconds
    put_f32(&mut h, 124, cal.1);
    put_f32(&mut h, 128, cal.0);
    let d = descrip.as_bytes();
    let dl = d.len().min(79);
    h[148..148 + dl].copy_from_slice(&d[..dl]);
    put_i16(&mut h, 252, s.qform_code as i16);
    put_i16(&mut h, 254, s.sform_code as i16);
    for (i, v) in s.quatern.iter().chain(s.qoffset.iter()).enumerate() {
        put_f32(&mut h, 256 + 4 * i, *v);
    }
    for r in 0..3 {
        for c in 0..4 {
            put_f32(&mut h, 280 + 16 * r + 4 * c, s.srow[r][c]);
        }
    }
    h[344..348].copy_from_slice(b"n+1\0");
    h
}

/// Write voxels (NIfTI order) with a geometry. `stored` = the CT's own header fields.
pub fn write_volume<T: NiftiScalar>(
    path: &Path,
    data: &[T],
    geometry: &Geometry,
    stored: Option<&SpatialFields>,
    descrip: &str,
) -> Result<(), AtomicWriteError> {
    let invalid = |msg: &str| AtomicWriteError {
        path: path.to_path_buf(),
        step: "checking the volume",
        source: io::Error::new(io::ErrorKind::InvalidInput, msg.to_string()),
    };
    if data.len() != geometry.voxel_count() {
        return Err(invalid("voxel count does not match the grid"));
    }
    if geometry.dims.iter().any(|&d| d > i16::MAX as usize) {
        return Err(invalid(
            "a dimension exceeds 32767 voxels, the NIfTI-1 limit",
        ));
    }
    let s = spatial_for(geometry, stored);
    let hdr = header_bytes(T::TYPE, geometry, &s, descrip, (0.0, 0.0));
    let bytes: &[u8] = bytemuck::cast_slice(data);
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    atomic_write_with(path, |file| {
        let mut w = BufWriter::with_capacity(1 << 20, file);
        if gz {
            let mut enc = GzEncoder::new(&mut w, Compression::new(3));
            enc.write_all(&hdr)?;
            enc.write_all(bytes)?;
            enc.finish()?;
        } else {
            w.write_all(&hdr)?;
            w.write_all(bytes)?;
        }
        w.flush()
    })
}
