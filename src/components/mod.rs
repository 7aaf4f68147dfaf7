//! Reusable, app-agnostic view components.

pub mod announcer;
pub mod copy_button;
pub mod dialog;
pub mod error_panel;
pub mod skeleton;
pub mod status_badge;
