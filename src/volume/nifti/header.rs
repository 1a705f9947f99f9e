//! NIfTI-1 (348-byte) and NIfTI-2 (540-byte) headers: parsing, validation and the
//! choice of affine as the NIfTI standard and nibabel make it (sform if
//! `sform_code > 0`, else qform if `qform_code > 0`, else spacing only).

use super::NiftiError;
use crate::volume::geometry::{AffineSource, Geometry};

/// The largest volume Remnant opens: 2^31 voxels (e.g. 1024 x 1024 x 2048), and at
/// most 16 GiB of stored voxel bytes. A header promising more is refused before any
/// allocation (documented in docs/file-formats.md under "Limits").
pub const MAX_VOXELS: u64 = 1 << 31;
pub const MAX_DATA_BYTES: u64 = 16 << 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataType {
    U8,
    I8,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
    F32,
    F64,
}

impl DataType {
    pub fn from_code(code: i32) -> Option<DataType> {
        Some(match code {
            2 => DataType::U8,
            256 => DataType::I8,
            4 => DataType::I16,
            512 => DataType::U16,
            8 => DataType::I32,
            768 => DataType::U32,
            1024 => DataType::I64,
            1280 => DataType::U64,
            16 => DataType::F32,
            64 => DataType::F64,
            _ => return None,
        })
    }

    pub fn code(self) -> i16 {
        match self {
            DataType::U8 => 2,
            DataType::I8 => 256,
            DataType::I16 => 4,
            DataType::U16 => 512,
            DataType::I32 => 8,
            DataType::U32 => 768,
            DataType::I64 => 1024,
            DataType::U64 => 1280,
            DataType::F32 => 16,
            DataType::F64 => 64,
        }
    }

    pub fn size(self) -> usize {
        match self {
            DataType::U8 | DataType::I8 => 1,
            DataType::I16 | DataType::U16 => 2,
            DataType::I32 | DataType::U32 | DataType::F32 => 4,
            DataType::I64 | DataType::U64 | DataType::F64 => 8,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DataType::U8 => "uint8",
            DataType::I8 => "int8",
            DataType::I16 => "int16",
            DataType::U16 => "uint16",
            DataType::I32 => "int32",
            DataType::U32 => "uint32",
            DataType::I64 => "int64",
            DataType::U64 => "uint64",
            DataType::F32 => "float32",
            DataType::F64 => "float64",
        }
    }
}

fn datatype_name(code: i32) -> &'static str {
    match code {
        0 => "unknown",
        1 => "binary (1 bit)",
        32 => "complex64",
        128 => "RGB24",
        1536 => "float128",
        1792 => "complex128",
        2048 => "complex256",
        2304 => "RGBA32",
        _ => "unrecognised",
    }
}

/// The orientation fields exactly as stored, so a label map can be written with the
/// very same header geometry as its CT (other tools then compute the same affine).
#[derive(Debug, Clone, PartialEq)]
pub struct SpatialFields {
    pub qform_code: i32,
    pub sform_code: i32,
    /// quatern_b, quatern_c, quatern_d
    pub quatern: [f64; 3],
    pub qoffset: [f64; 3],
    /// pixdim[0..4]: qfac, then spacing along i, j, k
    pub pixdim: [f64; 4],
    pub srow: [[f64; 4]; 3],
    pub xyzt_units: i32,
}

#[derive(Debug, Clone)]
pub struct NiftiHeader {
    pub version: u8,
    pub little_endian: bool,
    pub dims: [usize; 3],
    pub datatype: DataType,
    pub vox_offset: u64,
    pub scl_slope: f64,
    pub scl_inter: f64,
    pub spatial: SpatialFields,
    pub descrip: String,
    pub intent_code: i32,
    /// Things worth telling the user that do not stop the load.
    pub warnings: Vec<String>,
}

impl NiftiHeader {
    pub fn voxel_count(&self) -> usize {
        self.dims[0] * self.dims[1] * self.dims[2]
    }

    pub fn data_bytes(&self) -> usize {
        self.voxel_count() * self.datatype.size()
    }

    /// True when stored values must be rescaled (NIfTI: slope 0 means "no scaling").
    pub fn has_scaling(&self) -> bool {
        self.scl_slope != 0.0 && (self.scl_slope != 1.0 || self.scl_inter != 0.0)
    }

    pub fn geometry(&self) -> Result<Geometry, NiftiError> {
        geometry_from_spatial(&self.spatial, self.dims)
    }
}

/// Number of header bytes to read before `parse` can tell the version.
pub const MAX_HEADER_BYTES: usize = 540;

struct Bytes<'a> {
    b: &'a [u8],
    le: bool,
}

impl Bytes<'_> {
    fn arr<const N: usize>(&self, off: usize) -> [u8; N] {
        let mut a = [0u8; N];
        a.copy_from_slice(&self.b[off..off + N]);
        if !self.le {
            a.reverse();
        }
        a
    }
    fn i16(&self, off: usize) -> i16 {
        i16::from_le_bytes(self.arr(off))
    }
    fn i32(&self, off: usize) -> i32 {
        i32::from_le_bytes(self.arr(off))
    }
    fn i64(&self, off: usize) -> i64 {
        i64::from_le_bytes(self.arr(off))
    }
    fn f64(&self, off: usize) -> f64 {
        f64::from_le_bytes(self.arr(off))
    }
    fn text(&self, off: usize, len: usize) -> String {
        let s = &self.b[off..off + len];
        let end = s.iter().position(|&c| c == 0).unwrap_or(len);
        String::from_utf8_lossy(&s[..end]).trim().to_string()
    }
}

/// Parse and validate a header from the first bytes of a file (at least 348 for
/// NIfTI-1, 540 for NIfTI-2; fewer means the file is truncated).
pub fn parse(buf: &[u8]) -> Result<NiftiHeader, NiftiError> {
    if buf.len() < 4 {
        return Err(NiftiError::Truncated(
            "file ends inside the NIfTI header".into(),
        ));
    }
    let size_le = i32::from_le_bytes([buf[0], buf[1], buf[2], buf[3]]);
    let size_be = i32::from_be_bytes([buf[0], buf[1], buf[2], buf[3]]);
    let (version, le) = match (size_le, size_be) {
        (348, _) => (1u8, true),
        (_, 348) => (1, false),
        (540, _) => (2, true),
        (_, 540) => (2, false),
        _ => {
            return Err(NiftiError::NotNifti(format!(
                "the first 4 bytes should give a header size of 348 (NIfTI-1) or 540 (NIfTI-2), found {size_le}"
            )));
        }
    };
    let need = if version == 1 { 348 } else { 540 };
    if buf.len() < need {
        return Err(NiftiError::Truncated(format!(
            "file ends inside the NIfTI-{version} header ({} of {need} bytes)",
            buf.len()
        )));
    }
    let r = Bytes { b: buf, le };
    if version == 1 {
        parse_v1(&r)
    } else {
        parse_v2(&r)
    }
}

struct Raw {
    dim: [i64; 8],
    datatype: i32,
    pixdim: [f64; 8],
    vox_offset: f64,
    scl_slope: f64,
    scl_inter: f64,
    spatial_codes: (i32, i32),
    quatern: [f64; 3],
    qoffset: [f64; 3],
    srow: [[f64; 4]; 3],
    xyzt_units: i32,
    descrip: String,
    intent_code: i32,
}

fn parse_v1(r: &Bytes) -> Result<NiftiHeader, NiftiError> {
    let magic = &r.b[344..348];
    if magic == b"ni1\0" {
        return Err(NiftiError::Unsupported(
            "two-file NIfTI (.hdr + .img) is not supported; convert it to a single .nii or .nii.gz"
                .into(),
        ));
    }
    if magic != b"n+1\0" {
        return Err(NiftiError::NotNifti(format!(
            "NIfTI-1 magic should be \"n+1\", found {:?} (an old Analyze 7.5 file has no orientation and is not accepted)",
            String::from_utf8_lossy(&magic[..3])
        )));
    }
    // The fields themselves are read by the `nifti` crate's NIfTI-1 reader; Remnant
    // keeps the checks before any allocation, NIfTI-2 (which the crate does not read)
    // and its own error messages.
    let h = nifti::NiftiHeader::from_reader(&r.b[..348])
        .map_err(|e| NiftiError::BadHeader(format!("the NIfTI-1 header cannot be read: {e}")))?;
    let crate_le = h.endianness == nifti::Endianness::Little;
    if crate_le != r.le {
        // the crate takes the byte order from dim[0] (<= 7), Remnant from the header
        // size (348): they disagree only when dim[0] is out of range
        let ndim = r.i16(40);
        return Err(NiftiError::BadHeader(format!(
            "dim[0] (number of dimensions) is {ndim}, must be 1 to 7"
        )));
    }
    let f = |v: f32| v as f64;
    let mut dim = [0i64; 8];
    let mut pixdim = [0f64; 8];
    for i in 0..8 {
        // NIfTI-1 stores dim as signed 16-bit; the crate reads it unsigned
        dim[i] = h.dim[i] as i16 as i64;
        pixdim[i] = f(h.pixdim[i]);
    }
    let row = |x: [f32; 4]| x.map(f);
    let text = |b: &[u8]| {
        let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
        String::from_utf8_lossy(&b[..end]).trim().to_string()
    };
    finish(
        1,
        r.le,
        Raw {
            dim,
            datatype: h.datatype as i32,
            pixdim,
            vox_offset: f(h.vox_offset),
            scl_slope: f(h.scl_slope),
            scl_inter: f(h.scl_inter),
            spatial_codes: (h.qform_code as i32, h.sform_code as i32),
            quatern: [f(h.quatern_b), f(h.quatern_c), f(h.quatern_d)],
            qoffset: [f(h.quatern_x), f(h.quatern_y), f(h.quatern_z)],
            srow: [row(h.srow_x), row(h.srow_y), row(h.srow_z)],
            xyzt_units: h.xyzt_units as i32,
            descrip: text(&h.descrip),
            intent_code: h.intent_code as i32,
        },
    )
}

fn parse_v2(r: &Bytes) -> Result<NiftiHeader, NiftiError> {
    if &r.b[4..8] != b"n+2\0" {
        return Err(NiftiError::NotNifti(
            "NIfTI-2 magic should be \"n+2\"".into(),
        ));
    }
    let mut dim = [0i64; 8];
    let mut pixdim = [0f64; 8];
    for i in 0..8 {
        dim[i] = r.i64(16 + 8 * i);
        pixdim[i] = r.f64(104 + 8 * i);
    }
    let mut srow = [[0f64; 4]; 3];
    for (row, s) in srow.iter_mut().enumerate() {
        for (c, v) in s.iter_mut().enumerate() {
            *v = r.f64(400 + 32 * row + 8 * c);
        }
    }
    let vox = r.i64(168);
    finish(
        2,
        r.le,
        Raw {
            dim,
            datatype: r.i16(12) as i32,
            pixdim,
            vox_offset: vox as f64,
            scl_slope: r.f64(176),
            scl_inter: r.f64(184),
            spatial_codes: (r.i32(344), r.i32(348)),
            quatern: [r.f64(352), r.f64(360), r.f64(368)],
            qoffset: [r.f64(376), r.f64(384), r.f64(392)],
            srow,
            xyzt_units: r.i32(500),
            descrip: r.text(240, 80),
            intent_code: r.i32(504),
        },
    )
}

fn finish(version: u8, le: bool, raw: Raw) -> Result<NiftiHeader, NiftiError> {
    let mut warnings = Vec::new();
    let dims = checked_dims(&raw.dim)?;
    let datatype = checked_datatype(raw.datatype, dims)?;
    let hdr_size = if version == 1 { 348.0 } else { 540.0 };
    if !raw.vox_offset.is_finite() || raw.vox_offset < hdr_size || raw.vox_offset > 1e9 {
        return Err(NiftiError::BadHeader(format!(
            "vox_offset {} is not a valid position of the voxel data",
            raw.vox_offset
        )));
    }
    let (qform_code, sform_code) = raw.spatial_codes;
    let (mut slope, mut inter) = (raw.scl_slope, raw.scl_inter);
    if !slope.is_finite() || !inter.is_finite() {
        warnings.push(format!(
            "scl_slope/scl_inter ({slope}, {inter}) are not finite numbers; values are used unscaled"
        ));
        slope = 0.0;
        inter = 0.0;
    }
    let spatial = SpatialFields {
        qform_code,
        sform_code,
        quatern: raw.quatern,
        qoffset: raw.qoffset,
        pixdim: [raw.pixdim[0], raw.pixdim[1], raw.pixdim[2], raw.pixdim[3]],
        srow: raw.srow,
        xyzt_units: raw.xyzt_units,
    };
    check_spacing(&raw.pixdim, &mut warnings)?;
    let mut header = NiftiHeader {
        version,
        little_endian: le,
        dims,
        datatype,
        vox_offset: raw.vox_offset as u64,
        scl_slope: slope,
        scl_inter: inter,
        spatial,
        descrip: raw.descrip,
        intent_code: raw.intent_code,
        warnings,
    };
    // Validate the geometry now so a bad one is refused before voxels are read.
    if header.geometry()?.source == AffineSource::SpacingOnly {
        header.warnings.push(
            "the header has neither an sform nor a qform: the patient orientation is unknown \
             (NIfTI method 1, spacing only); left/right cannot be trusted"
                .into(),
        );
    }
    Ok(header)
}

/// The three spatial sizes from `dim`; a 4-D or 5-D image with more than one
/// volume or component is refused (Remnant opens one 3-D volume).
fn checked_dims(dim: &[i64; 8]) -> Result<[usize; 3], NiftiError> {
    let ndim = dim[0];
    if !(1..=7).contains(&ndim) {
        return Err(NiftiError::BadHeader(format!(
            "dim[0] (number of dimensions) is {ndim}, must be 1 to 7"
        )));
    }
    let mut dims = [1usize; 3];
    for a in 0..ndim as usize {
        let d = dim[a + 1];
        if d < 1 {
            return Err(NiftiError::BadHeader(format!(
                "dimension {} has size {d}; every dimension must be at least 1",
                a + 1
            )));
        }
        if a < 3 {
            dims[a] = d as usize;
        } else if d > 1 {
            let what = if a == 3 {
                "time points or volumes"
            } else {
                "components"
            };
            return Err(NiftiError::Unsupported(format!(
                "this is a {}-D image ({d} {what} along dimension {}); Remnant opens one 3-D volume. \
                 Extract the volume you need first (e.g. fslroi or nibabel)",
                a + 1,
                a + 1
            )));
        }
    }
    Ok(dims)
}

/// The voxel type, refused if unsupported or if the voxels would pass the
/// size limits (checked before anything is allocated).
fn checked_datatype(code: i32, dims: [usize; 3]) -> Result<DataType, NiftiError> {
    let voxels = dims
        .iter()
        .try_fold(1u64, |acc, &d| acc.checked_mul(d as u64))
        .filter(|&v| v <= MAX_VOXELS)
        .ok_or_else(|| {
            NiftiError::TooLarge(format!(
                "header promises {} x {} x {} voxels, more than the {} Remnant opens",
                dims[0], dims[1], dims[2], MAX_VOXELS
            ))
        })?;
    let datatype = DataType::from_code(code).ok_or_else(|| {
        NiftiError::Unsupported(format!(
            "voxel data type {} ({}) is not supported; CT and masks must be integer or real scalars",
            code,
            datatype_name(code)
        ))
    })?;
    if voxels * datatype.size() as u64 > MAX_DATA_BYTES {
        return Err(NiftiError::TooLarge(format!(
            "header promises {} bytes of voxels, more than the {} GiB Remnant opens",
            voxels * datatype.size() as u64,
            MAX_DATA_BYTES >> 30
        )));
    }
    Ok(datatype)
}

/// pixdim[1..=3]: zero or not finite is refused, negative is used as its
/// absolute value with a warning.
fn check_spacing(pixdim: &[f64; 8], warnings: &mut Vec<String>) -> Result<(), NiftiError> {
    for a in 0..3 {
        let p = pixdim[a + 1];
        if !p.is_finite() || p == 0.0 {
            return Err(NiftiError::BadGeometry(format!(
                "voxel spacing pixdim[{}] is {p}; spacing must be a finite non-zero number of mm",
                a + 1
            )));
        }
        if p < 0.0 {
            warnings.push(format!(
                "pixdim[{}] is negative ({p}); its absolute value is used as the spacing",
                a + 1
            ));
        }
    }
    Ok(())
}

/// Unit scale to millimetres from xyzt_units (0 unknown = mm, 1 m, 2 mm, 3 micron).
fn unit_to_mm(xyzt_units: i32) -> f64 {
    match xyzt_units & 0x07 {
        1 => 1000.0,
        3 => 0.001,
        _ => 1.0,
    }
}

/// The voxel-to-RAS affine from the stored fields.
pub fn geometry_from_spatial(s: &SpatialFields, dims: [usize; 3]) -> Result<Geometry, NiftiError> {
    let scale = unit_to_mm(s.xyzt_units);
    let mut affine = [[0.0; 4]; 4];
    affine[3][3] = 1.0;
    let source;
    if s.sform_code > 0 {
        for r in 0..3 {
            for c in 0..4 {
                affine[r][c] = s.srow[r][c] * scale;
            }
        }
        source = AffineSource::Sform;
    } else if s.qform_code > 0 {
        let m = quatern_to_linear(s.quatern, s.pixdim)?;
        for r in 0..3 {
            for c in 0..3 {
                affine[r][c] = m[r][c] * scale;
            }
            affine[r][3] = s.qoffset[r] * scale;
        }
        source = AffineSource::Qform;
    } else {
        for a in 0..3 {
            affine[a][a] = s.pixdim[a + 1].abs() * scale;
        }
        source = AffineSource::SpacingOnly;
    }
    let g = Geometry {
        dims,
        affine,
        source,
    };
    let finite = affine.iter().flatten().all(|v| v.is_finite());
    let det = g.voxel_volume_mm3();
    if !finite || !det.is_finite() || det < 1e-9 {
        return Err(NiftiError::BadGeometry(format!(
            "the {} affine is degenerate (voxel volume {det} mm^3); the scan's geometry cannot be used",
            source.describe()
        )));
    }
    if det > 1e9 {
        return Err(NiftiError::BadGeometry(format!(
            "the {} affine gives an absurd voxel volume of {det} mm^3",
            source.describe()
        )));
    }
    Ok(g)
}

/// NIfTI-1 standard quaternion -> rotation, times spacing, with qfac = pixdim[0].
pub fn quatern_to_linear(q: [f64; 3], pixdim: [f64; 4]) -> Result<[[f64; 3]; 3], NiftiError> {
    let (mut b, mut c, mut d) = (q[0], q[1], q[2]);
    if ![b, c, d].iter().all(|v| v.is_finite()) {
        return Err(NiftiError::BadGeometry(
            "qform quaternion is not finite".into(),
        ));
    }
    let sum = b * b + c * c + d * d;
    let a = if 1.0 - sum < 1e-7 {
        // a is zero: 180 degree rotation; renormalise b, c, d as the standard does.
        let n = sum.sqrt();
        if n > 0.0 {
            b /= n;
            c /= n;
            d /= n;
        }
        0.0
    } else {
        (1.0 - sum).sqrt()
    };
    let r = [
        [
            a * a + b * b - c * c - d * d,
            2.0 * (b * c - a * d),
            2.0 * (b * d + a * c),
        ],
        [
            2.0 * (b * c + a * d),
            a * a + c * c - b * b - d * d,
            2.0 * (c * d - a * b),
        ],
        [
            2.0 * (b * d - a * c),
            2.0 * (c * d + a * b),
            a * a + d * d - c * c - b * b,
        ],
    ];
    let qfac = if pixdim[0] < 0.0 { -1.0 } else { 1.0 };
    let sp = [pixdim[1].abs(), pixdim[2].abs(), pixdim[3].abs() * qfac];
    let mut m = [[0.0; 3]; 3];
    for row in 0..3 {
        for col in 0..3 {
            m[row][col] = r[row][col] * sp[col];
        }
    }
    Ok(m)
}

/// Best quaternion representation of an affine's rotation (for writing a qform):
/// returns (quatern b c d, qfac). Shear, if any, cannot be represented and is dropped
/// (the sform keeps the exact affine).
pub fn linear_to_quatern(m: &[[f64; 3]; 3]) -> ([f64; 3], f64) {
    let mut cols = [[0.0; 3]; 3];
    for c in 0..3 {
        let n = (m[0][c] * m[0][c] + m[1][c] * m[1][c] + m[2][c] * m[2][c]).sqrt();
        for r in 0..3 {
            cols[c][r] = if n > 0.0 {
                m[r][c] / n
            } else if r == c {
                1.0
            } else {
                0.0
            };
        }
    }
    // rotation matrix R with columns cols
    let mut r = [[0.0; 3]; 3];
    for row in 0..3 {
        for col in 0..3 {
            r[row][col] = cols[col][row];
        }
    }
    let mut qfac = 1.0;
    if crate::volume::geometry::det3(&r) < 0.0 {
        qfac = -1.0;
        for row in r.iter_mut() {
            row[2] = -row[2];
        }
    }
    let trace = r[0][0] + r[1][1] + r[2][2];
    let (a, b, c, d);
    if trace > 0.0 {
        let s = (trace + 1.0).sqrt() * 2.0;
        a = 0.25 * s;
        b = (r[2][1] - r[1][2]) / s;
        c = (r[0][2] - r[2][0]) / s;
        d = (r[1][0] - r[0][1]) / s;
    } else if r[0][0] > r[1][1] && r[0][0] > r[2][2] {
        let s = (1.0 + r[0][0] - r[1][1] - r[2][2]).sqrt() * 2.0;
        a = (r[2][1] - r[1][2]) / s;
        b = 0.25 * s;
        c = (r[0][1] + r[1][0]) / s;
        d = (r[0][2] + r[2][0]) / s;
    } else if r[1][1] > r[2][2] {
        let s = (1.0 + r[1][1] - r[0][0] - r[2][2]).sqrt() * 2.0;
        a = (r[0][2] - r[2][0]) / s;
        b = (r[0][1] + r[1][0]) / s;
        c = 0.25 * s;
        d = (r[1][2] + r[2][1]) / s;
    } else {
        let s = (1.0 + r[2][2] - r[0][0] - r[1][1]).sqrt() * 2.0;
        a = (r[1][0] - r[0][1]) / s;
        b = (r[0][2] + r[2][0]) / s;
        c = (r[1][2] + r[2][1]) / s;
        d = 0.25 * s;
    }
    // NIfTI requires a >= 0
    let sign = if a < 0.0 { -1.0 } else { 1.0 };
    ([b * sign, c * sign, d * sign], qfac)
}
