//! ucert: will CUCM accept this CA-signed certificate, and if not, what will it say and why.
//!
//! Data flows one way: [`input`] (bytes to objects) -> [`model`] (owned certificates, CSRs, keys) -> checks ->
//! report -> renderers. The binary (`main.rs`) only parses arguments and maps the outcome to an [`exit::Exit`].

#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

pub mod cli;
pub mod commands;
pub mod config;
pub mod der;
pub mod digest;
pub mod exit;
pub mod input;
pub mod model;
pub mod report;
pub mod untrusted;
pub mod verify;

/// The version and the commit it was built from, as `--version` prints it.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("UCERT_GIT_COMMIT"), ")");
pub mod chain;
pub mod checks;
pub mod cucm;
pub mod explain;
pub mod hostname;
pub mod logs;
pub mod pairing;
pub mod pem_files;
pub mod tls;
pub mod trust_store;
