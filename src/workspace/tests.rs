use super::*;
use crate::segmentation::Layer;
use crate::task::Task;

fn phantom_study() -> Study {
    let (ct, map) = crate::phantom::make();
    let mut s = Study::new(PathBuf::from("phantom.nii.gz"), ct, None);
    s.labels = map;
    s
}

#[test]
fn the_revision_only_grows_and_unsaved_follows_it() {
    let mut ws = Workspace::new();
    assert!(!ws.has_unsaved_changes(), "nothing done yet");
    let r0 = ws.revision();
    let notes = ws.install(phantom_study());
    assert!(notes.is_empty());
    assert!(!ws.has_unsaved_changes(), "opening a scan is not a change");
    let mut r = ws.report.clone();
    r.surgeon = Some("Dr A".into());
    ws.set_report(r.clone());
    assert!(ws.has_unsaved_changes());
    let r1 = ws.revision();
    assert!(r1 > r0);
    ws.mark_saved();
    assert!(!ws.has_unsaved_changes());
    ws.set_report(r); // the same report: no change
    assert!(!ws.has_unsaved_changes());
    // a layer edit counts
    ws.study.as_mut().unwrap().touch();
    assert!(ws.has_unsaved_changes());
    // another scan: the revision goes on, it is never rewound
    let before = ws.revision();
    ws.install(phantom_study());
    assert!(ws.revision() >= before);
}

#[test]
fn the_tumour_list_belongs_to_the_study_it_was_computed_on() {
    let mut ws = Workspace::new();
    ws.install(phantom_study());
    assert!(!ws.tumours().is_empty());
    let (ct, _) = crate::phantom::make();
    let empty = Study::new(PathBuf::from("other.nii.gz"), ct, None);
    ws.install(empty);
    assert!(ws.tumours().is_empty(), "no stale tumours of the last scan");
}

#[test]
fn a_snapshot_holds_the_cut_plane_and_the_layers() {
    let mut ws = Workspace::new();
    ws.install(phantom_study());
    let cut = crate::segmentation::plane_cut::CutPlane {
        point: [0.0; 3],
        normal: [1.0, 0.0, 0.0],
        remove_positive: true,
    };
    ws.editor.last_cut = Some(cut);
    let snap = ws.snapshot();
    assert_eq!(snap.cut, Some(cut));
    let scan = snap.scan.unwrap();
    assert_eq!(
        scan.labels.count(Layer::Tumour),
        ws.study.as_ref().unwrap().labels.count(Layer::Tumour)
    );
    let _ = Task::none();
}

/// Landmarks are undone and redone in order with the layer edits: a landmark placed
/// by a press and dragged is one step, a set by command another, a brush stroke
/// between them a third (issue 26: landmarks are undoable).
#[test]
fn landmark_changes_undo_in_order_with_layer_edits() {
    use crate::segmentation::tools::{Axis, PaintMode};
    use crate::segments::{LandmarkId, Landmarks};
    use crate::workspace::tracing::{ScriptedStroke, Tool};
    let mut ws = Workspace::new();
    ws.install(phantom_study());
    let g = ws.study.as_ref().unwrap().ct.geometry.clone();
    let c = g.dims.map(|d| d as f64 / 2.0);
    let empty = Landmarks::default();
    // 1. the Segments tool: press places the first landmark, the drag moves it
    ws.editor.tool = Tool::Segments;
    let press = Command::Press {
        axis: Axis::K,
        slice: c[2] as usize,
        at: c,
    };
    ws.apply(press).unwrap();
    ws.apply(Command::Drag([c[0] + 3.0, c[1], c[2]])).unwrap();
    ws.apply(Command::Release).unwrap();
    let placed = ws.landmarks;
    let first = LandmarkId::ALL[0];
    assert_eq!(
        placed.get(first),
        Some(g.to_world([c[0] + 3.0, c[1], c[2]]))
    );
    // 2. a brush stroke on the layers
    ws.editor.tool = Tool::Navigate;
    let labels0 = ws.study.as_ref().unwrap().labels.bits.clone();
    let w = g.to_world(c);
    let stroke = ScriptedStroke {
        layer: Layer::Resection,
        points: vec![w, [w[0] + 10.0, w[1], w[2]]],
        radius_mm: 5.0,
        mode: PaintMode::Paint,
    };
    let applied = ws.apply(Command::Stroke(stroke)).unwrap();
    assert!(applied.layers.is_some());
    let labels1 = ws.study.as_ref().unwrap().labels.bits.clone();
    assert_ne!(labels0, labels1);
    // 3. a second landmark set by command
    let second = LandmarkId::ALL[1];
    ws.apply(Command::SetLandmark(second, Some([w[0], w[1], w[2] + 6.0])))
        .unwrap();
    let both = ws.landmarks;
    assert!(both.get(second).is_some());

    let labels = |ws: &Workspace| ws.study.as_ref().unwrap().labels.bits.clone();
    ws.apply(Command::Undo).unwrap();
    assert_eq!(ws.landmarks, placed, "the second landmark went first");
    assert_eq!(labels(&ws), labels1, "the layers are untouched by it");
    ws.apply(Command::Undo).unwrap();
    assert_eq!(labels(&ws), labels0, "then the stroke");
    assert_eq!(ws.landmarks, placed);
    ws.apply(Command::Undo).unwrap();
    assert_eq!(
        ws.landmarks, empty,
        "then the press and its drag, as one step"
    );
    ws.apply(Command::Redo).unwrap();
    assert_eq!(ws.landmarks, placed);
    ws.apply(Command::Redo).unwrap();
    assert_eq!(labels(&ws), labels1);
    ws.apply(Command::Redo).unwrap();
    assert_eq!(ws.landmarks, both);
    // clearing is one step too
    ws.apply(Command::ClearLandmarks).unwrap();
    assert_eq!(ws.landmarks, empty);
    ws.apply(Command::Undo).unwrap();
    assert_eq!(ws.landmarks, both);
}
