//! The Onqlave API Keys console: a Leptos single-page app compiled to WebAssembly.

pub mod app;
pub mod components;
pub mod config;
pub mod pages;
