//! `ucert connect HOST[:PORT]`: what a server really presents, and whether it is what was uploaded.

use std::path::Path;

use time::OffsetDateTime;

use super::{Problem, ProblemKind};
use crate::analysis::hostname;
use crate::analysis::served::{self, Expected};
use crate::input::tls::{self, FetchError, Target};
use crate::input::{Object, Reading, Source};
use crate::model::Certificate;
use crate::report::InputWarning;
use crate::report::connect::ConnectReport;
use crate::report::inspect::CertificateFacts;
use crate::untrusted::Untrusted;

pub struct Options<'a> {
    pub sni: Option<&'a str>,
    pub cas: &'a [Source],
    pub expect: Option<&'a Source>,
    pub save: Option<&'a Path>,
    pub at: OffsetDateTime,
    pub reading: Reading,
}

pub fn connect(target: &Target, o: Options<'_>) -> Result<ConnectReport, Problem> {
    // read the local files first: a typo there should not cost a connection
    let mut input_warnings = Vec::new();
    let cas = load_cas(o.cas, o.reading, &mut input_warnings)?;
    let expected = o.expect.map(|e| load_expected(e, o.reading, &mut input_warnings)).transpose()?;
    let fail = |e: FetchError| {
        let kind = if matches!(e, FetchError::Timeout(..)) { ProblemKind::Timeout } else { ProblemKind::Network };
        Problem { path: Untrusted::new(target.to_string()), kind, message: e.to_string() }
    };
    let presented = tls::fetch(target, o.sni, o.reading.idle).map_err(fail)?;
    let mut chain = Vec::with_capacity(presented.chain.len());
    for (i, der) in presented.chain.iter().enumerate() {
        let cert = Certificate::from_der(der).map(|(c, _)| c).map_err(|e| Problem {
            path: Untrusted::new(target.to_string()),
            kind: ProblemKind::Unreadable,
            message: format!("certificate #{} the server presented is unreadable: {e}", i + 1),
        })?;
        chain.push(cert);
    }
    let host_name = o.sni.unwrap_or(&target.host);
    let host = hostname::check(&chain[0], host_name);
    let trust = (!cas.is_empty()).then(|| served::judge_trust(&chain, &cas));
    let expect = expected.map(|e| e.compare(&chain[0]));
    let saved = match o.save {
        Some(dir) => crate::commands::pem_files::write_all(dir, &chain.iter().collect::<Vec<_>>())?,
        None => Vec::new(),
    };
    Ok(ConnectReport {
        target: target.to_string(),
        host_name: target.host.clone(),
        port: target.port,
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

fn load_expected(source: &Source, reading: Reading, warnings: &mut Vec<InputWarning>) -> Result<Expected, Problem> {
    let err = |message: &str| Problem::about(source, message);
    let first = super::objects(source, reading, warnings)?.into_iter().next().ok_or_else(|| err("holds nothing"))?;
    Ok(match first {
        Object::Certificate(c) => Expected::Certificate(c),
        Object::Pkcs7(mut list) if !list.is_empty() => Expected::Certificate(Box::new(list.remove(0))),
        Object::Csr(c) => Expected::Key(c.public_key),
        Object::PrivateKey { public, .. } | Object::PublicKey { public, .. } => Expected::Key(public),
        Object::Pkcs7(_) => return Err(err("holds an empty PKCS#7")),
    })
}
