//! One module per route.

pub mod create_key;
pub mod dashboard;
pub mod key_detail;
pub mod not_found;
pub mod sign_in;
