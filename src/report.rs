//! Reports and their renderers. Each command's report type (`report::matching::MatchReport`, ...) holds what the
//! deciders found; `human` writes it as text and `json` as the documented JSON. Nothing here decides or parses.

pub(crate) mod chain;
pub(crate) mod connect;
pub(crate) mod human;
pub(crate) mod inspect;
pub(crate) mod json;
pub use json::error as json_error;
pub(crate) mod csv;
pub(crate) mod matching;
pub(crate) mod modulus;
pub(crate) mod nagios;
pub(crate) mod pair;
pub(crate) mod plan;
pub mod terminal;
pub(crate) mod trust;

use crate::untrusted::Untrusted;

/// A damaged block beside readable objects of the same input: the command went on with the rest and says what was
/// left out on stderr (`ucert: <path>: warning: ...`), as `inspect` lists it under the file.
#[derive(Debug)]
pub struct InputWarning {
    pub path: Untrusted,
    pub message: String,
}
