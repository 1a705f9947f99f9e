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

/// The NIfTI-1 header of a volume Remnant writes, as the `nifti` crate's typed header.
pub fn nifti1_header(
    dt: DataType,
    g: &Geometry,
    s: &SpatialFields,
    descrip: &str,
    cal: (f64, f64),
) -> nifti::NiftiHeader {
    let f = |v: f64| v as f32;
    let mut dim = [1u16; 8];
    dim[0] = 3;
    for a in 0..3 {
        dim[a + 1] = g.dims[a].min(i16::MAX as usize) as u16;
    }
    let mut pixdim = [1f32; 8];
    pixdim[0] = if s.pixdim[0] < 0.0 { -1.0 } else { 1.0 };
    for a in 0..3 {
        pixdim[a + 1] = f(s.pixdim[a + 1]);
    }
    let mut text = descrip.as_bytes()[..descrip.len().min(79)].to_vec();
    text.resize(80, 0);
    let row = |r: [f64; 4]| r.map(f);
    nifti::NiftiHeader {
        sizeof_hdr: 348,
        regular: b'r',
        dim,
        datatype: dt.code(),
        bitpix: (dt.size() * 8) as i16,
        pixdim,
        vox_offset: 352.0,
        scl_slope: 1.0,
        scl_inter: 0.0,
        // spatial unit as stored, seconds
        xyzt_units: (s.xyzt_units & 0x07) as u8 | 8,
        cal_max: f(cal.1),
        cal_min: f(cal.0),
        descrip: text,
        qform_code: s.qform_code as i16,
        sform_code: s.sform_code as i16,
        quatern_b: f(s.quatern[0]),
        quatern_c: f(s.quatern[1]),
        quatern_d: f(s.quatern[2]),
        quatern_x: f(s.qoffset[0]),
        quatern_y: f(s.qoffset[1]),
        quatern_z: f(s.qoffset[2]),
        srow_x: row(s.srow[0]),
        srow_y: row(s.srow[1]),
        srow_z: row(s.srow[2]),
        magic: *b"n+1\0",
        endianness: nifti::Endianness::Little,
        ..nifti::NiftiHeader::default()
    }
}

/// A NIfTI-1 header's 348 bytes and the 4-byte empty extension flag, little-endian.
/// (The crate reads headers but writes them only inside its whole-file writer, from
/// an ndarray and to a path; Remnant writes the voxels it holds, atomically.)
pub fn nifti1_bytes(h: &nifti::NiftiHeader) -> Vec<u8> {
    let mut b = Vec::with_capacity(352);
    let i16s = |b: &mut Vec<u8>, v: &[i16]| v.iter().for_each(|x| b.extend(x.to_le_bytes()));
    let f32s = |b: &mut Vec<u8>, v: &[f32]| v.iter().for_each(|x| b.extend(x.to_le_bytes()));
    b.extend(h.sizeof_hdr.to_le_bytes());
    b.extend(h.data_type);
    b.extend(h.db_name);
    b.extend(h.extents.to_le_bytes());
    i16s(&mut b, &[h.session_error]);
    b.push(h.regular);
    b.push(h.dim_info);
    i16s(&mut b, &h.dim.map(|d| d as i16));
    f32s(&mut b, &[h.intent_p1, h.intent_p2, h.intent_p3]);
    i16s(
        &mut b,
        &[h.intent_code, h.datatype, h.bitpix, h.slice_start],
    );
    f32s(&mut b, &h.pixdim);
    f32s(&mut b, &[h.vox_offset, h.scl_slope, h.scl_inter]);
    i16s(&mut b, &[h.slice_end]);
    b.push(h.slice_code);
    b.push(h.xyzt_units);
    f32s(&mut b, &[h.cal_max, h.cal_min, h.slice_duration, h.toffset]);
    b.extend(h.glmax.to_le_bytes());
    b.extend(h.glmin.to_le_bytes());
    let mut descrip = h.descrip.clone();
    descrip.resize(80, 0);
    b.extend(descrip);
    b.extend(h.aux_file);
    i16s(&mut b, &[h.qform_code, h.sform_code]);
    f32s(
        &mut b,
        &[
            h.quatern_b,
            h.quatern_c,
            h.quatern_d,
            h.quatern_x,
            h.quatern_y,
            h.quatern_z,
        ],
    );
    f32s(&mut b, &h.srow_x);
    f32s(&mut b, &h.srow_y);
    f32s(&mut b, &h.srow_z);
    b.extend(h.intent_name);
    b.extend(h.magic);
    debug_assert_eq!(b.len(), 348);
    b.extend([0u8; 4]); // no extensions
    b
}

fn header_bytes(
    dt: DataType,
    g: &Geometry,
    s: &SpatialFields,
    descrip: &str,
    cal: (f64, f64),
) -> Vec<u8> {
    nifti1_bytes(&nifti1_header(dt, g, s, descrip, cal))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes written for a header read back, through the crate's reader, as the
    /// very header they were made from; and as the bytes Remnant wrote before it used
    /// the crate (a hand-laid header at the NIfTI-1 offsets).
    #[test]
    fn the_header_written_reads_back_through_the_crate() {
        let g = Geometry::axis_aligned([122, 101, 30], [0.8, 0.7, 2.5], [-90.0, 12.5, -30.0]);
        let s = spatial_for(&g, None);
        let h = nifti1_header(DataType::I16, &g, &s, "Remnant test", (-1000.0, 2000.0));
        let b = nifti1_bytes(&h);
        assert_eq!(b.len(), 352);
        let back = nifti::NiftiHeader::from_reader(&b[..]).unwrap();
        assert_eq!(back, h);
        // the NIfTI-1 offsets, checked by hand
        let at_i16 = |o: usize| i16::from_le_bytes([b[o], b[o + 1]]);
        let at_f32 = |o: usize| f32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
        assert_eq!(at_i16(40), 3);
        assert_eq!(at_i16(42), 122);
        assert_eq!(at_i16(70), 4); // int16
        assert_eq!(at_f32(84), 0.7);
        assert_eq!(at_f32(108), 352.0);
        assert_eq!(at_i16(254), 1); // sform_code
        assert_eq!(at_f32(280 + 12), -90.0); // srow_x[3]
        assert_eq!(&b[344..348], b"n+1\0");
        assert_eq!(&b[148..160], b"Remnant test");
        // and Remnant's own reader takes it as the same geometry
        let parsed = super::super::header::parse(&b).unwrap();
        let g2 = parsed.geometry().unwrap();
        for r in 0..3 {
            for c in 0..4 {
                assert!((g2.affine[r][c] - g.affine[r][c]).abs() < 1e-4);
            }
        }
    }
}
