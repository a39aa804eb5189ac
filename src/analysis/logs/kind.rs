//! Which log is this? Told by content (a CAPF trace, the CiscoRA log, NGINX's error.log or an IIS W3C log), and
//! how its records begin, so that records run together on one line (as in the excerpts of
//! Cisco's "Troubleshoot CAPF Online CA") are split.

use std::sync::LazyLock;

use regex::Regex;

use super::re;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogKind {
    /// CUCM's CAPF service trace (`HH:MM:SS.mmm |` records).
    Capf,
    /// The Cisco Certificate Enrollment Service (CES) log: NGINX start-up lines and libEST messages.
    CiscoRa,
    /// NGINX's `error.log` of CES (`YYYY/MM/DD HH:MM:SS [level] pid#tid:` records): the most useful one.
    Nginx,
    /// The CA's IIS web server log (W3C extended format).
    Iis,
}

impl LogKind {
    pub fn describe(self) -> &'static str {
        match self {
            LogKind::Capf => "CAPF trace",
            LogKind::CiscoRa => "CiscoRA (CES) log",
            LogKind::Nginx => "NGINX error.log",
            LogKind::Iis => "IIS log",
        }
    }
}

static CAPF_RECORD: LazyLock<Regex> = LazyLock::new(|| re(r"\d{2}:\d{2}:\d{2}\.\d{3} \|"));
static NGINX_STAMP: LazyLock<Regex> = LazyLock::new(|| re(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} \[\w+\] \d+#\d+:"));
static IIS_RECORD: LazyLock<Regex> =
    // runs of spaces too: an IIS log pasted into a ticket or a web page is often re-spaced
    LazyLock::new(|| re(r"\d{4}-\d{2}-\d{2} +\d{2}:\d{2}:\d{2} +\S+ +(GET|POST|HEAD|PUT|OPTIONS|DELETE) +/"));
static IIS_FIELDS: LazyLock<Regex> = LazyLock::new(|| re(r"^#Fields:\s+date\s+time"));

/// Decides the kind from the first lines of a file; None when it is none of the four.
pub fn detect(sample: &[String]) -> Option<LogKind> {
    let mut scores = [0usize; 4];
    for line in sample {
        if line.starts_with("#Software: Microsoft Internet Information Services") || IIS_FIELDS.is_match(line) {
            scores[3] += 100;
        }
        scores[3] += IIS_RECORD.find_iter(line).count() * 3;
        scores[0] += CAPF_RECORD.find_iter(line).count();
        let stamps = NGINX_STAMP.find_iter(line).count();
        scores[2] += stamps * 2;
        let ra = line.matches("nginx: [").count()
            + line.matches("***EST [").count()
            + line.matches("EnrollmentService.sh").count();
        scores[1] += ra;
    }
    // NGINX's error.log also carries libEST lines; its own time stamps decide.
    if scores[2] > 0 && scores[2] >= scores[1] {
        scores[1] = 0;
    }
    let best = (0..4).max_by_key(|&i| scores[i])?;
    (scores[best] > 0).then_some([LogKind::Capf, LogKind::CiscoRa, LogKind::Nginx, LogKind::Iis][best])
}

/// The records of one line: it is cut where a record of its kind begins. CAPF and NGINX records are found by
/// their anchor character ('|', '[') and a check of the bytes before it, faster than a regular expression with no
/// literal to start from (this runs on every line of logs of hundreds of megabytes).
pub fn records(kind: LogKind, line: &str) -> Vec<&str> {
    record_ranges(kind, line).into_iter().map(|r| &line[r]).collect()
}

/// Where the records of one line lie in it (see [`records`]).
pub fn record_ranges(kind: LogKind, line: &str) -> Vec<std::ops::Range<usize>> {
    let b = line.as_bytes();
    match kind {
        LogKind::Capf => split_at(line, line.match_indices('|').filter_map(|(p, _)| capf_start(b, p))),
        LogKind::CiscoRa | LogKind::Nginx => {
            let mut starts: Vec<usize> = line.match_indices('[').filter_map(|(p, _)| nginx_start(b, p)).collect();
            starts.extend(ENROLLMENT_SERVICE.find_iter(b));
            starts.sort_unstable();
            split_at(line, starts.into_iter())
        }
        LogKind::Iis => split_at(line, IIS_DATE.find_iter(line).map(|m| m.start())),
    }
}

/// `HH:MM:SS.mmm |`: the '|' at `bar`, the time stamp in the 13 bytes before it.
fn capf_start(b: &[u8], bar: usize) -> Option<usize> {
    let start = bar.checked_sub(13)?;
    matches_shape(&b[start..bar], b"dd:dd:dd.ddd ").then_some(start)
}

/// `nginx: [`, `***EST [` or `YYYY/MM/DD HH:MM:SS [`: the '[' at `bracket`.
fn nginx_start(b: &[u8], bracket: usize) -> Option<usize> {
    for prefix in [&b"nginx: "[..], &b"***EST "[..]] {
        if let Some(start) = bracket.checked_sub(prefix.len())
            && &b[start..bracket] == prefix
        {
            return Some(start);
        }
    }
    let start = bracket.checked_sub(20)?;
    matches_shape(&b[start..bracket], b"dddd/dd/dd dd:dd:dd ").then_some(start)
}

/// `d` stands for any ASCII digit, every other byte for itself.
fn matches_shape(bytes: &[u8], shape: &[u8]) -> bool {
    bytes.len() == shape.len()
        && bytes.iter().zip(shape).all(|(b, s)| if *s == b'd' { b.is_ascii_digit() } else { b == s })
}

/// Built once: a `str` search builds its searcher on every call, and this runs on every line.
static ENROLLMENT_SERVICE: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("EnrollmentService.sh"));

static IIS_DATE: LazyLock<Regex> = LazyLock::new(|| re(r"\d{4}-\d{2}-\d{2} +\d{2}:\d{2}:\d{2} "));

/// The pieces between record starts, without their surrounding white space; empty pieces are dropped.
fn split_at(line: &str, starts: impl Iterator<Item = usize>) -> Vec<std::ops::Range<usize>> {
    let trimmed = |from: usize, to: usize| {
        let piece = &line[from..to];
        let start = from + (piece.len() - piece.trim_start().len());
        let end = from + piece.trim_end().len();
        (start < end).then_some(start..end)
    };
    let mut out = Vec::new();
    let mut from = 0;
    for start in starts {
        if start > from
            && let Some(r) = trimmed(from, start)
        {
            out.push(r);
        }
        from = start;
    }
    if let Some(r) = trimmed(from, line.len()) {
        out.push(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_recognised() {
        let one = |s: &str| detect(&[s.to_string()]);
        assert_eq!(
            one("12:31:03.354 | CServiceParameters::Init() Certificate Generation Method=OnlineCA:4"),
            Some(LogKind::Capf)
        );
        assert_eq!(
            one("2019/03/05 12:31:21 [info] 31067#0: login_to_certsrv_ca: Secure connection"),
            Some(LogKind::Nginx)
        );
        assert_eq!(
            one("nginx: [warn] CA Chain requested but this value has not yet been set ***EST [INFO][x:1]--> y"),
            Some(LogKind::CiscoRa)
        );
        assert_eq!(
            one("2019-03-05 17:31:15 14.48.31.152 GET /certsrv - 443 - 14.48.31.128 CiscoRA+1.0 - 401 1 2148074254 0"),
            Some(LogKind::Iis)
        );
        assert_eq!(one("hello world"), None);
    }

    #[test]
    fn folded_records_are_split() {
        let line = "nginx: [warn] a: one nginx: [warn] b: two nginx: [error] c: three";
        assert_eq!(
            records(LogKind::CiscoRa, line),
            ["nginx: [warn] a: one", "nginx: [warn] b: two", "nginx: [error] c: three"]
        );
        let capf = "14:05:04.628 |-->debug 14:05:04.628 | debug 2:SEP1:x 14:05:04.628 |<--debug";
        assert_eq!(records(LogKind::Capf, capf).len(), 3);
        let iis = "2019-03-05 17:31:15 1.2.3.4 GET /certsrv - 443 - 5.6.7.8 UA - 401 1 2148074254 0 2019-03-05 17:31:15 1.2.3.4 GET /certsrv - 443 D\\u 5.6.7.8 UA - 301 0 0 16";
        assert_eq!(records(LogKind::Iis, iis).len(), 2);
    }
}
