//! `ucert chain FILE...`: every certificate from every input, the chains among them, the CUCM upload plan and its
//! flags; with `--split DIR`, each certificate written to its own PEM file in plan order (never overwriting).

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::Problem;
use crate::analysis::chain::{self, Analysis};
use crate::analysis::expiry::Thresholds;
use crate::cucm::Purpose;
use crate::input::{Reading, Source};
use crate::model::Certificate;
use crate::report::chain::ChainReport;
use crate::untrusted::Untrusted;

pub fn chain(
    sources: &[Source],
    purpose: Option<Purpose>,
    split: Option<&Path>,
    at: OffsetDateTime,
    thresholds: Thresholds,
    reading: Reading,
) -> Result<ChainReport, Problem> {
    let mut certs: Vec<(Certificate, Untrusted)> = Vec::new();
    let mut input_warnings = Vec::new();
    for source in sources {
        let name = source.display_name();
        let (found, _) = super::split_certificates(super::objects(source, reading, &mut input_warnings)?);
        if found.is_empty() {
            return Err(Problem::about(source, "holds no certificate (a chain is made of certificates)"));
        }
        certs.extend(found.into_iter().map(|c| (c, name.clone())));
    }
    let analysis = chain::analyze(certs, purpose, at);
    let written = match split {
        Some(dir) => split_into(dir, &analysis)?,
        None => Vec::new(),
    };
    Ok(ChainReport { analysis, written, at, thresholds, input_warnings })
}

/// Writes every certificate, in plan order, then the ones outside the plan.
fn split_into(dir: &Path, analysis: &Analysis) -> Result<Vec<PathBuf>, Problem> {
    let order: Vec<&Certificate> = analysis
        .plan
        .iter()
        .map(|s| s.index)
        .chain(analysis.alternatives.iter().copied())
        .chain(analysis.unrelated.iter().copied())
        .map(|i| &analysis.members[i].certificate)
        .collect();
    Ok(crate::commands::pem_files::write_all(dir, &order)?)
}
