//! The egui desktop shell over the core. Nothing outside this module uses egui.

pub mod about;
pub mod app;
pub mod command;
pub mod dialogs;
pub mod dicom_picker;
pub mod exercise_panel;
pub mod guide_strip;
pub mod jobs;
pub mod keys;
pub mod menu;
pub mod modals;
pub mod pci_drawing;
pub mod pci_panel;
pub mod plan_panel;
pub mod plan_segments;
pub mod plane_view;
pub mod planes;
pub mod registry_panel;
pub mod report_panel;
pub mod segment_overlay;
pub mod segments_panel;
pub mod side_panel;
pub mod status;
pub mod tools_panel;
pub mod view3d;
pub mod view_state;
pub mod work_area;
pub mod work_panel;
pub mod work_state;

pub use app::RemnantApp;
pub use command::{AppCommand, Command, Purpose, Tab, TraceAction};

/// The window icon from `assets/icon.png` (decoded with the png crate).
fn icon() -> egui::IconData {
    let bytes: &[u8] = include_bytes!("../../assets/icon.png");
    let decoded = (|| {
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .ok()?;
        let mut buf = vec![0; reader.output_buffer_size()?];
        let info = reader.next_frame(&mut buf).ok()?;
        buf.truncate(info.buffer_size());
        (info.color_type == png::ColorType::Rgba).then_some(egui::IconData {
            rgba: buf,
            width: info.width,
            height: info.height,
        })
    })();
    decoded.unwrap_or_default()
}

/// The first window size: `REMNANT_WINDOW_SIZE=1280x800` (screenshots at a given
/// size), else 1500 x 900.
fn window_size() -> [f32; 2] {
    std::env::var("REMNANT_WINDOW_SIZE")
        .ok()
        .and_then(|s| {
            let (w, h) = s.split_once('x')?;
            Some([w.trim().parse().ok()?, h.trim().parse().ok()?])
        })
        .filter(|[w, h]: &[f32; 2]| *w >= 200.0 && *h >= 200.0)
        .unwrap_or([1500.0, 900.0])
}

/// Open the app window on `scan` (a scan, or a case `.json`; the bundled sample when
/// none); returns the exit code.
pub fn run_app(scan: Option<std::path::PathBuf>) -> i32 {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Remnant")
            .with_inner_size(window_size())
            .with_drag_and_drop(true)
            .with_icon(icon()),
        // the 3-D view draws with OpenGL (egui_glow paint callback) and needs a depth buffer
        renderer: eframe::Renderer::Glow,
        depth_buffer: 24,
        // No dithering: it adds noise of up to half a grey level to every pixel that is not
        // a whole 8-bit value (the CT's grey levels are shown exactly as windowed), and its
        // per-pixel noise is a cost on every frame with a software GL renderer
        dithering: false,
        ..Default::default()
    };
    let result = eframe::run_native(
        "Remnant",
        options,
        Box::new(move |cc| {
            let ctx = cc.egui_ctx.clone();
            let mut app = RemnantApp::new(Some(std::sync::Arc::new(move || ctx.request_repaint())));
            let is_case = scan.as_ref().is_some_and(|p| {
                p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            });
            if let Some(dir) = crate::autosave::dir() {
                // a case names its own scan: an autosave is kept on offer, not set aside
                app.enable_autosave(dir, scan.as_deref().filter(|_| !is_case));
            }
            // with no scan asked for, an autosave on offer opens its own scan when restored
            if is_case && let Some(case) = scan {
                // `remnant CASE.json`: open a saved case (its scan, layers and cut plane)
                app.apply(AppCommand::FileChosen(Purpose::OpenCase, case));
            } else if app.restore_offer.is_none() || scan.is_some() {
                app.apply(scan.map_or_else(open_bundled_sample, AppCommand::Open));
            }
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("remnant: cannot open the window: {e}");
            1
        }
    }
}

/// Open the sample CT bundled in the binary (`crate::sample`: written into the user's
/// cache folder on first use, so an installed or moved `remnant` finds it too).
pub fn open_bundled_sample() -> AppCommand {
    match crate::sample::materialized_dir() {
        Ok(dir) => AppCommand::Open(dir.join(crate::sample::CT)),
        Err(e) => AppCommand::Error(format!("the bundled sample could not be written: {e}")),
    }
}

/// Start the sample exercise on the sample bundled in the binary.
pub fn open_sample_exercise() -> AppCommand {
    match crate::trainee::SampleExercise::bundled_dir() {
        Ok(dir) => AppCommand::OpenExercise(dir),
        Err(e) => AppCommand::Error(format!("the sample exercise could not be written: {e}")),
    }
}
