//! `ucert connect HOST[:PORT]...`: what servers really present, whether it is what was uploaded, and how soon it
//! expires; many servers at once, in parallel.

use std::path::Path;

use rayon::prelude::*;
use time::OffsetDateTime;

use super::{Problem, ProblemKind};
use crate::analysis::expiry::Thresholds;
use crate::analysis::hostname;
use crate::analysis::served::{self, Expected};
use crate::input::tls::{self, FetchError, Starttls, StarttlsMode, Target};
use crate::input::{Object, Reading, Source};
use crate::model::Certificate;
use crate::report::InputWarning;
use crate::report::connect::{ConnectReport, Probe, Unreached, WatchReport};
use crate::report::inspect::CertificateFacts;
use crate::untrusted::Untrusted;

pub struct Options<'a> {
    pub sni: Option<&'a str>,
    pub starttls: StarttlsMode,
    /// The XMPP domain for STARTTLS (else the SNI name, else the host).
    pub xmpp_domain: Option<&'a str>,
    pub cas: &'a [Source],
    pub expect: Option<&'a Source>,
    pub save: Option<&'a Path>,
    pub at: OffsetDateTime,
    pub thresholds: Thresholds,
    pub reading: Reading,
    /// How many connections at once.
    pub jobs: usize,
}

/// What every target is checked against: `--ca` and `--expect`, read once, before any connection (a typo there
/// should not cost a connection).
struct Local {
    cas: Vec<Certificate>,
    expected: Option<Expected>,
}

/// Connects to every target, `o.jobs` at a time (each bounded by the read timeout), and gathers what each presents.
/// A target that cannot be reached is a row of the report, not the end of the run; a problem with the local
/// files (`--ca`, `--expect`, `--targets`) is.
pub fn watch(targets: &[Target], targets_file: Option<&Source>, o: &Options<'_>) -> Result<WatchReport, Problem> {
    let mut input_warnings = Vec::new();
    let mut all = targets.to_vec();
    if let Some(file) = targets_file {
        all.extend(read_targets(file, o.reading)?);
    }
    let mut seen = std::collections::HashSet::new();
    all.retain(|t| seen.insert(t.to_string()));
    if all.is_empty() {
        let file = targets_file.map(Source::display_name).unwrap_or_else(|| Untrusted::new("--targets"));
        return Err(Problem { path: file, kind: ProblemKind::Empty, message: "names no target".into() });
    }
    let local = Local {
        cas: load_cas(o.cas, o.reading, &mut input_warnings)?,
        expected: o.expect.map(|e| load_expected(e, o.reading, &mut input_warnings)).transpose()?,
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(o.jobs.clamp(1, all.len())).build();
    let one = |target: &Target| Probe {
        target: target.to_string(),
        outcome: probe(target, &local, o).map_err(|p| Unreached { kind: p.kind.as_str(), message: p.message }),
    };
    let probes = match pool {
        Ok(pool) => pool.install(|| all.par_iter().with_max_len(1).map(one).collect()),
        // no threads to be had: one at a time is slower, never wrong
        Err(_) => all.iter().map(one).collect(),
    };
    Ok(WatchReport { at: o.at, thresholds: o.thresholds, probes, input_warnings })
}

/// One target: its chain, judged.
fn probe(target: &Target, local: &Local, o: &Options<'_>) -> Result<ConnectReport, Problem> {
    let fail = |e: FetchError| {
        let kind = if matches!(e, FetchError::Timeout(..)) { ProblemKind::Timeout } else { ProblemKind::Network };
        Problem { path: Untrusted::new(target.to_string()), kind, message: e.to_string() }
    };
    let starttls = Starttls::resolve(o.starttls, target, o.xmpp_domain.or(o.sni));
    // over XMPP a server is known by its domain: the name sent in SNI (RFC 7590) and the one its certificate must
    // name (RFC 6120, 13.7.2)
    let sni = o.sni.or(starttls.domain());
    let presented = tls::fetch(target, sni, &starttls, o.reading.idle).map_err(fail)?;
    let mut chain = Vec::with_capacity(presented.chain.len());
    for (i, der) in presented.chain.iter().enumerate() {
        let cert = Certificate::from_der(der).map(|(c, _)| c).map_err(|e| Problem {
            path: Untrusted::new(target.to_string()),
            kind: ProblemKind::Unreadable,
            message: format!("certificate #{} the server presented is unreadable: {e}", i + 1),
        })?;
        chain.push(cert);
    }
    let host_name = sni.unwrap_or(&target.host);
    let host = hostname::check(&chain[0], host_name);
    let trust = (!local.cas.is_empty()).then(|| served::judge_trust(&chain, &local.cas));
    let expect = local.expected.as_ref().map(|e| e.compare(&chain[0]));
    let saved = match o.save {
        Some(dir) => crate::commands::pem_files::write_all(dir, &chain.iter().collect::<Vec<_>>())?,
        None => Vec::new(),
    };
    Ok(ConnectReport {
        target: target.to_string(),
        host_name: target.host.clone(),
        port: target.port,
        sni: sni.map(str::to_string),
        starttls: starttls.name(),
        xmpp_domain: starttls.domain().map(str::to_string),
        address: presented.address.to_string(),
        protocol: presented.protocol,
        cipher_suite: presented.cipher_suite,
        ended_early: presented.ended_early,
        chain: chain.into_iter().map(|c| CertificateFacts::new(c, o.at, o.thresholds)).collect(),
        host,
        trust,
        expect,
        saved,
        at: o.at,
        thresholds: o.thresholds,
    })
}

/// `--targets FILE`: one target per line; `#` starts a comment; blank lines are skipped.
fn read_targets(source: &Source, reading: Reading) -> Result<Vec<Target>, Problem> {
    let bytes = crate::input::read_source(source, reading).map_err(|e| Problem::input(source, &e))?;
    let text = std::str::from_utf8(&bytes).map_err(|e| Problem {
        path: source.display_name(),
        kind: ProblemKind::Unreadable,
        message: format!("not text (UTF-8): invalid byte at offset {}", e.valid_up_to()),
    })?;
    // (Notepad's UTF-8 starts with a byte order mark)
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut targets = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let target = Target::parse(line).map_err(|e| Problem {
            path: source.display_name(),
            kind: ProblemKind::Unreadable,
            message: format!("line {}: {e}", n + 1),
        })?;
        targets.push(target);
    }
    Ok(targets)
}

fn load_cas(
    sources: &[Source],
    reading: Reading,
    warnings: &mut Vec<InputWarning>,
) -> Result<Vec<Certificate>, Problem> {
    let mut cas = Vec::new();
    for source in sources {
        let (found, _) = super::split_certificates(super::objects(source, reading, warnings)?);
        if found.is_empty() {
            return Err(Problem::about(source, "holds no certificate (--ca takes CA certificates)"));
        }
        cas.extend(found);
    }
    Ok(cas)
}

/// `--expect FILE`: the certificate it holds, or among several (a `.p7b`, a bundle, a CA's ZIP) the one leaf, which
/// may come anywhere in the file; without a certificate, the key of its CSR or key.
fn load_expected(source: &Source, reading: Reading, warnings: &mut Vec<InputWarning>) -> Result<Expected, Problem> {
    let err = |message: String| Problem::about(source, message);
    let (mut certificates, others) = super::split_certificates(super::objects(source, reading, warnings)?);
    if !certificates.is_empty() {
        let leaves = crate::analysis::chain::leaves(&certificates);
        return match leaves[..] {
            _ if certificates.len() == 1 => Ok(Expected::Certificate(Box::new(certificates.remove(0)))),
            [leaf] => Ok(Expected::Certificate(Box::new(certificates.swap_remove(leaf)))),
            // several leaves, or none (certificates that issued each other)
            _ => Err(err(format!(
                "holds {} certificates, {} of which could be a server's: give the one the server should present \
                 ('ucert chain FILE --split DIR' writes each to a file of its own)",
                certificates.len(),
                leaves.len()
            ))),
        };
    }
    Ok(match others.into_iter().next() {
        Some(Object::Csr(c)) => Expected::Key(c.public_key),
        Some(Object::PrivateKey { public, .. } | Object::PublicKey { public, .. }) => Expected::Key(public),
        Some(Object::Certificate(_) | Object::Pkcs7(_)) | None => {
            return Err(err("holds no certificate, CSR or key".into()));
        }
    })
}
