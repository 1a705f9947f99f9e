//! Known-answer phantoms for the Couinaud planes, the hepatectomies and the options.

use super::*;
use crate::segmentation::Layer;
use crate::segmentation::components::components;
use crate::volume::Geometry;
use crate::volumetry::PlanInputs;
use crate::volumetry::coverage::liver_coverage;

use super::phantom::{expected, phantom, phantom_landmarks};

/// Per segment: (liver voxels, tumour voxels), counted with [`expected`].
fn expected_counts(g: &Geometry, bits: &[u8]) -> [(u64, u64); 10] {
    let mut n = [(0u64, 0u64); 10];
    for k in 0..g.dims[2] {
        for j in 0..g.dims[1] {
            for i in 0..g.dims[0] {
                let b = bits[g.index(i, j, k)];
                if b == 0 {
                    continue;
                }
                let c = expected(g.to_world([i as f64, j as f64, k as f64])).code() as usize;
                n[c].0 += 1;
                if b & Layer::Tumour.bit() != 0 {
                    n[c].1 += 1;
                }
            }
        }
    }
    n
}

#[test]
fn each_named_hepatectomy_removes_the_volume_its_planes_define() {
    let (g, bits) = phantom(&[]);
    let c = compute(&phantom_landmarks(), &bits, &g).unwrap();
    let want = expected_counts(&g, &bits);
    for s in Segment::ALL {
        assert_eq!(
            c.map.voxels[s.code() as usize],
            want[s.code() as usize].0,
            "segment {}",
            s.name()
        );
        assert!(
            want[s.code() as usize].0 > 1000,
            "segment {} too small for the test",
            s.name()
        );
    }
    let ml = g.voxel_volume_mm3() / 1000.0;
    let ts = table::volumes(&c.map, &g, &[]);
    let total: f64 = ts.iter().map(|t| t.volume_ml).sum();
    assert!((total - bits.iter().filter(|&&b| b != 0).count() as f64 * ml).abs() < 1e-6);
    for h in Hepatectomy::ALL {
        let want_n: u64 = h
            .segments()
            .segments()
            .iter()
            .map(|s| want[s.code() as usize].0)
            .sum();
        assert_eq!(c.map.voxels_in(h.segments()), want_n, "{}", h.key());
        // right hemihepatectomy: the right hemiliver minus the caudate box's right part
    }
    // the right hemiliver is the liver with x > 0 outside the caudate box, exactly
    let right = c
        .map
        .voxels_in(Hepatectomy::RightHemihepatectomy.segments());
    let mut n = 0u64;
    for k in 0..g.dims[2] {
        for j in 0..g.dims[1] {
            for i in 0..g.dims[0] {
                let w = g.to_world([i as f64, j as f64, k as f64]);
                if bits[g.index(i, j, k)] != 0 && w[0] > 0.0 && expected(w) != Segment::S1 {
                    n += 1;
                }
            }
        }
    }
    assert_eq!(right, n);
}

fn changed_pairs(a: &SegmentMap, b: &SegmentMap) -> std::collections::BTreeSet<(u8, u8)> {
    assert_eq!(a.lo, b.lo);
    a.codes
        .iter()
        .zip(&b.codes)
        .filter(|(x, y)| x != y)
        .map(|(x, y)| (*x.min(y), *x.max(y)))
        .collect()
}

#[test]
fn moving_one_landmark_moves_only_the_boundaries_it_defines() {
    let (g, bits) = phantom(&[]);
    let lm = phantom_landmarks();
    let base = compute(&lm, &bits, &g).unwrap();
    // the right vein's far point: only 5 <-> 6 and 8 <-> 7 change
    let mut m = lm;
    m.set(LandmarkId::RhvDistal, Some([50.0, 10.0, 30.0]));
    let moved = compute(&m, &bits, &g).unwrap();
    let pairs = changed_pairs(&base.map, &moved.map);
    assert_eq!(pairs, [(5, 6), (7, 8)].into_iter().collect(), "right vein");
    // the left vein's far point: only 2 <-> 4a and 3 <-> 4b (4b = code 9)
    let mut m = lm;
    m.set(LandmarkId::LhvDistal, Some([-50.0, 10.0, 30.0]));
    let moved = compute(&m, &bits, &g).unwrap();
    let pairs = changed_pairs(&base.map, &moved.map);
    assert_eq!(pairs, [(2, 4), (3, 9)].into_iter().collect(), "left vein");
    // the middle vein's far point: only across the hemiliver line, at the same level
    // (superior 2, 4a <-> 7, 8; inferior 3, 4b <-> 5, 6)
    let mut m = lm;
    m.set(LandmarkId::MhvDistal, Some([8.0, 30.0, 30.0]));
    let moved = compute(&m, &bits, &g).unwrap();
    let pairs = changed_pairs(&base.map, &moved.map);
    assert!(
        pairs.contains(&(4, 8)) && pairs.contains(&(5, 9)),
        "{pairs:?}"
    );
    for (x, y) in pairs {
        let sup = |c: u8| [2, 4, 7, 8].contains(&c);
        let left = |c: u8| [2, 3, 4, 9].contains(&c);
        assert!(
            left(x) != left(y) && sup(x) == sup(y),
            "middle vein moved {x} <-> {y}"
        );
    }
}

#[test]
fn options_with_tumours_in_segments_3_and_8_are_exactly_those_that_clear_both() {
    // tumour 1 in segment 3, tumour 2 in segment 8, each > 13 mm from every plane
    let tum = [([-45.0, 0.0, -25.0], 4.0), ([20.0, 25.0, 25.0], 4.0)];
    let (g, bits) = phantom(&tum);
    let c = compute(&phantom_landmarks(), &bits, &g).unwrap();
    let comps = components(&bits, Layer::Tumour.bit(), &g);
    assert_eq!(comps.len(), 2);
    let ts = table::tumour_segments(&bits, &g, &c.map, &comps);
    let segs: Vec<String> = ts.iter().map(|t| t.describe()).collect();
    let mut sorted = segs.clone();
    sorted.sort();
    assert_eq!(sorted, ["3", "8"]);
    let inputs = PlanInputs::default();
    let cov = liver_coverage(&bits, g.dims);
    let opts = options::options(&bits, &g, &c.map, &comps, &ts, &inputs, cov);
    let clear: Vec<&str> = opts
        .iter()
        .filter(|o| o.clears_all_tumours)
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(clear, ["left-trisectionectomy", "segments:3,8"]);
    // every other option names the tumours it leaves
    let s3 = ts.iter().find(|t| t.describe() == "3").unwrap().tumour;
    let s8 = ts.iter().find(|t| t.describe() == "8").unwrap().tumour;
    let lls = opts
        .iter()
        .find(|o| o.name == "left-lateral-sectionectomy")
        .unwrap();
    assert_eq!(lls.tumours_left, vec![s8]);
    let rhh = opts
        .iter()
        .find(|o| o.name == "right-hemihepatectomy")
        .unwrap();
    assert_eq!(rhh.tumours_left, vec![s3]);
    // the FLR of each: the functional liver outside the set, counted independently
    let want = expected_counts(&g, &bits);
    let functional: u64 = want.iter().map(|(n, t)| n - t).sum();
    for o in &opts {
        let resected: u64 = o
            .segments
            .iter()
            .map(|s| {
                let (n, t) = want[s.code() as usize];
                n - t
            })
            .sum();
        let flr = 100.0 * (functional - resected) as f64 / functional as f64;
        assert!(
            (o.flr_percent.unwrap() - flr).abs() < 1e-9,
            "{}: {:?} vs {flr}",
            o.name,
            o.flr_percent
        );
    }
    for o in opts.iter().filter(|o| o.clears_all_tumours) {
        let d = o.closest_margin_mm.unwrap();
        assert!((11.0..16.0).contains(&d), "{}: margin {d}", o.name);
        assert_eq!(o.margin_over_1cm, Some(true));
    }
}

#[test]
fn a_tumour_near_a_plane_adds_the_segment_sets_that_clear_it_by_1_cm() {
    // a tumour in segment 3 only 4 mm (face) from the portal plane
    let tum = [([-45.0, 0.0, -8.0], 4.0)];
    let (g, bits) = phantom(&tum);
    let c = compute(&phantom_landmarks(), &bits, &g).unwrap();
    let comps = components(&bits, Layer::Tumour.bit(), &g);
    let ts = table::tumour_segments(&bits, &g, &c.map, &comps);
    assert_eq!(ts[0].describe(), "3");
    let opts = options::options(
        &bits,
        &g,
        &c.map,
        &comps,
        &ts,
        &PlanInputs::default(),
        liver_coverage(&bits, g.dims),
    );
    let lls = opts
        .iter()
        .find(|o| o.name == "left-lateral-sectionectomy")
        .unwrap();
    assert_eq!(
        lls.margin_over_1cm,
        Some(true),
        "2+3 clears it by more than 1 cm"
    );
    // the smallest set is LLS's: it is listed once, under its name
    assert_eq!(
        opts.iter()
            .filter(|o| o.set == SegmentSet::of(&[Segment::S2, Segment::S3]))
            .count(),
        1
    );
    // the smallest set, segment 3 alone, is listed with its margin under 1 cm
    let only3 = opts.iter().find(|o| o.name == "segments:3").unwrap();
    assert!(only3.clears_all_tumours);
    assert_eq!(
        only3.margin_over_1cm,
        Some(false),
        "{:?}",
        only3.closest_margin_mm
    );
}

#[test]
fn bad_landmarks_are_named_and_nothing_is_assigned() {
    let (g, bits) = phantom(&[]);
    let lm = phantom_landmarks();
    let err = |l: &Landmarks| compute(l, &bits, &g).unwrap_err();
    let mut m = lm;
    m.set(LandmarkId::MhvDistal, None);
    assert_eq!(err(&m), LandmarkError::Missing(LandmarkId::MhvDistal));
    assert!(
        err(&m)
            .to_string()
            .contains("middle hepatic vein, further along")
    );
    let mut m = lm;
    m.set(LandmarkId::PortalBifurcation, Some([0.0, 0.0, 500.0]));
    assert!(matches!(
        err(&m),
        LandmarkError::OutsideScan {
            id: LandmarkId::PortalBifurcation,
            ..
        }
    ));
    assert!(err(&m).to_string().contains("portal vein bifurcation"));
    let mut m = lm;
    m.set(LandmarkId::RhvDistal, Some([10.2, -10.0, 30.0]));
    assert_eq!(
        err(&m),
        LandmarkError::Coincident(LandmarkId::RhvConfluence, LandmarkId::RhvDistal)
    );
    let mut m = lm;
    m.set(LandmarkId::LhvDistal, Some([-10.0, -10.0, 0.0]));
    assert!(
        matches!(
            err(&m),
            LandmarkError::Degenerate {
                vein: "left hepatic vein",
                ..
            }
        ),
        "{:?}",
        err(&m)
    );
    // the right vein's plane moved beyond the liver (x = 200 side): no posterior sector
    let mut m = lm;
    m.set(LandmarkId::RhvConfluence, Some([64.0, 50.0, 30.0]));
    m.set(LandmarkId::RhvDistal, Some([54.0, 53.0, 30.0]));
    let e = err(&m);
    assert_eq!(e, LandmarkError::NoCut("right hepatic vein"), "{e:?}");
    assert!(e.to_string().contains("right hepatic vein"));
    // a shared confluence of the middle and left veins is allowed
    let mut m = lm;
    m.set(LandmarkId::LhvConfluence, Some([0.0, -10.0, 30.0]));
    assert!(compute(&m, &bits, &g).is_ok());
}

#[test]
fn landmarks_file_round_trips_and_refuses_other_formats() {
    let lm = phantom_landmarks();
    let text = lm.to_json();
    assert!(text.contains("\"format\": \"remnant.landmarks/1\""));
    assert_eq!(Landmarks::from_json(&text).unwrap(), lm);
    let mut partial = lm;
    partial.set(LandmarkId::LhvDistal, None);
    assert_eq!(Landmarks::from_json(&partial.to_json()).unwrap(), partial);
    let e = Landmarks::from_json(&text.replace("landmarks/1", "landmarks/9")).unwrap_err();
    assert!(e.to_string().contains("remnant.landmarks/1"), "{e}");
    let issue = r#"{"format": "remnant.landmarks/1", "ivc": [[0,-20,-40],[0,-20,40]], "rhv": [[10,-10,30],[50,30,30]],
      "mhv": [[0,-10,30],[0,30,30]], "lhv": [[-10,-10,30],[-50,30,30]], "portal_bifurcation": [0,0,0]}"#;
    assert_eq!(Landmarks::from_json(issue).unwrap(), lm);
}

#[test]
fn segment_sets_parse_as_the_cli_writes_them() {
    assert_eq!(
        SegmentSet::parse("2,3").unwrap(),
        SegmentSet::of(&[Segment::S2, Segment::S3])
    );
    assert_eq!(SegmentSet::parse("4").unwrap().describe(), "4");
    assert_eq!(SegmentSet::parse("4a, 8").unwrap().describe(), "4a, 8");
    assert!(SegmentSet::parse("9").unwrap_err().contains("\"9\""));
    assert!(SegmentSet::parse("").is_err());
    assert_eq!(
        Hepatectomy::parse("left-trisectionectomy")
            .unwrap()
            .segments()
            .describe(),
        "2, 3, 4, 5, 8"
    );
}

/// The 3-D number of each segment sits at the mean grid position of its voxels.
#[test]
fn segment_centroids_are_the_mean_voxel_position_of_each_code() {
    // a 4 x 2 x 2 box at (2, 3, 4): code 2 in columns 0-1, code 5 in column 3 of the
    // top layer only, column 2 outside the liver
    let (lo, size) = ([2usize, 3, 4], [4usize, 2, 2]);
    let mut codes = vec![0u8; 16];
    for k in 0..2 {
        for j in 0..2 {
            codes[4 * (j + 2 * k)] = 2;
            codes[1 + 4 * (j + 2 * k)] = 2;
        }
    }
    // (i, j, k) = (3, 1, 1) and (3, 0, 1): index i + 4 * (j + 2 * k)
    codes[3 + 4 * 3] = 5;
    codes[3 + 4 * 2] = 5;
    let m = assign::SegmentMap {
        lo,
        size,
        codes,
        voxels: [0; 10],
        tumour_voxels: [0; 10],
    };
    let c = m.centroids();
    assert_eq!(c.len(), 2, "{c:?}");
    assert_eq!(c[0], (Segment::S2, [2.5, 3.5, 4.5]));
    assert_eq!(c[1], (Segment::S5, [5.0, 3.5, 5.0]));
}
