//! Seed strokes for grow from seeds: what the user painted inside the liver and
//! outside it. Kept as strokes (not voxels) so they can be drawn, saved, replayed by
//! the CLI (`remnant grow --seeds FILE`) and turned into voxels on any grid.
//!
//! Seeds file (text, UTF-8; one stroke per line; blank lines and `#` comments ignored):
//!
//! ```text
//! # remnant seeds 1
//! KIND RADIUS_MM SHAPE I,J,K [I,J,K ...]
//! ```
//!
//! * KIND: `liver` (grow this) or `background` (not liver);
//! * RADIUS_MM: brush radius in mm, 0 < r <= 100;
//! * SHAPE: `sphere` (a ball) or `disc-i` / `disc-j` / `disc-k` (a disc on the slice
//!   where that voxel index is fixed: `disc-k` is the transverse slice of an axial scan);
//! * points: the stroke's polyline in voxel coordinates (0-based, fractions allowed,
//!   NIfTI order i, j, k), stamped at least every radius / 2.

pub mod synth;

use super::tools::brush::{BrushShape, stroke_voxels};
use super::tools::{Axis, Grid};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedKind {
    Liver,
    Background,
}

impl SeedKind {
    pub fn word(self) -> &'static str {
        match self {
            SeedKind::Liver => "liver",
            SeedKind::Background => "background",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeedStroke {
    pub kind: SeedKind,
    pub radius_mm: f64,
    pub shape: BrushShape,
    pub points: Vec<[f64; 3]>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Seeds {
    pub strokes: Vec<SeedStroke>,
}

pub const MAX_RADIUS_MM: f64 = 100.0;

/// What is wrong with a seeds file or with its strokes on a scan.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SeedsError {
    #[error("seeds line {line}: {problem}")]
    Line { line: usize, problem: LineProblem },
    #[error(
        "seed stroke {stroke} has point {point:?} outside the scan's {} x {} x {} voxels",
        dims[0],
        dims[1],
        dims[2]
    )]
    OutsideScan {
        stroke: usize,
        point: [f64; 3],
        dims: [usize; 3],
    },
}

/// The problem with one line of a seeds file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LineProblem {
    #[error("kind \"{0}\" is not liver or background")]
    Kind(String),
    #[error("the radius in mm is missing")]
    NoRadius,
    #[error("radius \"{0}\" is not a number")]
    RadiusNotNumber(String),
    #[error("radius {0} mm is outside 0 < r <= {MAX_RADIUS_MM}")]
    RadiusRange(f64),
    #[error("the shape is missing")]
    NoShape,
    #[error("shape \"{0}\" is not sphere, disc-i, disc-j or disc-k")]
    Shape(String),
    #[error("point \"{0}\" is not I,J,K")]
    Point(String),
    #[error("a stroke needs at least one point")]
    NoPoint,
}

fn shape_word(s: BrushShape) -> &'static str {
    match s {
        BrushShape::Sphere => "sphere",
        BrushShape::Disc(Axis::I) => "disc-i",
        BrushShape::Disc(Axis::J) => "disc-j",
        BrushShape::Disc(Axis::K) => "disc-k",
    }
}

impl Seeds {
    pub fn is_empty(&self) -> bool {
        self.strokes.is_empty()
    }

    pub fn count(&self, kind: SeedKind) -> usize {
        self.strokes.iter().filter(|s| s.kind == kind).count()
    }

    /// Read a seeds file; errors name the line and what is wrong with it.
    pub fn parse(text: &str) -> Result<Seeds, SeedsError> {
        let mut strokes = Vec::new();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let err = |problem: LineProblem| SeedsError::Line {
                line: n + 1,
                problem,
            };
            let mut words = line.split_whitespace();
            let kind = match words.next() {
                Some("liver") => SeedKind::Liver,
                Some("background") => SeedKind::Background,
                Some(w) => return Err(err(LineProblem::Kind(w.into()))),
                None => continue,
            };
            let radius_mm: f64 = words
                .next()
                .ok_or_else(|| err(LineProblem::NoRadius))
                .and_then(|w| {
                    w.parse()
                        .map_err(|_| err(LineProblem::RadiusNotNumber(w.into())))
                })?;
            if !(radius_mm > 0.0 && radius_mm <= MAX_RADIUS_MM) {
                return Err(err(LineProblem::RadiusRange(radius_mm)));
            }
            let shape = match words.next() {
                Some("sphere") => BrushShape::Sphere,
                Some("disc-i") => BrushShape::Disc(Axis::I),
                Some("disc-j") => BrushShape::Disc(Axis::J),
                Some("disc-k") => BrushShape::Disc(Axis::K),
                Some(w) => return Err(err(LineProblem::Shape(w.into()))),
                None => return Err(err(LineProblem::NoShape)),
            };
            let mut points = Vec::new();
            for w in words {
                let c: Vec<f64> = w.split(',').filter_map(|v| v.parse().ok()).collect();
                if c.len() != 3 || w.split(',').count() != 3 || c.iter().any(|v| !v.is_finite()) {
                    return Err(err(LineProblem::Point(w.into())));
                }
                points.push([c[0], c[1], c[2]]);
            }
            if points.is_empty() {
                return Err(err(LineProblem::NoPoint));
            }
            strokes.push(SeedStroke {
                kind,
                radius_mm,
                shape,
                points,
            });
        }
        Ok(Seeds { strokes })
    }

    pub fn to_text(&self) -> String {
        let mut out = String::from(
            "# remnant seeds 1\n# KIND RADIUS_MM SHAPE I,J,K [I,J,K ...] (voxel coordinates)\n",
        );
        for s in &self.strokes {
            out.push_str(&format!(
                "{} {} {}",
                s.kind.word(),
                s.radius_mm,
                shape_word(s.shape)
            ));
            for p in &s.points {
                out.push_str(&format!(" {:.2},{:.2},{:.2}", p[0], p[1], p[2]));
            }
            out.push('\n');
        }
        out
    }

    /// Check the strokes lie on the grid (within half a voxel of it).
    pub fn check_on(&self, grid: &Grid) -> Result<(), SeedsError> {
        for (n, s) in self.strokes.iter().enumerate() {
            for p in &s.points {
                for a in 0..3 {
                    let max = grid.dims[a] as f64 - 0.5;
                    if p[a] < -0.5 || p[a] > max {
                        return Err(SeedsError::OutsideScan {
                            stroke: n + 1,
                            point: *p,
                            dims: grid.dims,
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// Flat voxel indices (sorted, unique) covered by the strokes of `kind`.
    pub fn voxels(&self, grid: &Grid, kind: SeedKind) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .strokes
            .iter()
            .filter(|s| s.kind == kind)
            .flat_map(|s| stroke_voxels(grid, &s.points, s.radius_mm, s.shape))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_voxels() {
        let s = Seeds {
            strokes: vec![
                SeedStroke {
                    kind: SeedKind::Liver,
                    radius_mm: 3.0,
                    shape: BrushShape::Disc(Axis::K),
                    points: vec![[5.0, 5.0, 2.0], [9.0, 5.0, 2.0]],
                },
                SeedStroke {
                    kind: SeedKind::Background,
                    radius_mm: 1.0,
                    shape: BrushShape::Sphere,
                    points: vec![[1.0, 1.0, 1.0]],
                },
            ],
        };
        let back = Seeds::parse(&s.to_text()).unwrap();
        assert_eq!(back, s);
        let g = Grid {
            dims: [20, 20, 5],
            spacing: [1.0, 1.0, 1.0],
        };
        // a 1 mm ball on a 1 mm grid: the centre and its 6 neighbours
        assert_eq!(back.voxels(&g, SeedKind::Background).len(), 7);
        // the disc stroke stays on slice k = 2 and covers the segment (5..=9, 5)
        let fg = back.voxels(&g, SeedKind::Liver);
        assert!(fg.iter().all(|&i| i / 400 == 2));
        for x in 5..=9 {
            assert!(fg.contains(&(x + 20 * 5 + 400 * 2)));
        }
        assert!(back.check_on(&g).is_ok());
        let off = Grid {
            dims: [4, 4, 4],
            spacing: [1.0; 3],
        };
        assert_eq!(
            back.check_on(&off).unwrap_err(),
            SeedsError::OutsideScan {
                stroke: 1,
                point: [5.0, 5.0, 2.0],
                dims: [4, 4, 4]
            }
        );
        assert!(
            back.check_on(&off)
                .unwrap_err()
                .to_string()
                .contains("outside")
        );
    }

    #[test]
    fn bad_lines_name_the_line_and_the_problem() {
        let cases = [
            ("tumour 3 sphere 1,1,1", "line 1: kind \"tumour\""),
            ("# c\nliver x sphere 1,1,1", "line 2: radius \"x\""),
            ("liver 0 sphere 1,1,1", "outside 0 < r"),
            ("liver 500 sphere 1,1,1", "outside 0 < r"),
            ("liver 3 cube 1,1,1", "shape \"cube\""),
            ("liver 3 sphere 1,1", "point \"1,1\""),
            ("liver 3 sphere 1,1,NaN", "point \"1,1,NaN\""),
            ("liver 3 sphere", "at least one point"),
        ];
        for (text, want) in cases {
            let e = Seeds::parse(text).unwrap_err().to_string();
            assert!(e.contains(want), "{text:?}: {e}");
        }
        assert!(Seeds::parse("\n# only comments\n").unwrap().is_empty());
    }
}
