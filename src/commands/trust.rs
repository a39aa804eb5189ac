//! `ucert trust EXISTING NEW`: what CUCM does when NEW is uploaded as a trust certificate while EXISTING is stored.

use time::OffsetDateTime;

use crate::analysis::expiry::Thresholds;

use super::Problem;
use crate::analysis::trust_store;
use crate::input::{Object, Reading, Source};
use crate::model::Certificate;
use crate::report::InputWarning;
use crate::report::inspect::CertificateFacts;
use crate::report::trust::TrustReport;

/// The one certificate of an input (a bundle or p7b of several is ambiguous: refused).
fn one_certificate(
    source: &Source,
    reading: Reading,
    warnings: &mut Vec<InputWarning>,
) -> Result<Certificate, Problem> {
    let err = |message: String| Problem::about(source, message);
    let (mut certs, others) = super::split_certificates(super::objects(source, reading, warnings)?);
    match certs.len() {
        1 => Ok(certs.remove(0)),
        0 => Err(err(format!(
            "holds {} where a trust certificate goes",
            others.last().map_or_else(|| "nothing usable".into(), Object::describe)
        ))),
        n => Err(err(format!(
            "holds {n} certificates: give the one trust certificate ('ucert chain --split' separates them)"
        ))),
    }
}

pub fn trust(existing: &Source, new: &Source, at: OffsetDateTime, reading: Reading) -> Result<TrustReport, Problem> {
    let mut input_warnings = Vec::new();
    let old = one_certificate(existing, reading, &mut input_warnings)?;
    let incoming = one_certificate(new, reading, &mut input_warnings)?;
    let decision = trust_store::decide(&old, &incoming, at);
    Ok(TrustReport {
        existing: CertificateFacts::new(old, at, Thresholds::default()),
        new: CertificateFacts::new(incoming, at, Thresholds::default()),
        existing_path: existing.display_name(),
        new_path: new.display_name(),
        decision,
        at,
        input_warnings,
    })
}
