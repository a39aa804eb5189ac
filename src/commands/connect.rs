//! `ucert connect HOST[:PORT]`: what a server really presents, and whether it is what was uploaded.

use super::Problem;
use crate::untrusted::Untrusted;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use time::OffsetDateTime;

use super::inspect::CertificateFacts;
use crate::analysis::chain;
use crate::analysis::hostname::{self, HostMatch};
use crate::analysis::verify::Verification;
use crate::input::tls::{self, FetchError, Target};
use crate::input::{Object, Source};
use crate::model::{Certificate, PublicKey};

/// What the chain is checked against with `--ca`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum Trust {
    /// The path from the leaf reaches one of the given CAs and every signature on it verifies.
    Chains { path: Vec<String> },
    /// No given CA is on the path: `path` is how far it goes.
    NotIssuedByGivenCas { path: Vec<String> },
    /// A signature on the path does not verify.
    BadSignature { certificate: String },
}

/// `--expect`: is the served certificate the expected one (or does it carry the expected key)?
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Expectation {
    pub matches: bool,
    /// "certificate" (compared by fingerprint) or "key" (compared by public key).
    pub compared: &'static str,
    pub expected: String,
    pub served: String,
}

pub struct ConnectReport {
    pub target: Target,
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
    pub input_warnings: Vec<super::InputWarning>,
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

pub struct Options<'a> {
    pub sni: Option<&'a str>,
    pub timeout: Duration,
    pub cas: &'a [Source],
    pub expect: Option<&'a Source>,
    pub save: Option<&'a Path>,
    pub at: OffsetDateTime,
}

pub fn connect(target: &Target, o: Options<'_>) -> Result<ConnectReport, Problem> {
    // read the local files first: a typo there should not cost a connection
    let mut input_warnings = Vec::new();
    let cas = load_cas(o.cas, &mut input_warnings)?;
    let expected = o.expect.map(|e| load_expected(e, &mut input_warnings)).transpose()?;
    let fail = |e: FetchError| Problem { path: Untrusted::new(target.to_string()), message: e.to_string() };
    let presented = tls::fetch(target, o.sni, o.timeout).map_err(fail)?;
    let mut chain = Vec::with_capacity(presented.chain.len());
    for (i, der) in presented.chain.iter().enumerate() {
        let cert = Certificate::from_der(der).map(|(c, _)| c).map_err(|e| Problem {
            path: Untrusted::new(target.to_string()),
            message: format!("certificate #{} the server presented is unreadable: {e}", i + 1),
        })?;
        chain.push(cert);
    }
    let host_name = o.sni.unwrap_or(&target.host);
    let host = hostname::check(&chain[0], host_name);
    let trust = (!cas.is_empty()).then(|| judge_trust(&chain, &cas));
    let expect = expected.map(|e| e.compare(&chain[0]));
    let saved = match o.save {
        Some(dir) => crate::commands::pem_files::write_all(dir, &chain.iter().collect::<Vec<_>>())?,
        None => Vec::new(),
    };
    Ok(ConnectReport {
        target: target.clone(),
        sni: o.sni.map(str::to_string),
        address: presented.address.to_string(),
        protocol: presented.protocol,
        cipher_suite: presented.cipher_suite,
        chain: chain.into_iter().map(|c| CertificateFacts::new(c, o.at)).collect(),
        host,
        trust,
        expect,
        saved,
        at: o.at,
        input_warnings,
    })
}

fn load_cas(sources: &[Source], warnings: &mut Vec<super::InputWarning>) -> Result<Vec<Certificate>, Problem> {
    let mut cas = Vec::new();
    for source in sources {
        let before = cas.len();
        for object in super::objects(source, warnings)? {
            match object {
                Object::Certificate(c) => cas.push(*c),
                Object::Pkcs7(list) => cas.extend(list),
                _ => {}
            }
        }
        if cas.len() == before {
            return Err(Problem::about(source, "holds no certificate (--ca takes CA certificates)"));
        }
    }
    Ok(cas)
}

/// What `--expect` names: a certificate (compared whole) or a key (from a key, a CSR).
enum Expected {
    Certificate(Box<Certificate>),
    Key(PublicKey),
}

fn load_expected(source: &Source, warnings: &mut Vec<super::InputWarning>) -> Result<Expected, Problem> {
    let err = |message: &str| Problem::about(source, message);
    let first = super::objects(source, warnings)?.into_iter().next().ok_or_else(|| err("holds nothing"))?;
    Ok(match first {
        Object::Certificate(c) => Expected::Certificate(c),
        Object::Pkcs7(mut list) if !list.is_empty() => Expected::Certificate(Box::new(list.remove(0))),
        Object::Csr(c) => Expected::Key(c.public_key),
        Object::PrivateKey { public, .. } | Object::PublicKey { public, .. } => Expected::Key(public),
        Object::Pkcs7(_) => return Err(err("holds an empty PKCS#7")),
    })
}

impl Expected {
    fn compare(&self, served: &Certificate) -> Expectation {
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
fn judge_trust(presented: &[Certificate], cas: &[Certificate]) -> Trust {
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
