//! The Registry work area: every case saved (the case registry in the config folder),
//! a filter box, columns sorted by a click on their heading, and an Open button per
//! case that opens it as File > Open case does.

use super::command::{AppCommand, Purpose};
use crate::registry::{Entry, Registry, query};
use std::path::PathBuf;

/// The columns shown: (column, heading).
const COLUMNS: [(&str, &str); 12] = [
    ("record_id", "Record"),
    ("patient_id", "Patient ID"),
    ("patient_name", "Name"),
    ("operation_date", "Operation"),
    ("pci", "PCI"),
    ("cc_score", "CC"),
    ("hipec", "HIPEC"),
    ("flr_percent", "FLR %"),
    ("sflr_percent", "sFLR %"),
    ("flr_grade", "Verdict"),
    ("clavien_dindo_max", "Clavien-Dindo"),
    ("recorded_at", "Saved (UTC)"),
];

/// The area's own state: the filter, the sort, the rows read last.
#[derive(Default)]
pub struct RegistryState {
    pub filter: String,
    /// Column sorted on (None: record) and whether descending.
    sort: Option<&'static str>,
    descending: bool,
    /// The rows as read last (None: read again when shown).
    rows: Option<Result<Vec<Entry>, String>>,
}

impl RegistryState {
    /// Read the registry again when next shown (after a case save).
    pub fn invalidate(&mut self) {
        self.rows = None;
    }

    fn load() -> Result<Vec<Entry>, String> {
        let path = crate::registry::default_path()
            .ok_or_else(|| crate::registry::RegistryError::NoFolder.to_string())?;
        if !path.exists() {
            return Ok(Vec::new());
        }
        Registry::open_existing(&path)
            .and_then(|r| r.list())
            .map_err(|e| e.to_string())
    }
}

/// One cell's text (coded columns as words).
fn cell(e: &Entry, name: &str) -> String {
    if name == "record_id" {
        return e.record_id.to_string();
    }
    let t = e.row.text(name);
    let code = |list: &[(i64, &str)]| {
        list.iter()
            .find(|(c, _)| c.to_string() == t)
            .map_or(t.clone(), |(_, l)| l.to_string())
    };
    match name {
        "hipec" if !t.is_empty() => if t == "1" { "yes" } else { "no" }.to_owned(),
        "cc_score" if !t.is_empty() => format!("CC-{t}"),
        "clavien_dindo_max" => code(crate::registry::fields::CLAVIEN_DINDO),
        _ => t,
    }
}

/// The headings: a click sorts on the column, a second click reverses.
fn headings(ui: &mut egui::Ui, st: &mut RegistryState) {
    let current = st.sort.unwrap_or("record_id");
    for (name, title) in COLUMNS {
        let arrow = match (name == current, st.descending) {
            (true, false) => " ^",
            (true, true) => " v",
            _ => "",
        };
        if ui
            .button(egui::RichText::new(format!("{title}{arrow}")).strong())
            .on_hover_text(format!("Sort by {title} (click again to reverse)"))
            .clicked()
        {
            st.descending = name == current && !st.descending;
            st.sort = Some(name);
        }
    }
    ui.label("");
    ui.end_row();
}

/// The table; an Open click comes back as the open-case command.
fn table(ui: &mut egui::Ui, st: &mut RegistryState, rows: &[Entry]) -> Vec<AppCommand> {
    let mut cmds = Vec::new();
    let shown = query::select(
        rows,
        &st.filter,
        st.sort.unwrap_or("record_id"),
        st.descending,
    );
    ui.label(format!("{} of {} cases", shown.len(), rows.len()));
    egui::Grid::new("registry-table")
        .striped(true)
        .num_columns(COLUMNS.len() + 1)
        .show(ui, |ui| {
            headings(ui, st);
            for e in shown {
                for (name, _) in COLUMNS {
                    ui.label(cell(e, name));
                }
                let path = e.row.text("case_path");
                let is_case = e.row.text("file_kind") == "1";
                let open = ui
                    .add_enabled(is_case, egui::Button::new("Open"))
                    .on_hover_text(&path)
                    .on_disabled_hover_text("A report file: open it with remnant report");
                if open.clicked() {
                    cmds.push(AppCommand::FileChosen(
                        Purpose::OpenCase,
                        PathBuf::from(path),
                    ));
                }
                ui.end_row();
            }
        });
    cmds
}

/// The Registry area.
pub fn show(ui: &mut egui::Ui, st: &mut RegistryState) -> Vec<AppCommand> {
    if st.rows.is_none() {
        st.rows = Some(RegistryState::load());
    }
    ui.horizontal(|ui| {
        let l = ui.label("Filter");
        ui.add(
            egui::TextEdit::singleline(&mut st.filter)
                .hint_text("patient, name, date, verdict...")
                .desired_width(260.0),
        )
        .labelled_by(l.id);
        if ui.button("Refresh").clicked() {
            st.invalidate();
        }
    });
    ui.separator();
    let rows = match st.rows.take() {
        Some(Ok(rows)) => rows,
        Some(Err(e)) => {
            ui.colored_label(egui::Color32::from_rgb(240, 110, 80), &e);
            st.rows = Some(Err(e));
            return Vec::new();
        }
        None => Vec::new(),
    };
    let cmds = if rows.is_empty() {
        ui.label("No case in the registry yet: saving a case records it here.");
        Vec::new()
    } else {
        table(ui, st, &rows)
    };
    if st.rows.is_none() {
        st.rows = Some(Ok(rows));
    }
    cmds
}
