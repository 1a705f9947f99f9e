//! The anatomical landmarks the Couinaud planes are built from, in patient RAS+ mm
//! (the convention of `--cut-point`), and the `remnant.landmarks/1` file format:
//!
//! `{"format": "remnant.landmarks/1", "ivc": [[x,y,z],[x,y,z]], "rhv": [..], "mhv": [..],
//! "lhv": [..], "portal_bifurcation": [x,y,z]}`; each vein list is its confluence with
//! the IVC first, then a point further along it. A landmark not placed yet is `null`
//! (the case keeps landmarks placed so far; building the planes needs all nine).

use crate::volume::Geometry;
use serde::{Deserialize, Serialize};

/// The file format's name and version.
pub const FORMAT: &str = "remnant.landmarks/1";

/// Two points closer than this (mm) are one point.
pub const COINCIDENT_MM: f64 = 1.0;

/// One landmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LandmarkId {
    IvcInferior,
    IvcSuperior,
    RhvConfluence,
    RhvDistal,
    MhvConfluence,
    MhvDistal,
    LhvConfluence,
    LhvDistal,
    PortalBifurcation,
}

impl LandmarkId {
    /// In the order the Segments tool asks for them.
    pub const ALL: [LandmarkId; 9] = [
        LandmarkId::IvcInferior,
        LandmarkId::IvcSuperior,
        LandmarkId::RhvConfluence,
        LandmarkId::RhvDistal,
        LandmarkId::MhvConfluence,
        LandmarkId::MhvDistal,
        LandmarkId::LhvConfluence,
        LandmarkId::LhvDistal,
        LandmarkId::PortalBifurcation,
    ];

    pub fn index(self) -> usize {
        LandmarkId::ALL.iter().position(|&l| l == self).unwrap_or(0)
    }

    /// The name the UI, the messages and `remnant session` use.
    pub fn name(self) -> &'static str {
        match self {
            LandmarkId::IvcInferior => "IVC, inferior point",
            LandmarkId::IvcSuperior => "IVC, superior point",
            LandmarkId::RhvConfluence => "right hepatic vein at the IVC",
            LandmarkId::RhvDistal => "right hepatic vein, further along",
            LandmarkId::MhvConfluence => "middle hepatic vein at the IVC",
            LandmarkId::MhvDistal => "middle hepatic vein, further along",
            LandmarkId::LhvConfluence => "left hepatic vein at the IVC",
            LandmarkId::LhvDistal => "left hepatic vein, further along",
            LandmarkId::PortalBifurcation => "portal vein bifurcation",
        }
    }

    /// The short key of `remnant session` (`landmark rhv-distal X,Y,Z`).
    pub fn key(self) -> &'static str {
        match self {
            LandmarkId::IvcInferior => "ivc-inferior",
            LandmarkId::IvcSuperior => "ivc-superior",
            LandmarkId::RhvConfluence => "rhv-confluence",
            LandmarkId::RhvDistal => "rhv-distal",
            LandmarkId::MhvConfluence => "mhv-confluence",
            LandmarkId::MhvDistal => "mhv-distal",
            LandmarkId::LhvConfluence => "lhv-confluence",
            LandmarkId::LhvDistal => "lhv-distal",
            LandmarkId::PortalBifurcation => "portal-bifurcation",
        }
    }

    pub fn parse(s: &str) -> Option<LandmarkId> {
        let s = s.trim().to_ascii_lowercase();
        LandmarkId::ALL.into_iter().find(|l| l.key() == s)
    }

    /// A short prompt for the Segments tool.
    pub fn prompt(self) -> &'static str {
        match self {
            LandmarkId::IvcInferior => {
                "Click the centre of the IVC at the lower end of the liver (caudal)"
            }
            LandmarkId::IvcSuperior => "Click the centre of the IVC just below the diaphragm",
            LandmarkId::RhvConfluence => "Click where the right hepatic vein joins the IVC",
            LandmarkId::RhvDistal => "Click a point of the right hepatic vein 2-4 cm further out",
            LandmarkId::MhvConfluence => {
                "Click where the middle hepatic vein joins the IVC (or its common trunk)"
            }
            LandmarkId::MhvDistal => "Click a point of the middle hepatic vein 2-4 cm further out",
            LandmarkId::LhvConfluence => {
                "Click where the left hepatic vein joins the IVC (or its common trunk)"
            }
            LandmarkId::LhvDistal => "Click a point of the left hepatic vein 2-4 cm further out",
            LandmarkId::PortalBifurcation => "Click the bifurcation of the main portal vein",
        }
    }
}

/// The landmarks placed so far (patient RAS+ mm), in [`LandmarkId::ALL`] order.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Landmarks {
    pub points: [Option<[f64; 3]>; 9],
}

/// Why landmarks cannot give segments; each names the landmark.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LandmarkError {
    #[error("landmark missing: {}", .0.name())]
    Missing(LandmarkId),
    #[error("landmark {} is not a finite position", .0.name())]
    NotFinite(LandmarkId),
    #[error("landmark {} lies outside the scan ({at})", .id.name())]
    OutsideScan { id: LandmarkId, at: String },
    #[error(
        "landmarks {} and {} coincide (less than 1 mm apart): place them apart",
        .0.name(), .1.name()
    )]
    Coincident(LandmarkId, LandmarkId),
    #[error("{vein}: {why}")]
    Degenerate { vein: &'static str, why: String },
    #[error(
        "the plane of the {0} does not cut the liver: all the liver lies on one side of it; move its landmarks"
    )]
    NoCut(&'static str),
    #[error("no liver is traced: segments are assigned to liver voxels")]
    NoLiver,
    #[error("{0}")]
    File(String),
}

/// The serialised form (vein lists: confluence first).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct LandmarksFile {
    format: String,
    ivc: Vec<Option<[f64; 3]>>,
    rhv: Vec<Option<[f64; 3]>>,
    mhv: Vec<Option<[f64; 3]>>,
    lhv: Vec<Option<[f64; 3]>>,
    portal_bifurcation: Option<[f64; 3]>,
}

impl Serialize for Landmarks {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let p = &self.points;
        LandmarksFile {
            format: FORMAT.into(),
            ivc: vec![p[0], p[1]],
            rhv: vec![p[2], p[3]],
            mhv: vec![p[4], p[5]],
            lhv: vec![p[6], p[7]],
            portal_bifurcation: p[8],
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Landmarks {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let f = LandmarksFile::deserialize(d)?;
        if f.format != FORMAT {
            return Err(D::Error::custom(format!(
                "format is \"{}\", expected \"{FORMAT}\"",
                f.format
            )));
        }
        let mut points = [None; 9];
        for (name, list, at) in [
            ("ivc", &f.ivc, 0),
            ("rhv", &f.rhv, 2),
            ("mhv", &f.mhv, 4),
            ("lhv", &f.lhv, 6),
        ] {
            if list.len() > 2 {
                return Err(D::Error::custom(format!(
                    "\"{name}\" holds {} points; it takes two",
                    list.len()
                )));
            }
            for (k, p) in list.iter().enumerate() {
                points[at + k] = *p;
            }
        }
        points[8] = f.portal_bifurcation;
        Ok(Landmarks { points })
    }
}

fn dist(a: [f64; 3], b: [f64; 3]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

impl Landmarks {
    pub fn get(&self, id: LandmarkId) -> Option<[f64; 3]> {
        self.points[id.index()]
    }

    pub fn set(&mut self, id: LandmarkId, at: Option<[f64; 3]>) {
        self.points[id.index()] = at;
    }

    pub fn is_empty(&self) -> bool {
        self.points.iter().all(|p| p.is_none())
    }

    /// The first landmark not placed yet (the one the Segments tool asks for).
    pub fn next_missing(&self) -> Option<LandmarkId> {
        LandmarkId::ALL.into_iter().find(|&l| self.get(l).is_none())
    }

    /// Read a `remnant.landmarks/1` file.
    pub fn from_json(text: &str) -> Result<Landmarks, LandmarkError> {
        serde_json::from_str(text).map_err(|e| LandmarkError::File(e.to_string()))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Check one landmark position against the scan (finite, inside the grid).
    pub fn check_point(id: LandmarkId, at: [f64; 3], g: &Geometry) -> Result<(), LandmarkError> {
        if at.iter().any(|v| !v.is_finite()) {
            return Err(LandmarkError::NotFinite(id));
        }
        let inside = g
            .to_index(at)
            .is_some_and(|ix| (0..3).all(|a| ix[a] >= -0.5 && ix[a] <= g.dims[a] as f64 - 0.5));
        if !inside {
            return Err(LandmarkError::OutsideScan {
                id,
                at: crate::volume::geometry::fmt_vec(at),
            });
        }
        Ok(())
    }

    /// Every landmark placed, finite, inside the scan, and the pairs that define one
    /// direction apart. A confluence shared by two veins is allowed.
    pub fn validate(&self, g: &Geometry) -> Result<[[f64; 3]; 9], LandmarkError> {
        let mut out = [[0.0; 3]; 9];
        for id in LandmarkId::ALL {
            let p = self.get(id).ok_or(LandmarkError::Missing(id))?;
            Landmarks::check_point(id, p, g)?;
            out[id.index()] = p;
        }
        use LandmarkId as L;
        for (a, b) in [
            (L::IvcInferior, L::IvcSuperior),
            (L::RhvConfluence, L::RhvDistal),
            (L::MhvConfluence, L::MhvDistal),
            (L::LhvConfluence, L::LhvDistal),
            (L::IvcInferior, L::PortalBifurcation),
        ] {
            if dist(out[a.index()], out[b.index()]) < COINCIDENT_MM {
                return Err(LandmarkError::Coincident(a, b));
            }
        }
        Ok(out)
    }
}
