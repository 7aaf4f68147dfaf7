//! The Onqlave API Keys console: a Leptos single-page app compiled to WebAssembly.

pub mod api;
pub mod app;
#[cfg(feature = "bench")]
pub mod bench;
pub mod channel;
pub mod components;
pub mod config;
pub mod created_here;
pub mod focus;
pub mod fold;
pub mod handoff;
pub mod key_events;
pub mod links;
pub mod pages;
pub mod panic;
pub mod permissions;
pub mod router;
pub mod routes;
pub mod sdk_usage;
pub mod session;
pub mod shown;
pub mod tab_lock;
pub mod time;
pub mod timer;
pub mod url;
