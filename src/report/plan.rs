//! What `plan` found: the runbook, and the files that gave nothing to it.

use time::OffsetDateTime;

use super::pair::Skipped;
use crate::analysis::plan::Plan;

pub struct PlanReport {
    pub plan: Plan,
    pub files: usize,
    pub unreadable: Vec<Skipped>,
    /// Files read with a warning (see [`crate::report::pair::PairReport::warnings`]).
    pub warnings: Vec<Skipped>,
    pub unknown: Vec<Skipped>,
    pub skipped: Vec<Skipped>,
    /// How many certificates `--trust-store` held.
    pub store_certificates: usize,
    pub at: OffsetDateTime,
}
