//! The egui desktop shell over the core. Nothing outside this module uses egui.

/// Open the app window; returns the process exit code.
pub fn run_app(_scan: Option<std::path::PathBuf>) -> i32 {
    eprintln!("the desktop app is not built yet");
    1
}
