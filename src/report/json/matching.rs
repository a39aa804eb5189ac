//! `match --json`: the verdict, CUCM's message, every check with its evidence, the CSR (or key), the certificate and
//! the CA certificates at hand.

use std::io::{self, Write};

use serde::Serialize;

use super::common::{
    CertificateJson, CsrJson, FingerprintsJson, NameJson, PublicKeyJson, SanJson, key_format, purpose_source,
};
use super::{JSON_SCHEMA, rfc3339, write};
use crate::analysis::checks::{CheckId, Detail, Finding, KeyEvidence, Status};
use crate::report::matching::{MatchReport, RequestFacts};

/// One check as scripts read it (`checks[]`).
#[derive(Serialize)]
pub struct CheckJson<'a> {
    /// public-key, san, subject, validity, wildcard, key-usage, critical-extension, key-size, hash-algorithm,
    /// signature or chain.
    pub id: &'static str,
    /// pass, fail, warn or skip.
    pub status: &'static str,
    pub message: &'a str,
    pub cucm_error: Option<&'a str>,
    pub evidence: &'a [String],
    pub cause: Option<&'a str>,
    pub remedies: &'a [String],
    pub details: Option<DetailJson<'a>>,
}

impl<'a> CheckJson<'a> {
    pub fn new(f: &'a Finding) -> CheckJson<'a> {
        CheckJson {
            id: f.id.as_str(),
            status: status(f.status),
            message: &f.message,
            cucm_error: f.cucm_error.as_deref(),
            evidence: &f.evidence,
            cause: f.cause.as_deref(),
            remedies: &f.remedies,
            details: f.details.as_ref().map(DetailJson::new),
        }
    }
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Warn => "warn",
        Status::Skip => "skip",
    }
}

/// A check's structured evidence (`checks[].details`); its shape says which it is.
#[derive(Serialize)]
#[serde(untagged)]
pub enum DetailJson<'a> {
    San { missing_in_certificate: Vec<SanJson>, extra_in_certificate: Vec<SanJson> },
    Subject { fields: Vec<SubjectFieldJson<'a>> },
    Keys { csr: KeyEvidenceJson, certificate: KeyEvidenceJson },
    KeyUsage { missing_key_usage: Vec<&'static str>, missing_extended_key_usage: Vec<&'a str> },
}

#[derive(Serialize)]
pub struct SubjectFieldJson<'a> {
    pub field: &'a str,
    pub csr: Option<&'a str>,
    pub certificate: Option<&'a str>,
    pub same: bool,
}

/// A key as TAC compares it: its summary and the openssl-pipeline hashes.
#[derive(Serialize)]
pub struct KeyEvidenceJson {
    pub summary: String,
    pub modulus_md5: Option<String>,
    pub pubkey_md5: String,
}

impl KeyEvidenceJson {
    fn new(e: &KeyEvidence) -> KeyEvidenceJson {
        KeyEvidenceJson { summary: e.key.summary(), modulus_md5: e.key.modulus_md5(), pubkey_md5: e.key.pubkey_md5() }
    }
}

impl<'a> DetailJson<'a> {
    fn new(d: &'a Detail) -> DetailJson<'a> {
        match d {
            Detail::San(diff) => DetailJson::San {
                missing_in_certificate: SanJson::list(&diff.missing_in_certificate),
                extra_in_certificate: SanJson::list(&diff.extra_in_certificate),
            },
            Detail::Subject { fields } => DetailJson::Subject {
                fields: fields
                    .iter()
                    .map(|r| SubjectFieldJson {
                        field: &r.field,
                        csr: r.csr.as_deref(),
                        certificate: r.certificate.as_deref(),
                        same: r.same,
                    })
                    .collect(),
            },
            Detail::Keys { csr, certificate } => {
                DetailJson::Keys { csr: KeyEvidenceJson::new(csr), certificate: KeyEvidenceJson::new(certificate) }
            }
            Detail::KeyUsage { missing_key_usage, missing_extended_key_usage } => DetailJson::KeyUsage {
                missing_key_usage: missing_key_usage.iter().map(|u| u.name()).collect(),
                missing_extended_key_usage: missing_extended_key_usage.iter().map(|p| p.name()).collect(),
            },
        }
    }
}

/// The key in `match`'s first slot, when it is not a CSR.
#[derive(Serialize)]
struct KeyJson {
    /// pkcs1, pkcs8, sec1 or spki.
    format: &'static str,
    private: bool,
    public_key: PublicKeyJson,
}

/// A CA certificate at hand, briefly.
#[derive(Serialize)]
struct CaJson<'a> {
    subject: NameJson<'a>,
    issuer: NameJson<'a>,
    fingerprints: FingerprintsJson,
}

#[derive(Serialize)]
struct MatchJson<'a> {
    schema: u32,
    /// "match" or "mismatch" (also for a certificate CUCM refuses though it is the CSR's: see failed_check).
    verdict: &'static str,
    cucm_error: Option<&'a str>,
    /// The id of the failing check that heads the verdict (null on a match).
    failed_check: Option<&'static str>,
    purpose: Option<&'static str>,
    /// "flag", "file-name" or "unknown".
    purpose_source: &'static str,
    at: String,
    checks: Vec<CheckJson<'a>>,
    csr: Option<CsrJson<'a>>,
    key: Option<KeyJson>,
    certificate: CertificateJson<'a>,
    ca_certificates: Vec<CaJson<'a>>,
}

pub fn matching(report: &MatchReport, out: &mut dyn Write) -> io::Result<()> {
    let (csr, key) = match &report.request {
        RequestFacts::Csr(facts) => (Some(CsrJson::new(facts)), None),
        RequestFacts::Key { public, format, private } => (
            None,
            Some(KeyJson { format: key_format(*format), private: *private, public_key: PublicKeyJson::new(public) }),
        ),
    };
    let doc = MatchJson {
        schema: JSON_SCHEMA,
        verdict: if report.matched() { "match" } else { "mismatch" },
        cucm_error: report.cucm_error(),
        failed_check: report.headline().map(|f| f.id.as_str()),
        purpose: report.purpose.map(|p| p.name()),
        purpose_source: purpose_source(&report.purpose_source).0,
        at: rfc3339(report.at),
        checks: report.findings.iter().map(CheckJson::new).collect(),
        csr,
        key,
        certificate: CertificateJson::new(&report.certificate),
        ca_certificates: report
            .cas
            .iter()
            .map(|c| CaJson {
                subject: NameJson::new(&c.subject),
                issuer: NameJson::new(&c.issuer),
                fingerprints: FingerprintsJson::new(c.fingerprints()),
            })
            .collect(),
    };
    write(out, &doc)
}

/// The check ids, for the pair report's verdicts.
pub fn check_ids(ids: &[CheckId]) -> Vec<&'static str> {
    ids.iter().map(|id| id.as_str()).collect()
}
