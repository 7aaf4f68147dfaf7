//! Reusable, app-agnostic view components.

pub mod announcer;
