//! Progress reporting and cancellation for long work run off the UI thread.

use std::sync::atomic::{AtomicBool, Ordering};

/// What a long-running core function is handed: where to report progress (0..=1)
/// and a flag the UI sets to cancel.
#[derive(Clone, Copy)]
pub struct Task<'a> {
    pub progress: &'a (dyn Fn(f32) + Sync),
    pub cancel: &'a AtomicBool,
}

static NEVER: AtomicBool = AtomicBool::new(false);

fn ignore(_: f32) {}

impl<'a> Task<'a> {
    pub fn new(progress: &'a (dyn Fn(f32) + Sync), cancel: &'a AtomicBool) -> Self {
        Task { progress, cancel }
    }

    /// No progress shown, never cancelled (CLI and tests).
    pub fn none() -> Task<'static> {
        Task {
            progress: &ignore,
            cancel: &NEVER,
        }
    }

    pub fn report(&self, fraction: f32) {
        (self.progress)(fraction.clamp(0.0, 1.0));
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}
