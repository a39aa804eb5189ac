//! The checks `match` runs, one module each, each with its stable id (README, "The checks"). A check reads the
//! [`Pair`] and returns a [`Finding`]: pass, fail, warn or skip, with its evidence, likely cause and remedy.
//! Checks never print; the verdict ranks their failures.

mod chain;
mod critical_extension;
mod facts;
mod hash_algorithm;
mod key_size;
mod key_usage;
mod public_key;
mod san;
mod signature;
mod subject;
mod validity;
mod wildcard;

use time::OffsetDateTime;

use crate::cucm::Purpose;
use crate::model::extensions::{Eku, KeyUsageBit};
use crate::model::{Certificate, Csr, PublicKey};

pub use facts::{CertificateFacts, CsrFacts, clean_pair};
pub use san::SanDiff;
pub use subject::SubjectRow;

/// The stable identifiers of the checks (JSON `checks[].id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckId {
    PublicKey,
    San,
    Subject,
    Validity,
    Wildcard,
    KeyUsage,
    CriticalExtension,
    KeySize,
    HashAlgorithm,
    Signature,
    Chain,
}

impl CheckId {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::PublicKey => "public-key",
            CheckId::San => "san",
            CheckId::Subject => "subject",
            CheckId::Validity => "validity",
            CheckId::Wildcard => "wildcard",
            CheckId::KeyUsage => "key-usage",
            CheckId::CriticalExtension => "critical-extension",
            CheckId::KeySize => "key-size",
            CheckId::HashAlgorithm => "hash-algorithm",
            CheckId::Signature => "signature",
            CheckId::Chain => "chain",
        }
    }

    /// How specific a failure is, most specific first: the failure that heads the verdict is the one that makes
    /// the others moot (a certificate for another key fails its SANs too, but the key is what to fix).
    fn rank(self) -> u8 {
        match self {
            CheckId::PublicKey => 0,
            CheckId::Signature => 1,
            CheckId::Validity => 2,
            CheckId::Chain => 3,
            CheckId::San => 4,
            CheckId::Wildcard => 5,
            CheckId::KeySize => 6,
            CheckId::KeyUsage => 7,
            CheckId::CriticalExtension => 8,
            CheckId::HashAlgorithm => 9,
            CheckId::Subject => 10,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    Warn,
    Skip,
}

/// Structured evidence of a check, for JSON (`checks[].details`).
#[derive(Clone, Debug, PartialEq)]
pub enum Detail {
    San(SanDiff),
    Subject { fields: Vec<SubjectRow> },
    Keys { csr: KeyEvidence, certificate: KeyEvidence },
    KeyUsage { missing_key_usage: Vec<KeyUsageBit>, missing_extended_key_usage: Vec<Eku> },
}

/// A key as TAC compares it: algorithm and size, and (in JSON) the openssl-pipeline hashes. The hashes are
/// computed when serialised, not for every pair of a batch that never shows them.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyEvidence {
    pub key: PublicKey,
}

impl KeyEvidence {
    pub fn of(key: &PublicKey) -> KeyEvidence {
        KeyEvidence { key: key.clone() }
    }
}

/// What one check found.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub id: CheckId,
    pub status: Status,
    /// One line: what was found.
    pub message: String,
    /// CUCM's own words for this failure, when it has any.
    pub cucm_error: Option<String>,
    /// Further lines of evidence.
    pub evidence: Vec<String>,
    /// The likely cause, from the cases of Cisco's articles (README, "Sources").
    pub cause: Option<String>,
    /// What to do about it.
    pub remedies: Vec<String>,
    pub details: Option<Detail>,
}

impl Finding {
    pub fn new(id: CheckId, status: Status, message: impl Into<String>) -> Finding {
        Finding {
            id,
            status,
            message: message.into(),
            cucm_error: None,
            evidence: Vec::new(),
            cause: None,
            remedies: Vec::new(),
            details: None,
        }
    }
    pub fn pass(id: CheckId, message: impl Into<String>) -> Finding {
        Finding::new(id, Status::Pass, message)
    }
    pub fn fail(id: CheckId, message: impl Into<String>) -> Finding {
        Finding::new(id, Status::Fail, message)
    }
    pub fn warn(id: CheckId, message: impl Into<String>) -> Finding {
        Finding::new(id, Status::Warn, message)
    }
    pub fn skip(id: CheckId, message: impl Into<String>) -> Finding {
        Finding::new(id, Status::Skip, message)
    }
    pub fn cucm(mut self, text: impl Into<String>) -> Finding {
        self.cucm_error = Some(text.into());
        self
    }
    pub fn evidence(mut self, line: impl Into<String>) -> Finding {
        self.evidence.push(line.into());
        self
    }
    pub fn cause(mut self, text: impl Into<String>) -> Finding {
        self.cause = Some(text.into());
        self
    }
    pub fn remedy(mut self, text: impl Into<String>) -> Finding {
        self.remedies.push(text.into());
        self
    }
    pub fn details(mut self, d: Detail) -> Finding {
        self.details = Some(d);
        self
    }
}

/// What stands in the first slot of `match`: normally the CSR, or a key (then only key checks run).
pub enum Request<'a> {
    Csr(&'a Csr),
    Key(&'a PublicKey),
}

impl Request<'_> {
    pub fn public_key(&self) -> &PublicKey {
        match self {
            Request::Csr(c) => &c.public_key,
            Request::Key(k) => k,
        }
    }
    pub fn csr(&self) -> Option<&Csr> {
        match self {
            Request::Csr(c) => Some(c),
            Request::Key(_) => None,
        }
    }
}

/// Everything the checks read.
pub struct Pair<'a> {
    pub request: Request<'a>,
    pub certificate: &'a Certificate,
    /// CA certificates at hand (from the certificate file and `--ca`), in the order given.
    pub cas: &'a [Certificate],
    pub purpose: Option<Purpose>,
    pub at: OffsetDateTime,
}

/// Runs every check, in the order they are shown.
pub fn run_all(pair: &Pair<'_>) -> Vec<Finding> {
    vec![
        public_key::check(pair),
        san::check(pair),
        subject::check(pair),
        validity::check(pair),
        wildcard::check(pair),
        key_usage::check(pair),
        critical_extension::check(pair),
        key_size::check(pair),
        hash_algorithm::check(pair),
        signature::check(pair),
        chain::check(pair),
    ]
}

/// The failure that heads the verdict: the most specific one (see [`CheckId::rank`]).
pub fn headline(findings: &[Finding]) -> Option<&Finding> {
    findings.iter().filter(|f| f.status == Status::Fail).min_by_key(|f| f.id.rank())
}

/// The CUCM message the upload will hit: the headline failure's own, so that the message and the reason given
/// for it always name the same check (one ranking decides both). None when that failure has no known CUCM text.
pub fn cucm_error(findings: &[Finding]) -> Option<&str> {
    headline(findings).and_then(|f| f.cucm_error.as_deref())
}

impl CheckId {
    /// Whether failing this check means the certificate does not belong to the CSR (another key, other SANs, another
    /// subject), as opposed to a certificate that belongs to it but is refused (expired, wrong usage, no chain).
    pub fn is_mismatch(self) -> bool {
        matches!(self, CheckId::PublicKey | CheckId::San | CheckId::Subject)
    }
}

/// "DNS:a, DNS:b" for messages.
fn join<T: std::fmt::Display>(items: &[T]) -> String {
    items.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
pub(crate) mod testing {
    //! Real certificates and CSRs for the checks' unit tests, read from the committed fixtures.
    use crate::input::{self, Object, Source};
    use crate::model::{Certificate, Csr};

    pub fn objects(rel: &str) -> Vec<Object> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel);
        input::load(&Source::Path(path), Default::default())
            .unwrap()
            .into_objects()
            .unwrap()
            .0
            .into_iter()
            .map(|l| l.object)
            .collect()
    }

    pub fn cert(rel: &str) -> Certificate {
        match objects(rel).remove(0) {
            Object::Certificate(c) => *c,
            _ => panic!("{rel} is not a certificate"),
        }
    }

    pub fn csr(rel: &str) -> Csr {
        match objects(rel).remove(0) {
            Object::Csr(c) => *c,
            _ => panic!("{rel} is not a CSR"),
        }
    }

    pub fn at() -> time::OffsetDateTime {
        time::macros::datetime!(2026-06-01 0:00 UTC)
    }

    /// Runs one check on a CSR and a certificate from the fixtures.
    pub fn check_pair(
        check: fn(&super::Pair<'_>) -> super::Finding,
        csr_file: &str,
        cert_file: &str,
        purpose: Option<crate::cucm::Purpose>,
        when: time::OffsetDateTime,
    ) -> super::Finding {
        let c = csr(csr_file);
        let crt = cert(cert_file);
        check(&super::Pair { request: super::Request::Csr(&c), certificate: &crt, cas: &[], purpose, at: when })
    }
}
