//! What `pair` found: the pairing of every CSR, certificate and key, and the files that gave nothing to pair.

use time::OffsetDateTime;

use crate::analysis::pairing::Pairing;
use crate::untrusted::Untrusted;

/// A file that gave nothing to pair, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub path: Untrusted,
    pub reason: String,
}

pub struct PairReport {
    pub pairing: Pairing,
    /// Files that could not be read (permissions, I/O, too large).
    pub unreadable: Vec<Skipped>,
    /// Files read but holding nothing ucert pairs (text, CRLs, encrypted keys, malformed data).
    pub unknown: Vec<Skipped>,
    /// Entries not read: symbolic links out of the tree, pipes and devices.
    pub skipped: Vec<Skipped>,
    pub files: usize,
    pub at: OffsetDateTime,
}
