//! The deciders: everything that judges the model. The checks of one CSR/certificate pair, chains and the upload
//! plan, pairing a cluster's files, CUCM's trust-store rule, host names, signatures, and the diagnosis of logs.
//! Nothing here reads files or writes output: commands hand the results to a report.

pub mod chain;
pub mod checks;
pub mod expiry;
pub(crate) mod hostname;
pub mod logs;
pub(crate) mod pairing;
pub(crate) mod plan;
pub(crate) mod served;
pub(crate) mod trust_store;
pub mod verify;

use crate::untrusted::Untrusted;

/// A file passed over, and why: what `pair` and `plan` could not pair, and what a folder given to `logs` held
/// besides logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub path: Untrusted,
    pub reason: String,
}
