//! The Onqlave API Keys console: a Leptos single-page app compiled to WebAssembly.

pub mod api;
pub mod app;
pub mod channel;
pub mod components;
pub mod config;
pub mod handoff;
pub mod heap;
pub mod key_events;
pub mod pages;
pub mod permissions;
pub mod routes;
pub mod session;
pub mod time;
