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
