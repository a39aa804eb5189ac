//! `connect --json`: what the server presented, and the checks of host name, trust (`--ca`) and expectation
//! (`--expect`).

use std::io::{self, Write};

use serde::Serialize;

use super::common::CertificateJson;
use super::{JSON_SCHEMA, rfc3339, write};
use crate::analysis::hostname::HostMatch;
use crate::analysis::served::{Expectation, Trust};
use crate::report::connect::ConnectReport;

/// Whether the leaf names the host, as curl judges it: `{"result": "matches", "by": "DNS:..."}` or
/// `{"result": "mismatch", "curl": "<curl's error 51 text>"}`.
#[derive(Serialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
enum HostMatchJson<'a> {
    Matches { by: &'a str },
    Mismatch { curl: &'a str },
}

/// With `--ca`: `{"result": "chains" | "not-issued-by-given-cas", "path": [..]}` or
/// `{"result": "bad-signature", "certificate": ".."}`.
#[derive(Serialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
enum TrustJson<'a> {
    Chains { path: &'a [String] },
    NotIssuedByGivenCas { path: &'a [String] },
    BadSignature { certificate: &'a str },
}

#[derive(Serialize)]
struct ExpectationJson<'a> {
    matches: bool,
    /// "certificate" (compared by fingerprint) or "key" (compared by public key).
    compared: &'static str,
    expected: &'a str,
    served: &'a str,
}

#[derive(Serialize)]
struct ConnectJson<'a> {
    schema: u32,
    target: &'a str,
    host: &'a str,
    port: u16,
    sni: Option<&'a str>,
    address: &'a str,
    protocol: &'a str,
    cipher_suite: &'a str,
    at: String,
    /// The presented certificates, leaf first.
    chain: Vec<CertificateJson<'a>>,
    host_match: HostMatchJson<'a>,
    self_signed: bool,
    /// With --ca: does the chain lead to one of them; null without --ca.
    trust: Option<TrustJson<'a>>,
    /// With --expect: is the presented certificate (or key) the expected one; null without --expect.
    expect: Option<ExpectationJson<'a>>,
    saved: Vec<String>,
}

fn host_match(h: &HostMatch) -> HostMatchJson<'_> {
    match h {
        HostMatch::Matches { by } => HostMatchJson::Matches { by },
        HostMatch::Mismatch { curl } => HostMatchJson::Mismatch { curl },
    }
}

fn trust(t: &Trust) -> TrustJson<'_> {
    match t {
        Trust::Chains { path } => TrustJson::Chains { path },
        Trust::NotIssuedByGivenCas { path } => TrustJson::NotIssuedByGivenCas { path },
        Trust::BadSignature { certificate } => TrustJson::BadSignature { certificate },
    }
}

fn expectation(e: &Expectation) -> ExpectationJson<'_> {
    ExpectationJson { matches: e.matches, compared: e.compared, expected: &e.expected, served: &e.served }
}

pub fn connect(report: &ConnectReport, out: &mut dyn Write) -> io::Result<()> {
    let doc = ConnectJson {
        schema: JSON_SCHEMA,
        target: &report.target,
        host: &report.host_name,
        port: report.port,
        sni: report.sni.as_deref(),
        address: &report.address,
        protocol: &report.protocol,
        cipher_suite: &report.cipher_suite,
        at: rfc3339(report.at),
        chain: report.chain.iter().map(CertificateJson::new).collect(),
        host_match: host_match(&report.host),
        self_signed: report.leaf().self_signed,
        trust: report.trust.as_ref().map(trust),
        expect: report.expect.as_ref().map(expectation),
        saved: report.saved.iter().map(|p| p.display().to_string()).collect(),
    };
    write(out, &doc)
}
