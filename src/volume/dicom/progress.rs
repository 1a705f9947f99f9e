//! Progress over a stage of parallel work: each finished item moves the task's
//! progress within the stage's share [start, end].

use super::error::DicomError;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::task::Task;

pub struct Stage<'a> {
    task: Task<'a>,
    start: f32,
    end: f32,
    total: usize,
    done: AtomicUsize,
}

impl<'a> Stage<'a> {
    pub fn new(task: Task<'a>, start: f32, end: f32, total: usize) -> Self {
        task.report(start);
        Stage {
            task,
            start,
            end,
            total: total.max(1),
            done: AtomicUsize::new(0),
        }
    }

    /// One more item finished (callable from any thread).
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let f = done.min(self.total) as f32 / self.total as f32;
        self.task.report(self.start + (self.end - self.start) * f);
    }

    /// `Err(DicomError::Cancelled)` once the user has asked to stop.
    pub fn check(&self) -> Result<(), DicomError> {
        if self.task.cancelled() {
            Err(DicomError::Cancelled)
        } else {
            Ok(())
        }
    }
}
