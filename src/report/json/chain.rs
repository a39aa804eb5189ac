//! `chain --json`: the upload plan, the certificates outside it, and every flag.

use std::io::{self, Write};

use serde::Serialize;

use super::common::{CertificateJson, ThresholdsJson, VerificationJson, purpose_source};
use super::{JSON_SCHEMA, rfc3339, write};
use crate::analysis::chain::{Flag, Role, Severity};
use crate::report::chain::ChainReport;
use crate::untrusted::Untrusted;

#[derive(Serialize)]
struct PlanStepJson<'a> {
    step: usize,
    /// root, intermediate or leaf.
    role: &'static str,
    upload_as: String,
    /// The step of the certificate that issued it (null for a root or a missing issuer).
    issuer_step: Option<usize>,
    /// null for a self-signed root or when the issuer is not given.
    signature: Option<VerificationJson<'a>>,
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
    /// What is wrong (see the README's list of flag kinds).
    kind: &'static str,
    /// "fail" (the upload would fail) or "warn".
    severity: &'static str,
    message: &'a str,
    /// What happens at upload time because of it.
    consequence: &'a str,
    /// The display name (CN) of the certificate concerned.
    certificate: Untrusted,
}

#[derive(Serialize)]
struct ChainJson<'a> {
    schema: u32,
    complete: bool,
    /// No certificate inside `--critical-days` (nor expired) and `complete`: the exit code's 0.
    passed: bool,
    thresholds: ThresholdsJson,
    purpose: Option<&'static str>,
    /// "flag", "inferred" or "unknown".
    purpose_source: &'static str,
    purpose_reason: Option<&'a str>,
    at: String,
    plan: Vec<PlanStepJson<'a>>,
    not_in_plan: Vec<AsideJson<'a>>,
    flags: Vec<FlagJson<'a>>,
    written: Vec<String>,
}

fn role(r: Role) -> &'static str {
    match r {
        Role::Root => "root",
        Role::Intermediate => "intermediate",
        Role::Leaf => "leaf",
    }
}

fn flag_json<'a>(f: &'a Flag, certificate: Untrusted) -> FlagJson<'a> {
    let severity = match f.severity {
        Severity::Fail => "fail",
        Severity::Warn => "warn",
    };
    FlagJson { kind: f.kind.as_str(), severity, message: &f.message, consequence: &f.consequence, certificate }
}

pub fn chain(report: &ChainReport, out: &mut dyn Write) -> io::Result<()> {
    let a = &report.analysis;
    let cert_json = |i: usize| {
        let m = &a.members[i];
        CertificateJson::from_parts(&m.certificate, m.validity, report.expiry(i), m.self_signed)
    };
    let plan = a
        .plan
        .iter()
        .enumerate()
        .map(|(n, s)| PlanStepJson {
            step: n + 1,
            role: role(s.role),
            upload_as: a.upload_as(s.role),
            issuer_step: s.issuer.and_then(|i| a.members[i].step),
            signature: s.signature.as_ref().map(VerificationJson::new),
            source: &a.members[s.index].origin,
            certificate: cert_json(s.index),
        })
        .collect();
    let not_in_plan = a
        .alternatives
        .iter()
        .map(|&i| ("alternative", i))
        .chain(a.unrelated.iter().map(|&i| ("unrelated", i)))
        .map(|(reason, i)| AsideJson { reason, source: &a.members[i].origin, certificate: cert_json(i) })
        .collect();
    let (purpose_source, purpose_reason) = purpose_source(&a.purpose_source);
    let doc = ChainJson {
        schema: JSON_SCHEMA,
        complete: a.complete(),
        passed: report.passed(),
        thresholds: ThresholdsJson::new(report.thresholds),
        purpose: a.purpose.map(|p| p.name()),
        purpose_source,
        purpose_reason,
        at: rfc3339(report.at),
        plan,
        not_in_plan,
        flags: a.flags.iter().map(|f| flag_json(f, a.members[f.index].certificate.display_name())).collect(),
        written: report.written.iter().map(|p| p.display().to_string()).collect(),
    };
    write(out, &doc)
}
