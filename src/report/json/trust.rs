//! `trust --json`: what CUCM does with NEW while EXISTING is stored, and both certificates.

use std::io::{self, Write};

use serde::Serialize;

use super::common::CertificateJson;
use super::{JSON_SCHEMA, rfc3339, write};
use crate::analysis::trust_store::Outcome;
use crate::report::trust::TrustReport;

#[derive(Serialize)]
struct TrustJson<'a> {
    schema: u32,
    /// replaces, keeps-existing, refused-expired, both-kept or identical.
    outcome: &'static str,
    /// Whether NEW ends up in the trust store.
    new_stored: bool,
    same_cn: bool,
    reason: &'a str,
    remedy: Option<&'a str>,
    notes: &'a [String],
    at: String,
    existing: CertificateJson<'a>,
    new: CertificateJson<'a>,
}

fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Replaces => "replaces",
        Outcome::KeepsExisting => "keeps-existing",
        Outcome::RefusedExpired => "refused-expired",
        Outcome::BothKept => "both-kept",
        Outcome::Identical => "identical",
    }
}

pub fn trust(report: &TrustReport, out: &mut dyn Write) -> io::Result<()> {
    let d = &report.decision;
    let doc = TrustJson {
        schema: JSON_SCHEMA,
        outcome: outcome(d.outcome),
        new_stored: d.outcome.new_is_stored(),
        same_cn: d.same_cn,
        reason: &d.reason,
        remedy: d.remedy.as_deref(),
        notes: &d.notes,
        at: rfc3339(report.at),
        existing: CertificateJson::new(&report.existing),
        new: CertificateJson::new(&report.new),
    };
    write(out, &doc)
}
