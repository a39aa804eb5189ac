//! What `modulus` found: one line per key, as `openssl ... -modulus | openssl md5` would print it.

use crate::untrusted::Untrusted;

/// One line of output: either a modulus MD5 or the reason there is none.
pub struct ModulusLine {
    /// `path`, or `path#N` for the N-th object of an input holding several.
    pub label: Untrusted,
    pub outcome: ModulusOutcome,
}

pub enum ModulusOutcome {
    Md5(String),
    /// A key without a modulus (EC, Ed25519, ...): openssl's pipeline cannot compare it.
    NoModulus {
        key: String,
    },
    /// The input could not be read.
    Unreadable(String),
}
