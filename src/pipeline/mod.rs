//! The pipeline that runs a command over files: figures ([`figures`]) and frames
//! ([`frames`]) of each scenario, written together ([`output`]), and held against goldens
//! ([`golden`]); [`watch`] runs a command again whenever its scenarios change.

pub mod figures;
pub mod frames;
pub mod golden;
pub mod names;
pub mod output;
pub mod progress;
pub mod watch;
