//! `ucert logs`: diagnosis of CAPF Online CA enrollment from its four logs (CAPF trace, CiscoRA, NGINX
//! `error.log`, the CA's IIS log). Records are fed one at a time to an [`Analyzer`], which keeps only aggregates
//! (findings with a few evidence lines, per-phone timelines, per-URL counts), so memory does not grow with log size.

pub mod kind;
pub mod phrases;
pub mod signatures;

use crate::untrusted::Untrusted;
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use regex::Regex;

pub use kind::LogKind;
use phrases::{Found, Phrase};
use signatures::{Classified, Hit};
pub use signatures::{FindingId, Severity};

/// How many evidence lines a finding keeps, and how many unrecognised lines are shown.
const EVIDENCE: usize = 3;
const SAMPLES: usize = 10;
/// Bounds on what grows with the number of phones, not with log size.
const MAX_PHONES: usize = 10_000;
const MAX_STEPS: usize = 40;

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
    fn of(path: &Untrusted, line: usize, record: &str) -> Evidence {
        Evidence { file: path.clone(), line, text: Untrusted::new(shorten(record)) }
    }
}

/// A problem found, with every occurrence counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub id: FindingId,
    pub severity: Severity,
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
pub struct Step {
    pub time: Option<String>,
    pub step: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failed,
    /// Started, but neither success nor failure is in the logs.
    Unfinished,
}

/// One phone's enrollment, as far as the CAPF trace shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone {
    pub device: String,
    pub steps: Vec<Step>,
    pub outcome: Outcome,
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
    pub findings: Vec<Finding>,
    pub startup: Startup,
    pub phones: Vec<Phone>,
    pub iis: Option<Iis>,
    pub unrecognised: Unrecognised,
}

impl LogReport {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// Compiles one of this module's constant patterns. They are literals, compiled by every test run, so a failure
/// here is a programming error, not bad input.
#[allow(clippy::expect_used)]
pub(crate) fn re(pattern: &'static str) -> Regex {
    Regex::new(pattern).expect("constant pattern") // ok: a literal, compiled in every test run
}

static CAPF_TIME: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{2}:\d{2}:\d{2}\.\d{3})"));
static NGINX_TIME: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2})"));
static HOST: LazyLock<Regex> = LazyLock::new(|| re(r"Online CA hostname is (\S+)"));
static PORT: LazyLock<Regex> = LazyLock::new(|| re(r"Online CA Port\s*:\s*(\d+)"));
static TEMPLATE: LazyLock<Regex> = LazyLock::new(|| re(r"Online CA Template is (\S+)"));
static URL: LazyLock<Regex> = LazyLock::new(|| re(r"(https?://\S+)"));
static RV: LazyLock<Regex> = LazyLock::new(|| re(r"Enrollment rv = (\d+) \((\w+)\)"));

/// Feeds records in, one at a time; [`Analyzer::finish`] gives the report.
#[derive(Default)]
pub struct Analyzer {
    report: LogReport,
    findings: HashMap<(FindingId, String), Finding>,
    order: Vec<(FindingId, String)>,
    phones: HashMap<String, usize>,
    /// The phone a CAPF record without a device name belongs to (the last one named).
    current_device: Option<String>,
    iis: Option<IisState>,
}

#[derive(Default)]
struct IisState {
    summary: Iis,
    /// (client, url) -> open 401 challenges.
    pending: HashMap<(String, String), usize>,
    fields: Option<Vec<String>>,
}

impl Analyzer {
    pub fn new() -> Analyzer {
        Analyzer::default()
    }

    /// Starts a new file.
    pub fn file(&mut self, path: &Untrusted, kind: LogKind) {
        self.report.files.push(LogFile { path: path.clone(), kind, lines: 0, records: 0 });
        if kind == LogKind::Iis && self.iis.is_none() {
            self.iis = Some(IisState::default());
        }
    }

    /// One physical line of the current file: split into records, each analysed.
    pub fn line(&mut self, line_number: usize, line: &str) {
        let Some(file) = self.report.files.last_mut() else { return };
        file.lines = line_number;
        let kind = file.kind;
        let path = file.path.clone();
        if kind == LogKind::Iis && line.starts_with("#Fields:") {
            if let Some(state) = self.iis.as_mut() {
                state.fields =
                    Some(line.trim_start_matches("#Fields:").split_whitespace().map(str::to_string).collect());
            }
            return;
        }
        if line.starts_with('#') && kind == LogKind::Iis {
            return;
        }
        let records = kind::records(kind, line);
        if let Some(file) = self.report.files.last_mut() {
            file.records += records.len();
        }
        for record in records {
            self.record(&path, kind, line_number, record);
        }
    }

    fn record(&mut self, path: &Untrusted, kind: LogKind, line: usize, record: &str) {
        if kind == LogKind::Iis {
            self.iis_record(path, line, record, iis_time(record));
            return;
        }
        let found = phrases::scan(record);
        self.startup(path, line, record, found);
        if kind == LogKind::Capf {
            self.timeline(record, found);
        }
        match signatures::classify(record, found) {
            Classified::Finding(hit) => self.add(hit, path, line, record, time_of(kind, record)),
            Classified::Known => {}
            Classified::Unrecognised => self.unrecognised(kind, path, line, record, found),
        }
    }

    fn add(&mut self, hit: Hit, path: &Untrusted, line: usize, record: &str, time: Option<String>) {
        let key = (hit.id, hit.key.clone());
        let finding = self.findings.entry(key.clone()).or_insert_with(|| {
            self.order.push(key);
            Finding {
                id: hit.id,
                severity: hit.severity,
                title: hit.title,
                what: hit.what,
                cause: hit.cause,
                fixes: hit.fixes,
                count: 0,
                first_seen: time.clone(),
                last_seen: None,
                evidence: Vec::new(),
                key: hit.key,
            }
        });
        finding.count += 1;
        if time.is_some() {
            if finding.first_seen.is_none() {
                finding.first_seen = time.clone();
            }
            finding.last_seen = time;
        }
        if finding.evidence.len() < EVIDENCE {
            finding.evidence.push(Evidence::of(path, line, record));
        }
    }

    fn unrecognised(&mut self, kind: LogKind, path: &Untrusted, line: usize, record: &str, found: Found) {
        let level = level(kind, record, found);
        let Some(level) = level else { return };
        let u = &mut self.report.unrecognised;
        match level {
            Severity::Error => u.errors += 1,
            _ => u.warnings += 1,
        }
        if u.samples.len() < SAMPLES {
            u.samples.push(Evidence::of(path, line, record));
        }
    }

    fn startup(&mut self, path: &Untrusted, line: usize, record: &str, found: Found) {
        let seen = || Some(Evidence::of(path, line, record));
        let s = &mut self.report.startup;
        if !(found.has(Phrase::OnlineCa)
            || found.has(Phrase::Certsrv)
            || found.has(Phrase::ChainRetrieved)
            || found.has(Phrase::ChainNotRetrieved))
        {
            return;
        }
        let grab = |re: &Regex| re.captures(record).and_then(|c| c.get(1)).map(|m| m.as_str().to_string());
        if let Some(h) = grab(&HOST) {
            s.online_ca_host = Some(h);
        }
        if let Some(p) = grab(&PORT) {
            s.online_ca_port = Some(p);
        }
        if let Some(t) = grab(&TEMPLATE) {
            s.online_ca_template = Some(t);
        }
        if found.has(Phrase::ChainRetrieved) {
            s.ca_chain_retrieved = Some(true);
            s.ca_chain_seen_at = seen();
        } else if found.has(Phrase::ChainNotRetrieved) {
            s.ca_chain_retrieved = Some(false);
            s.ca_chain_seen_at = seen();
        }
        if found.has(Phrase::Login) {
            if found.has(Phrase::CompletedOk) {
                s.login_succeeded = Some(true);
                s.login_seen_at = seen();
            } else if found.has(Phrase::Failed) {
                s.login_succeeded = Some(false);
                s.login_seen_at = seen();
            }
        }
        if (found.has(Phrase::UrlUsed) || found.has(Phrase::FollowingUrl))
            && let Some(url) = grab(&URL)
            && !s.urls.contains(&url)
            && s.urls.len() < SAMPLES
        {
            s.urls.push(url);
        }
    }

    fn timeline(&mut self, record: &str, found: Found) {
        let device = if found.has(Phrase::Sep) { device_name(record) } else { None };
        if let Some(d) = &device
            && self.current_device.as_ref() != Some(d)
        {
            self.current_device = Some(d.clone());
        }
        let step: Option<(String, Option<Outcome>)> = if found.has(Phrase::Initiating) {
            Some(("enrollment started (CA Mode is OnlineCA)".into(), None))
        } else if found.has(Phrase::CsrRead) {
            Some(("read_csr: CSR read".into(), None))
        } else if found.has(Phrase::CallingEst) {
            Some(("enrollCertUsingEST called".into(), None))
        } else if let Some(c) = found.has(Phrase::EnrollmentRv).then(|| RV.captures(record)).flatten() {
            let ok = c.get(1).is_some_and(|m| m.as_str() == "0");
            let text = format!(
                "Enrollment rv = {} ({})",
                c.get(1).map_or("", |m| m.as_str()),
                c.get(2).map_or("", |m| m.as_str())
            );
            Some((text, Some(if ok { Outcome::Success } else { Outcome::Failed })))
        } else if found.has(Phrase::SignedWritten) {
            Some(("signed certificate written".into(), None))
        } else if found.has(Phrase::SigningOk) {
            Some(("online certificate signing successful".into(), Some(Outcome::Success)))
        } else if found.has(Phrase::SigningFailed) {
            Some(("online certificate signing failed".into(), Some(Outcome::Failed)))
        } else if found.has(Phrase::LscVerified) {
            Some(("LSC verified".into(), None))
        } else if found.has(Phrase::StoreCertReq) {
            Some(("STORE_CERT_REQ sent to the phone".into(), None))
        } else if found.has(Phrase::SetOperationStatus) && found.has(Phrase::StatusIsSetTo) {
            if record.contains("Operation status is set to Success") {
                Some(("operation status: Success".into(), Some(Outcome::Success)))
            } else if record.contains("SetOperationStatus(Success") {
                None
            } else {
                Some(("operation status: failed".into(), Some(Outcome::Failed)))
            }
        } else {
            None
        };
        let Some((text, outcome)) = step else { return };
        let time = time_of(LogKind::Capf, record);
        let Some(device) = device.or_else(|| self.current_device.clone()) else { return };
        let index = match self.phones.get(&device) {
            Some(&i) => i,
            None => {
                if self.report.phones.len() >= MAX_PHONES {
                    return;
                }
                self.report.phones.push(Phone {
                    device: device.clone(),
                    steps: Vec::new(),
                    outcome: Outcome::Unfinished,
                });
                self.phones.insert(device, self.report.phones.len() - 1);
                self.report.phones.len() - 1
            }
        };
        let phone = &mut self.report.phones[index];
        if text.starts_with("enrollment started") {
            phone.outcome = Outcome::Unfinished; // a new attempt
        }
        // the same step at the same time is one step: two traces of one period (overlapping RTMT downloads, or the
        // same file given twice) must not print a phone's timeline twice
        let repeated = phone.steps.last().is_some_and(|s| s.step == text)
            || (time.is_some() && phone.steps.iter().any(|s| s.step == text && s.time == time));
        if !repeated && phone.steps.len() < MAX_STEPS {
            phone.steps.push(Step { time, step: text });
        }
        match outcome {
            Some(Outcome::Failed) => phone.outcome = Outcome::Failed,
            Some(Outcome::Success) if phone.outcome != Outcome::Failed => phone.outcome = Outcome::Success,
            _ => {}
        }
    }

    fn iis_record(&mut self, path: &Untrusted, line: usize, record: &str, time: Option<String>) {
        let Some(state) = self.iis.as_mut() else { return };
        let parts: Vec<&str> = record.split_whitespace().collect();
        let default: Vec<String> = [
            "date",
            "time",
            "s-ip",
            "cs-method",
            "cs-uri-stem",
            "cs-uri-query",
            "s-port",
            "cs-username",
            "c-ip",
            "cs(User-Agent)",
            "cs(Referer)",
            "sc-status",
            "sc-substatus",
            "sc-win32-status",
            "time-taken",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let fields = state.fields.as_ref().unwrap_or(&default);
        let get = |name: &str| fields.iter().position(|f| f == name).and_then(|i| parts.get(i)).copied();
        let (Some(url), Some(status)) = (get("cs-uri-stem"), get("sc-status").and_then(|s| s.parse::<u16>().ok()))
        else {
            return;
        };
        let user = get("cs-username").unwrap_or("-");
        let client = get("c-ip").unwrap_or("-").to_string();
        let win32 = get("sc-win32-status").unwrap_or("0");
        let s = &mut state.summary;
        s.requests += 1;
        *s.by_url.entry(url.to_string()).or_default().entry(status).or_default() += 1;
        let key = (client, url.to_string());
        let mut hit: Option<Hit> = None;
        if status == 401 && user == "-" && win32 != "2148074252" {
            *state.pending.entry(key).or_default() += 1;
        } else if status == 401 {
            s.authentication_failures += 1;
            hit = Some(Hit {
                id: FindingId::IisLogonRefused,
                key: String::new(),
                severity: Severity::Error,
                title: format!("the CA's IIS refused the logon of '{user}' (401)"),
                what: format!("{} {url} from {} answered 401 with a user name", get("cs-method").unwrap_or("GET"), key.0),
                cause: "the Online CA password is wrong, the account is locked or may not log on to the CA web enrollment".into(),
                fixes: vec!["check the Online CA Username and Password in the CAPF service parameters and the account on the domain".into()],
            });
        } else if user != "-" && status < 400 {
            if let Some(n) = state.pending.get_mut(&key).filter(|n| **n > 0) {
                *n -= 1;
                s.normal_handshakes += 1;
            }
        } else if status == 403 {
            hit = Some(Hit {
                id: FindingId::IisForbidden,
                key: url.to_string(),
                severity: Severity::Error,
                title: format!("the CA's IIS forbade {url} (403)"),
                what: format!("{url} answered 403 Forbidden"),
                cause: "the Online CA user may not use the web enrollment or the certificate template, or IIS requires settings CES does not meet".into(),
                fixes: vec!["give the Online CA user Read and Enroll permissions on the template, and check the CertSrv site's SSL and authentication settings".into()],
            });
        } else if status >= 500 {
            hit = Some(Hit {
                id: FindingId::IisServerError,
                key: url.to_string(),
                severity: Severity::Error,
                title: format!("the CA's web enrollment failed on {url} ({status})"),
                what: format!("{url} answered {status}"),
                cause: "the CA could not process the request (template name, CA service, request content)".into(),
                fixes: vec!["check the CA's event log at that time and the Online CA Template name".into()],
            });
        } else if status >= 400 {
            let u = &mut self.report.unrecognised;
            u.errors += 1;
            if u.samples.len() < SAMPLES {
                u.samples.push(Evidence::of(path, line, record));
            }
        }
        if let Some(hit) = hit {
            self.add(hit, path, line, record, time);
        }
    }

    /// The report: findings most severe first, then in order of appearance.
    pub fn finish(mut self) -> LogReport {
        let mut findings: Vec<Finding> = self.order.iter().filter_map(|k| self.findings.remove(k)).collect();
        findings.sort_by_key(|f| f.severity);
        self.report.findings = findings;
        if let Some(mut state) = self.iis.take() {
            state.summary.unanswered_challenges = state.pending.values().sum();
            self.report.iis = Some(state.summary);
        }
        if self.report.startup.ca_chain_retrieved == Some(true) {
            // a later successful start-up supersedes the chain failures before it: keep them, but say so
            for f in self.report.findings.iter_mut().filter(|f| f.id == FindingId::CaChainNotRetrieved) {
                f.severity = Severity::Warning;
                f.title.push_str(" (retrieved at a later start-up)");
            }
            self.report.findings.sort_by_key(|f| f.severity);
        }
        self.report
    }
}

/// The first `SEP` + 12 hex digits in a record (a phone's device name), upper-cased.
fn device_name(record: &str) -> Option<String> {
    let b = record.as_bytes();
    record.match_indices("SEP").find_map(|(p, _)| {
        let name = b.get(p..p + 15)?;
        let boundary_before = p == 0 || !b[p - 1].is_ascii_alphanumeric();
        let boundary_after = b.get(p + 15).is_none_or(|c| !c.is_ascii_alphanumeric());
        (boundary_before && boundary_after && name[3..].iter().all(u8::is_ascii_hexdigit))
            .then(|| String::from_utf8_lossy(name).to_ascii_uppercase())
    })
}

/// A record's time stamp as the log writes it, looked up only for what is kept (findings, timeline steps).
fn time_of(kind: LogKind, record: &str) -> Option<String> {
    let capture = |re: &Regex| re.captures(record).and_then(|c| c.get(1)).map(|m| m.as_str().to_string());
    match kind {
        LogKind::Capf => capture(&CAPF_TIME),
        LogKind::Nginx | LogKind::CiscoRa => capture(&NGINX_TIME),
        LogKind::Iis => iis_time(record),
    }
}

/// The level of a record no signature knows, when it is an error or a warning.
fn level(kind: LogKind, record: &str, found: Found) -> Option<Severity> {
    let head = prefix(record, 80);
    match kind {
        LogKind::Nginx | LogKind::CiscoRa => {
            if ["[error]", "[crit]", "[alert]", "[emerg]", "[ERROR]"].iter().any(|l| head.contains(l)) {
                Some(Severity::Error)
            } else if head.contains("[warn]") || head.contains("[WARNING]") {
                Some(Severity::Warning)
            } else {
                None
            }
        }
        LogKind::Capf => {
            if found.has(Phrase::WordError) || found.has(Phrase::WordFail) {
                Some(Severity::Error)
            } else if found.has(Phrase::WordWarn) {
                Some(Severity::Warning)
            } else {
                None
            }
        }
        LogKind::Iis => None,
    }
}

/// An IIS record's date and time (its first two fields), however many spaces separate them.
fn iis_time(record: &str) -> Option<String> {
    let mut fields = record.split_whitespace();
    Some(format!("{} {}", fields.next()?, fields.next()?))
}

/// At most the first `max` bytes of `text`, cut at a character boundary.
fn prefix(text: &str, max: usize) -> &str {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn run(kind: LogKind, lines: &[&str]) -> LogReport {
        let mut a = Analyzer::new();
        a.file(&Untrusted::new("test.log"), kind);
        for (i, l) in lines.iter().enumerate() {
            a.line(i + 1, l);
        }
        a.finish()
    }

    #[test]
    fn a_multibyte_character_at_the_level_cut_is_not_split() {
        // found by the `logs` fuzz target: U+FFFD (3 bytes) across byte 80 of a CAPF record
        let record = format!("12:37:54.741 | debug 2:SEP001F6C8{}", "\u{fffd}".repeat(30));
        let r = run(LogKind::Capf, &[&record]);
        assert_eq!(r.files[0].records, 1);
        assert_eq!(prefix("aé", 2), "a");
    }

    #[test]
    fn occurrences_are_counted_with_first_and_last_time() {
        let line = "2019/03/05 12:31:21 [warn] 1#0: login_to_certsrv_ca: Curl call for MS CA login failed with return code 6 (Could not resolve: x.example.com)";
        let later = line.replace("12:31:21", "12:41:21");
        let r = run(LogKind::Nginx, &[line, &later]);
        assert_eq!(r.findings.len(), 1);
        assert_eq!(r.findings[0].count, 2);
        assert_eq!(r.findings[0].first_seen.as_deref(), Some("2019/03/05 12:31:21"));
        assert_eq!(r.findings[0].last_seen.as_deref(), Some("2019/03/05 12:41:21"));
        assert!(r.has_errors());
    }

    #[test]
    fn unknown_errors_are_counted_not_dropped() {
        let r = run(
            LogKind::Nginx,
            &["2019/03/05 12:31:21 [error] 1#0: something nobody documented", "2019/03/05 12:31:22 [info] 1#0: fine"],
        );
        assert_eq!(r.unrecognised.errors, 1);
        assert_eq!(r.unrecognised.samples.len(), 1);
        assert!(r.findings.is_empty());
    }

    #[test]
    fn iis_challenge_then_success_is_normal_and_a_refused_logon_is_not() {
        let r = run(
            LogKind::Iis,
            &[
                "2019-03-05 17:31:15 1.1.1.1 GET /certsrv - 443 - 2.2.2.2 CiscoRA+1.0 - 401 1 2148074254 0",
                "2019-03-05 17:31:15 1.1.1.1 GET /certsrv - 443 DOM\\ciscora 2.2.2.2 CiscoRA+1.0 - 301 0 0 16",
                "2019-03-05 17:31:16 1.1.1.1 GET /certsrv - 443 DOM\\ciscora 2.2.2.2 CiscoRA+1.0 - 401 1 2148074252 0",
            ],
        );
        let iis = r.iis.unwrap();
        assert_eq!(iis.normal_handshakes, 1);
        assert_eq!(iis.authentication_failures, 1);
        assert_eq!(r.findings[0].id, FindingId::IisLogonRefused);
    }
}
