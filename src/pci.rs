//! Sugarbaker peritoneal cancer index (PCI).
//!
//! The abdomen and pelvis are divided into 13 regions (Sugarbaker 1996): nine
//! abdominopelvic regions (0-8) and four small-bowel segments (9-12). Each
//! region is given a lesion-size score LS-0..LS-3 and the PCI is their sum
//! (0-39). A region that has not been scored yet is `None`, which is kept
//! distinct from LS-0 ("no tumour seen") everywhere, including in JSON.

use serde::{Deserialize, Serialize};

/// Number of PCI regions.
pub const REGION_COUNT: usize = 13;

/// Highest possible PCI (13 regions x LS-3).
pub const MAX_TOTAL: u8 = 39;

/// A PCI above this value is flagged for CRS/HIPEC selection in colorectal cancer (a
/// PCI of exactly 20 is not flagged). The limit is Remnant's own flag: none of the
/// sources Remnant quotes gives it.
pub const COLORECTAL_PCI_LIMIT: u8 = 20;

/// Index of region 12, the lower ileum.
pub const LOWER_ILEUM: usize = 12;

/// One PCI region: its number, name and anatomical contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub index: u8,
    pub name: &'static str,
    pub contents: &'static str,
}

/// The 13 regions in index order, with their contents after Sugarbaker (1996).
pub const REGIONS: [Region; REGION_COUNT] = [
    Region {
        index: 0,
        name: "Central",
        contents: "Midline abdominal incision, entire greater omentum, transverse colon",
    },
    Region {
        index: 1,
        name: "Right upper",
        contents: "Superior surface of the right lobe of the liver, undersurface of the right \
                   hemidiaphragm, right retrohepatic space",
    },
    Region {
        index: 2,
        name: "Epigastrium",
        contents: "Epigastric fat pad, left lobe of the liver, lesser omentum, falciform ligament",
    },
    Region {
        index: 3,
        name: "Left upper",
        contents: "Undersurface of the left hemidiaphragm, spleen, tail of the pancreas, anterior \
                   and posterior surfaces of the stomach",
    },
    Region {
        index: 4,
        name: "Left flank",
        contents: "Descending colon, left abdominal gutter",
    },
    Region {
        index: 5,
        name: "Left lower",
        contents: "Pelvic sidewall lateral to the sigmoid colon, sigmoid colon",
    },
    Region {
        index: 6,
        name: "Pelvis",
        contents: "Female internal genitalia with ovaries, tubes and uterus, bladder, Douglas \
                   pouch, rectosigmoid colon",
    },
    Region {
        index: 7,
        name: "Right lower",
        contents: "Right pelvic sidewall, base of the cecum, appendix",
    },
    Region {
        index: 8,
        name: "Right flank",
        contents: "Right abdominal gutter, ascending colon",
    },
    Region {
        index: 9,
        name: "Upper jejunum",
        contents: "Upper jejunum and its mesentery",
    },
    Region {
        index: 10,
        name: "Lower jejunum",
        contents: "Lower jejunum and its mesentery",
    },
    Region {
        index: 11,
        name: "Upper ileum",
        contents: "Upper ileum and its mesentery",
    },
    Region {
        index: 12,
        name: "Lower ileum",
        contents: "Lower ileum and its mesentery",
    },
];

/// Sugarbaker's standard figure of the abdominopelvic regions, as seen facing
/// the patient (the patient's right is on the viewer's left), row by row.
pub const DIAGRAM_GRID: [[usize; 3]; 3] = [[1, 2, 3], [8, 0, 4], [7, 6, 5]];

/// The small-bowel regions, drawn beside the grid from top to bottom.
pub const SMALL_BOWEL_REGIONS: [usize; 4] = [9, 10, 11, 12];

/// Source of the PCI definition, for reports.
pub const PCI_SOURCE: &str = "Jacquet P, Sugarbaker PH. Clinical research methodologies in \
    diagnosis and staging of patients with peritoneal carcinomatosis. In: Sugarbaker PH (ed). \
    Peritoneal Carcinomatosis: Principles of Management. Boston: Kluwer; 1996. p. 359-374.";

/// Lesion-size score of one region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum LesionSize {
    Ls0,
    Ls1,
    Ls2,
    Ls3,
}

impl LesionSize {
    /// All scores, in increasing order.
    pub const ALL: [LesionSize; 4] = [Self::Ls0, Self::Ls1, Self::Ls2, Self::Ls3];

    /// Points this score adds to the PCI (0-3).
    pub const fn points(self) -> u8 {
        match self {
            Self::Ls0 => 0,
            Self::Ls1 => 1,
            Self::Ls2 => 2,
            Self::Ls3 => 3,
        }
    }

    /// The score worth `points`, if 0-3.
    pub const fn from_points(points: u8) -> Option<Self> {
        match points {
            0 => Some(Self::Ls0),
            1 => Some(Self::Ls1),
            2 => Some(Self::Ls2),
            3 => Some(Self::Ls3),
            _ => None,
        }
    }

    /// Short label, e.g. "LS-2".
    pub const fn label(self) -> &'static str {
        match self {
            Self::Ls0 => "LS-0",
            Self::Ls1 => "LS-1",
            Self::Ls2 => "LS-2",
            Self::Ls3 => "LS-3",
        }
    }

    /// Sugarbaker's definition of the score.
    pub const fn definition(self) -> &'static str {
        match self {
            Self::Ls0 => "No tumour seen",
            Self::Ls1 => "Tumour <= 0.5 cm",
            Self::Ls2 => "Tumour <= 5 cm",
            Self::Ls3 => "Tumour > 5 cm or confluence",
        }
    }

    /// Next score when cycling: LS-0 -> LS-1 -> LS-2 -> LS-3 -> LS-0.
    pub const fn next(self) -> Self {
        match self {
            Self::Ls0 => Self::Ls1,
            Self::Ls1 => Self::Ls2,
            Self::Ls2 => Self::Ls3,
            Self::Ls3 => Self::Ls0,
        }
    }
}

impl From<LesionSize> for u8 {
    fn from(size: LesionSize) -> u8 {
        size.points()
    }
}

impl TryFrom<u8> for LesionSize {
    type Error = String;

    fn try_from(points: u8) -> Result<Self, Self::Error> {
        Self::from_points(points)
            .ok_or_else(|| format!("lesion size score must be 0-3, found {points}"))
    }
}

/// Error for a region index outside 0-12.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("PCI region {0} does not exist (regions are 0-12)")]
pub struct RegionOutOfRange(pub usize);

/// What a [`PciFlag`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PciFlagKind {
    /// Total above [`COLORECTAL_PCI_LIMIT`].
    HighTotal,
    /// Disease (LS-1 or more) in region 12, the lower ileum.
    LowerIleumDisease,
    /// At least one region not scored: the total is a lower bound.
    Incomplete,
}

/// A warning derived from the PCI, with the text that supports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PciFlag {
    pub kind: PciFlagKind,
    /// One-sentence statement for the surgeon.
    pub message: String,
    /// Where the rule comes from.
    pub source: &'static str,
}

const HIGH_TOTAL_SOURCE: &str = "Remnant's own flag: the limit of 20 is not from a source \
    Remnant quotes. Stricter cut-offs are reported: Elias et al., Eur J Surg Oncol \
    2014;40(11):1467-1473, found PCI >= 15 a relative contraindication. Follow the local \
    protocol.";

const LOWER_ILEUM_SOURCE: &str = "Elias D, Mariani A, Cloutier AS, et al. Modified selection \
    criteria for complete cytoreductive surgery plus HIPEC based on peritoneal cancer index and \
    small bowel involvement for peritoneal carcinomatosis of colorectal origin. Eur J Surg Oncol \
    2014;40(11):1467-1473 (area 12 involvement: independent prognostic factor, HR 3.1).";

const INCOMPLETE_SOURCE: &str = "The PCI is the sum over all 13 regions (Sugarbaker 1996); with \
    regions unscored the total is only a lower bound.";

/// Peritoneal cancer index: one optional lesion-size score per region.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pci {
    /// Score per region, by region index; `None` = not yet scored.
    pub scores: [Option<LesionSize>; REGION_COUNT],
}

impl Pci {
    /// A PCI with every region unscored.
    pub const fn new() -> Self {
        Self {
            scores: [None; REGION_COUNT],
        }
    }

    /// Score of `region`; `None` if unscored or out of range.
    pub fn get(&self, region: usize) -> Option<LesionSize> {
        self.scores.get(region).copied().flatten()
    }

    fn slot(&mut self, region: usize) -> Result<&mut Option<LesionSize>, RegionOutOfRange> {
        self.scores.get_mut(region).ok_or(RegionOutOfRange(region))
    }

    /// Sets the score of `region`.
    pub fn set(&mut self, region: usize, size: LesionSize) -> Result<(), RegionOutOfRange> {
        *self.slot(region)? = Some(size);
        Ok(())
    }

    /// Marks `region` as not scored.
    pub fn clear(&mut self, region: usize) -> Result<(), RegionOutOfRange> {
        *self.slot(region)? = None;
        Ok(())
    }

    /// Advances `region` along unscored -> LS-0 -> LS-1 -> LS-2 -> LS-3 -> LS-0
    /// (unscored is only left, never re-entered) and returns the new score.
    pub fn cycle(&mut self, region: usize) -> Result<LesionSize, RegionOutOfRange> {
        let slot = self.slot(region)?;
        let next = slot.map_or(LesionSize::Ls0, LesionSize::next);
        *slot = Some(next);
        Ok(next)
    }

    /// Sum of the scored regions (0-39).
    pub fn total(&self) -> u8 {
        self.scores.iter().flatten().map(|s| s.points()).sum()
    }

    /// The total when at least one region is scored (what the resectability checklist
    /// and the liver plan take as "the case's PCI"); None when nothing is scored.
    pub fn scored_total(&self) -> Option<u32> {
        (self.unscored_count() < REGION_COUNT).then(|| u32::from(self.total()))
    }

    /// Number of regions not yet scored.
    pub fn unscored_count(&self) -> usize {
        self.scores.iter().filter(|s| s.is_none()).count()
    }

    /// Whether every region has been scored.
    pub fn is_complete(&self) -> bool {
        self.unscored_count() == 0
    }

    /// Warnings derived from the scores, most important first.
    pub fn flags(&self) -> Vec<PciFlag> {
        let mut flags = Vec::new();
        let total = self.total();
        if total > COLORECTAL_PCI_LIMIT {
            flags.push(PciFlag {
                kind: PciFlagKind::HighTotal,
                message: format!(
                    "PCI {total} > {COLORECTAL_PCI_LIMIT}: a high peritoneal disease burden for \
                     CRS/HIPEC in colorectal cancer (Remnant's own flag at 20, not from a quoted \
                     source; see the note below)."
                ),
                source: HIGH_TOTAL_SOURCE,
            });
        }
        if let Some(size) = self.get(LOWER_ILEUM).filter(|s| s.points() >= 1) {
            flags.push(PciFlag {
                kind: PciFlagKind::LowerIleumDisease,
                message: format!(
                    "Disease in region 12 (lower ileum, {}): independent poor prognostic factor.",
                    size.label()
                ),
                source: LOWER_ILEUM_SOURCE,
            });
        }
        let unscored = self.unscored_count();
        if unscored > 0 {
            let plural = if unscored == 1 { "" } else { "s" };
            flags.push(PciFlag {
                kind: PciFlagKind::Incomplete,
                message: format!(
                    "Incomplete: {unscored} region{plural} not scored; the total {total} is a \
                     lower bound."
                ),
                source: INCOMPLETE_SOURCE,
            });
        }
        flags
    }
}

/// Completeness of cytoreduction score (Sugarbaker).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum CcScore {
    Cc0,
    Cc1,
    Cc2,
    Cc3,
}

impl CcScore {
    /// All scores, best first.
    pub const ALL: [CcScore; 4] = [Self::Cc0, Self::Cc1, Self::Cc2, Self::Cc3];

    /// The number 0-3.
    pub const fn value(self) -> u8 {
        match self {
            Self::Cc0 => 0,
            Self::Cc1 => 1,
            Self::Cc2 => 2,
            Self::Cc3 => 3,
        }
    }

    /// The score numbered `value`, if 0-3.
    pub const fn from_value(value: u8) -> Option<Self> {
        match value {
            0 => Some(Self::Cc0),
            1 => Some(Self::Cc1),
            2 => Some(Self::Cc2),
            3 => Some(Self::Cc3),
            _ => None,
        }
    }

    /// Short label, e.g. "CC-1".
    pub const fn label(self) -> &'static str {
        match self {
            Self::Cc0 => "CC-0",
            Self::Cc1 => "CC-1",
            Self::Cc2 => "CC-2",
            Self::Cc3 => "CC-3",
        }
    }

    /// Size of the residual disease after cytoreduction.
    pub const fn description(self) -> &'static str {
        match self {
            Self::Cc0 => "No residual peritoneal disease",
            Self::Cc1 => "Residual nodules < 2.5 mm",
            Self::Cc2 => "Residual nodules 2.5 mm to 2.5 cm",
            Self::Cc3 => "Residual nodules > 2.5 cm or unresectable disease",
        }
    }
}

impl From<CcScore> for u8 {
    fn from(score: CcScore) -> u8 {
        score.value()
    }
}

impl TryFrom<u8> for CcScore {
    type Error = String;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::from_value(value).ok_or_else(|| format!("CC score must be 0-3, found {value}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pci_from(points: [i8; REGION_COUNT]) -> Pci {
        let mut pci = Pci::new();
        for (region, p) in points.iter().enumerate() {
            if let Ok(p) = u8::try_from(*p) {
                pci.set(region, LesionSize::from_points(p).unwrap())
                    .unwrap();
            }
        }
        pci
    }

    fn kinds(pci: &Pci) -> Vec<PciFlagKind> {
        pci.flags().iter().map(|f| f.kind).collect()
    }

    #[test]
    fn region_table_is_in_index_order() {
        for (i, region) in REGIONS.iter().enumerate() {
            assert_eq!(usize::from(region.index), i);
            assert!(!region.name.is_empty() && !region.contents.is_empty());
        }
        let mut seen: Vec<usize> = DIAGRAM_GRID.iter().flatten().copied().collect();
        seen.extend(SMALL_BOWEL_REGIONS);
        seen.sort_unstable();
        assert_eq!(seen, (0..REGION_COUNT).collect::<Vec<_>>());
    }

    #[test]
    fn totals_for_known_inputs() {
        assert_eq!(Pci::new().total(), 0);
        assert_eq!(pci_from([0; 13]).total(), 0);
        assert_eq!(pci_from([3; 13]).total(), MAX_TOTAL);
        assert_eq!(
            pci_from([1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1]).total(),
            19
        );
        // Unscored regions add nothing.
        assert_eq!(
            pci_from([2, -1, -1, 3, -1, -1, -1, -1, -1, -1, -1, -1, 1]).total(),
            6
        );
    }

    #[test]
    fn unscored_is_distinct_from_ls0() {
        let zero = pci_from([0; 13]);
        let empty = Pci::new();
        assert_eq!(zero.total(), empty.total());
        assert_ne!(zero, empty);
        assert!(zero.is_complete());
        assert!(!empty.is_complete());
        assert_eq!(empty.unscored_count(), 13);
        assert_eq!(zero.get(4), Some(LesionSize::Ls0));
        assert_eq!(empty.get(4), None);
    }

    #[test]
    fn cycle_order() {
        let mut pci = Pci::new();
        let seen: Vec<u8> = (0..6).map(|_| pci.cycle(5).unwrap().points()).collect();
        assert_eq!(seen, [0, 1, 2, 3, 0, 1]);
        pci.clear(5).unwrap();
        assert_eq!(pci.get(5), None);
        assert_eq!(pci.cycle(5), Ok(LesionSize::Ls0));
    }

    #[test]
    fn out_of_range_regions_are_errors_not_panics() {
        let mut pci = Pci::new();
        assert_eq!(pci.set(13, LesionSize::Ls1), Err(RegionOutOfRange(13)));
        assert_eq!(pci.clear(usize::MAX), Err(RegionOutOfRange(usize::MAX)));
        assert_eq!(pci.cycle(99), Err(RegionOutOfRange(99)));
        assert_eq!(pci.get(99), None);
        assert_eq!(pci, Pci::new());
    }

    #[test]
    fn high_total_flag_starts_above_20() {
        // 6 x 3 + 2 = 20: not flagged.
        let at_20 = pci_from([3, 3, 3, 3, 3, 3, 2, 0, 0, 0, 0, 0, 0]);
        assert_eq!(at_20.total(), 20);
        assert!(kinds(&at_20).is_empty());
        let at_21 = pci_from([3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0]);
        assert_eq!(at_21.total(), 21);
        assert_eq!(kinds(&at_21), [PciFlagKind::HighTotal]);
        assert!(at_21.flags()[0].message.contains("21"));
    }

    #[test]
    fn lower_ileum_flag_needs_ls1_or_more() {
        let mut pci = pci_from([0; 13]);
        assert!(kinds(&pci).is_empty());
        pci.set(LOWER_ILEUM, LesionSize::Ls1).unwrap();
        assert_eq!(kinds(&pci), [PciFlagKind::LowerIleumDisease]);
        assert!(pci.flags()[0].source.contains("Elias"));
        // Disease elsewhere in the small bowel does not raise it.
        let other = pci_from([0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 0]);
        assert!(kinds(&other).is_empty());
    }

    #[test]
    fn incomplete_flag() {
        let mut pci = pci_from([0; 13]);
        pci.clear(3).unwrap();
        let flags = pci.flags();
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].kind, PciFlagKind::Incomplete);
        assert!(flags[0].message.contains("1 region not scored"));
        assert_eq!(kinds(&Pci::new()), [PciFlagKind::Incomplete]);
    }

    #[test]
    fn serde_keeps_none_and_zero_apart() {
        let pci = pci_from([0, -1, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1, 2]);
        let json = serde_json::to_string(&pci).unwrap();
        assert!(json.starts_with(r#"{"scores":[0,null,3,null"#), "{json}");
        let back: Pci = serde_json::from_str(&json).unwrap();
        assert_eq!(back, pci);
        let bad = serde_json::from_str::<Pci>(
            r#"{"scores":[4,null,null,null,null,null,null,null,null,null,null,null,null]}"#,
        );
        assert!(bad.unwrap_err().to_string().contains("must be 0-3"));
        assert!(serde_json::from_str::<Pci>(r#"{"scores":[0,1]}"#).is_err());
    }

    #[test]
    fn cc_scores() {
        for (i, cc) in CcScore::ALL.iter().enumerate() {
            assert_eq!(usize::from(cc.value()), i);
            assert_eq!(CcScore::from_value(cc.value()), Some(*cc));
            assert!(cc.label().starts_with("CC-"));
        }
        assert!(CcScore::Cc1.description().contains("2.5 mm"));
        assert_eq!(CcScore::from_value(4), None);
        assert_eq!(serde_json::to_string(&CcScore::Cc2).unwrap(), "2");
    }

    #[test]
    fn lesion_size_texts() {
        assert_eq!(LesionSize::Ls0.definition(), "No tumour seen");
        assert!(LesionSize::Ls1.definition().contains("0.5 cm"));
        assert!(LesionSize::Ls3.definition().contains("confluence"));
        assert_eq!(LesionSize::Ls2.label(), "LS-2");
    }
}
