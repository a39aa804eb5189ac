//! `connect --json`: what the server presented, and the checks of host name, trust (`--ca`) and expectation
//! (`--expect`).

use std::io::{self, Write};

use serde::Serialize;

use super::common::{CertificateJson, ThresholdsJson};
use super::{JSON_SCHEMA, rfc3339, write};
use crate::analysis::hostname::HostMatch;
use crate::analysis::served::{Expectation, Trust};
use crate::report::connect::{ConnectReport, Standing, WatchReport};

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
    /// Left out inside `targets` of a several-target document (the document has it).
    #[serde(skip_serializing_if = "Option::is_none")]
    schema: Option<u32>,
    /// "ok", "warning" (a certificate inside --warn-days), "critical" (a check failed, or inside --critical-days).
    status: &'static str,
    thresholds: ThresholdsJson,
    target: &'a str,
    host: &'a str,
    port: u16,
    sni: Option<&'a str>,
    /// null (TLS at once), "xmpp" or "xmpp-server": the STARTTLS spoken before the handshake.
    starttls: Option<&'a str>,
    /// With STARTTLS over XMPP: the domain the stream was opened to; else null.
    xmpp_domain: Option<&'a str>,
    address: &'a str,
    protocol: &'a str,
    cipher_suite: &'a str,
    /// null, or why the server ended the handshake after presenting its chain (it wants a client certificate, as
    /// CUCM's SIP TLS port does): the chain is what it presents all the same.
    handshake_ended: Option<&'a str>,
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
    write(out, &connect_json(report, Some(JSON_SCHEMA)))
}

fn connect_json(report: &ConnectReport, schema: Option<u32>) -> ConnectJson<'_> {
    ConnectJson {
        schema,
        status: report.standing().as_str(),
        thresholds: ThresholdsJson::new(report.thresholds),
        target: &report.target,
        host: &report.host_name,
        port: report.port,
        sni: report.sni.as_deref(),
        starttls: report.starttls,
        xmpp_domain: report.xmpp_domain.as_deref(),
        address: &report.address,
        protocol: &report.protocol,
        cipher_suite: &report.cipher_suite,
        handshake_ended: report.ended_early.as_deref(),
        at: rfc3339(report.at),
        chain: report.chain.iter().map(CertificateJson::new).collect(),
        host_match: host_match(&report.host),
        self_signed: report.leaf().self_signed,
        trust: report.trust.as_ref().map(trust),
        expect: report.expect.as_ref().map(expectation),
        saved: report.saved.iter().map(|p| p.display().to_string()).collect(),
    }
}

/// One target of several: `status` "unreached" with `error`, or the single-target document as `connection`.
#[derive(Serialize)]
struct ProbeJson<'a> {
    target: &'a str,
    status: &'static str,
    /// The leaf's days left (null when unreached).
    days_left: Option<i64>,
    error: Option<ErrorJson<'a>>,
    connection: Option<ConnectJson<'a>>,
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    kind: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct WatchSummaryJson {
    targets: usize,
    ok: usize,
    warning: usize,
    critical: usize,
    unreached: usize,
}

#[derive(Serialize)]
struct WatchJson<'a> {
    schema: u32,
    at: String,
    thresholds: ThresholdsJson,
    /// The worst status of all targets.
    status: &'static str,
    summary: WatchSummaryJson,
    /// Unreached first, then by days left, fewest first (the table's order).
    targets: Vec<ProbeJson<'a>>,
}

/// `connect` with several targets (`--targets`, or more than one named).
pub fn watch(report: &WatchReport, out: &mut dyn Write) -> io::Result<()> {
    let targets = report
        .by_urgency()
        .into_iter()
        .map(|p| ProbeJson {
            target: &p.target,
            status: p.standing().as_str(),
            days_left: p.days_left(),
            error: p.outcome.as_ref().err().map(|u| ErrorJson { kind: u.kind, message: &u.message }),
            connection: p.outcome.as_ref().ok().map(|r| connect_json(r, None)),
        })
        .collect();
    let doc = WatchJson {
        schema: JSON_SCHEMA,
        at: rfc3339(report.at),
        thresholds: ThresholdsJson::new(report.thresholds),
        status: report.worst().as_str(),
        summary: WatchSummaryJson {
            targets: report.probes.len(),
            ok: report.count(Standing::Ok),
            warning: report.count(Standing::Warning),
            critical: report.count(Standing::Critical),
            unreached: report.count(Standing::Unreached),
        },
        targets,
    };
    write(out, &doc)
}
