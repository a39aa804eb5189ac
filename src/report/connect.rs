//! What `connect` found: the server's answer, its chain, and the checks of host name, trust and expectation.

use std::path::PathBuf;

use time::OffsetDateTime;

use super::InputWarning;
use super::inspect::CertificateFacts;
use crate::analysis::expiry::{Level, Thresholds};
use crate::analysis::hostname::HostMatch;
use crate::analysis::served::{Expectation, Trust};
use crate::untrusted::Untrusted;

pub struct ConnectReport {
    /// `host:port` as ucert connected to it (`[v6]:port` for an IPv6 address).
    pub target: String,
    pub host_name: String,
    pub port: u16,
    pub sni: Option<String>,
    /// What was spoken before TLS: `xmpp`, `xmpp-server`; None for TLS at once.
    pub starttls: Option<&'static str>,
    /// The XMPP domain the stream was opened to, with STARTTLS over XMPP.
    pub xmpp_domain: Option<String>,
    pub address: String,
    pub protocol: String,
    pub cipher_suite: String,
    /// The server ended the handshake after presenting its chain (it requires a client certificate), and why.
    pub ended_early: Option<String>,
    pub chain: Vec<CertificateFacts>,
    pub host: HostMatch,
    pub trust: Option<Trust>,
    pub expect: Option<Expectation>,
    pub saved: Vec<PathBuf>,
    pub at: OffsetDateTime,
    pub thresholds: Thresholds,
}

/// `connect` over several targets (or one, for the Nagios and CSV forms): each target's outcome, in the order
/// they were named.
pub struct WatchReport {
    pub at: OffsetDateTime,
    pub thresholds: Thresholds,
    pub probes: Vec<Probe>,
    /// Damaged blocks left out of `--ca` and `--expect`.
    pub input_warnings: Vec<InputWarning>,
}

/// One target and what came of connecting to it.
pub struct Probe {
    /// `host:port` as named.
    pub target: String,
    pub outcome: Result<ConnectReport, Unreached>,
}

/// Why a target gave no chain: refused, silent, not TLS, a name that does not resolve.
pub struct Unreached {
    /// The JSON error kind: "network", "timeout", "unreadable".
    pub kind: &'static str,
    pub message: String,
}

/// How one target stands, worst last: what the table, the Nagios line and the CSV say of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    Ok,
    Warning,
    /// A check failed (host name, chain, `--expect`, validity) or a certificate is inside `--critical-days`.
    Critical,
    /// No chain: the server could not be reached or did not speak TLS.
    Unreached,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Ok => "ok",
            Standing::Warning => "warning",
            Standing::Critical => "critical",
            Standing::Unreached => "unreached",
        }
    }
}

impl Probe {
    pub fn standing(&self) -> Standing {
        match &self.outcome {
            Ok(report) => report.standing(),
            Err(_) => Standing::Unreached,
        }
    }

    /// The leaf's days left, for sorting (None: unreached, or an unreadable date).
    pub fn days_left(&self) -> Option<i64> {
        self.outcome.as_ref().ok().and_then(|r| r.leaf().expiry.days_left)
    }
}

impl WatchReport {
    /// The targets in the order the table shows them: the worst standing first (unreached, critical, warning, ok),
    /// then by the leaf's days left (fewest first), ties in the order they were named. A failed check with months
    /// left comes before a warning: what needs doing first is at the top.
    pub fn by_urgency(&self) -> Vec<&Probe> {
        let mut sorted: Vec<&Probe> = self.probes.iter().collect();
        sorted.sort_by_key(|p| (std::cmp::Reverse(p.standing()), p.days_left().unwrap_or(i64::MIN)));
        sorted
    }

    /// The target whose leaf expires first, and its days left (the first named of equals).
    pub fn soonest(&self) -> Option<(i64, &str)> {
        self.probes.iter().filter_map(|p| p.days_left().map(|d| (d, p.target.as_str()))).min_by_key(|(d, _)| *d)
    }

    /// How many targets stand so.
    pub fn count(&self, standing: Standing) -> usize {
        self.probes.iter().filter(|p| p.standing() == standing).count()
    }

    pub fn worst(&self) -> Standing {
        self.probes.iter().map(Probe::standing).max().unwrap_or(Standing::Ok)
    }
}

impl ConnectReport {
    pub fn leaf(&self) -> &CertificateFacts {
        &self.chain[0]
    }

    /// Every check passed: the certificate names the host, is valid now, chains to the given CAs (when given),
    /// is the expected one (when given), and no presented certificate is inside `--critical-days`. Anything printed as FAIL makes this false, and the exit code 1.
    pub fn passed(&self) -> bool {
        matches!(self.host, HostMatch::Matches { .. })
            && self.leaf().validity.is_valid()
            && matches!(self.trust, None | Some(Trust::Chains { .. }))
            && self.expect.as_ref().is_none_or(|e| e.matches)
            && self.worst_expiry() < Level::Critical
    }

    /// The worst expiry of the presented certificates (an intermediate that expires first counts too).
    pub fn worst_expiry(&self) -> Level {
        self.chain.iter().map(|c| c.expiry.level).max().unwrap_or(Level::Ok)
    }

    /// What is wrong or close to wrong, each with how bad it is, in words (outside text escaped): the host name,
    /// the chain, `--expect`, then the expiry of each presented certificate inside a threshold.
    pub fn findings(&self) -> Vec<(Standing, String)> {
        let mut found = Vec::new();
        if let HostMatch::Mismatch { .. } = self.host {
            let host = Untrusted::new(self.sni.as_deref().unwrap_or(&self.host_name));
            found.push((Standing::Critical, format!("the certificate does not name {host} (curl error 51)")));
        }
        match &self.trust {
            Some(Trust::NotIssuedByGivenCas { .. }) => {
                found.push((Standing::Critical, "the chain does not lead to the given CAs".to_string()))
            }
            Some(Trust::BadSignature { certificate }) => found.push((
                Standing::Critical,
                format!("the signature on {} does not verify", Untrusted::new(certificate.as_str())),
            )),
            Some(Trust::Chains { .. }) | None => {}
        }
        if let Some(e) = self.expect.as_ref().filter(|e| !e.matches) {
            found.push((Standing::Critical, format!("it presents another {} than expected", e.compared)));
        }
        for (i, c) in self.chain.iter().enumerate() {
            let standing = match c.expiry.level {
                Level::Ok => continue,
                Level::Warning => Standing::Warning,
                Level::Critical => Standing::Critical,
            };
            let what = if i == 0 { "the certificate".to_string() } else { c.certificate.display_name().to_string() };
            found.push((standing, format!("{what} {}", c.expiry.describe())));
        }
        found
    }

    pub fn standing(&self) -> Standing {
        if !self.passed() {
            Standing::Critical
        } else if self.worst_expiry() == Level::Warning {
            Standing::Warning
        } else {
            Standing::Ok
        }
    }
}
