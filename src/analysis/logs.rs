//! `ucert logs`: diagnosis of CAPF Online CA enrollment from its four logs (CAPF trace, CiscoRA, NGINX
//! `error.log`, the CA's IIS log). Records are fed one at a time to an [`Analyzer`], which keeps only aggregates
//! (findings with a few evidence lines, per-phone timelines, per-URL counts), so memory does not grow with log size.

mod analyzer;
mod iis;
pub mod kind;
pub mod phrases;
pub mod signatures;
mod timeline;

use std::collections::BTreeMap;

use regex::Regex;

use crate::untrusted::Untrusted;
pub use analyzer::Analyzer;
pub use kind::LogKind;
pub use signatures::{FindingId, Level};

/// How many evidence lines a finding keeps, and how many unrecognised lines are shown.
const EVIDENCE: usize = 3;
const SAMPLES: usize = 10;

/// A line that shows a finding (or an unrecognised problem).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub file: Untrusted,
    pub line: usize,
    /// The log's own text: outside text, shown escaped.
    pub text: Untrusted,
}

impl Evidence {
    /// A record as evidence: its file and line, its text shortened.
    pub(crate) fn of(path: &Untrusted, line: usize, record: &str) -> Evidence {
        Evidence { file: path.clone(), line, text: Untrusted::new(shorten(record)) }
    }
}

/// A problem found, with every occurrence counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogFinding {
    pub id: FindingId,
    pub severity: Level,
    pub title: String,
    pub what: String,
    pub cause: String,
    pub fixes: Vec<String>,
    pub count: usize,
    /// The time stamps of the first and last occurrence, as the log writes them (CAPF traces have no date).
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub evidence: Vec<Evidence>,
    key: String,
}

/// What CES's start-up says about the Online CA.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Startup {
    pub online_ca_host: Option<String>,
    pub online_ca_port: Option<String>,
    pub online_ca_template: Option<String>,
    /// Whether CES logged in to /certsrv successfully (None: not seen).
    pub login_succeeded: Option<bool>,
    /// The log line that said so (given several logs, which one: they may be of different services or days).
    pub login_seen_at: Option<Evidence>,
    /// Whether CES retrieved the CA chain (None: not seen).
    pub ca_chain_retrieved: Option<bool>,
    /// The log line that said so.
    pub ca_chain_seen_at: Option<Evidence>,
    pub urls: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrollmentStep {
    pub time: Option<String>,
    pub step: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnrollmentOutcome {
    Success,
    Failed,
    /// Started, but neither success nor failure is in the logs.
    Unfinished,
}

/// One phone's enrollment, as far as the CAPF trace shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone {
    pub device: String,
    pub steps: Vec<EnrollmentStep>,
    pub outcome: EnrollmentOutcome,
}

/// Requests to the CA's web enrollment, from its IIS log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Iis {
    pub requests: usize,
    /// URL path -> HTTP status -> count.
    pub by_url: BTreeMap<String, BTreeMap<u16, usize>>,
    /// 401 challenges answered by an authenticated request from the same client: the normal 401 -> 301 -> 200.
    pub normal_handshakes: usize,
    /// 401 challenges no authenticated request followed.
    pub unanswered_challenges: usize,
    /// 401 for a request that carried a user name (a logon refused).
    pub authentication_failures: usize,
}

/// Error and warning lines no signature knows: counted and shown, never dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Unrecognised {
    pub errors: usize,
    pub warnings: usize,
    pub samples: Vec<Evidence>,
}

/// A log file as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogFile {
    pub path: Untrusted,
    pub kind: LogKind,
    pub lines: usize,
    pub records: usize,
}

/// Everything found in all the logs.
#[derive(Clone, Debug, Default)]
pub struct LogReport {
    pub files: Vec<LogFile>,
    /// Most severe first, then by first occurrence.
    pub findings: Vec<LogFinding>,
    pub startup: Startup,
    pub phones: Vec<Phone>,
    pub iis: Option<Iis>,
    pub unrecognised: Unrecognised,
    /// Files met in the folders given that were not read as logs, with why (not a log, empty, an archive, not
    /// readable): listed, as RTMT's folders hold other files beside the logs.
    pub skipped: Vec<super::Skipped>,
}

impl LogReport {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Level::Error)
    }
}

/// Compiles one of this module's constant patterns. They are literals, compiled by every test run, so a failure
/// here is a programming error, not bad input.
#[allow(clippy::expect_used)]
pub(crate) fn re(pattern: &'static str) -> Regex {
    Regex::new(pattern).expect("constant pattern") // ok: a literal, compiled in every test run
}

/// At most the first `max` bytes of `text`, cut at a character boundary.
pub(crate) fn prefix(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Evidence lines are kept short: a folded record can run for kilobytes.
fn shorten(record: &str) -> String {
    const MAX: usize = 400;
    if record.len() <= MAX {
        return record.to_string();
    }
    format!("{}…", prefix(record, MAX))
}
