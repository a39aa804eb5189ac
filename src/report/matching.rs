//! What `match` found: the two slots, the CA certificates at hand, the purpose and every check's finding.

use time::OffsetDateTime;

use super::InputWarning;
use super::inspect::{CertificateFacts, CsrFacts};
use crate::analysis::checks::{self, Finding, Status};
use crate::cucm::{Purpose, PurposeSource};
use crate::model::{Certificate, KeyFormat, PublicKey};
use crate::untrusted::Untrusted;

/// What the first slot held.
pub enum RequestFacts {
    Csr(Box<CsrFacts>),
    Key { public: PublicKey, format: KeyFormat, private: bool },
}

pub struct MatchReport {
    pub request_path: Untrusted,
    pub certificate_path: Untrusted,
    pub request: RequestFacts,
    pub certificate: CertificateFacts,
    /// CA certificates at hand: those in the certificate file besides the leaf, then those from `--ca`.
    pub cas: Vec<Certificate>,
    pub purpose: Option<Purpose>,
    pub purpose_source: PurposeSource,
    pub at: OffsetDateTime,
    pub findings: Vec<Finding>,
    /// Damaged blocks left out of the inputs.
    pub input_warnings: Vec<InputWarning>,
}

impl MatchReport {
    /// No check failed (warnings allowed).
    pub fn matched(&self) -> bool {
        !self.findings.iter().any(|f| f.status == Status::Fail)
    }

    /// The failure that heads the verdict.
    pub fn headline(&self) -> Option<&Finding> {
        checks::headline(&self.findings)
    }

    /// CUCM's message for the upload, if it will fail with one.
    pub fn cucm_error(&self) -> Option<&str> {
        checks::cucm_error(&self.findings)
    }

    pub fn warnings(&self) -> usize {
        self.findings.iter().filter(|f| f.status == Status::Warn).count()
    }
}
