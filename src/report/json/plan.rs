//! `plan --json`: the windows in order, each with its steps (kind, node, purpose, file, command, condition), the
//! cautions, and what no window takes.

use std::io::{self, Write};

use serde::Serialize;

use super::pair::{SkippedJson, skipped_json};
use super::{JSON_SCHEMA, rfc3339, write};
use crate::analysis::plan::{PublisherSource, SecurityMode, Step, StepKind, Window};
use crate::report::plan::PlanReport;
use crate::untrusted::Untrusted;

#[derive(Serialize)]
struct PlanJson<'a> {
    schema: u32,
    at: String,
    /// true when no step is blocked (exit 0).
    clear: bool,
    nodes: &'a [Untrusted],
    publisher: Option<&'a Untrusted>,
    /// "flag", "capf-csr" or "unknown".
    publisher_source: &'static str,
    /// "mixed", "non-secure" or "unknown".
    security_mode: &'static str,
    /// true with --sso; false when not said (the SSO steps are then conditional).
    sso: bool,
    cautions: &'a [String],
    windows: Vec<WindowJson<'a>>,
    /// Blocked steps no window takes (a CSR of unknown purpose, a certificate no CSR asked for).
    not_in_any_window: Vec<StepJson<'a>>,
    files: usize,
    trust_store_certificates: usize,
    /// Files that could not be read, held nothing to plan, or were not read.
    unreadable: Vec<SkippedJson<'a>>,
    /// Files read with a warning (a damaged block left out, a block other tools do not read as it stands).
    read_with_warning: Vec<SkippedJson<'a>>,
    unknown: Vec<SkippedJson<'a>>,
    skipped: Vec<SkippedJson<'a>>,
}

#[derive(Serialize)]
struct WindowJson<'a> {
    number: usize,
    /// The family's name: tomcat, ipsec, CAPF, CallManager, TVS, cup-xmpp, cup-xmpp-s2s, cup.
    family: &'static str,
    purposes: Vec<&'static str>,
    nodes: &'static str,
    impact: &'static str,
    blocked: bool,
    steps: Vec<StepJson<'a>>,
}

#[derive(Serialize)]
struct StepJson<'a> {
    number: usize,
    /// before, upload-trust, delete-trust, upload-certificate, update-ctl, restart, reset-phones,
    /// wait-for-registration, verify, after or blocked.
    kind: &'static str,
    text: &'a str,
    node: Option<&'a Untrusted>,
    purpose: Option<&'static str>,
    file: Option<&'a Untrusted>,
    command: Option<&'a str>,
    /// The step applies only if this holds; null when it always does.
    condition: Option<&'a str>,
}

fn kind(k: StepKind) -> &'static str {
    match k {
        StepKind::Before => "before",
        StepKind::UploadTrust => "upload-trust",
        StepKind::DeleteTrust => "delete-trust",
        StepKind::UploadCertificate => "upload-certificate",
        StepKind::UpdateCtl => "update-ctl",
        StepKind::Restart => "restart",
        StepKind::ResetPhones => "reset-phones",
        StepKind::WaitForRegistration => "wait-for-registration",
        StepKind::Verify => "verify",
        StepKind::After => "after",
        StepKind::Blocked => "blocked",
    }
}

fn step(number: usize, s: &Step) -> StepJson<'_> {
    StepJson {
        number,
        kind: kind(s.kind),
        text: &s.text,
        node: s.node.as_ref(),
        purpose: s.purpose.map(|p| p.name()),
        file: s.file.as_ref(),
        command: s.command.as_deref(),
        condition: s.condition.as_deref(),
    }
}

fn window(number: usize, w: &Window) -> WindowJson<'_> {
    WindowJson {
        number,
        family: w.family.name(),
        purposes: w.purposes.iter().map(|p| p.name()).collect(),
        nodes: w.nodes,
        impact: w.impact,
        blocked: w.blocked(),
        steps: w.steps.iter().enumerate().map(|(i, s)| step(i + 1, s)).collect(),
    }
}

pub fn plan(report: &PlanReport, out: &mut dyn Write) -> io::Result<()> {
    let p = &report.plan;
    let doc = PlanJson {
        schema: JSON_SCHEMA,
        at: rfc3339(report.at),
        clear: p.clear(),
        nodes: &p.nodes,
        publisher: p.publisher.as_ref(),
        publisher_source: match p.publisher_source {
            PublisherSource::Flag => "flag",
            PublisherSource::CapfCsr => "capf-csr",
            PublisherSource::Unknown => "unknown",
        },
        security_mode: match p.security {
            SecurityMode::Mixed => "mixed",
            SecurityMode::NonSecure => "non-secure",
            SecurityMode::Unknown => "unknown",
        },
        sso: p.sso,
        cautions: &p.warnings,
        windows: p.windows.iter().enumerate().map(|(i, w)| window(i + 1, w)).collect(),
        not_in_any_window: p.unplaced.iter().enumerate().map(|(i, s)| step(i + 1, s)).collect(),
        files: report.files,
        trust_store_certificates: report.store_certificates,
        unreadable: skipped_json(&report.unreadable),
        read_with_warning: skipped_json(&report.warnings),
        unknown: skipped_json(&report.unknown),
        skipped: skipped_json(&report.skipped),
    };
    write(out, &doc)
}
