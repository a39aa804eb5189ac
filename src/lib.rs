//! ucert: will CUCM accept this CA-signed certificate, and if not, what will it say and why.
//!
//! Data flows one way (ARCHITECTURE.md has the map): [`input`] reads bytes into the [`model`]'s plain data,
//! [`analysis`] judges it in [`cucm`]'s words, `report` holds what was found and renders it (human or JSON), and
//! [`commands`] runs one subcommand from the [`config`] that [`cli`] parsed. The binary (`main.rs`) only parses
//! arguments, runs, and maps the outcome to an [`exit::Exit`].
//!
//! The public surface is what the binary, the integration tests and the fuzz targets use: the layers below, each
//! exporting its own few items; everything else is `pub(crate)`.

#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

// The layers, in the order data flows through them.
pub mod untrusted;

pub mod model;

pub mod cucm;

pub mod input;

pub mod analysis;

pub mod report;

// The application: the command line, the settings it resolves to, the subcommands, the exit codes.
pub mod cli;
pub mod commands;
pub mod config;
pub mod exit;

/// The version and the commit it was built from, as `--version` prints it.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("UCERT_GIT_COMMIT"), ")");
