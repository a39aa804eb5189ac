//! The CA's IIS log (W3C extended format): requests per URL and status, the normal 401 -> 301 -> 200 handshake of
//! the Online CA's logon, and the answers that mean a problem (a refused logon, 403, 5xx).

use std::collections::HashMap;

use super::signatures::Hit;
use super::{FindingId, Iis, Level};

/// The fields IIS writes by default, when the log gives no `#Fields:` line.
const DEFAULT_FIELDS: [&str; 15] = [
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
];

/// The Windows status SEC_E_LOGON_DENIED (0x8009030C): a 401 that refused a logon, not a challenge to log on.
const LOGON_DENIED_WIN32: &str = "2148074252";

/// What one IIS record means.
pub(super) enum IisVerdict {
    /// Counted in the summary; nothing to report.
    Counted,
    LogFinding(Hit),
    /// A 4xx answer no signature knows.
    Unrecognised,
}

/// What the IIS records seen so far add up to.
#[derive(Default)]
pub(super) struct IisState {
    summary: Iis,
    /// (client, url) -> open 401 challenges.
    pending: HashMap<(String, String), usize>,
    /// The `#Fields:` line's names, when the log has one.
    fields: Option<Vec<String>>,
}

/// One request, by field name.
struct Request<'a> {
    method: &'a str,
    url: &'a str,
    status: u16,
    user: &'a str,
    client: &'a str,
    win32: &'a str,
}

impl IisState {
    /// A `#Fields:` line: the names of the fields of the records that follow.
    pub(super) fn read_fields(&mut self, line: &str) {
        self.fields = Some(line.trim_start_matches("#Fields:").split_whitespace().map(str::to_string).collect());
    }

    /// The record's fields by name, or None when it has no URL or status.
    fn request<'a>(&self, record: &'a str) -> Option<Request<'a>> {
        let parts: Vec<&str> = record.split_whitespace().collect();
        let position = |name: &str| match &self.fields {
            Some(fields) => fields.iter().position(|f| f == name),
            None => DEFAULT_FIELDS.iter().position(|f| *f == name),
        };
        let get = |name: &str| position(name).and_then(|i| parts.get(i)).copied();
        Some(Request {
            method: get("cs-method").unwrap_or("GET"),
            url: get("cs-uri-stem")?,
            status: get("sc-status")?.parse::<u16>().ok()?,
            user: get("cs-username").unwrap_or("-"),
            client: get("c-ip").unwrap_or("-"),
            win32: get("sc-win32-status").unwrap_or("0"),
        })
    }

    /// One record: counted, and judged.
    pub(super) fn record(&mut self, record: &str) -> IisVerdict {
        let Some(r) = self.request(record) else { return IisVerdict::Counted };
        let s = &mut self.summary;
        s.requests += 1;
        *s.by_url.entry(r.url.to_string()).or_default().entry(r.status).or_default() += 1;
        let key = (r.client.to_string(), r.url.to_string());
        if r.status == 401 && r.user == "-" && r.win32 != LOGON_DENIED_WIN32 {
            *self.pending.entry(key).or_default() += 1;
        } else if r.status == 401 {
            s.authentication_failures += 1;
            return IisVerdict::LogFinding(logon_refused(&r));
        } else if r.user != "-" && r.status < 400 {
            if let Some(n) = self.pending.get_mut(&key).filter(|n| **n > 0) {
                *n -= 1;
                s.normal_handshakes += 1;
            }
        } else if r.status == 403 {
            return IisVerdict::LogFinding(forbidden(r.url));
        } else if r.status >= 500 {
            return IisVerdict::LogFinding(server_error(r.url, r.status));
        } else if r.status >= 400 {
            return IisVerdict::Unrecognised;
        }
        IisVerdict::Counted
    }

    /// The summary, with the challenges no authenticated request followed.
    pub(super) fn finish(mut self) -> Iis {
        self.summary.unanswered_challenges = self.pending.values().sum();
        self.summary
    }
}

fn logon_refused(r: &Request<'_>) -> Hit {
    Hit {
        id: FindingId::IisLogonRefused,
        key: String::new(),
        severity: Level::Error,
        title: format!("the CA's IIS refused the logon of '{}' (401)", r.user),
        what: format!("{} {} from {} answered 401 with a user name", r.method, r.url, r.client),
        cause: "the Online CA password is wrong, the account is locked or may not log on to the CA web enrollment"
            .into(),
        fixes: vec![
            "check the Online CA Username and Password in the CAPF service parameters and the account on the domain"
                .into(),
        ],
    }
}

fn forbidden(url: &str) -> Hit {
    Hit {
        id: FindingId::IisForbidden,
        key: url.to_string(),
        severity: Level::Error,
        title: format!("the CA's IIS forbade {url} (403)"),
        what: format!("{url} answered 403 Forbidden"),
        cause: "the Online CA user may not use the web enrollment or the certificate template, or IIS requires settings CES does not meet".into(),
        fixes: vec!["give the Online CA user Read and Enroll permissions on the template, and check the CertSrv site's SSL and authentication settings".into()],
    }
}

fn server_error(url: &str, status: u16) -> Hit {
    Hit {
        id: FindingId::IisServerError,
        key: url.to_string(),
        severity: Level::Error,
        title: format!("the CA's web enrollment failed on {url} ({status})"),
        what: format!("{url} answered {status}"),
        cause: "the CA could not process the request (template name, CA service, request content)".into(),
        fixes: vec!["check the CA's event log at that time and the Online CA Template name".into()],
    }
}

/// An IIS record's date and time (its first two fields), however many spaces separate them.
pub(super) fn iis_time(record: &str) -> Option<String> {
    let mut fields = record.split_whitespace();
    Some(format!("{} {}", fields.next()?, fields.next()?))
}
