//! Remnant: future liver remnant volumetry and peritoneal cancer index reporting.
//!
//! The core (everything but `ui`) has no user interface in it: the desktop app in
//! `ui` and the headless CLI in `cli` are thin shells over the same functions.

pub mod fsutil;
pub mod task;
pub mod volume;
pub mod segmentation;
pub mod volumetry;
pub mod cli;
pub mod phantom;
pub mod ui;
