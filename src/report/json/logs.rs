//! `logs --json`: the files read, the findings with their evidence, CES's start-up, each phone's enrollment and
//! the CA's IIS requests.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::pair::{SkippedJson, skipped_json};
use super::{JSON_SCHEMA, write};
use crate::analysis::logs::{
    EnrollmentOutcome, Evidence, Iis, Level, LogFile, LogFinding, LogKind, LogReport, Phone, Startup, Unrecognised,
};
use crate::untrusted::Untrusted;

#[derive(Serialize)]
struct LogsJson<'a> {
    schema: u32,
    files: Vec<FileJson<'a>>,
    /// Most severe first, then by first occurrence.
    findings: Vec<FindingJson<'a>>,
    startup: StartupJson<'a>,
    phones: Vec<PhoneJson<'a>>,
    iis: Option<IisJson<'a>>,
    unrecognised: UnrecognisedJson<'a>,
    /// Files of the folders given that were not read as logs.
    skipped: Vec<SkippedJson<'a>>,
}

#[derive(Serialize)]
struct FileJson<'a> {
    path: &'a Untrusted,
    /// capf, cisco-ra, nginx or iis.
    kind: &'static str,
    lines: usize,
    records: usize,
}

/// A log line that shows a finding: its file, line number and text.
#[derive(Serialize)]
struct EvidenceJson<'a> {
    file: &'a Untrusted,
    line: usize,
    text: &'a Untrusted,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    id: &'static str,
    /// error, warning or info.
    severity: &'static str,
    title: &'a str,
    what: &'a str,
    cause: &'a str,
    fixes: &'a [String],
    count: usize,
    first_seen: Option<&'a str>,
    last_seen: Option<&'a str>,
    evidence: Vec<EvidenceJson<'a>>,
}

#[derive(Serialize)]
struct StartupJson<'a> {
    online_ca_host: Option<&'a str>,
    online_ca_port: Option<&'a str>,
    online_ca_template: Option<&'a str>,
    login_succeeded: Option<bool>,
    login_seen_at: Option<EvidenceJson<'a>>,
    ca_chain_retrieved: Option<bool>,
    ca_chain_seen_at: Option<EvidenceJson<'a>>,
    urls: &'a [String],
}

#[derive(Serialize)]
struct StepJson<'a> {
    time: Option<&'a str>,
    step: &'a str,
}

#[derive(Serialize)]
struct PhoneJson<'a> {
    device: &'a str,
    steps: Vec<StepJson<'a>>,
    /// success, failed or unfinished.
    outcome: &'static str,
}

#[derive(Serialize)]
struct IisJson<'a> {
    requests: usize,
    /// URL path -> HTTP status -> count.
    by_url: &'a BTreeMap<String, BTreeMap<u16, usize>>,
    normal_handshakes: usize,
    unanswered_challenges: usize,
    authentication_failures: usize,
}

#[derive(Serialize)]
struct UnrecognisedJson<'a> {
    errors: usize,
    warnings: usize,
    samples: Vec<EvidenceJson<'a>>,
}

fn evidence(e: &Evidence) -> EvidenceJson<'_> {
    EvidenceJson { file: &e.file, line: e.line, text: &e.text }
}

fn kind(k: LogKind) -> &'static str {
    match k {
        LogKind::Capf => "capf",
        LogKind::CiscoRa => "cisco-ra",
        LogKind::Nginx => "nginx",
        LogKind::Iis => "iis",
    }
}

fn severity(s: Level) -> &'static str {
    match s {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "info",
    }
}

fn outcome(o: EnrollmentOutcome) -> &'static str {
    match o {
        EnrollmentOutcome::Success => "success",
        EnrollmentOutcome::Failed => "failed",
        EnrollmentOutcome::Unfinished => "unfinished",
    }
}

fn file(f: &LogFile) -> FileJson<'_> {
    FileJson { path: &f.path, kind: kind(f.kind), lines: f.lines, records: f.records }
}

fn finding(f: &LogFinding) -> FindingJson<'_> {
    FindingJson {
        id: f.id.as_str(),
        severity: severity(f.severity),
        title: &f.title,
        what: &f.what,
        cause: &f.cause,
        fixes: &f.fixes,
        count: f.count,
        first_seen: f.first_seen.as_deref(),
        last_seen: f.last_seen.as_deref(),
        evidence: f.evidence.iter().map(evidence).collect(),
    }
}

fn startup(s: &Startup) -> StartupJson<'_> {
    StartupJson {
        online_ca_host: s.online_ca_host.as_deref(),
        online_ca_port: s.online_ca_port.as_deref(),
        online_ca_template: s.online_ca_template.as_deref(),
        login_succeeded: s.login_succeeded,
        login_seen_at: s.login_seen_at.as_ref().map(evidence),
        ca_chain_retrieved: s.ca_chain_retrieved,
        ca_chain_seen_at: s.ca_chain_seen_at.as_ref().map(evidence),
        urls: &s.urls,
    }
}

fn phone(p: &Phone) -> PhoneJson<'_> {
    PhoneJson {
        device: &p.device,
        steps: p.steps.iter().map(|s| StepJson { time: s.time.as_deref(), step: &s.step }).collect(),
        outcome: outcome(p.outcome),
    }
}

fn iis(i: &Iis) -> IisJson<'_> {
    IisJson {
        requests: i.requests,
        by_url: &i.by_url,
        normal_handshakes: i.normal_handshakes,
        unanswered_challenges: i.unanswered_challenges,
        authentication_failures: i.authentication_failures,
    }
}

fn unrecognised(u: &Unrecognised) -> UnrecognisedJson<'_> {
    UnrecognisedJson { errors: u.errors, warnings: u.warnings, samples: u.samples.iter().map(evidence).collect() }
}

pub fn logs(report: &LogReport, out: &mut dyn Write) -> io::Result<()> {
    let doc = LogsJson {
        schema: JSON_SCHEMA,
        files: report.files.iter().map(file).collect(),
        findings: report.findings.iter().map(finding).collect(),
        startup: startup(&report.startup),
        phones: report.phones.iter().map(phone).collect(),
        iis: report.iis.as_ref().map(iis),
        unrecognised: unrecognised(&report.unrecognised),
        skipped: skipped_json(&report.skipped),
    };
    write(out, &doc)
}
