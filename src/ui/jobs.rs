//! Work off the UI thread: a job runs a core function on a worker thread with a
//! progress fraction and a cancel flag the UI shows as a progress bar and button.

use crate::task::Task;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Instant;

pub struct Job<T> {
    pub label: String,
    rx: Receiver<Result<T, String>>,
    progress: Arc<AtomicU32>,
    cancel: Arc<AtomicBool>,
    pub started: Instant,
}

impl<T: Send + 'static> Job<T> {
    /// Start `work` on a new thread; `repaint` is called as progress moves.
    pub fn spawn<F>(label: impl Into<String>, repaint: Option<egui::Context>, work: F) -> Job<T>
    where
        F: FnOnce(Task) -> Result<T, String> + Send + 'static,
    {
        let (tx, rx) = channel();
        let progress = Arc::new(AtomicU32::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let (p, c) = (progress.clone(), cancel.clone());
        std::thread::spawn(move || {
            let ctx = repaint.clone();
            let report = move |f: f32| {
                p.store(f.to_bits(), Ordering::Relaxed);
                if let Some(ctx) = &ctx {
                    ctx.request_repaint();
                }
            };
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                work(Task::new(&report, &c))
            }))
            .unwrap_or_else(|_| Err("internal error while working (please report it)".into()));
            let _ = tx.send(result);
            if let Some(ctx) = repaint {
                ctx.request_repaint();
            }
        });
        Job {
            label: label.into(),
            rx,
            progress,
            cancel,
            started: Instant::now(),
        }
    }

    pub fn progress(&self) -> f32 {
        f32::from_bits(self.progress.load(Ordering::Relaxed))
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// The result once the work is done.
    pub fn poll(&self) -> Option<Result<T, String>> {
        match self.rx.try_recv() {
            Ok(r) => Some(r),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err("the worker stopped unexpectedly".into())),
        }
    }

    /// Block until done (tests and headless use).
    pub fn wait(&self) -> Result<T, String> {
        self.rx
            .recv()
            .unwrap_or_else(|_| Err("the worker stopped unexpectedly".into()))
    }
}
