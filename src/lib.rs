//! Remnant: future liver remnant volumetry and peritoneal cancer index reporting.
//!
//! The core (everything but `ui`) has no user interface in it: the desktop app in
//! `ui` and the headless CLI in `cli` are thin shells over the same functions.

// Index loops over 3x3 matrices and voxel axes read better than iterator chains.
#![allow(clippy::needless_range_loop)]

pub mod autosave;
pub mod build_info;
pub mod case;
pub mod case_lock;
pub mod cli;
pub mod clinical;
pub mod fsutil;
pub mod fuzzing;
pub mod measure;
pub mod mesh;
pub mod pci;
pub mod phantom;
pub mod recent;
pub mod registry;
pub mod render;
pub mod report;
pub mod sample;
pub mod seg;
pub mod segmentation;
pub mod segments;
pub mod snapshot;
pub mod study;
pub mod task;
pub mod trainee;
#[cfg(feature = "gui")]
pub mod ui;
pub mod volume;
pub mod volumetry;
pub mod workspace;
