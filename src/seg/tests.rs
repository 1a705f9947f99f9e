//! Known-answer round trips: layers written as SEG and imported back onto the same
//! grid, onto a coarser grid, onto a scan they do not overlap.

use super::*;
use crate::segmentation::{LabelMap, Layer};
use crate::volume::Geometry;
use crate::volume::dicom::{ImageRef, SourceRefs};

/// An oblique LPS-like grid (rotated 20 degrees about z, 0.8 x 0.7 x 2.5 mm).
fn oblique(dims: [usize; 3]) -> Geometry {
    let t = 20f64.to_radians();
    let mut g = Geometry::axis_aligned(dims, [1.0; 3], [0.0; 3]);
    g.affine = [
        [-0.8 * t.cos(), 0.7 * t.sin(), 0.0, 40.5],
        [-0.8 * t.sin(), -0.7 * t.cos(), 0.0, 20.25],
        [0.0, 0.0, 2.5, -30.0],
        [0.0, 0.0, 0.0, 1.0],
    ];
    g
}

/// Liver = a ball, tumour = a small ball in it, resection = the half with i < 12,
/// stage-1 resection = a wedge of the other half (j < 8).
fn layers(g: &Geometry) -> LabelMap {
    let mut m = LabelMap::empty(g.clone());
    let [nx, ny, nz] = g.dims;
    for k in 0..nz {
        for j in 0..ny {
            for i in 0..nx {
                let (x, y, z) = (i as f64 - 15.0, j as f64 - 12.0, (k as f64 - 4.0) * 3.0);
                let mut b = 0;
                if x * x + y * y + z * z < 100.0 {
                    b |= Layer::Liver.bit();
                    if i < 12 {
                        b |= Layer::Resection.bit();
                    } else if j < 8 {
                        b |= Layer::Stage1.bit();
                    }
                }
                if (x - 3.0).powi(2) + y * y + z * z < 9.0 {
                    b |= Layer::Tumour.bit() | Layer::Liver.bit();
                }
                m.bits[g.index(i, j, k)] = b;
            }
        }
    }
    m
}

fn refs(nz: usize) -> SourceRefs {
    SourceRefs {
        study_instance_uid: Some("1.2.3.4".into()),
        series_instance_uid: Some("1.2.3.4.5".into()),
        frame_of_reference_uid: Some("1.2.3.4.6".into()),
        slices: (0..nz)
            .map(|k| {
                vec![ImageRef {
                    sop_class_uid: "1.2.840.10008.5.1.4.1.1.2".into(),
                    sop_instance_uid: format!("1.2.3.4.7.{}", k + 1),
                    frame: None,
                }]
            })
            .collect(),
        study_attrs: Default::default(),
    }
}

#[test]
fn layers_round_trip_exactly_on_the_same_grid_with_the_source_references() {
    let g = oblique([30, 25, 9]);
    let map = layers(&g);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seg.dcm");
    let r = refs(9);
    let w = write_seg(&path, &map, Some(&r)).unwrap();
    assert!(w.warnings.is_empty(), "{:?}", w.warnings);
    assert_eq!(w.study_instance_uid, "1.2.3.4");
    assert_eq!(w.frame_of_reference_uid, "1.2.3.4.6");
    assert_eq!(w.referenced_images, 9);
    let kinds: Vec<SegmentKind> = w.segments.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, SegmentKind::ALL);

    let f = read_seg(&path).unwrap();
    assert_eq!(f.referenced_series, vec!["1.2.3.4.5".to_string()]);
    assert_eq!(f.referenced_instances.len(), 9);
    assert_eq!(f.frames.len(), w.frames);

    let got = import_seg(&path, &g, Some(&r)).unwrap();
    assert!(!got.resampled, "{:?}", got.warnings);
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
    let mut back = LabelMap::empty(g.clone());
    got.apply(&mut back);
    for layer in [Layer::Liver, Layer::Tumour, Layer::Stage1] {
        assert!(map.layer_mask(layer).iter().any(|&v| v != 0), "{layer:?}");
        assert_eq!(back.layer_mask(layer), map.layer_mask(layer), "{layer:?}");
    }
    // resection: the part inside the liver (all of it here)
    assert_eq!(
        back.layer_mask(Layer::Resection),
        map.layer_mask(Layer::Resection)
    );
    let remnant = got.segments.iter().find(|s| s.number == 4).unwrap();
    assert!(remnant.layer.is_none() && remnant.why.contains("recomputed"));
}

#[test]
fn a_nifti_scan_gets_new_uids_and_says_so() {
    let g = Geometry::axis_aligned([20, 20, 5], [1.5, 1.5, 3.0], [-10.0, 5.0, 2.0]);
    let mut map = LabelMap::empty(g.clone());
    map.bits[g.index(3, 4, 2)] = Layer::Liver.bit();
    let (obj, w) = build_seg(&map, None).unwrap();
    assert!(w.study_instance_uid.starts_with("2.25."));
    assert!(w.frame_of_reference_uid.starts_with("2.25."));
    assert_eq!(w.referenced_images, 0);
    assert_eq!(w.frames, 2, "liver and remnant, one frame each");
    assert!(
        w.warnings[0].contains("new Study Instance UID"),
        "{:?}",
        w.warnings
    );
    assert!(
        obj.get(dicom_dictionary_std::tags::REFERENCED_SERIES_SEQUENCE)
            .is_none()
    );
    let empty = LabelMap::empty(g);
    assert_eq!(build_seg(&empty, None).unwrap_err(), SegError::Empty);
}

#[test]
fn a_finer_seg_is_resampled_by_nearest_neighbour_with_a_warning() {
    // SEG on a 1 mm grid, scan on a 2 mm grid with the same origin: every scan voxel
    // centre is a SEG pixel centre, so the answer is the fine mask at even indices.
    let fine = Geometry::axis_aligned([40, 36, 20], [1.0; 3], [-20.0, -18.0, -10.0]);
    let coarse = Geometry::axis_aligned([20, 18, 10], [2.0; 3], [-20.0, -18.0, -10.0]);
    let mut map = LabelMap::empty(fine.clone());
    for k in 0..20 {
        for j in 0..36 {
            for i in 0..40 {
                let w = fine.to_world([i as f64, j as f64, k as f64]);
                if w[0] * w[0] + (w[1] / 1.3).powi(2) + w[2] * w[2] < 64.0 {
                    map.bits[fine.index(i, j, k)] = Layer::Liver.bit();
                }
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fine.dcm");
    write_seg(&path, &map, None).unwrap();
    let got = import_seg(&path, &coarse, None).unwrap();
    assert!(got.resampled);
    assert!(
        got.warnings.iter().any(|w| w.contains("nearest neighbour")),
        "{:?}",
        got.warnings
    );
    let (layer, mask) = &got.layers[0];
    assert_eq!(*layer, Layer::Liver);
    let mut n = 0;
    for k in 0..10 {
        for j in 0..18 {
            for i in 0..20 {
                let want = map.bits[fine.index(2 * i, 2 * j, 2 * k)] != 0;
                assert_eq!(mask[coarse.index(i, j, k)] != 0, want, "({i},{j},{k})");
                n += usize::from(want);
            }
        }
    }
    assert!(n > 100);
}

#[test]
fn a_seg_that_does_not_overlap_or_is_on_another_frame_of_reference_is_refused() {
    let g = oblique([30, 25, 9]);
    let map = layers(&g);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seg.dcm");
    let r = refs(9);
    write_seg(&path, &map, Some(&r)).unwrap();
    // a scan 500 mm away
    let far = Geometry::axis_aligned([30, 25, 9], [1.0; 3], [500.0, 500.0, 500.0]);
    match import_seg(&path, &far, None) {
        Err(SegError::NoOverlap { why, .. }) => assert!(why.contains("the scan covers"), "{why}"),
        other => panic!("{other:?}"),
    }
    let mut other = r.clone();
    other.frame_of_reference_uid = Some("9.9.9".into());
    assert!(matches!(
        import_seg(&path, &g, Some(&other)),
        Err(SegError::OtherFrameOfReference { .. })
    ));
    // not a SEG at all
    let txt = dir.path().join("x.dcm");
    std::fs::write(&txt, b"hello").unwrap();
    assert!(matches!(read_seg(&txt), Err(SegError::NotDicom { .. })));
}

/// With landmarks placed, the SEG holds one segment per Couinaud segment after the
/// layers, coded SCT (CID 7170), each holding exactly the liver voxels the phantom's
/// planes give it; the SR measures each of them.
#[test]
fn couinaud_segments_are_written_with_snomed_codes_and_measured_in_the_sr() {
    use crate::segments::phantom::{expected, phantom, phantom_landmarks};
    use crate::segments::{Segment, compute};
    let (g, bits) = phantom(&[([30.0, 20.0, 20.0], 8.0)]);
    let c = compute(&phantom_landmarks(), &bits, &g).unwrap();
    let mut labels = LabelMap::empty(g.clone());
    labels.bits.clone_from(&bits);
    let mut want = [0usize; 10];
    let [nx, ny, nz] = g.dims;
    for k in 0..nz {
        for j in 0..ny {
            for i in 0..nx {
                if bits[g.index(i, j, k)] != 0 {
                    let w = g.to_world([i as f64, j as f64, k as f64]);
                    want[expected(w).code() as usize] += 1;
                }
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seg.dcm");
    let w = write_seg_segments(&path, &labels, Some(&c.map), None).unwrap();
    let kinds: Vec<SegmentKind> = w.segments.iter().map(|s| s.kind).collect();
    let mut expect_kinds = vec![
        SegmentKind::Liver,
        SegmentKind::Tumour,
        SegmentKind::Remnant,
    ];
    expect_kinds.extend(Segment::ALL.map(SegmentKind::Couinaud));
    assert_eq!(kinds, expect_kinds);

    let f = read_seg(&path).unwrap();
    for s in Segment::ALL {
        let ws = w
            .segments
            .iter()
            .find(|x| x.kind == SegmentKind::Couinaud(s))
            .unwrap();
        let got = f.segment(ws.number).unwrap();
        assert_eq!(got.label, format!("Couinaud segment {}", s.name()));
        let t = got.property_type.as_ref().unwrap();
        assert_eq!(t.scheme, "SCT");
        let roman = ["I", "II", "III", "IV", "IV", "V", "VI", "VII", "VIII"];
        let idx = Segment::ALL.iter().position(|&x| x == s).unwrap();
        assert_eq!(
            t.meaning,
            format!("Couinaud hepatic segment {}", roman[idx])
        );
        let set: usize = f
            .frames
            .iter()
            .filter(|fr| fr.segment == ws.number)
            .map(|fr| (0..f.rows * f.cols).filter(|&p| f.is_set(fr, p)).count())
            .sum();
        assert!(want[s.code() as usize] > 0, "{s:?} empty in the phantom");
        assert_eq!(set, want[s.code() as usize], "{s:?}");
    }
    // the SR measures every segment of the SEG, the Couinaud ones included
    let (_, sr) = build_sr(&SrSource {
        seg: &w,
        voxel_mm3: g.voxel_volume_mm3(),
        refs: None,
        ratios: Ratios::default(),
    })
    .unwrap();
    assert_eq!(sr.volumes_ml.len(), 12);
    let s7 = w
        .segments
        .iter()
        .find(|x| x.kind == SegmentKind::Couinaud(Segment::S7))
        .unwrap();
    let ml = sr.volumes_ml.iter().find(|v| v.0 == s7.number).unwrap().1;
    let expect_ml = want[7] as f64 * g.voxel_volume_mm3() / 1000.0;
    assert!((ml - expect_ml).abs() < 1e-9, "{ml} vs {expect_ml}");
}

#[test]
fn without_landmarks_the_seg_has_no_couinaud_segment() {
    let g = oblique([30, 25, 9]);
    let (_, w) = build_seg_segments(&layers(&g), None, None).unwrap();
    assert!(
        w.segments
            .iter()
            .all(|s| !matches!(s.kind, SegmentKind::Couinaud(_)))
    );
}
