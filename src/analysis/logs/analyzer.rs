//! The analyser: records in, one at a time, from any of the four logs; aggregates out (findings with a few
//! evidence lines, CES's start-up, per-phone timelines, the CA's IIS requests).

use std::collections::HashMap;
use std::sync::LazyLock;

use rayon::prelude::*;
use regex::Regex;

use super::iis::{IisState, IisVerdict, iis_time};
use super::phrases::{self, Found, Phrase};
use super::signatures::{self, Classified, Hit};
use super::timeline::Timeline;
use super::{EVIDENCE, Evidence, FindingId, Level, LogFile, LogFinding, LogKind, LogReport, SAMPLES, kind, prefix, re};
use crate::untrusted::Untrusted;

pub(super) static CAPF_TIME: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{2}:\d{2}:\d{2}\.\d{3})"));
static NGINX_TIME: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2})"));
static HOST: LazyLock<Regex> = LazyLock::new(|| re(r"Online CA hostname is (\S+)"));
static PORT: LazyLock<Regex> = LazyLock::new(|| re(r"Online CA Port\s*:\s*(\d+)"));
static TEMPLATE: LazyLock<Regex> = LazyLock::new(|| re(r"Online CA Template is (\S+)"));

/// Feeds records in, one at a time; [`Analyzer::finish`] gives the report.
#[derive(Default)]
pub struct Analyzer {
    report: LogReport,
    findings: HashMap<(FindingId, String), LogFinding>,
    order: Vec<(FindingId, String)>,
    timeline: Timeline,
    iis: Option<IisState>,
}

impl Analyzer {
    pub fn new() -> Analyzer {
        Analyzer::default()
    }

    /// How many files were recognised as logs so far.
    pub fn files_read(&self) -> usize {
        self.report.files.len()
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
        let Some(kind) = self.report.files.last().map(|f| f.kind) else { return };
        let prepared = prepare(kind, line);
        self.apply(line_number, line, prepared);
    }

    /// Many lines of the current file, numbered from `first_number`: the work that depends on nothing but the line
    /// (splitting it into records, finding the phrases, classifying) runs on every core, then the lines are taken
    /// in order by the parts that keep state (start-up, timelines, counts). A log of hundreds of megabytes is read
    /// at several times the speed of one core this way, with the same result as line by line.
    pub fn lines(&mut self, first_number: usize, lines: &[&str]) {
        let Some(kind) = self.report.files.last().map(|f| f.kind) else { return };
        const PER_TASK: usize = 2048;
        let prepared: Vec<Vec<Prepared>> = if lines.len() > PER_TASK {
            lines.par_chunks(PER_TASK).map(|chunk| chunk.iter().map(|l| prepare(kind, l)).collect()).collect()
        } else {
            vec![lines.iter().map(|l| prepare(kind, l)).collect()]
        };
        for (i, (line, p)) in lines.iter().zip(prepared.into_iter().flatten()).enumerate() {
            self.apply(first_number + i, line, p);
        }
    }

    /// The stateful part of a line's analysis, on what [`prepare`] found.
    fn apply(&mut self, line_number: usize, line: &str, prepared: Prepared) {
        let Some(file) = self.report.files.last_mut() else { return };
        file.lines = line_number;
        let kind = file.kind;
        // borrowed out of the file for the records (a clone per line was a tenth of the time on a big log)
        let path = std::mem::take(&mut file.path);
        match prepared {
            Prepared::IisFields => {
                if let Some(state) = self.iis.as_mut() {
                    state.read_fields(line);
                }
            }
            Prepared::Skip => {}
            Prepared::Records(records) => {
                file.records += records.len();
                for r in records {
                    let record = &line[r.range.clone()];
                    if kind == LogKind::Iis {
                        self.iis_record(&path, line_number, record);
                    } else {
                        self.record(&path, kind, line_number, record, r);
                    }
                }
            }
        }
        if let Some(file) = self.report.files.last_mut() {
            file.path = path;
        }
    }

    fn record(&mut self, path: &Untrusted, kind: LogKind, line: usize, record: &str, prepared: PreparedRecord) {
        let found = prepared.found;
        self.startup(path, line, record, found);
        if kind == LogKind::Capf {
            self.timeline.record(record, found);
        }
        match prepared.classified {
            Classified::LogFinding(hit) => self.add(hit, path, line, record, time_of(kind, record)),
            Classified::Known => {}
            Classified::Unrecognised => self.unrecognised(path, line, record, prepared.level),
        }
    }

    fn add(&mut self, hit: Hit, path: &Untrusted, line: usize, record: &str, time: Option<String>) {
        let key = (hit.id, hit.key.clone());
        let finding = self.findings.entry(key.clone()).or_insert_with(|| {
            self.order.push(key);
            LogFinding {
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

    fn unrecognised(&mut self, path: &Untrusted, line: usize, record: &str, level: Option<Level>) {
        let Some(level) = level else { return };
        let u = &mut self.report.unrecognised;
        match level {
            Level::Error => u.errors += 1,
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
        // the host, port and template lines all say "Online CA": only those are worth the expressions (every line
        // of a busy CES log mentions certsrv)
        if found.has(Phrase::OnlineCa) {
            if let Some(h) = grab(&HOST) {
                s.online_ca_host = Some(h);
            }
            if let Some(p) = grab(&PORT) {
                s.online_ca_port = Some(p);
            }
            if let Some(t) = grab(&TEMPLATE) {
                s.online_ca_template = Some(t);
            }
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
            && s.urls.len() < SAMPLES
            && let Some(url) = first_url(record)
            && !s.urls.iter().any(|u| u == url)
        {
            s.urls.push(url.to_string());
        }
    }

    fn iis_record(&mut self, path: &Untrusted, line: usize, record: &str) {
        let Some(state) = self.iis.as_mut() else { return };
        match state.record(record) {
            IisVerdict::LogFinding(hit) => self.add(hit, path, line, record, iis_time(record)),
            IisVerdict::Unrecognised => {
                let u = &mut self.report.unrecognised;
                u.errors += 1;
                if u.samples.len() < SAMPLES {
                    u.samples.push(Evidence::of(path, line, record));
                }
            }
            IisVerdict::Counted => {}
        }
    }

    /// The report: findings most severe first, then in order of appearance.
    pub fn finish(mut self) -> LogReport {
        let mut findings: Vec<LogFinding> = self.order.iter().filter_map(|k| self.findings.remove(k)).collect();
        findings.sort_by_key(|f| f.severity);
        self.report.findings = findings;
        self.report.phones = self.timeline.into_phones();
        self.report.iis = self.iis.take().map(IisState::finish);
        if self.report.startup.ca_chain_retrieved == Some(true) {
            // a later successful start-up supersedes the chain failures before it: keep them, but say so
            for f in self.report.findings.iter_mut().filter(|f| f.id == FindingId::CaChainNotRetrieved) {
                f.severity = Level::Warning;
                f.title.push_str(" (retrieved at a later start-up)");
            }
            self.report.findings.sort_by_key(|f| f.severity);
        }
        self.report
    }
}

/// What the analysis of a line needs from the line alone: computed in parallel by [`Analyzer::lines`].
enum Prepared {
    /// An IIS `#Fields:` header, which names the columns of the lines after it.
    IisFields,
    /// A comment (IIS `#` lines).
    Skip,
    Records(Vec<PreparedRecord>),
}

struct PreparedRecord {
    /// Where the record lies in its line.
    range: std::ops::Range<usize>,
    found: Found,
    /// The signatures' verdict (IIS records are judged with the state of their file, later).
    classified: Classified,
    /// For a record no signature knows: whether it is an error or a warning.
    level: Option<Level>,
}

fn prepare(kind: LogKind, line: &str) -> Prepared {
    if kind == LogKind::Iis && line.starts_with("#Fields:") {
        return Prepared::IisFields;
    }
    if kind == LogKind::Iis && line.starts_with('#') {
        return Prepared::Skip;
    }
    let records = kind::record_ranges(kind, line)
        .into_iter()
        .map(|range| {
            let record = &line[range.clone()];
            if kind == LogKind::Iis {
                return PreparedRecord { range, found: Found::default(), classified: Classified::Known, level: None };
            }
            let found = phrases::scan(record);
            let classified = signatures::classify(record, found);
            let level = match classified {
                Classified::Unrecognised => level(kind, record, found),
                _ => None,
            };
            PreparedRecord { range, found, classified, level }
        })
        .collect();
    Prepared::Records(records)
}

/// A record's time stamp as the log writes it, looked up only for what is kept (findings, timeline steps).
pub(super) fn time_of(kind: LogKind, record: &str) -> Option<String> {
    let capture = |re: &Regex| re.captures(record).and_then(|c| c.get(1)).map(|m| m.as_str().to_string());
    match kind {
        LogKind::Capf => capture(&CAPF_TIME),
        LogKind::Nginx | LogKind::CiscoRa => capture(&NGINX_TIME),
        LogKind::Iis => iis_time(record),
    }
}

/// The first `http://` or `https://` URL of a record, up to the next white space. A plain search: this runs on
/// every "following URL" line of a busy CES log, where a regular expression without a literal start was a tenth of
/// the time.
fn first_url(record: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(at) = record[from..].find("http") {
        let start = from + at;
        let rest = &record[start..];
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            return Some(&rest[..end]);
        }
        from = start + 4;
    }
    None
}

/// The level of a record no signature knows, when it is an error or a warning.
fn level(kind: LogKind, record: &str, found: Found) -> Option<Level> {
    let head = prefix(record, 80);
    match kind {
        LogKind::Nginx | LogKind::CiscoRa => {
            if ["[error]", "[crit]", "[alert]", "[emerg]", "[ERROR]"].iter().any(|l| head.contains(l)) {
                Some(Level::Error)
            } else if head.contains("[warn]") || head.contains("[WARNING]") {
                Some(Level::Warning)
            } else {
                None
            }
        }
        LogKind::Capf => {
            if found.has(Phrase::WordError) || found.has(Phrase::WordFail) {
                Some(Level::Error)
            } else if found.has(Phrase::WordWarn) {
                Some(Level::Warning)
            } else {
                None
            }
        }
        LogKind::Iis => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_url_ends_at_white_space() {
        assert_eq!(first_url("using the following URL https://ca:443/certsrv now"), Some("https://ca:443/certsrv"));
        assert_eq!(first_url("httpd said http://x/y"), Some("http://x/y"));
        assert_eq!(first_url("URL used: https://a/b\tnext"), Some("https://a/b"));
        assert_eq!(first_url("no link, only http and https:"), None);
    }

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
