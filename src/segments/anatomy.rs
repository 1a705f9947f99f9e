//! Couinaud segments and the named hepatectomies of the Brisbane 2000 terminology
//! (Strasberg, HPB 2000).

use serde::{Deserialize, Serialize};

/// A Couinaud segment; segment 4 is split by the portal plane into 4a (superior) and
/// 4b (inferior).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Segment {
    #[serde(rename = "1")]
    S1,
    #[serde(rename = "2")]
    S2,
    #[serde(rename = "3")]
    S3,
    #[serde(rename = "4a")]
    S4a,
    #[serde(rename = "4b")]
    S4b,
    #[serde(rename = "5")]
    S5,
    #[serde(rename = "6")]
    S6,
    #[serde(rename = "7")]
    S7,
    #[serde(rename = "8")]
    S8,
}

impl Segment {
    pub const ALL: [Segment; 9] = [
        Segment::S1,
        Segment::S2,
        Segment::S3,
        Segment::S4a,
        Segment::S4b,
        Segment::S5,
        Segment::S6,
        Segment::S7,
        Segment::S8,
    ];

    /// The value in a segment label map: the segment's number, 4a = 4 and 4b = 9.
    pub fn code(self) -> u8 {
        match self {
            Segment::S1 => 1,
            Segment::S2 => 2,
            Segment::S3 => 3,
            Segment::S4a => 4,
            Segment::S5 => 5,
            Segment::S6 => 6,
            Segment::S7 => 7,
            Segment::S8 => 8,
            Segment::S4b => 9,
        }
    }

    pub fn from_code(c: u8) -> Option<Segment> {
        Segment::ALL.into_iter().find(|s| s.code() == c)
    }

    /// "1" ... "4a", "4b" ... "8".
    pub fn name(self) -> &'static str {
        match self {
            Segment::S1 => "1",
            Segment::S2 => "2",
            Segment::S3 => "3",
            Segment::S4a => "4a",
            Segment::S4b => "4b",
            Segment::S5 => "5",
            Segment::S6 => "6",
            Segment::S7 => "7",
            Segment::S8 => "8",
        }
    }

    /// A distinct colour for the overlay and the exports (RGB).
    pub fn colour(self) -> [u8; 3] {
        match self {
            Segment::S1 => [230, 159, 0],
            Segment::S2 => [86, 180, 233],
            Segment::S3 => [0, 114, 178],
            Segment::S4a => [0, 158, 115],
            Segment::S4b => [120, 200, 120],
            Segment::S5 => [240, 228, 66],
            Segment::S6 => [213, 94, 0],
            Segment::S7 => [204, 121, 167],
            Segment::S8 => [150, 100, 220],
        }
    }
}

/// A set of segments as a bit set over [`Segment::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct SegmentSet(pub u16);

impl SegmentSet {
    pub fn of(segs: &[Segment]) -> SegmentSet {
        let mut s = SegmentSet(0);
        for &x in segs {
            s.insert(x);
        }
        s
    }
    fn bit(s: Segment) -> u16 {
        1 << Segment::ALL.iter().position(|&x| x == s).unwrap_or(0)
    }
    pub fn insert(&mut self, s: Segment) {
        self.0 |= SegmentSet::bit(s);
    }
    pub fn contains(&self, s: Segment) -> bool {
        self.0 & SegmentSet::bit(s) != 0
    }
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }
    pub fn union(self, o: SegmentSet) -> SegmentSet {
        SegmentSet(self.0 | o.0)
    }
    pub fn segments(&self) -> Vec<Segment> {
        Segment::ALL
            .into_iter()
            .filter(|s| self.contains(*s))
            .collect()
    }
    /// Which label-map codes are in the set (index = code).
    pub fn code_table(&self) -> [bool; 10] {
        let mut t = [false; 10];
        for s in self.segments() {
            t[s.code() as usize] = true;
        }
        t
    }

    /// "2, 3, 4a, 4b" (4a and 4b together read "4").
    pub fn describe(&self) -> String {
        let mut names: Vec<&str> = Vec::new();
        for s in self.segments() {
            match s {
                Segment::S4a if self.contains(Segment::S4b) => names.push("4"),
                Segment::S4b if self.contains(Segment::S4a) => {}
                _ => names.push(s.name()),
            }
        }
        names.join(", ")
    }

    /// `2,3` or `4` (both halves) or `4a`: the `--resect-segments` syntax.
    pub fn parse(text: &str) -> Result<SegmentSet, String> {
        let mut set = SegmentSet(0);
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part.to_ascii_lowercase().as_str() {
                "4" => {
                    set.insert(Segment::S4a);
                    set.insert(Segment::S4b);
                }
                p => match Segment::ALL.into_iter().find(|s| s.name() == p) {
                    Some(s) => set.insert(s),
                    None => {
                        return Err(format!(
                            "\"{part}\" is not a Couinaud segment (1, 2, 3, 4, 4a, 4b, 5, 6, 7, 8)"
                        ));
                    }
                },
            }
        }
        if set.is_empty() {
            return Err("name at least one segment, e.g. 2,3".into());
        }
        Ok(set)
    }
}

/// The named hepatectomies (Brisbane 2000 terminology; Strasberg, HPB 2000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hepatectomy {
    RightHemihepatectomy,
    LeftHemihepatectomy,
    RightTrisectionectomy,
    LeftTrisectionectomy,
    LeftLateralSectionectomy,
    RightAnteriorSectionectomy,
    RightPosteriorSectionectomy,
}

impl Hepatectomy {
    pub const ALL: [Hepatectomy; 7] = [
        Hepatectomy::RightHemihepatectomy,
        Hepatectomy::LeftHemihepatectomy,
        Hepatectomy::RightTrisectionectomy,
        Hepatectomy::LeftTrisectionectomy,
        Hepatectomy::LeftLateralSectionectomy,
        Hepatectomy::RightAnteriorSectionectomy,
        Hepatectomy::RightPosteriorSectionectomy,
    ];

    /// The `--hepatectomy` key.
    pub fn key(self) -> &'static str {
        match self {
            Hepatectomy::RightHemihepatectomy => "right-hemihepatectomy",
            Hepatectomy::LeftHemihepatectomy => "left-hemihepatectomy",
            Hepatectomy::RightTrisectionectomy => "right-trisectionectomy",
            Hepatectomy::LeftTrisectionectomy => "left-trisectionectomy",
            Hepatectomy::LeftLateralSectionectomy => "left-lateral-sectionectomy",
            Hepatectomy::RightAnteriorSectionectomy => "right-anterior-sectionectomy",
            Hepatectomy::RightPosteriorSectionectomy => "right-posterior-sectionectomy",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Hepatectomy::RightHemihepatectomy => "Right hemihepatectomy",
            Hepatectomy::LeftHemihepatectomy => "Left hemihepatectomy",
            Hepatectomy::RightTrisectionectomy => "Right trisectionectomy",
            Hepatectomy::LeftTrisectionectomy => "Left trisectionectomy",
            Hepatectomy::LeftLateralSectionectomy => "Left lateral sectionectomy",
            Hepatectomy::RightAnteriorSectionectomy => "Right anterior sectionectomy",
            Hepatectomy::RightPosteriorSectionectomy => "Right posterior sectionectomy",
        }
    }

    pub fn parse(s: &str) -> Option<Hepatectomy> {
        let s = s.trim().to_ascii_lowercase();
        Hepatectomy::ALL.into_iter().find(|h| h.key() == s)
    }

    /// The segments removed (segment 4 = 4a and 4b).
    pub fn segments(self) -> SegmentSet {
        use Segment::*;
        SegmentSet::of(match self {
            Hepatectomy::RightHemihepatectomy => &[S5, S6, S7, S8],
            Hepatectomy::LeftHemihepatectomy => &[S2, S3, S4a, S4b],
            Hepatectomy::RightTrisectionectomy => &[S4a, S4b, S5, S6, S7, S8],
            Hepatectomy::LeftTrisectionectomy => &[S2, S3, S4a, S4b, S5, S8],
            Hepatectomy::LeftLateralSectionectomy => &[S2, S3],
            Hepatectomy::RightAnteriorSectionectomy => &[S5, S8],
            Hepatectomy::RightPosteriorSectionectomy => &[S6, S7],
        })
    }

    /// Every key, for messages.
    pub fn keys() -> String {
        Hepatectomy::ALL.map(|h| h.key()).join(", ")
    }
}
