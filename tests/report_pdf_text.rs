//! The PDF's text, as extracted by pdftotext.

mod report_fixtures;

use remnant::pci::REGIONS;
use remnant::report::{Ascites, Hipec, LiverFigures, Photo, Report, render_pdf};

/// The score in the region table row "index name score meaning contents".
fn table_score(text: &str, index: u8, name: &str, meaning: &str) -> Option<String> {
    let name: Vec<&str> = name.split_whitespace().collect();
    let meaning: Vec<&str> = meaning.split_whitespace().collect();
    text.lines().find_map(|line| {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let n = name.len();
        let rest = tokens.get(n + 2..)?;
        let is_row = tokens.first() == Some(&index.to_string().as_str())
            && tokens.get(1..=n)? == name.as_slice()
            && rest.starts_with(&meaning);
        is_row.then(|| tokens[n + 1].to_owned())
    })
}

#[test]
fn text_shows_patient_scores_and_total() {
    let report = report_fixtures::sample_report();
    let pdf = render_pdf(&report, &[]).unwrap();
    assert!(pdf.starts_with(b"%PDF-1.7"));
    let Some(text) = report_fixtures::pdftotext(&pdf) else {
        return;
    };
    assert!(text.contains("PAT-77341"), "{text}");
    assert!(text.contains("Müller, Jürgen"), "{text}");
    assert!(text.contains("Dr É. Lefèvre"), "{text}");
    for region in &REGIONS {
        let score = report.pci.get(usize::from(region.index));
        let (expected, meaning) = match score {
            Some(s) => (s.points().to_string(), s.definition()),
            None => ("\u{2013}".to_owned(), "not scored"),
        };
        let found = table_score(&text, region.index, region.name, meaning);
        assert_eq!(
            found.as_deref(),
            Some(expected.as_str()),
            "region {}",
            region.name
        );
    }
    assert!(text.contains("PCI total: 16 / 39"), "{text}");
    assert!(text.contains("incomplete: 2 regions not scored"), "{text}");
    assert!(
        text.contains("Disease in region 12 (lower ileum, LS-2)"),
        "{text}"
    );
    assert!(
        text.contains("CC-1 \u{2013} Residual nodules < 2.5 mm"),
        "{text}"
    );
    assert!(text.contains("Mitomycin C"), "{text}");
    assert!(text.contains("42 °C"), "{text}");
    // the HIPEC's carrier and inflow / outflow, the operation and the follow-up
    for want in [
        "3 L",
        "43 °C / 41.5 °C",
        "540 min",
        "800 mL",
        "2 red cell units",
        "ileostomy",
        "Right hemihepatectomy",
        "Pelvic collection, drained under CT (Clavien-Dindo IIIa, 2024-06-20)",
        "alive; readmitted: yes; reoperated: no",
        "alive; readmitted: not recorded",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
    assert!(text.contains("FLR adequate (37.4 % >= 30 %)"), "{text}");
    assert!(
        text.contains("Pelvic peritonectomy with sigmoid colon resection"),
        "{text}"
    );
    assert!(text.contains("Page 1 of"), "{text}");
    assert!(
        text.contains(&report.fingerprint().unwrap()[..16]),
        "{text}"
    );
}

#[test]
fn complete_high_pci_is_flagged() {
    let mut report = report_fixtures::sample_report();
    report.pci = report_fixtures::pci([3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0]);
    let pdf = render_pdf(&report, &[]).unwrap();
    let Some(text) = report_fixtures::pdftotext(&pdf) else {
        return;
    };
    assert!(text.contains("PCI total: 21 / 39"), "{text}");
    assert!(!text.contains("incomplete:"), "{text}");
    assert!(text.contains("PCI 21 > 20"), "{text}");
    for region in &REGIONS {
        let s = report.pci.get(usize::from(region.index)).unwrap();
        let found = table_score(&text, region.index, region.name, s.definition());
        assert_eq!(
            found,
            Some(s.points().to_string()),
            "region {}",
            region.name
        );
    }
}

#[test]
fn long_reports_break_pages() {
    let mut report = report_fixtures::sample_report();
    report.findings = (1..=250)
        .map(|i| format!("Finding number {i} described at some length for the page test."))
        .collect::<Vec<_>>()
        .join("\n");
    let pdf = render_pdf(&report, &[]).unwrap();
    let Some(text) = report_fixtures::pdftotext(&pdf) else {
        return;
    };
    let pages = text.matches("Page ").count();
    assert!(pages >= 4, "{pages} pages");
    assert!(text.contains(&format!("Page {pages} of {pages}")), "{text}");
    for i in [1, 125, 250] {
        assert!(
            text.contains(&format!("Finding number {i} described")),
            "finding {i}"
        );
    }
    // Nothing is drawn below the footer line: every page has one footer.
    assert_eq!(
        text.matches("Remnant operative report \u{2013} Müller")
            .count(),
        pages
    );
}

#[test]
fn hostile_input_renders_without_panic() {
    let mut report = Report::default();
    report.patient.name = Some("名前 😀 \u{0}\u{7}\r\n(tab\t) \\ back".into());
    report.patient.patient_id = Some("x".repeat(5000));
    report.findings = "W".repeat(20_000);
    report.organ_resections = (0..500).map(|i| format!("organ {i}")).collect();
    report.ascites = Ascites::Present {
        volume_ml: Some(f64::NAN),
    };
    report.hipec = Some(Hipec {
        drug: String::new(),
        dose_mg: Some(-5.0),
        dose_mg_per_m2: Some(f64::INFINITY),
        temperature_c: Some(99.0),
        duration_min: Some(-1.0),
        ..Hipec::default()
    });
    report.liver.figures = Some(LiverFigures {
        flr_percent: Some(f64::NEG_INFINITY),
        ..LiverFigures::default()
    });
    report.photos = vec![
        Photo {
            path: String::new(),
            caption: "c".repeat(3000),
        },
        Photo {
            path: "/dev/null".into(),
            caption: String::new(),
        },
        Photo {
            path: "/".into(),
            caption: String::new(),
        },
    ];
    let pdf = render_pdf(&report, &[]).unwrap();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("visual");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("hostile.pdf"), &pdf).unwrap();
    let Some(text) = report_fixtures::pdftotext(&pdf) else {
        return;
    };
    assert!(text.contains("could not be read"), "{text}");
    assert!(text.contains("hipec.temperature_c"), "{text}");
    assert!(text.contains("organ 499"));
}
