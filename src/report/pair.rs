//! What `pair` found: the pairing of every CSR, certificate and key, and the files that gave nothing to pair.

use time::OffsetDateTime;

use crate::analysis::expiry::{self, Expiry, Level, Thresholds};

use crate::analysis::pairing::Pairing;

pub use crate::analysis::Skipped;

pub struct PairReport {
    pub pairing: Pairing,
    /// Files that could not be read (permissions, I/O, too large).
    pub unreadable: Vec<Skipped>,
    /// Files read, and paired, with a warning: a damaged block left out (a certificate missing from a bundle shows
    /// as a CSR still waiting), or a block other tools do not read as it stands.
    pub warnings: Vec<Skipped>,
    /// Files read but holding nothing ucert pairs (text, CRLs, encrypted keys, malformed data).
    pub unknown: Vec<Skipped>,
    /// Entries not read: symbolic links out of the tree, pipes and devices.
    pub skipped: Vec<Skipped>,
    pub files: usize,
    pub at: OffsetDateTime,
    pub thresholds: Thresholds,
}

impl PairReport {
    /// How soon certificate `i` (an index into the pairing's certificates) expires.
    pub fn expiry(&self, i: usize) -> Expiry {
        let c = &self.pairing.certificates[i].item;
        expiry::judge_dates(c.not_before, c.not_after, self.at, self.thresholds)
    }

    /// The certificates inside `--warn-days` or `--critical-days` (each once, copies left out), soonest first.
    pub fn expiring(&self) -> Vec<(usize, Expiry)> {
        let copies: std::collections::HashSet<usize> = self.pairing.duplicate_certificates.iter().copied().collect();
        expiry::expiring(
            (0..self.pairing.certificates.len()).filter(|i| !copies.contains(i)).map(|i| (i, self.expiry(i))),
        )
    }

    /// A pair fails a check, a certificate has no CSR, or a certificate is inside `--critical-days`.
    pub fn has_failures(&self) -> bool {
        self.pairing.has_failures() || self.expiring().iter().any(|(_, e)| e.level == Level::Critical)
    }
}
