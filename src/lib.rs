//! ucert: will CUCM accept this CA-signed certificate, and if not, what will it say and why.
//!
//! Data flows one way: [`input`] (bytes to objects) -> [`model`] (owned certificates, CSRs, keys) -> checks ->
//! report -> renderers. The binary (`main.rs`) only parses arguments and maps the outcome to an [`exit::Exit`].

#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

pub mod analysis;
pub mod cli;
pub mod commands;
pub mod config;
pub mod cucm;
pub mod exit;
pub mod input;
pub mod model;
pub mod report;
pub mod untrusted;

/// The version and the commit it was built from, as `--version` prints it.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("UCERT_GIT_COMMIT"), ")");
