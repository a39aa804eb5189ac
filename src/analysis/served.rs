//! What a server presented, judged: does its chain lead to the CAs given with `--ca`, and is its certificate (or
//! key) the one given with `--expect`.

use super::chain;
use super::verify::Verification;
use crate::model::{Certificate, PublicKey};

/// What the chain is checked against with `--ca`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trust {
    /// The path from the leaf reaches one of the given CAs and every signature on it verifies.
    Chains { path: Vec<String> },
    /// No given CA is on the path: `path` is how far it goes.
    NotIssuedByGivenCas { path: Vec<String> },
    /// A signature on the path does not verify.
    BadSignature { certificate: String },
}

/// `--expect`: is the served certificate the expected one (or does it carry the expected key)?
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    pub matches: bool,
    /// "certificate" (compared by fingerprint) or "key" (compared by public key).
    pub compared: &'static str,
    pub expected: String,
    pub served: String,
}

/// What `--expect` names: a certificate (compared whole) or a key (from a key, a CSR).
pub enum Expected {
    Certificate(Box<Certificate>),
    Key(PublicKey),
}

impl Expected {
    /// Compares the served leaf with what was expected.
    pub fn compare(&self, served: &Certificate) -> Expectation {
        match self {
            Expected::Certificate(c) => Expectation {
                matches: c.der == served.der,
                compared: "certificate",
                expected: format!("{} (SHA-256 {})", c.display_name(), c.fingerprints().sha256),
                served: format!("{} (SHA-256 {})", served.display_name(), served.fingerprints().sha256),
            },
            Expected::Key(k) => Expectation {
                matches: k.same_key(&served.public_key),
                compared: "key",
                expected: format!("{} (pubkey MD5 {})", k.summary(), k.pubkey_md5()),
                served: format!("{} (pubkey MD5 {})", served.public_key.summary(), served.public_key.pubkey_md5()),
            },
        }
    }
}

/// Does the presented chain lead to one of the given CAs, every signature verifying?
pub fn judge_trust(presented: &[Certificate], cas: &[Certificate]) -> Trust {
    let mut pool: Vec<Certificate> = presented.to_vec();
    pool.extend(cas.iter().cloned());
    let path = chain::path_from(0, &pool);
    let names: Vec<String> = path.links.iter().map(|l| pool[l.index].display_name().to_string()).collect();
    if let Some(bad) = path.links.iter().find(|l| l.signature == Some(Verification::Invalid)) {
        return Trust::BadSignature { certificate: pool[bad.index].display_name().to_string() };
    }
    let is_given = |c: &Certificate| {
        cas.iter()
            .any(|ca| ca.der == c.der || (ca.subject.same_as(&c.subject) && ca.public_key.same_key(&c.public_key)))
    };
    if path.links.iter().skip(1).any(|l| is_given(&pool[l.index])) || (path.links.len() == 1 && is_given(&pool[0])) {
        Trust::Chains { path: names }
    } else {
        Trust::NotIssuedByGivenCas { path: names }
    }
}
