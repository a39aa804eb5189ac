//! What `connect` found: the server's answer, its chain, and the checks of host name, trust and expectation.

use std::path::PathBuf;

use time::OffsetDateTime;

use super::InputWarning;
use super::inspect::CertificateFacts;
use crate::analysis::hostname::HostMatch;
use crate::analysis::served::{Expectation, Trust};

pub struct ConnectReport {
    /// `host:port` as ucert connected to it (`[v6]:port` for an IPv6 address).
    pub target: String,
    pub host_name: String,
    pub port: u16,
    pub sni: Option<String>,
    pub address: String,
    pub protocol: String,
    pub cipher_suite: String,
    pub chain: Vec<CertificateFacts>,
    pub host: HostMatch,
    pub trust: Option<Trust>,
    pub expect: Option<Expectation>,
    pub saved: Vec<PathBuf>,
    pub at: OffsetDateTime,
    /// Damaged blocks left out of `--ca` and `--expect`.
    pub input_warnings: Vec<InputWarning>,
}

impl ConnectReport {
    pub fn leaf(&self) -> &CertificateFacts {
        &self.chain[0]
    }

    /// Every check passed: the certificate names the host, is valid now, chains to the given CAs (when given)
    /// and is the expected one (when given). Anything printed as FAIL makes this false, and the exit code 1.
    pub fn passed(&self) -> bool {
        matches!(self.host, HostMatch::Matches { .. })
            && self.leaf().validity.is_valid()
            && matches!(self.trust, None | Some(Trust::Chains { .. }))
            && self.expect.as_ref().is_none_or(|e| e.matches)
    }
}
