//! Issue 28 item 2: one catalogue of every clinical sentence. This test walks a matrix
//! of plan states through `clinical::decide` (the one function the app, the CLI and the
//! PDF print from) and writes `docs/clinical-text.md`: every distinct sentence (measured
//! numbers replaced by N), the first plan states that trigger it, its level and the
//! sources it names. The test fails when the checked-in file is stale, so every wording
//! change shows up as a diff a clinician can review in one place; run it with
//! `REMNANT_BLESS=1` to rewrite the file.

use remnant::clinical::plan::AfterPve;
use remnant::clinical::{Level, PlanDecision, Topic, decide};
use remnant::pci::{LesionSize, Pci};
use remnant::segmentation::Layer;
use remnant::segmentation::components::components;
use remnant::volume::Geometry;
use remnant::volumetry::flr::LiverCondition;
use remnant::volumetry::{Counts, PlanInputs};
use std::collections::BTreeMap;

/// One plan state of the matrix.
#[derive(Clone)]
struct State {
    name: String,
    spacing: [f64; 3],
    /// Resection: i < cut (of the liver's i 2..38).
    cut: usize,
    tumours: Vec<([usize; 3], [usize; 3])>,
    edge: bool,
    stage1: bool,
    inputs: PlanInputs,
    pci: Option<u32>,
    /// The post-PVE scan's remnant share of its liver (a box of 1 mL voxels), or
    /// Some(0.0) for a post-PVE scan without a resection.
    after: Option<f64>,
}

/// Liver i 2..38, j 2..28, k 2..28 on a 40 x 30 x 30 grid (or from k 0 with `edge`).
fn bits(s: &State) -> (Geometry, Vec<u8>) {
    let g = Geometry::axis_aligned([40, 30, 30], s.spacing, [0.0; 3]);
    let inb = |v: usize, a: usize, b: usize| v >= a && v < b;
    let k0 = if s.edge { 0 } else { 2 };
    let mut out = vec![0u8; g.voxel_count()];
    for k in 0..30 {
        for j in 0..30 {
            for i in 0..40 {
                if !(inb(i, 2, 38) && inb(j, 2, 28) && inb(k, k0, 28)) {
                    continue;
                }
                let mut b = Layer::Liver.bit();
                if i < s.cut {
                    b |= Layer::Resection.bit();
                }
                if s.stage1 && inb(i, 28, 34) && inb(j, 8, 14) && inb(k, 8, 14) {
                    b |= Layer::Stage1.bit();
                }
                for (lo, hi) in &s.tumours {
                    if inb(i, lo[0], hi[0]) && inb(j, lo[1], hi[1]) && inb(k, lo[2], hi[2]) {
                        b |= Layer::Tumour.bit();
                    }
                }
                out[g.index(i, j, k)] = b;
            }
        }
    }
    (g, out)
}

fn run(s: &State) -> PlanDecision {
    let (g, b) = bits(s);
    let tumours = components(&b, Layer::Tumour.bit(), &g);
    let after = s.after.map(|share| {
        let total = 1_000_000u64;
        let remnant = (share * total as f64) as u64;
        let resected = if share == 0.0 { 0 } else { total - remnant };
        AfterPve {
            coverage: None,
            counts: Counts {
                total,
                remnant: if share == 0.0 { total } else { remnant },
                resected,
                ..Default::default()
            },
            voxel_mm3: 1.0,
            timing: s.inputs.timing(),
        }
    });
    decide(&b, &g, &s.inputs, &tumours, s.pci, after)
}

/// The matrix: a base plan and one or two factors changed at a time.
fn matrix() -> Vec<State> {
    let big = [3.5, 3.5, 6.0]; // a liver of about 1.8 L, so the sFLR is realistic
    let body = |mut i: PlanInputs| {
        i.height_cm = Some(175.0);
        i.weight_kg = Some(75.0);
        i
    };
    let base = State {
        name: "base".into(),
        spacing: big,
        cut: 20,
        tumours: vec![([8, 10, 10], [12, 14, 14])],
        edge: false,
        stage1: false,
        inputs: PlanInputs::default(),
        pci: None,
        after: None,
    };
    let mut out = Vec::new();
    let mut push = |name: String, f: &dyn Fn(&mut State)| {
        let mut s = base.clone();
        s.name = name;
        f(&mut s);
        out.push(s);
    };
    // remnant share: adequate, borderline, insufficient, and far below (even +40 % short)
    for (what, cut) in [
        ("adequate", 20),
        ("borderline", 29),
        ("insufficient", 31),
        ("far below", 35),
    ] {
        for c in LiverCondition::ALL {
            for with_body in [false, true] {
                push(
                    format!(
                        "{what} remnant, {}, {}",
                        c.key(),
                        if with_body {
                            "with height and weight"
                        } else {
                            "no height and weight"
                        }
                    ),
                    &|s| {
                        s.cut = cut;
                        s.inputs.condition = c;
                        if with_body {
                            s.inputs = body(s.inputs.clone());
                        }
                    },
                );
            }
        }
    }
    push("custom threshold 25 %".into(), &|s| {
        s.inputs.thresholds.normal = 25.0;
    });
    push("invalid threshold".into(), &|s| {
        s.inputs.thresholds.normal = 120.0;
    });
    push("light patient (FLR / body weight < 0.5 %)".into(), &|s| {
        s.inputs = body(s.inputs.clone());
        s.inputs.height_cm = Some(150.0);
        s.inputs.weight_kg = Some(150.0);
        s.cut = 26;
    });
    push("absurd weight".into(), &|s| {
        s.inputs.height_cm = Some(175.0);
        s.inputs.weight_kg = Some(900.0);
    });
    push("small traced liver vs sTLV".into(), &|s| {
        s.spacing = [1.5, 1.5, 3.0];
        s.inputs = body(s.inputs.clone());
    });
    push("large traced liver vs sTLV".into(), &|s| {
        s.spacing = [5.0, 5.0, 6.0];
        s.inputs = body(s.inputs.clone());
    });
    push("no resection traced".into(), &|s| s.cut = 0);
    push("liver touches the first slice".into(), &|s| s.edge = true);
    push("tumour in the remnant".into(), &|s| {
        s.tumours = vec![([30, 10, 10], [33, 14, 14])];
    });
    push("tumour crossing the resection boundary".into(), &|s| {
        s.tumours = vec![([18, 10, 10], [22, 14, 14])];
    });
    push("no tumour traced".into(), &|s| s.tumours.clear());
    // margins on 1.5 x 1.5 x 3 mm voxels: well below, near and above 10 mm, and far
    for (what, lo, hi) in [
        ("margin well below 10 mm", 14, 17),
        ("margin near 10 mm", 11, 14),
        ("margin above 10 mm", 7, 10),
        ("margin beyond the 30 mm searched", 2, 4),
    ] {
        push(what.into(), &|s| {
            s.spacing = [1.5, 1.5, 3.0];
            s.tumours = vec![([lo, 10, 10], [hi, 14, 14])];
        });
    }
    push("four tumours, PCI 8".into(), &|s| {
        s.tumours = vec![
            ([4, 4, 4], [6, 6, 6]),
            ([4, 10, 4], [6, 12, 6]),
            ([4, 16, 4], [6, 18, 6]),
            ([10, 4, 4], [12, 6, 6]),
        ];
        s.pci = Some(8);
    });
    push("largest tumour > 5 cm head to foot".into(), &|s| {
        s.tumours = vec![([8, 10, 4], [12, 14, 24])];
    });
    push("Fong criteria all entered, score 3".into(), &|s| {
        s.inputs.fong.node_positive_primary = Some(true);
        s.inputs.fong.disease_free_interval_under_12_months = Some(true);
        s.inputs.fong.cea_over_200 = Some(false);
    });
    push("Fong overridden".into(), &|s| {
        s.inputs.fong.more_than_one_tumour = Some(true);
    });
    push("JSCCR criteria entered".into(), &|s| {
        s.inputs.checklist.tolerates_surgery = Some(true);
        s.inputs.checklist.primary_controlled = Some(false);
        s.inputs.checklist.extrahepatic_controlled = Some(true);
    });
    push("two-stage plan".into(), &|s| {
        s.stage1 = true;
        s.tumours = vec![([30, 10, 10], [32, 12, 12]), ([8, 10, 10], [12, 14, 14])];
    });
    // after PVE: weeks known or not, growth enough or not, bad timing, no resection
    for (what, since, between, share, with_body) in [
        (
            "post-PVE, weeks since PVE known, FLR",
            Some(3.0),
            None,
            0.4,
            false,
        ),
        (
            "post-PVE, only the scan interval, FLR",
            None,
            Some(4.0),
            0.4,
            false,
        ),
        (
            "post-PVE, weeks since PVE known, sFLR",
            Some(3.0),
            None,
            0.4,
            true,
        ),
        (
            "post-PVE, weeks since PVE known, little growth, sFLR",
            Some(4.0),
            None,
            0.2,
            true,
        ),
        (
            "post-PVE, only the scan interval, little growth, sFLR",
            None,
            Some(6.0),
            0.2,
            true,
        ),
        (
            "post-PVE, only the scan interval, fast growth, sFLR",
            None,
            Some(2.0),
            0.45,
            true,
        ),
        (
            "post-PVE, weeks since PVE > scan interval",
            Some(6.0),
            Some(4.0),
            0.4,
            false,
        ),
        ("post-PVE, no weeks entered", None, None, 0.4, false),
        ("post-PVE, still insufficient", Some(3.0), None, 0.15, false),
        (
            "post-PVE scan without a resection",
            Some(3.0),
            None,
            0.0,
            false,
        ),
    ] {
        push(what.into(), &|s| {
            s.cut = 31;
            s.inputs.weeks_since_pve = since;
            s.inputs.weeks_between_scans = between;
            if with_body {
                s.inputs = body(s.inputs.clone());
            }
            s.after = Some(share);
        });
    }
    out
}

/// The constant phrases of the wording (thresholds, cut-offs, criteria numbers) whose
/// numbers are kept; every other number is a measurement or an input and is written N.
const CONSTANT: [&str; 61] = [
    "Segment 1 (caudate)",
    "Couinaud 1957",
    "10-25 %",
    "(> 1 cm)",
    "(< 1 cm)",
    "(1 cm within one voxel)",
    "> 30 mm",
    "20 / 30 / 40 %",
    "20-40 %",
    "2-4 weeks",
    "20-30 %",
    "+40 %",
    "> 1 cm",
    "< 10 mm",
    "10 mm lies",
    "under 10 mm",
    "more than 30 mm",
    " 0.5 %",
    " 2 %/week",
    "(2 %/week",
    " 5 points",
    " 7.5 points",
    "than 30 % off",
    "25-300 kg",
    "100-250 cm",
    "- (1)",
    "- (2)",
    "- (3)",
    "- (4)",
    "- (5)",
    "3-D",
    "> 5 cm",
    "stage 1",
    "stage 2",
    "stage-1",
    "(5 points",
    "> 20:",
    "flag at 20",
    "5-point",
    " 20 %",
    " 30 %",
    " 40 %",
    "custom 25 %",
    "value 20 %",
    "12 months",
    "200 ng/mL",
    "/ 5",
    "-794.41 + 1267.28",
    "2008 consensus",
    "Ann Surg Oncol 2006",
    "Vauthey 2002",
    "Ribero 2007",
    "Shindoh 2013",
    "Truant 2007",
    "2013;",
    "2007;",
    "JSCCR 2010",
    "AHPBA/SSO/SSAT 2006",
    "region 12",
    "13 regions",
    "LS-2",
];

/// A sentence with its measured numbers replaced by N: every number except citation
/// years and those of the constant phrases above.
fn template(text: &str) -> String {
    // protect the constant phrases (longest first), mask the rest, restore
    let mut phrases: Vec<&str> = CONSTANT.to_vec();
    phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let mut masked = text.to_string();
    for (i, p) in phrases.iter().enumerate() {
        masked = masked.replace(p, &format!("\u{1}{i}\u{2}"));
    }
    let chars: Vec<char> = masked.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\u{1}' {
            let end = i + chars[i..].iter().position(|&c| c == '\u{2}').unwrap();
            let idx: usize = chars[i + 1..end]
                .iter()
                .collect::<String>()
                .parse()
                .unwrap();
            out.push_str(phrases[idx]);
            i = end + 1;
        } else if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (chars[i] == '.' && i + 1 < chars.len() && chars[i + 1].is_ascii_digit()))
            {
                i += 1;
            }
            let tok: String = chars[start..i].iter().collect();
            // a citation year, not a measurement (which always has a unit after it)
            let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
            let year = tok.len() == 4
                && tok.parse::<u32>().is_ok_and(|y| (1980..=2030).contains(&y))
                && !rest.starts_with(" m")
                && !rest.starts_with(" %");
            out.push_str(if year { &tok } else { "N" });
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The sources a sentence names, as a reader can look them up.
fn sources(text: &str) -> String {
    const NAMED: [(&str, &str); 18] = [
        (
            "Abdalla",
            "Abdalla et al., Ann Surg Oncol 2006 (AHPBA/SSO/SSAT consensus)",
        ),
        ("threshold set by the user", "the user's own threshold"),
        ("Vauthey 2002", "Vauthey et al., Liver Transpl 2002"),
        ("Mosteller", "Mosteller, N Engl J Med 1987"),
        ("Truant", "Truant et al., J Am Coll Surg 2007"),
        ("Shindoh", "Shindoh et al., J Am Coll Surg 2013"),
        ("Ribero", "Ribero et al., Br J Surg 2007"),
        ("Akgül", "Akgül et al., World J Gastroenterol 2014 (review)"),
        ("Adam et al", "Adam et al., Ann Surg 2000"),
        ("Fong et al", "Fong et al., Ann Surg 1999"),
        ("Dagenborg", "Dagenborg et al., Ann Surg 2024"),
        ("Elias", "Elias et al., Eur J Surg Oncol 2014"),
        ("Sugarbaker", "Sugarbaker 1996"),
        ("Remnant's own", "Remnant's own rule"),
        (
            "Fischer et al",
            "Fischer et al., J Comput Assist Tomogr 2002",
        ),
        ("Couinaud 1957", "Couinaud 1957"),
        ("Bismuth 1982", "Bismuth 1982"),
        (
            "Strasberg",
            "Strasberg, HPB 2000 (Brisbane 2000 terminology)",
        ),
    ];
    let found: Vec<&str> = NAMED
        .iter()
        .filter(|(k, _)| text.contains(k))
        .map(|(_, v)| *v)
        .collect();
    if found.is_empty() {
        "none: a figure, an input or what is missing".into()
    } else {
        found.join("; ")
    }
}

fn topic_name(t: Topic) -> &'static str {
    match t {
        Topic::Verdict => "Verdict",
        Topic::Stages => "Two-stage hepatectomy",
        Topic::Basis => "What it was judged on",
        Topic::Caveat => "Caveat",
        Topic::Warning => "Warnings",
        Topic::Pve => "PVE projection",
        Topic::Growth => "After PVE",
        Topic::Margin => "Margins",
        Topic::Fong => "Fong clinical risk score",
        Topic::Checklist => "Resectability checklist",
    }
}

fn level_name(l: Level) -> &'static str {
    match l {
        Level::Info => "info",
        Level::Good => "good",
        Level::Caution => "caution",
        Level::Alert => "alert",
    }
}

struct Entry {
    levels: Vec<&'static str>,
    triggers: Vec<String>,
}

fn catalogue() -> String {
    let order = [
        Topic::Verdict,
        Topic::Stages,
        Topic::Basis,
        Topic::Warning,
        Topic::Caveat,
        Topic::Pve,
        Topic::Growth,
        Topic::Margin,
        Topic::Fong,
        Topic::Checklist,
    ];
    let mut by_topic: BTreeMap<usize, BTreeMap<String, Entry>> = BTreeMap::new();
    // the decision card's next step (Remnant's own workflow rule, not a source's advice)
    let mut next_steps: BTreeMap<String, Entry> = BTreeMap::new();
    let states = matrix();
    for s in &states {
        let d = run(s);
        let e = next_steps
            .entry(template(&remnant::clinical::card(&d).next_step))
            .or_insert(Entry {
                levels: vec!["info"],
                triggers: Vec::new(),
            });
        if !e.triggers.contains(&s.name) {
            e.triggers.push(s.name.clone());
        }
        for sen in &d.sentences {
            let t = order.iter().position(|&x| x == sen.topic).unwrap();
            let e = by_topic
                .entry(t)
                .or_default()
                .entry(template(&sen.text))
                .or_insert(Entry {
                    levels: Vec::new(),
                    triggers: Vec::new(),
                });
            let l = level_name(sen.level);
            if !e.levels.contains(&l) {
                e.levels.push(l);
            }
            if !e.triggers.contains(&s.name) {
                e.triggers.push(s.name.clone());
            }
        }
    }
    // the PCI flags, from the PCI module
    let mut pci_lines: BTreeMap<String, Entry> = BTreeMap::new();
    for (name, scores) in [
        (
            "PCI 27, every region scored",
            vec![(0..9, LesionSize::Ls3), (9..13, LesionSize::Ls0)],
        ),
        (
            "lower ileum LS-2, regions unscored",
            vec![(12..13, LesionSize::Ls2)],
        ),
    ] {
        let mut p = Pci::new();
        for (range, size) in scores {
            for r in range {
                p.set(r, size).unwrap();
            }
        }
        for f in p.flags() {
            let e = pci_lines
                .entry(format!("{} ({})", template(&f.message), f.source))
                .or_insert(Entry {
                    levels: vec!["alert"],
                    triggers: Vec::new(),
                });
            e.triggers.push(name.into());
        }
    }
    let mut md = String::from(
        "# Every clinical sentence Remnant can say\n\n\
         Generated by `tests/clinical_text.rs` from a matrix of plan states run through\n\
         `clinical::decide`, the one function the Plan tab, `remnant volumetry` and the PDF\n\
         print from. Do not edit by hand: change the wording in `src/clinical/` (or\n\
         `src/volumetry/`), then run `REMNANT_BLESS=1 cargo test --release --test clinical_text`\n\
         and review the diff. The test fails in CI while this file is stale.\n\n\
         Measured numbers are written N; the thresholds and cut-offs the sentences state\n\
         (20 / 30 / 40 %, 5 points, 2 %/week, 7.5 points, 10 mm, 0.5 %) and citation years are\n\
         kept. *Triggers* are the first plan states of the matrix that produce the sentence\n\
         (up to three, with the number of others); *level* is how it is shown (info, good,\n\
         caution, alert); *sources* are those the sentence names.\n\n",
    );
    md.push_str(&format!(
        "Plan states in the matrix ({}): {}.\n\n",
        states.len(),
        states
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    ));
    let entry_md = |md: &mut String, text: &str, e: &Entry| {
        let shown: Vec<&str> = e.triggers.iter().take(3).map(String::as_str).collect();
        let more = e.triggers.len().saturating_sub(3);
        md.push_str(&format!("- {text}\n"));
        md.push_str(&format!(
            "  - trigger: {}{}\n  - level: {}\n  - sources: {}\n",
            shown.join("; "),
            if more > 0 {
                format!(" (and {more} more)")
            } else {
                String::new()
            },
            e.levels.join(", "),
            sources(text)
        ));
    };
    for (t, entries) in &by_topic {
        md.push_str(&format!("## {}\n\n", topic_name(order[*t])));
        for (text, e) in entries {
            entry_md(&mut md, text, e);
        }
        md.push('\n');
    }
    md.push_str(
        "## Next step (the decision card)\n\n\
         Remnant's own workflow rule, shown under the card's verdict and alerts; not a \
         source's advice.\n\n",
    );
    for (text, e) in &next_steps {
        entry_md(&mut md, text, e);
    }
    md.push('\n');
    md.push_str(
        "## Couinaud segments and resection options\n\n\
         Shown with the segment table and the options (Plan tab, `remnant volumetry \
         --landmarks`, PDF).\n\n",
    );
    use remnant::clinical::segments as cs;
    let seg_lines = [
        (cs::SEGMENTS_CAVEAT.to_string(), "segments drawn"),
        (cs::CAUDATE_RULE.to_string(), "segments drawn"),
        (cs::SEGMENTS_SOURCE.to_string(), "segments drawn"),
        (
            cs::tumours_left_text("Right hemihepatectomy (5, 6, 7, 8)", &[2]),
            "an option leaving a tumour",
        ),
        (
            format!(
                "margin {}",
                cs::option_margin_text(Some(12.0), Some(true), true)
            ),
            "an option clearing every tumour by > 1 cm",
        ),
        (
            format!(
                "margin {}",
                cs::option_margin_text(Some(4.0), Some(false), true)
            ),
            "an option clearing every tumour by < 1 cm",
        ),
        (
            format!("margin {}", cs::option_margin_text(Some(10.0), None, true)),
            "a margin within one voxel of 1 cm",
        ),
        (
            format!("margin {}", cs::option_margin_text(None, Some(true), true)),
            "no remnant within the search radius",
        ),
    ];
    for (text, trigger) in seg_lines {
        let e = Entry {
            levels: vec!["info"],
            triggers: vec![trigger.to_string()],
        };
        entry_md(&mut md, &template(&text), &e);
    }
    md.push('\n');
    md.push_str("## PCI flags\n\n");
    for (text, e) in &pci_lines {
        entry_md(&mut md, text, e);
    }
    md
}

#[test]
fn the_catalogue_of_clinical_sentences_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/clinical-text.md");
    let now = catalogue();
    // no sentence cites a source file
    assert!(
        !now.to_lowercase().contains("seed"),
        "a sentence cites a seed file"
    );
    if std::env::var("REMNANT_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(path, &now).unwrap();
        return;
    }
    let old = std::fs::read_to_string(path).unwrap_or_default();
    if old != now {
        let first = old
            .lines()
            .zip(now.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(old.lines().count().min(now.lines().count()));
        panic!(
            "docs/clinical-text.md is stale (first difference at line {}: {:?}); run REMNANT_BLESS=1 cargo test --release --test clinical_text and review the diff",
            first + 1,
            now.lines().nth(first)
        );
    }
}

/// The matrix reaches every kind of sentence: each topic, each level, and the states the
/// issue names (no verdict, post-PVE, lower bound, tumour in remnant, scan edge).
#[test]
fn the_matrix_covers_every_topic_and_level() {
    let md = catalogue();
    for t in [
        "## Verdict",
        "## Two-stage hepatectomy",
        "## What it was judged on",
        "## Warnings",
        "## Caveat",
        "## PVE projection",
        "## After PVE",
        "## Margins",
        "## Fong clinical risk score",
        "## Resectability checklist",
        "## PCI flags",
    ] {
        assert!(md.contains(t), "{t} missing");
    }
    for l in [
        "level: info",
        "level: good",
        "level: caution",
        "level: alert",
    ] {
        assert!(md.contains(l), "{l} missing");
    }
    for s in [
        "No verdict yet",
        "Post-PVE scan:",
        "First scan, before PVE:",
        "KGR at least",
        "Plan incomplete:",
        "the liver touches the first slice",
        "may be under 10 mm",
        "custom 25 %",
        "weight N kg is outside",
        "are more than the weeks between the scans",
        "not applied to the measured FLR",
    ] {
        assert!(md.contains(s), "{s} missing from the catalogue");
    }
}
