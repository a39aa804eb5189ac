//! What `chain` found: the analysis of every certificate given, their validity, and the files `--split` wrote.

use std::path::PathBuf;

use time::OffsetDateTime;

use super::InputWarning;
use crate::analysis::chain::Analysis;
use crate::analysis::expiry::{self, Expiry, Level, Thresholds};

pub struct ChainReport {
    pub analysis: Analysis,
    /// Files written by `--split`, in order.
    pub written: Vec<PathBuf>,
    pub at: OffsetDateTime,
    pub thresholds: Thresholds,
    /// Damaged blocks left out of the inputs.
    pub input_warnings: Vec<InputWarning>,
}

impl ChainReport {
    /// How soon member `i` of the analysis expires.
    pub fn expiry(&self, i: usize) -> Expiry {
        expiry::judge(&self.analysis.members[i].certificate, self.at, self.thresholds)
    }

    /// The members inside `--warn-days` or `--critical-days`, soonest first.
    pub fn expiring(&self) -> Vec<(usize, Expiry)> {
        expiry::expiring((0..self.analysis.members.len()).map(|i| (i, self.expiry(i))))
    }

    /// The upload plan is complete and no certificate is inside `--critical-days`.
    pub fn passed(&self) -> bool {
        self.analysis.complete() && self.expiring().iter().all(|(_, e)| e.level < Level::Critical)
    }
}
