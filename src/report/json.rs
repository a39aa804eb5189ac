//! JSON output. Every document carries `"schema": 1`; the fields are documented in the README and are stable:
//! new fields may be added, existing ones keep their name and meaning.

use std::io::{self, Write};

use serde::Serialize;

use crate::analysis::chain::{Flag, PurposeOrigin, Role};
use crate::analysis::checks::{CheckId, Finding};
use crate::analysis::pairing::{Place, Verdict};
use crate::analysis::trust_store::Outcome;
use crate::analysis::verify::Verification;
use crate::cucm::Purpose;
use crate::model::Certificate;
use crate::model::certificate::ValidityStatus;
use crate::model::csr::CsrAttribute;
use crate::model::digest::Fingerprints;
use crate::model::extensions::{BasicConstraints, ExtendedKeyUsage, ExtensionInfo, KeyId, KeyUsage, SanEntry};
use crate::model::signature::SignatureAlgorithm;
use crate::model::{DistinguishedName, PublicKey};
use crate::model::{KeyFormat, Origin};
use crate::report::chain::ChainReport;
use crate::report::inspect::{CertificateFacts, CsrFacts, InspectReport, Item};
use crate::report::matching::{MatchReport, PurposeSource, RequestFacts};
use crate::report::pair::PairReport;
use crate::report::trust::TrustReport;
use crate::untrusted::Untrusted;

/// Writes a value as pretty JSON and a final newline.
pub fn write<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    // serde writes token by token: buffer here, so the sink behind sees large pieces
    let mut buffered = io::BufWriter::with_capacity(64 * 1024, &mut *out);
    serde_json::to_writer_pretty(&mut buffered, value).map_err(io::Error::other)?;
    writeln!(buffered)?;
    buffered.flush()
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    use time::format_description::well_known::Rfc3339;
    t.to_offset(time::UtcOffset::UTC).format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

/// A certificate as every command shows it in JSON.
#[derive(Serialize)]
pub struct CertificateJson<'a> {
    pub subject: &'a DistinguishedName,
    pub issuer: &'a DistinguishedName,
    pub serial: String,
    /// null when the date is unreadable (a warning says why).
    pub not_before: Option<String>,
    pub not_after: Option<String>,
    pub validity: ValidityStatus,
    /// null when the certificate has no subjectAltName extension.
    pub sans: Option<&'a Vec<SanEntry>>,
    pub public_key: &'a PublicKey,
    pub signature_algorithm: &'a SignatureAlgorithm,
    pub key_usage: Option<&'a KeyUsage>,
    pub extended_key_usage: Option<&'a ExtendedKeyUsage>,
    pub basic_constraints: Option<&'a BasicConstraints>,
    pub subject_key_id: Option<&'a KeyId>,
    pub authority_key_id: Option<&'a KeyId>,
    pub extensions: &'a [ExtensionInfo],
    pub self_signed: bool,
    pub fingerprints: Fingerprints,
    pub warnings: &'a [String],
}

impl<'a> CertificateJson<'a> {
    pub fn new(facts: &'a CertificateFacts) -> CertificateJson<'a> {
        CertificateJson::from_parts(&facts.certificate, facts.validity, facts.self_signed)
    }

    pub fn from_parts(c: &'a Certificate, validity: ValidityStatus, self_signed: bool) -> CertificateJson<'a> {
        let e = &c.extensions;
        CertificateJson {
            subject: &c.subject,
            issuer: &c.issuer,
            serial: crate::model::digest::hex_colons_lower(&c.serial),
            not_before: c.not_before.map(rfc3339),
            not_after: c.not_after.map(rfc3339),
            validity,
            sans: e.subject_alt_names.as_ref(),
            public_key: &c.public_key,
            signature_algorithm: &c.signature_algorithm,
            key_usage: e.key_usage.as_ref(),
            extended_key_usage: e.extended_key_usage.as_ref(),
            basic_constraints: e.basic_constraints.as_ref(),
            subject_key_id: e.subject_key_id.as_ref(),
            authority_key_id: e.authority_key_id.as_ref(),
            extensions: &e.all,
            self_signed,
            fingerprints: c.fingerprints(),
            warnings: &c.notes,
        }
    }
}

/// A CSR as every command shows it in JSON.
#[derive(Serialize)]
pub struct CsrJson<'a> {
    pub subject: &'a DistinguishedName,
    /// null when the CSR requests no subjectAltName (CUCM then ignores the SAN field).
    pub sans: Option<&'a Vec<SanEntry>>,
    pub public_key: &'a PublicKey,
    pub signature_algorithm: &'a SignatureAlgorithm,
    pub signature: &'a Verification,
    pub key_usage: Option<&'a KeyUsage>,
    pub extended_key_usage: Option<&'a ExtendedKeyUsage>,
    pub basic_constraints: Option<&'a BasicConstraints>,
    pub requested_extensions: &'a [ExtensionInfo],
    pub attributes: &'a [CsrAttribute],
    pub fingerprints: Fingerprints,
    pub warnings: &'a [String],
}

impl<'a> CsrJson<'a> {
    pub fn new(facts: &'a CsrFacts) -> CsrJson<'a> {
        let c = &facts.csr;
        let e = &c.requested_extensions;
        CsrJson {
            subject: &c.subject,
            sans: e.subject_alt_names.as_ref(),
            public_key: &c.public_key,
            signature_algorithm: &c.signature_algorithm,
            signature: &facts.signature,
            key_usage: e.key_usage.as_ref(),
            extended_key_usage: e.extended_key_usage.as_ref(),
            basic_constraints: e.basic_constraints.as_ref(),
            requested_extensions: &e.all,
            attributes: &c.attributes,
            fingerprints: c.fingerprints(),
            warnings: &c.notes,
        }
    }
}

#[derive(Serialize)]
struct SourceJson<'a> {
    /// "der", "base64" or "pem".
    form: &'static str,
    pem_label: Option<&'a str>,
    line: Option<usize>,
}

impl<'a> SourceJson<'a> {
    fn new(origin: &'a Origin) -> SourceJson<'a> {
        match origin {
            Origin::Der => SourceJson { form: "der", pem_label: None, line: None },
            Origin::Base64 => SourceJson { form: "base64", pem_label: None, line: None },
            Origin::Pem { label, line } => SourceJson { form: "pem", pem_label: Some(label), line: Some(*line) },
        }
    }
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
enum ObjectJson<'a> {
    Certificate { source: SourceJson<'a>, certificate: CertificateJson<'a> },
    Csr { source: SourceJson<'a>, csr: CsrJson<'a> },
    Pkcs7 { source: SourceJson<'a>, certificates: Vec<CertificateJson<'a>> },
    PrivateKey { source: SourceJson<'a>, format: KeyFormat, public_key: &'a PublicKey },
    PublicKey { source: SourceJson<'a>, format: KeyFormat, public_key: &'a PublicKey },
}

#[derive(Serialize)]
struct FileJson<'a> {
    path: &'a Untrusted,
    error: Option<&'a str>,
    objects: Vec<ObjectJson<'a>>,
    /// Encrypted private keys, recognised and never decrypted.
    encrypted_keys: Vec<EncryptedJson<'a>>,
    /// Blocks that could not be read beside the objects that could.
    warnings: &'a [String],
}

#[derive(Serialize)]
struct EncryptedJson<'a> {
    source: SourceJson<'a>,
    encryption: &'a str,
}

#[derive(Serialize)]
struct InspectJson<'a> {
    schema: u32,
    at: String,
    files: Vec<FileJson<'a>>,
}

pub fn inspect(report: &InspectReport, out: &mut dyn Write) -> io::Result<()> {
    let files = report
        .files
        .iter()
        .map(|f| FileJson {
            path: &f.path,
            error: f.error.as_deref(),
            encrypted_keys: f
                .encrypted
                .iter()
                .map(|(origin, what)| EncryptedJson { source: SourceJson::new(origin), encryption: what })
                .collect(),
            warnings: &f.warnings,
            objects: f
                .objects
                .iter()
                .map(|o| {
                    let source = SourceJson::new(&o.origin);
                    match &o.item {
                        Item::Certificate(c) => {
                            ObjectJson::Certificate { source, certificate: CertificateJson::new(c) }
                        }
                        Item::Csr(c) => ObjectJson::Csr { source, csr: CsrJson::new(c) },
                        Item::Pkcs7(certs) => {
                            ObjectJson::Pkcs7 { source, certificates: certs.iter().map(CertificateJson::new).collect() }
                        }
                        Item::PrivateKey { public, format } => {
                            ObjectJson::PrivateKey { source, format: *format, public_key: public }
                        }
                        Item::PublicKey { public, format } => {
                            ObjectJson::PublicKey { source, format: *format, public_key: public }
                        }
                    }
                })
                .collect(),
        })
        .collect();
    write(out, &InspectJson { schema: super::JSON_SCHEMA, at: rfc3339(report.at), files })
}

/// The key in `match`'s first slot, when it is not a CSR.
#[derive(Serialize)]
struct KeyJson<'a> {
    format: KeyFormat,
    private: bool,
    public_key: &'a PublicKey,
}

/// A CA certificate at hand, briefly.
#[derive(Serialize)]
struct CaJson<'a> {
    subject: &'a DistinguishedName,
    issuer: &'a DistinguishedName,
    fingerprints: Fingerprints,
}

#[derive(Serialize)]
struct MatchJson<'a> {
    schema: u32,
    verdict: &'static str,
    cucm_error: Option<&'a str>,
    /// The id of the failing check that heads the verdict (null on a match).
    failed_check: Option<CheckId>,
    purpose: Option<Purpose>,
    /// "flag", "file-name" or "unknown".
    purpose_source: &'static str,
    at: String,
    checks: &'a [Finding],
    csr: Option<CsrJson<'a>>,
    key: Option<KeyJson<'a>>,
    certificate: CertificateJson<'a>,
    ca_certificates: Vec<CaJson<'a>>,
}

pub fn matching(report: &MatchReport, out: &mut dyn Write) -> io::Result<()> {
    let (csr, key) = match &report.request {
        RequestFacts::Csr(facts) => (Some(CsrJson::new(facts)), None),
        RequestFacts::Key { public, format, private } => {
            (None, Some(KeyJson { format: *format, private: *private, public_key: public }))
        }
    };
    let doc = MatchJson {
        schema: super::JSON_SCHEMA,
        verdict: if report.matched() { "match" } else { "mismatch" },
        cucm_error: report.cucm_error(),
        failed_check: report.headline().map(|f| f.id),
        purpose: report.purpose,
        purpose_source: match report.purpose_source {
            PurposeSource::Flag => "flag",
            PurposeSource::FileName(_) => "file-name",
            PurposeSource::Unknown => "unknown",
        },
        at: rfc3339(report.at),
        checks: &report.findings,
        csr,
        key,
        certificate: CertificateJson::new(&report.certificate),
        ca_certificates: report
            .cas
            .iter()
            .map(|c| CaJson { subject: &c.subject, issuer: &c.issuer, fingerprints: c.fingerprints() })
            .collect(),
    };
    write(out, &doc)
}

#[derive(Serialize)]
struct PlanStepJson<'a> {
    step: usize,
    role: Role,
    upload_as: String,
    /// The step of the certificate that issued it (null for a root or a missing issuer).
    issuer_step: Option<usize>,
    /// null for a self-signed root or when the issuer is not given.
    signature: Option<&'a Verification>,
    source: &'a Untrusted,
    certificate: CertificateJson<'a>,
}

#[derive(Serialize)]
struct AsideJson<'a> {
    /// "unrelated" (belongs to no chain) or "alternative" (another path, cross-signing).
    reason: &'static str,
    source: &'a Untrusted,
    certificate: CertificateJson<'a>,
}

#[derive(Serialize)]
struct FlagJson<'a> {
    #[serde(flatten)]
    flag: &'a Flag,
    /// The display name (CN) of the certificate concerned.
    certificate: Untrusted,
}

#[derive(Serialize)]
struct ChainJson<'a> {
    schema: u32,
    complete: bool,
    purpose: Option<Purpose>,
    /// "flag", "inferred" or "unknown".
    purpose_source: &'static str,
    purpose_reason: Option<&'a str>,
    at: String,
    plan: Vec<PlanStepJson<'a>>,
    not_in_plan: Vec<AsideJson<'a>>,
    flags: Vec<FlagJson<'a>>,
    written: Vec<String>,
}

pub fn chain(report: &ChainReport, out: &mut dyn Write) -> io::Result<()> {
    let a = &report.analysis;
    let cert_json =
        |i: usize| CertificateJson::from_parts(&a.certificates[i], report.validity[i], report.self_signed[i]);
    let plan = a
        .plan
        .iter()
        .enumerate()
        .map(|(n, s)| PlanStepJson {
            step: n + 1,
            role: s.role,
            upload_as: a.upload_as(s.role),
            issuer_step: s.issuer.and_then(|i| a.step_number[i]),
            signature: s.signature.as_ref(),
            source: &a.origins[s.index],
            certificate: cert_json(s.index),
        })
        .collect();
    let not_in_plan = a
        .alternatives
        .iter()
        .map(|&i| ("alternative", i))
        .chain(a.unrelated.iter().map(|&i| ("unrelated", i)))
        .map(|(reason, i)| AsideJson { reason, source: &a.origins[i], certificate: cert_json(i) })
        .collect();
    let (purpose_source, purpose_reason) = match &a.purpose_origin {
        PurposeOrigin::Flag => ("flag", None),
        PurposeOrigin::Inferred(why) => ("inferred", Some(why.as_str())),
        PurposeOrigin::Unknown => ("unknown", None),
    };
    let doc = ChainJson {
        schema: super::JSON_SCHEMA,
        complete: a.complete(),
        purpose: a.purpose,
        purpose_source,
        purpose_reason,
        at: rfc3339(report.at),
        plan,
        not_in_plan,
        flags: a
            .flags
            .iter()
            .map(|f| FlagJson { flag: f, certificate: a.certificates[f.index].display_name() })
            .collect(),
        written: report.written.iter().map(|p| p.display().to_string()).collect(),
    };
    write(out, &doc)
}

#[derive(Serialize)]
struct TrustJson<'a> {
    schema: u32,
    outcome: Outcome,
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

pub fn trust(report: &TrustReport, out: &mut dyn Write) -> io::Result<()> {
    let d = &report.decision;
    let doc = TrustJson {
        schema: super::JSON_SCHEMA,
        outcome: d.outcome,
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

#[derive(Serialize)]
struct PlaceJson<'a> {
    path: &'a Untrusted,
    /// 1-based position in a file holding several objects, else null.
    position: Option<usize>,
}

impl<'a> PlaceJson<'a> {
    fn new(place: &'a Place) -> PlaceJson<'a> {
        PlaceJson { path: &place.path, position: place.position }
    }
}

#[derive(Serialize)]
struct PairCertJson<'a> {
    #[serde(flatten)]
    place: PlaceJson<'a>,
    common_name: Option<&'a Untrusted>,
    serial: String,
    not_after: Option<String>,
    sha256: String,
}

#[derive(Serialize)]
struct PairRowJson<'a> {
    /// "match" or "mismatch".
    status: &'static str,
    csr: PlaceJson<'a>,
    purpose: Option<Purpose>,
    certificate: PairCertJson<'a>,
    keys: Vec<PlaceJson<'a>>,
    verdict: &'a Verdict,
}

#[derive(Serialize)]
struct WaitingJson<'a> {
    csr: PlaceJson<'a>,
    common_name: Option<&'a Untrusted>,
    purpose: Option<Purpose>,
    keys: Vec<PlaceJson<'a>>,
}

#[derive(Serialize)]
struct OrphanJson<'a> {
    certificate: PairCertJson<'a>,
    purpose: Option<Purpose>,
    /// The CSR of the same subject (another key) when the certificate was issued for a CSR since regenerated.
    superseded_csr: Option<PlaceJson<'a>>,
    /// null where CUCM's text is not documented (a missing CSR of an IM and Presence purpose).
    cucm_error: Option<&'a str>,
    keys: Vec<PlaceJson<'a>>,
}

#[derive(Serialize)]
struct SkippedJson<'a> {
    path: &'a Untrusted,
    reason: &'a str,
}

#[derive(Serialize)]
struct PairSummaryJson {
    files: usize,
    pairs: usize,
    matched: usize,
    mismatched: usize,
    waiting_csrs: usize,
    certificates_without_csr: usize,
    /// Of `certificates_without_csr`, those issued for a CSR that was replaced (same subject, another key).
    certificates_for_superseded_csr: usize,
    lonely_keys: usize,
    ca_certificates: usize,
    unreadable: usize,
    unknown: usize,
}

#[derive(Serialize)]
struct PairJson<'a> {
    schema: u32,
    at: String,
    summary: PairSummaryJson,
    pairs: Vec<PairRowJson<'a>>,
    waiting_csrs: Vec<WaitingJson<'a>>,
    certificates_without_csr: Vec<OrphanJson<'a>>,
    lonely_keys: Vec<PlaceJson<'a>>,
    ca_certificates: Vec<PairCertJson<'a>>,
    unreadable: Vec<SkippedJson<'a>>,
    unknown: Vec<SkippedJson<'a>>,
    skipped: Vec<SkippedJson<'a>>,
    /// Files holding a CSR or certificate already found elsewhere (counted once).
    copies: Vec<PlaceJson<'a>>,
}

pub fn pair(report: &PairReport, out: &mut dyn Write) -> io::Result<()> {
    let p = &report.pairing;
    let cert = |i: usize| {
        let (c, place) = &p.certificates[i];
        PairCertJson {
            place: PlaceJson::new(place),
            common_name: c.subject.common_name(),
            serial: crate::model::digest::hex_colons_lower(&c.serial),
            not_after: c.not_after.map(rfc3339),
            sha256: c.fingerprints().sha256,
        }
    };
    let keys = |ks: &[usize]| ks.iter().map(|&k| PlaceJson::new(&p.keys[k].1)).collect::<Vec<_>>();
    let mut pairs = Vec::new();
    let mut waiting = Vec::new();
    for e in &p.entries {
        for paired in &e.certificates {
            pairs.push(PairRowJson {
                status: if paired.verdict.matched { "match" } else { "mismatch" },
                csr: PlaceJson::new(&p.csrs[e.csr].1),
                purpose: e.purpose,
                certificate: cert(paired.certificate),
                keys: keys(&e.keys),
                verdict: &paired.verdict,
            });
        }
        if e.certificates.is_empty() {
            waiting.push(WaitingJson {
                csr: PlaceJson::new(&p.csrs[e.csr].1),
                common_name: p.csrs[e.csr].0.subject.common_name(),
                purpose: e.purpose,
                keys: keys(&e.keys),
            });
        }
    }
    let matched = pairs.iter().filter(|r| r.status == "match").count();
    let doc = PairJson {
        schema: super::JSON_SCHEMA,
        at: rfc3339(report.at),
        summary: PairSummaryJson {
            files: report.files,
            pairs: pairs.len(),
            matched,
            mismatched: pairs.len() - matched,
            waiting_csrs: waiting.len(),
            certificates_without_csr: p.orphans.len(),
            certificates_for_superseded_csr: p.orphans.iter().filter(|o| o.superseded_by.is_some()).count(),
            lonely_keys: p.lonely_keys.len(),
            ca_certificates: p.ca_certificates.len(),
            unreadable: report.unreadable.len(),
            unknown: report.unknown.len(),
        },
        pairs,
        waiting_csrs: waiting,
        certificates_without_csr: p
            .orphans
            .iter()
            .map(|o| OrphanJson {
                certificate: cert(o.certificate),
                purpose: o.purpose,
                superseded_csr: o.superseded_by.map(|c| PlaceJson::new(&p.csrs[c].1)),
                cucm_error: o.cucm_error.as_deref(),
                keys: keys(&o.keys),
            })
            .collect(),
        lonely_keys: keys(&p.lonely_keys),
        ca_certificates: p.ca_certificates.iter().map(|&i| cert(i)).collect(),
        unreadable: skipped_json(&report.unreadable),
        unknown: skipped_json(&report.unknown),
        skipped: skipped_json(&report.skipped),
        copies: p
            .entries
            .iter()
            .flat_map(|e| e.copies.iter().map(|&c| PlaceJson::new(&p.csrs[c].1)))
            .chain(p.duplicate_certificates.iter().map(|&i| PlaceJson::new(&p.certificates[i].1)))
            .collect(),
    };
    write(out, &doc)
}

fn skipped_json(list: &[crate::report::pair::Skipped]) -> Vec<SkippedJson<'_>> {
    list.iter().map(|s| SkippedJson { path: &s.path, reason: &s.reason }).collect()
}

#[derive(Serialize)]
struct LogsJson<'a> {
    schema: u32,
    #[serde(flatten)]
    report: &'a crate::analysis::logs::LogReport,
}

pub fn logs(report: &crate::analysis::logs::LogReport, out: &mut dyn Write) -> io::Result<()> {
    write(out, &LogsJson { schema: super::JSON_SCHEMA, report })
}

#[derive(Serialize)]
struct ConnectJson<'a> {
    schema: u32,
    target: String,
    host: &'a str,
    port: u16,
    sni: Option<&'a str>,
    address: &'a str,
    protocol: &'a str,
    cipher_suite: &'a str,
    at: String,
    /// The presented certificates, leaf first.
    chain: Vec<CertificateJson<'a>>,
    /// Whether the leaf names the host (as curl judges it) and, if not, curl's error 51 text.
    host_match: &'a crate::analysis::hostname::HostMatch,
    self_signed: bool,
    /// With --ca: does the chain lead to one of them; null without --ca.
    trust: Option<&'a crate::analysis::served::Trust>,
    /// With --expect: is the presented certificate (or key) the expected one; null without --expect.
    expect: Option<&'a crate::analysis::served::Expectation>,
    saved: Vec<String>,
}

pub fn connect(report: &crate::report::connect::ConnectReport, out: &mut dyn Write) -> io::Result<()> {
    let doc = ConnectJson {
        schema: super::JSON_SCHEMA,
        target: report.target.clone(),
        host: &report.host_name,
        port: report.port,
        sni: report.sni.as_deref(),
        address: &report.address,
        protocol: &report.protocol,
        cipher_suite: &report.cipher_suite,
        at: rfc3339(report.at),
        chain: report.chain.iter().map(CertificateJson::new).collect(),
        host_match: &report.host,
        self_signed: report.leaf().self_signed,
        trust: report.trust.as_ref(),
        expect: report.expect.as_ref(),
        saved: report.saved.iter().map(|p| p.display().to_string()).collect(),
    };
    write(out, &doc)
}

#[derive(Serialize)]
struct ExplainJson<'a> {
    schema: u32,
    text: &'a str,
    /// null when the text is not an error ucert knows.
    explanation: Option<&'a crate::cucm::explain::Explanation>,
    /// The errors ucert knows, when the text is none of them.
    known: Vec<&'static str>,
}

pub fn explain(text: &str, found: Option<&crate::cucm::explain::Explanation>, out: &mut dyn Write) -> io::Result<()> {
    let known =
        if found.is_none() { crate::cucm::explain::ENTRIES.iter().map(|e| e.text).collect() } else { Vec::new() };
    write(out, &ExplainJson { schema: super::JSON_SCHEMA, text, explanation: found, known })
}
