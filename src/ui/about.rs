//! Help > About: the version, the commit and the build date of this binary, Remnant's
//! licence and where the licences of the libraries compiled into it are. Its open flag
//! lives in egui's memory, so the app's state needs no field for it.

use crate::build_info;
use std::path::PathBuf;
use std::sync::Arc;

fn id() -> egui::Id {
    egui::Id::unique("remnant_about_open")
}

/// Open the window (Help > About Remnant).
pub fn open(ctx: &egui::Context) {
    ctx.data_mut(|d| d.insert_temp(id(), true));
}

/// Is the window open?
pub fn is_open(ctx: &egui::Context) -> bool {
    ctx.data(|d| d.get_temp(id()).unwrap_or(false))
}

/// The third-party licence file the package installs: next to the executable's
/// `../share/doc/remnant/` (so a package extracted anywhere finds its own), else the
/// system's path.
pub fn third_party_file() -> Option<PathBuf> {
    let beside = std::env::current_exe().ok().and_then(|exe| {
        Some(
            exe.parent()?
                .parent()?
                .join("share/doc/remnant/THIRD-PARTY-LICENSES.txt"),
        )
    });
    beside
        .into_iter()
        .chain([PathBuf::from(build_info::THIRD_PARTY_PATH)])
        .find(|p| p.is_file())
}

/// The third-party file's lines, read once (it is long: rows are drawn as they scroll in).
fn third_party_lines(ctx: &egui::Context, p: &std::path::Path) -> Arc<Vec<String>> {
    let key = egui::Id::unique("remnant_about_third_party");
    if let Some(l) = ctx.data(|d| d.get_temp::<Arc<Vec<String>>>(key)) {
        return l;
    }
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| format!("{}: {e}", p.display()));
    let lines = Arc::new(text.lines().map(str::to_owned).collect::<Vec<_>>());
    ctx.data_mut(|d| d.insert_temp(key, lines.clone()));
    lines
}

/// Draw the window when it is open.
pub fn show(ctx: &egui::Context) {
    if !is_open(ctx) {
        return;
    }
    let mut open = true;
    egui::Window::new("About Remnant")
        .open(&mut open)
        .collapsible(false)
        .default_width(520.0)
        .show(ctx, |ui| {
            ui.heading("Remnant");
            ui.label("Future liver remnant volumetry and peritoneal cancer index reporting.");
            ui.add_space(6.0);
            egui::Grid::new("about_facts")
                .num_columns(2)
                .show(ui, |ui| {
                    for (k, v) in [
                        ("Version", build_info::VERSION_NUMBER),
                        ("Commit", build_info::COMMIT),
                        ("Built", build_info::BUILD_DATE),
                        ("Licence", build_info::LICENSE),
                    ] {
                        ui.label(k);
                        ui.monospace(v);
                        ui.end_row();
                    }
                });
            ui.add_space(6.0);
            ui.label("Nothing leaves the machine: Remnant has no network code.");
            ui.label(
                "Not a certified medical device: check every figure against the images \
                 and your own judgement.",
            );
            ui.add_space(6.0);
            egui::CollapsingHeader::new(format!("Remnant's licence ({})", build_info::LICENSE))
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("about_licence")
                        .max_height(260.0)
                        .show(ui, |ui| ui.monospace(build_info::LICENSE_TEXT));
                });
            let third = third_party_file();
            egui::CollapsingHeader::new("Third-party licences").show(ui, |ui| match &third {
                Some(p) => {
                    ui.label(format!(
                        "The libraries compiled into Remnant: {}",
                        p.display()
                    ));
                    let lines = third_party_lines(ui.ctx(), p);
                    let row = ui.text_style_height(&egui::TextStyle::Monospace);
                    // one text row per line (not wrapped: show_rows counts rows)
                    egui::ScrollArea::both()
                        .id_salt("about_third_party")
                        .max_height(260.0)
                        .show_rows(ui, row, lines.len(), |ui, range| {
                            for l in &lines[range] {
                                let text = egui::RichText::new(l.as_str()).monospace();
                                ui.add(egui::Label::new(text).extend());
                            }
                        });
                }
                None => {
                    ui.label(format!(
                        "The Debian package installs the licences of the libraries compiled into \
                         Remnant as {}; from the source tree, scripts/third_party_licenses.py \
                         writes them.",
                        build_info::THIRD_PARTY_PATH
                    ));
                }
            });
        });
    if !open {
        ctx.data_mut(|d| d.insert_temp(id(), false));
    }
}
