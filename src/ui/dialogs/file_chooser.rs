//! Remnant's own file chooser, used when the platform dialog is unavailable or fails
//! (minimal desktops, remote sessions, Xvfb) or when `REMNANT_FILE_DIALOG=inapp`:
//! a folder field, the folder's list (folders first, files by the chosen filter),
//! recent folders, a filter choice and the file name (or a whole path) to open or save.
//! The path logic ([`list`], [`resolve`]) is plain code, tested below.

use super::{Filter, Kind, Spec, Target};
use std::path::{Path, PathBuf};

/// One row of the folder list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub is_dir: bool,
}

/// Whether `name` ends with one of `endings` ("nii.gz" matches "CT.NII.GZ").
pub fn matches(name: &str, endings: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    endings
        .iter()
        .any(|e| *e == "*" || lower.ends_with(&format!(".{}", e.to_ascii_lowercase())))
}

/// The folder's visible entries: folders first, then the files the filter accepts
/// (all files when `filter` is None), each sorted by name. Hidden entries are left out.
pub fn list(dir: &Path, filter: Option<&[&str]>) -> std::io::Result<Vec<Entry>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let Ok(e) = e else { continue };
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        // follow symbolic links: a link to a folder is a folder
        let is_dir = e.path().is_dir();
        if is_dir || filter.is_none_or(|f| matches(&name, f)) {
            out.push(Entry { name, is_dir });
        }
    }
    out.sort_by(|a, b| {
        b.is_dir
            .cmp(&a.is_dir)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    Ok(out)
}

/// What the typed name or path means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A folder: show it.
    Enter(PathBuf),
    /// The answer.
    Chosen(PathBuf),
    /// A save over an existing file: ask before replacing it.
    Replace(PathBuf),
}

fn home() -> Option<PathBuf> {
    dirs::home_dir()
}

/// `text` (a name in `dir`, a relative or absolute path, or `~/...`) as a path.
pub fn expand(dir: &Path, text: &str) -> PathBuf {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix("~/")
        && let Some(h) = home()
    {
        return h.join(rest);
    }
    if t == "~"
        && let Some(h) = home()
    {
        return h;
    }
    dir.join(t)
}

/// Resolve what was typed against the folder shown, for a dialog of `kind`. A name
/// to save without an accepted ending gets the filter's first one (`default_ending`).
pub fn resolve(
    dir: &Path,
    text: &str,
    kind: Kind,
    default_ending: Option<&str>,
) -> Result<Resolved, String> {
    if text.trim().is_empty() {
        return match kind {
            Kind::Folder => Ok(Resolved::Chosen(dir.to_path_buf())),
            _ => Err("type a file name or choose a file in the list".into()),
        };
    }
    let mut path = expand(dir, text);
    if path.is_dir() {
        return Ok(match kind {
            Kind::Folder => Resolved::Chosen(path),
            _ => Resolved::Enter(path),
        });
    }
    match kind {
        Kind::Folder => Err(format!("{} is not a folder", path.display())),
        Kind::Open if path.is_file() => Ok(Resolved::Chosen(path)),
        Kind::Open => Err(format!("{} does not exist", path.display())),
        Kind::Save => {
            let parent = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(dir);
            if !parent.is_dir() {
                return Err(format!("the folder {} does not exist", parent.display()));
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let Some(end) = default_ending
                && !matches(&name, &[end])
            {
                path = parent.join(format!("{name}.{end}"));
            }
            Ok(if path.exists() {
                Resolved::Replace(path)
            } else {
                Resolved::Chosen(path)
            })
        }
    }
}

/// How the chooser ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChooserOutcome {
    Chosen(PathBuf),
    Cancelled,
}

/// The chooser window's state.
pub struct FileChooser {
    pub target: Target,
    pub spec: Spec,
    pub dir: PathBuf,
    dir_text: String,
    pub name: String,
    /// Index into the spec's filters; `filters.len()` is "All files".
    filter: usize,
    entries: Result<Vec<Entry>, String>,
    recent: Vec<PathBuf>,
    /// Why the platform dialog was not used.
    why: Option<String>,
    message: Option<String>,
    replace: Option<PathBuf>,
}

impl FileChooser {
    pub fn new(
        target: Target,
        spec: Spec,
        start: Option<PathBuf>,
        recent: Vec<PathBuf>,
        why: Option<String>,
    ) -> FileChooser {
        let dir = start
            .filter(|d| d.is_dir())
            .or_else(|| std::env::current_dir().ok())
            .or_else(home)
            .unwrap_or_else(|| PathBuf::from("/"));
        let mut c = FileChooser {
            target,
            name: spec.save_name.unwrap_or_default().to_string(),
            spec,
            dir_text: String::new(),
            dir: PathBuf::new(),
            filter: 0,
            entries: Ok(Vec::new()),
            recent,
            why,
            message: None,
            replace: None,
        };
        c.enter(dir);
        c
    }

    fn current_filter(&self) -> Option<&Filter> {
        self.spec.filters.get(self.filter)
    }

    /// Show `dir` (made absolute) and list it.
    pub fn enter(&mut self, dir: PathBuf) {
        let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
        self.dir_text = dir.display().to_string();
        self.dir = dir;
        self.refresh();
    }

    fn refresh(&mut self) {
        let f = self.current_filter().map(|f| f.1);
        self.entries = list(&self.dir, f).map_err(|e| format!("{}: {e}", self.dir.display()));
        self.replace = None;
    }

    /// Act on the typed name (the confirm button, Enter, a double click).
    fn confirm(&mut self) -> Option<ChooserOutcome> {
        let ending = match self.spec.kind {
            Kind::Save => self.current_filter().and_then(|f| f.1.first().copied()),
            _ => None,
        };
        match resolve(&self.dir, &self.name, self.spec.kind, ending) {
            Ok(Resolved::Enter(d)) => {
                if self.spec.kind != Kind::Save {
                    self.name.clear();
                }
                self.enter(d);
                None
            }
            Ok(Resolved::Chosen(p)) => Some(ChooserOutcome::Chosen(p)),
            Ok(Resolved::Replace(p)) if self.replace.as_ref() == Some(&p) => {
                Some(ChooserOutcome::Chosen(p))
            }
            Ok(Resolved::Replace(p)) => {
                self.message = Some(format!(
                    "{} exists: press {} again to replace it",
                    p.display(),
                    self.confirm_text()
                ));
                self.replace = Some(p);
                None
            }
            Err(e) => {
                self.message = Some(e);
                None
            }
        }
    }

    fn confirm_text(&self) -> &'static str {
        match self.spec.kind {
            Kind::Open => "Open",
            Kind::Save => "Save",
            Kind::Folder => "Choose this folder",
        }
    }

    /// The chooser as a modal window; Some when it ends.
    pub fn show(&mut self, ui: &mut egui::Ui) -> Option<ChooserOutcome> {
        let modal = egui::Modal::new(egui::Id::unique("remnant-file-chooser"))
            .show(ui.ctx(), |ui| self.contents(ui));
        if modal.should_close() && modal.inner.is_none() {
            return Some(ChooserOutcome::Cancelled);
        }
        modal.inner
    }

    /// The chooser's window contents; Some when it ends.
    fn contents(&mut self, ui: &mut egui::Ui) -> Option<ChooserOutcome> {
        let mut out = None;
        ui.set_width(ui.ctx().content_rect().width().clamp(320.0, 760.0) - 60.0);
        ui.heading(self.spec.title);
        if let Some(why) = &self.why {
            ui.colored_label(
                egui::Color32::from_rgb(230, 170, 60),
                format!("Remnant's own file chooser: {why}."),
            );
        }
        ui.horizontal(|ui| self.folder_bar(ui));
        let mut enter = None;
        let mut double = false;
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                if let Some(p) = self.places(ui) {
                    enter = Some(p);
                }
            });
            ui.add_space(12.0);
            ui.vertical(|ui| {
                let (e, d) = self.listing(ui);
                if e.is_some() {
                    enter = e;
                }
                double = d;
            });
        });
        if let Some(d) = enter {
            self.message = None;
            self.enter(d);
        }
        ui.separator();
        let mut typed_enter = false;
        if self.spec.kind != Kind::Folder {
            ui.horizontal(|ui| typed_enter = self.name_field(ui));
        }
        self.filter_choice(ui);
        if let Some(m) = &self.message {
            ui.colored_label(egui::Color32::from_rgb(240, 110, 80), m);
        }
        ui.horizontal(|ui| {
            if ui.button(self.confirm_text()).clicked() || typed_enter || double {
                out = self.confirm();
            }
            if ui.button("Cancel").clicked() {
                out = Some(ChooserOutcome::Cancelled);
            }
        });
        out
    }

    /// The folder field with Go and Up.
    fn folder_bar(&mut self, ui: &mut egui::Ui) {
        let l = ui.label("Folder");
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut self.dir_text)
                    .desired_width(ui.available_width() - 110.0),
            )
            .labelled_by(l.id);
        let go = ui.button("Go").clicked()
            || (r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)));
        if go {
            let d = expand(&self.dir, &self.dir_text);
            if d.is_dir() {
                self.message = None;
                self.enter(d);
            } else {
                self.message = Some(format!("{} is not a folder", d.display()));
            }
        }
        if ui
            .add_enabled(self.dir.parent().is_some(), egui::Button::new("Up"))
            .on_hover_text("The folder above")
            .clicked()
            && let Some(p) = self.dir.parent().map(Path::to_path_buf)
        {
            self.enter(p);
        }
    }

    /// Home and the recent folders; Some(folder) when one is clicked.
    fn places(&self, ui: &mut egui::Ui) -> Option<PathBuf> {
        let mut enter = None;
        ui.set_width(170.0);
        ui.strong("Places");
        let mut places: Vec<(String, PathBuf)> = Vec::new();
        if let Some(h) = home() {
            places.push(("Home".into(), h));
        }
        for r in &self.recent {
            let name = r
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| r.display().to_string());
            if !places.iter().any(|(_, p)| p == r) {
                places.push((name, r.clone()));
            }
        }
        if places.len() > 1 {
            ui.small("Recent folders");
        }
        for (name, p) in places {
            if ui
                .selectable_label(self.dir == p, name)
                .on_hover_text(p.display().to_string())
                .clicked()
            {
                enter = Some(p);
            }
        }
        enter
    }

    /// The folder's entries (a click on a file picks its name); returns (the folder
    /// clicked, whether a file was double-clicked).
    fn listing(&mut self, ui: &mut egui::Ui) -> (Option<PathBuf>, bool) {
        let mut enter = None;
        let mut double = false;
        egui::ScrollArea::vertical()
            .max_height(280.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                ui.set_min_height(280.0);
                match &self.entries {
                    Err(e) => {
                        ui.colored_label(egui::Color32::from_rgb(240, 110, 80), e);
                    }
                    Ok(list) if list.is_empty() => {
                        ui.weak("(nothing here for this filter)");
                    }
                    Ok(list) => {
                        for e in list {
                            let text = if e.is_dir {
                                format!("{}/", e.name)
                            } else {
                                e.name.clone()
                            };
                            let sel = !e.is_dir && self.name == e.name;
                            let r = ui.selectable_label(sel, text);
                            if e.is_dir && r.clicked() {
                                enter = Some(self.dir.join(&e.name));
                            } else if !e.is_dir && r.clicked() {
                                self.name = e.name.clone();
                                self.message = None;
                            }
                            if !e.is_dir && r.double_clicked() {
                                self.name = e.name.clone();
                                double = true;
                            }
                        }
                    }
                }
            });
        (enter, double)
    }

    /// The file name field; true when Enter was pressed in it.
    fn name_field(&mut self, ui: &mut egui::Ui) -> bool {
        let text = match self.spec.kind {
            Kind::Save => "Save as",
            _ => "File name",
        };
        let l = ui.label(text);
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut self.name)
                    .desired_width(ui.available_width() - 10.0)
                    .hint_text("a name in this folder, or a whole path"),
            )
            .labelled_by(l.id);
        if r.changed() {
            self.replace = None;
            self.message = None;
        }
        r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
    }

    /// The "files shown" filter (when the chooser has filters); lists again on a change.
    fn filter_choice(&mut self, ui: &mut egui::Ui) {
        let mut filter = self.filter;
        if !self.spec.filters.is_empty() {
            ui.horizontal(|ui| {
                let name = |i: usize| match self.spec.filters.get(i) {
                    Some((n, ends)) => format!("{n} ({})", ends.join(", ")),
                    None => "All files".to_string(),
                };
                egui::ComboBox::from_label("files shown")
                    .selected_text(name(filter))
                    .show_ui(ui, |ui| {
                        for i in 0..=self.spec.filters.len() {
                            ui.selectable_value(&mut filter, i, name(i));
                        }
                    });
            });
        }
        if filter != self.filter {
            self.filter = filter;
            self.refresh();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_folders_first_then_files_the_filter_accepts() {
        let d = tempfile::tempdir().unwrap();
        for f in ["b.nii.gz", "a.NII", "notes.txt", ".hidden.nii"] {
            std::fs::write(d.path().join(f), b"x").unwrap();
        }
        std::fs::create_dir(d.path().join("Zdir")).unwrap();
        let l = list(d.path(), Some(&["nii", "nii.gz"])).unwrap();
        let names: Vec<&str> = l.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Zdir", "a.NII", "b.nii.gz"]);
        assert!(l[0].is_dir && !l[1].is_dir);
        assert_eq!(list(d.path(), None).unwrap().len(), 4);
        assert!(list(&d.path().join("missing"), None).is_err());
    }

    #[test]
    fn resolves_names_paths_and_folders_for_each_kind() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path();
        std::fs::create_dir(dir.join("sub")).unwrap();
        std::fs::write(dir.join("ct.nii.gz"), b"x").unwrap();
        // open: an existing file by name or absolute path, a folder is entered
        assert_eq!(
            resolve(dir, "ct.nii.gz", Kind::Open, None),
            Ok(Resolved::Chosen(dir.join("ct.nii.gz")))
        );
        let abs = dir.join("ct.nii.gz").display().to_string();
        assert_eq!(
            resolve(Path::new("/"), &abs, Kind::Open, None),
            Ok(Resolved::Chosen(dir.join("ct.nii.gz")))
        );
        assert_eq!(
            resolve(dir, "sub", Kind::Open, None),
            Ok(Resolved::Enter(dir.join("sub")))
        );
        assert!(resolve(dir, "nope.nii", Kind::Open, None).is_err());
        assert!(resolve(dir, "  ", Kind::Open, None).is_err());
        // save: the ending is added, a missing folder refused, an existing file asked about
        assert_eq!(
            resolve(dir, "sub/report", Kind::Save, Some("pdf")),
            Ok(Resolved::Chosen(dir.join("sub").join("report.pdf")))
        );
        assert_eq!(
            resolve(dir, "x.PDF", Kind::Save, Some("pdf")),
            Ok(Resolved::Chosen(dir.join("x.PDF")))
        );
        let err = resolve(dir, "missing/r.pdf", Kind::Save, Some("pdf")).unwrap_err();
        assert!(err.contains("does not exist"), "{err}");
        assert_eq!(
            resolve(dir, "ct.nii.gz", Kind::Save, Some("nii.gz")),
            Ok(Resolved::Replace(dir.join("ct.nii.gz")))
        );
        // folder: empty text is the folder shown
        assert_eq!(
            resolve(dir, "", Kind::Folder, None),
            Ok(Resolved::Chosen(dir.to_path_buf()))
        );
        assert!(resolve(dir, "ct.nii.gz", Kind::Folder, None).is_err());
    }
}
