//! What `chain` found: the analysis of every certificate given, their validity, and the files `--split` wrote.

use std::path::PathBuf;

use time::OffsetDateTime;

use super::InputWarning;
use crate::analysis::chain::Analysis;

pub struct ChainReport {
    pub analysis: Analysis,
    /// Files written by `--split`, in order.
    pub written: Vec<PathBuf>,
    pub at: OffsetDateTime,
    /// Damaged blocks left out of the inputs.
    pub input_warnings: Vec<InputWarning>,
}
