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

/// Called from a worker thread when a job made progress or finished (the app asks
/// its window to repaint; headless callers pass nothing).
pub type Wake = std::sync::Arc<dyn Fn() + Send + Sync>;

/// Why a job gave no result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobFailed {
    #[error("internal error while working (please report it): {0}")]
    Panicked(String),
    #[error("the worker stopped unexpectedly")]
    Stopped,
}

/// Work running on its own thread with a progress fraction and a cancel flag: a core
/// function called with a [`Task`]. Nothing in it knows about the UI.
pub struct Job<T> {
    pub label: String,
    rx: std::sync::mpsc::Receiver<Result<T, JobFailed>>,
    progress: std::sync::Arc<std::sync::atomic::AtomicU32>,
    cancel: std::sync::Arc<AtomicBool>,
    pub started: std::time::Instant,
}

impl<T: Send + 'static> Job<T> {
    /// Start `work` on a new thread; `wake` is called as progress moves and when done.
    pub fn spawn<F>(label: impl Into<String>, wake: Option<Wake>, work: F) -> Job<T>
    where
        F: FnOnce(Task) -> T + Send + 'static,
    {
        use std::sync::atomic::AtomicU32;
        let (tx, rx) = std::sync::mpsc::channel();
        let progress = std::sync::Arc::new(AtomicU32::new(0));
        let cancel = std::sync::Arc::new(AtomicBool::new(false));
        let (p, c) = (progress.clone(), cancel.clone());
        std::thread::spawn(move || {
            let w = wake.clone();
            let report = move |f: f32| {
                p.store(f.to_bits(), Ordering::Relaxed);
                if let Some(w) = &w {
                    w();
                }
            };
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                work(Task::new(&report, &c))
            }))
            .map_err(|e| {
                let what = e
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| e.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                JobFailed::Panicked(what)
            });
            let _ = tx.send(result);
            if let Some(w) = wake {
                w();
            }
        });
        Job {
            label: label.into(),
            rx,
            progress,
            cancel,
            started: std::time::Instant::now(),
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
    pub fn poll(&self) -> Option<Result<T, JobFailed>> {
        use std::sync::mpsc::TryRecvError;
        match self.rx.try_recv() {
            Ok(r) => Some(r),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(JobFailed::Stopped)),
        }
    }

    /// Block until done (tests and headless use).
    pub fn wait(&self) -> Result<T, JobFailed> {
        self.rx.recv().unwrap_or(Err(JobFailed::Stopped))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn a_job_reports_progress_wakes_its_caller_and_turns_a_panic_into_an_error() {
        let woken = std::sync::Arc::new(AtomicUsize::new(0));
        let w = woken.clone();
        let wake: Wake = std::sync::Arc::new(move || {
            w.fetch_add(1, Ordering::SeqCst);
        });
        let job = Job::spawn("sum", Some(wake), |task| {
            task.report(0.5);
            (1..=10).sum::<u32>()
        });
        assert_eq!(job.wait(), Ok(55));
        // the worker wakes its caller once more after sending the result
        let t0 = std::time::Instant::now();
        while woken.load(Ordering::SeqCst) < 2 && t0.elapsed().as_secs() < 10 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert!(
            woken.load(Ordering::SeqCst) >= 2,
            "progress and done wake the caller"
        );
        assert_eq!(job.progress(), 0.5);
        let bad: Job<u32> = Job::spawn("bad", None, |_| panic!("boom"));
        assert_eq!(bad.wait(), Err(JobFailed::Panicked("boom".into())));
        let stop: Job<bool> = Job::spawn("stop", None, |task| {
            while !task.cancelled() {
                std::thread::yield_now();
            }
            true
        });
        stop.cancel();
        assert!(stop.is_cancelled());
        assert_eq!(stop.wait(), Ok(true));
    }
}
