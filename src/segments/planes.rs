//! The Couinaud planes from the landmarks (the plane version of the landmark method:
//! Couinaud 1957, Bismuth 1982; Fischer et al., J Comput Assist Tomogr 2002).
//!
//! The axis u runs from the inferior to the superior IVC point. Each hepatic vein's
//! plane contains its two points and is parallel to u; the portal plane passes through
//! the bifurcation, perpendicular to u. Each plane is oriented here so that its
//! positive side is:
//! - right hepatic vein: away from the middle vein (the right posterior sector, 6 and 7);
//! - middle hepatic vein: towards the right vein (the right hemiliver);
//! - left hepatic vein: away from the middle vein (the left lateral section, 2 and 3);
//! - portal plane: superior (7, 8, 4a, 2).
//!
//! Segment 1 (caudate) is Remnant's own rule, see [`Caudate`].

use super::landmarks::{LandmarkError, LandmarkId};

pub type P3 = [f64; 3];

fn sub(a: P3, b: P3) -> P3 {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}
fn dot(a: P3, b: P3) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}
fn cross(a: P3, b: P3) -> P3 {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}
fn norm(a: P3) -> f64 {
    dot(a, a).sqrt()
}
fn unit(a: P3) -> Option<P3> {
    let n = norm(a);
    (n > 1e-9).then(|| [a[0] / n, a[1] / n, a[2] / n])
}
fn mid(a: P3, b: P3) -> P3 {
    [
        (a[0] + b[0]) / 2.0,
        (a[1] + b[1]) / 2.0,
        (a[2] + b[2]) / 2.0,
    ]
}

/// A plane: unit normal, and the signed distance (mm) of a point is n . x - offset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plane {
    pub normal: P3,
    pub offset: f64,
}

impl Plane {
    fn through(p: P3, normal: P3) -> Plane {
        Plane {
            normal,
            offset: dot(normal, p),
        }
    }
    /// Signed distance in mm (> 0 on the normal's side).
    pub fn signed(&self, x: P3) -> f64 {
        dot(self.normal, x) - self.offset
    }
    fn flipped(self) -> Plane {
        Plane {
            normal: [-self.normal[0], -self.normal[1], -self.normal[2]],
            offset: -self.offset,
        }
    }
}

/// The veins, for messages.
pub const RHV: &str = "right hepatic vein";
pub const MHV: &str = "middle hepatic vein";
pub const LHV: &str = "left hepatic vein";
pub const PORTAL: &str = "portal plane";

/// Segment 1 (the caudate lobe), Remnant's own rule: the liver inside a box in the
/// frame of the IVC axis, after the caudate's borders as Couinaud (1957) and Bismuth
/// (1982) describe them: dorsally the IVC, ventrally the hilum (the portal
/// bifurcation), cranially the hepatic vein confluence. With D the distance from the
/// IVC axis to the portal bifurcation (perpendicular to the axis), a liver voxel is in
/// segment 1 when, measured from the IVC axis, it lies from D/2 behind the axis to the
/// bifurcation's depth (ventrally), from D/2 to the patient's right to D to the left
/// (the Spiegel lobe lies left of the IVC), and from D below the bifurcation's level up
/// to the mean level of the three confluences.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Caudate {
    pub origin: P3,
    /// Along the IVC axis (superior).
    pub u: P3,
    /// Ventral: from the IVC axis towards the portal bifurcation.
    pub a: P3,
    /// u x a: towards the patient's left.
    pub b: P3,
    pub depth: f64,
    /// Axial range along u (from the origin), mm.
    pub u_lo: f64,
    pub u_hi: f64,
}

impl Caudate {
    pub fn contains(&self, x: P3) -> bool {
        let r = sub(x, self.origin);
        let (ra, rb, ru) = (dot(r, self.a), dot(r, self.b), dot(r, self.u));
        let d = self.depth;
        ra >= -0.5 * d && ra <= d && rb >= -0.5 * d && rb <= d && ru >= self.u_lo && ru <= self.u_hi
    }
}

/// Every plane of one set of landmarks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SegmentPlanes {
    pub rhv: Plane,
    pub mhv: Plane,
    pub lhv: Plane,
    pub portal: Plane,
    pub caudate: Caudate,
}

/// Smallest angle (degrees) a vein's direction must make with the IVC axis.
const MIN_ANGLE_DEG: f64 = 10.0;
/// Smallest distance (mm) of the other vein from a vein's plane (to orient it).
const MIN_APART_MM: f64 = 2.0;

/// A vein's plane: through its two points, parallel to u.
fn vein_plane(c: P3, d: P3, u: P3, vein: &'static str) -> Result<Plane, LandmarkError> {
    let dir = sub(d, c);
    let n = cross(dir, u);
    let sin = norm(n) / norm(dir).max(1e-12);
    if sin < MIN_ANGLE_DEG.to_radians().sin() {
        return Err(LandmarkError::Degenerate {
            vein,
            why: format!(
                "its two points lie along the IVC axis (less than {MIN_ANGLE_DEG} degrees from it), so they give no plane; place the second point further out along the vein"
            ),
        });
    }
    Ok(Plane::through(c, unit(n).unwrap_or([1.0, 0.0, 0.0])))
}

/// `plane` oriented so that `other` lies on its negative (`towards` false) or
/// positive side.
fn orient(
    plane: Plane,
    other: P3,
    towards: bool,
    vein: &'static str,
    other_vein: &'static str,
) -> Result<Plane, LandmarkError> {
    let s = plane.signed(other);
    if s.abs() < MIN_APART_MM {
        return Err(LandmarkError::Degenerate {
            vein,
            why: format!(
                "its plane runs through the {other_vein}, so it separates nothing; move its points"
            ),
        });
    }
    Ok(if (s > 0.0) == towards {
        plane
    } else {
        plane.flipped()
    })
}

impl SegmentPlanes {
    /// The planes of validated landmark positions (in [`LandmarkId::ALL`] order).
    pub fn new(p: &[P3; 9]) -> Result<SegmentPlanes, LandmarkError> {
        use LandmarkId as L;
        let at = |l: L| p[l.index()];
        let u = unit(sub(at(L::IvcSuperior), at(L::IvcInferior)))
            .ok_or(LandmarkError::Coincident(L::IvcInferior, L::IvcSuperior))?;
        let (rc, rd) = (at(L::RhvConfluence), at(L::RhvDistal));
        let (mc, md) = (at(L::MhvConfluence), at(L::MhvDistal));
        let (lc, ld) = (at(L::LhvConfluence), at(L::LhvDistal));
        let rhv = orient(vein_plane(rc, rd, u, RHV)?, mid(mc, md), false, RHV, MHV)?;
        let mhv = orient(vein_plane(mc, md, u, MHV)?, mid(rc, rd), true, MHV, RHV)?;
        let lhv = orient(vein_plane(lc, ld, u, LHV)?, mid(mc, md), false, LHV, MHV)?;
        let pb = at(L::PortalBifurcation);
        let portal = Plane::through(pb, u);
        let origin = at(L::IvcInferior);
        let r = sub(pb, origin);
        let ru = dot(r, u);
        let perp = sub(r, [u[0] * ru, u[1] * ru, u[2] * ru]);
        let depth = norm(perp);
        if depth < 5.0 {
            return Err(LandmarkError::Degenerate {
                vein: "portal vein bifurcation",
                why: "it lies on the IVC axis (less than 5 mm from it): place it at the bifurcation, ventral to the IVC".into(),
            });
        }
        let a = unit(perp).unwrap_or([0.0, 1.0, 0.0]);
        let conf =
            (dot(sub(rc, origin), u) + dot(sub(mc, origin), u) + dot(sub(lc, origin), u)) / 3.0;
        let caudate = Caudate {
            origin,
            u,
            a,
            b: cross(u, a),
            depth,
            u_lo: ru - depth,
            u_hi: conf,
        };
        Ok(SegmentPlanes {
            rhv,
            mhv,
            lhv,
            portal,
            caudate,
        })
    }
}
