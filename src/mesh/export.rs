//! STL (binary) and Wavefront OBJ export of a mesh, for 3-D printing and other planners.
//!
//! Coordinates are patient millimetres in RAS+ (x to the patient's Right, y Anterior,
//! z Superior: the NIfTI world, as Remnant uses everywhere). Both files say so in
//! their header, with 3D Slicer's `SPACE=RAS` token so Slicer loads them in place
//! (Slicer reads `SPACE=LPS`/`SPACE=RAS` from an STL/OBJ header; files without one
//! it takes as LPS).

use super::{Mesh, MeshError};
use std::fmt::Write as _;
use std::path::Path;

/// The coordinate-system statement written into every exported file.
pub const COORDINATES: &str = "SPACE=RAS units=mm (x right, y anterior, z superior)";

/// Export formats, chosen from the file name's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Stl,
    Obj,
}

impl Format {
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        match ext.as_str() {
            "stl" => Some(Format::Stl),
            "obj" => Some(Format::Obj),
            _ => None,
        }
    }
}

/// Binary STL: an 80-byte header, the triangle count, then per triangle its unit
/// normal, three vertices (f32, little-endian) and a zero attribute word.
pub fn stl_bytes(mesh: &Mesh, title: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(84 + 50 * mesh.triangles.len());
    let mut header = format!("Remnant {title} {COORDINATES}").into_bytes();
    header.resize(80, b' ');
    // an ASCII STL starts with "solid": a binary header must not
    if header.starts_with(b"solid") {
        header[0] = b'S';
    }
    out.extend_from_slice(&header);
    out.extend_from_slice(&(mesh.triangles.len() as u32).to_le_bytes());
    for t in &mesh.triangles {
        let [a, b, c] = t.map(|i| mesh.positions[i as usize]);
        let mut n = super::cross32(super::sub32(b, a), super::sub32(c, a));
        let l = (n[0] * n[0] + n[1] * n[1] + n[2] * n[2]).sqrt();
        if l > 0.0 {
            n = n.map(|x| x / l);
        }
        for v in [n, a, b, c] {
            for x in v {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        out.extend_from_slice(&[0, 0]);
    }
    out
}

/// Wavefront OBJ text: `v` lines then 1-based `f` lines.
pub fn obj_string(mesh: &Mesh, title: &str) -> String {
    let mut s = String::with_capacity(40 * (mesh.positions.len() + mesh.triangles.len()));
    let _ = writeln!(s, "# Remnant {title}");
    let _ = writeln!(s, "# {COORDINATES}");
    let _ = writeln!(s, "o {}", title.replace(char::is_whitespace, "_"));
    for p in &mesh.positions {
        let _ = writeln!(s, "v {} {} {}", p[0], p[1], p[2]);
    }
    for t in &mesh.triangles {
        let _ = writeln!(s, "f {} {} {}", t[0] + 1, t[1] + 1, t[2] + 1);
    }
    s
}

/// Write a mesh as STL or OBJ (by extension), atomically.
pub fn write(mesh: &Mesh, path: &Path, title: &str) -> Result<(), MeshError> {
    let bytes = match Format::from_path(path) {
        Some(Format::Stl) => stl_bytes(mesh, title),
        Some(Format::Obj) => obj_string(mesh, title).into_bytes(),
        None => {
            return Err(MeshError::Format(format!(
                "{}: the file name must end in .stl or .obj",
                path.display()
            )));
        }
    };
    crate::fsutil::atomic_write(path, &bytes).map_err(|e| MeshError::Format(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tetra() -> Mesh {
        Mesh {
            positions: vec![[0.0; 3], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
            triangles: vec![[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]],
        }
    }

    #[test]
    fn binary_stl_layout_and_header() {
        let m = tetra();
        assert!((m.enclosed_volume_mm3() - 1.0 / 6.0).abs() < 1e-9);
        let b = stl_bytes(&m, "liver");
        assert_eq!(b.len(), 84 + 50 * 4);
        assert!(String::from_utf8_lossy(&b[..80]).contains("SPACE=RAS"));
        assert_eq!(u32::from_le_bytes(b[80..84].try_into().unwrap()), 4);
        // first triangle (0, 2, 1) faces -z: normal (0, 0, -1), then its vertices
        let f = |o: usize| f32::from_le_bytes(b[o..o + 4].try_into().unwrap());
        assert_eq!([f(84), f(88), f(92)], [0.0, 0.0, -1.0]);
        assert_eq!([f(108), f(112), f(116)], [0.0, 1.0, 0.0]);
    }

    #[test]
    fn obj_is_one_based_and_states_the_space() {
        let s = obj_string(&tetra(), "tumour");
        assert!(s.contains("# SPACE=RAS"));
        assert!(s.contains("\nf 1 3 2\n"));
        assert_eq!(s.lines().filter(|l| l.starts_with("v ")).count(), 4);
    }
}
