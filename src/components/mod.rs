//! Reusable view components: data comes in as props; none knows the API client (its error type
//! aside) or the session.

pub mod announcer;
pub mod arx_facts;
pub mod copy_button;
pub mod dialog;
pub mod error_panel;
pub mod load;
pub mod retry_button;
pub mod skeleton;
pub mod status_badge;
pub mod time_text;
pub mod usage_tabs;
