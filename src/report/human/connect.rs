//! The human form of `connect`: what the server presented and what that means for CUCM.

use std::io::{self, Write};

use crate::report::terminal::{Colorize, HANG};
use crate::untrusted::Untrusted;

use super::{expiry_phrase, field};
use crate::analysis::expiry::Level;
use crate::analysis::hostname::HostMatch;
use crate::analysis::served::Trust;
use crate::model::certificate::format_utc_opt;
use crate::report::connect::{ConnectReport, Standing, WatchReport};

pub fn connect(report: &ConnectReport, out: &mut dyn Write) -> io::Result<()> {
    let starttls = match (report.starttls, &report.xmpp_domain) {
        (Some("xmpp-server"), Some(domain)) => format!(", XMPP server-to-server STARTTLS to {domain}"),
        (Some(_), Some(domain)) => format!(", XMPP STARTTLS to {domain}"),
        _ => String::new(),
    };
    // (over XMPP the SNI name is the domain, said once)
    let sni = match &report.sni {
        Some(s) if report.xmpp_domain.as_ref() != Some(s) => format!(", SNI {s}"),
        _ => String::new(),
    };
    writeln!(
        out,
        "{} {} ({}{sni}{starttls}): {}, {}",
        "connected to".bold(),
        report.target,
        report.address,
        report.protocol,
        report.cipher_suite
    )?;
    if let Some(why) = &report.ended_early {
        writeln!(
            out,
            "  {} the server ended the handshake after presenting its certificate ({why}), as one that requires a \
             client certificate does (CUCM's SIP TLS port); what it presented is below",
            "note:".bold()
        )?;
    }
    expectation(report, out)?;
    presented_chain(report, out)?;
    checks(report, out)?;
    for path in &report.saved {
        writeln!(out, "wrote {}", crate::untrusted::Untrusted::path(path))?;
    }
    Ok(())
}

/// With `--expect`: whether the server presents what was uploaded.
fn expectation(report: &ConnectReport, out: &mut dyn Write) -> io::Result<()> {
    if let Some(e) = &report.expect {
        writeln!(out)?;
        if e.matches {
            writeln!(out, "{}: the server presents the expected {}", "EXPECTED".green().bold(), e.compared)?;
        } else {
            writeln!(out, "{}: the server presents another {} than expected", "NOT EXPECTED".red().bold(), e.compared)?;
            writeln!(out, "  expected  {}", e.expected)?;
            writeln!(out, "  served    {}", e.served)?;
            writeln!(
                out,
                "  {} if the certificate was just uploaded, Tomcat still serves the old one: restart Cisco Tomcat \
                 ('utils service restart Cisco Tomcat') and check again",
                "what to do:".bold()
            )?;
        }
    }
    Ok(())
}

fn presented_chain(report: &ConnectReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "{} ({} certificate{}, leaf first)",
        "presented chain".bold(),
        report.chain.len(),
        if report.chain.len() == 1 { "" } else { "s" }
    )?;
    for (i, facts) in report.chain.iter().enumerate() {
        let c = &facts.certificate;
        let self_signed = if facts.self_signed { ", self-signed" } else { "" };
        writeln!(out, "  {}. {}{self_signed}", i + 1, c.display_name().bold())?;
        field(out, 5, "subject", c.subject.to_openssl_string())?;
        field(out, 5, "issuer", c.issuer.to_openssl_string())?;
        let standing = expiry_phrase(facts.validity, &facts.expiry);
        field(out, 5, "not after", format!("{} ({standing})", format_utc_opt(c.not_after)))?;
        field(out, 5, "public key", c.public_key.summary())?;
        field(out, 5, "sha256", c.fingerprints().sha256)?;
    }
    Ok(())
}

/// Host name, issuer, validity and trust, each ok, warn, FAIL or skip.
fn checks(report: &ConnectReport, out: &mut dyn Write) -> io::Result<()> {
    let leaf = report.leaf();
    writeln!(out)?;
    match &report.host {
        HostMatch::Matches { by } => writeln!(
            out,
            "  {}  the certificate names {} ({by})",
            "ok  ".green(),
            report.sni.as_deref().unwrap_or(&report.host_name)
        )?,
        HostMatch::Mismatch { curl } => writeln!(
            out,
            "  {}  the certificate does not name the host: curl would fail with error 51 \"{curl}\"",
            "FAIL".red().bold()
        )?,
    }
    if leaf.self_signed {
        writeln!(
            out,
            "  {}  the server presents a self-signed certificate (a CA's IIS with one is not supported for CAPF Online CA)",
            "warn".yellow().bold()
        )?;
    } else {
        writeln!(
            out,
            "  {}  the certificate is issued by {}",
            "ok  ".green(),
            leaf.certificate.issuer.to_openssl_string()
        )?;
    }
    if !leaf.validity.is_valid() {
        writeln!(out, "  {}  the certificate {}", "FAIL".red().bold(), leaf.validity.describe())?;
    }
    // how soon each presented certificate expires, against --warn-days and --critical-days (an expired or not yet
    // valid leaf is said just above)
    for (i, c) in report.chain.iter().enumerate() {
        if i == 0 && !leaf.validity.is_valid() {
            continue;
        }
        let what = if i == 0 { "the certificate".to_string() } else { c.certificate.display_name().to_string() };
        let said = format!("{what} {}", c.expiry.describe());
        match c.expiry.level {
            Level::Ok if i == 0 => writeln!(out, "  {}  {said}", "ok  ".green())?,
            Level::Ok => {}
            Level::Warning => writeln!(out, "  {}  {said}", "warn".yellow().bold())?,
            Level::Critical => writeln!(out, "  {}  {said}", "FAIL".red().bold())?,
        }
    }
    match &report.trust {
        Some(Trust::Chains { path }) => {
            writeln!(out, "  {}  chains to the given CAs: {}", "ok  ".green(), path.join(" <- "))?
        }
        Some(Trust::NotIssuedByGivenCas { path }) => writeln!(
            out,
            "  {}  does not chain to the given CAs (path: {}); as CAPF-trust they would not make CES trust it (curl 60)",
            "FAIL".red().bold(),
            path.join(" <- ")
        )?,
        Some(Trust::BadSignature { certificate }) => {
            writeln!(out, "  {}  the signature on {certificate} does not verify", "FAIL".red().bold())?
        }
        None => writeln!(out, "  {}  not checked against CAs (give --ca FILE)", "skip".dimmed())?,
    }
    Ok(())
}

/// Several targets: one block per target, worst standing first, then by days left (fewest first): days, standing,
/// target, then what it serves (CN, key, issuer or self-signed, SANs), the checks, and each finding on its own line.
pub fn watch(report: &WatchReport, width: usize, out: &mut dyn Write) -> io::Result<()> {
    let probes = report.by_urgency();
    let longest = probes.iter().map(|p| Untrusted::new(p.target.as_str()).escaped().chars().count()).max();
    let target_width = longest.unwrap_or(6).clamp(6, (width / 3).max(6));
    let indent = DAYS_WIDTH + GAP + STANDING_WIDTH + GAP + target_width + GAP;
    writeln!(
        out,
        "{}",
        format!("{:>DAYS_WIDTH$}  {:<STANDING_WIDTH$}  {:<target_width$}  SERVES", "DAYS", "STATUS", "TARGET").bold()
    )?;
    for probe in probes {
        let days = probe.days_left().map_or("-".to_string(), |d| d.to_string());
        let shown = Untrusted::new(probe.target.as_str()).to_string();
        let pad = target_width.saturating_sub(shown.chars().count());
        let head = format!("{days:>DAYS_WIDTH$}  {}  {shown}{:pad$}  ", standing_word(probe.standing()), "");
        let more = |out: &mut dyn Write, text: &str| writeln!(out, "{:indent$}{HANG}{text}", "");
        match &probe.outcome {
            Err(u) => writeln!(out, "{head}{HANG}{}", u.message)?,
            Ok(r) => {
                let leaf = r.leaf();
                let c = &leaf.certificate;
                let origin = if leaf.self_signed {
                    "self-signed".to_string()
                } else {
                    let issuer = c.issuer.common_name().map_or_else(|| c.issuer.to_openssl_string(), Clone::clone);
                    format!("issued by {issuer}")
                };
                writeln!(out, "{head}{HANG}{}, {}, {origin}", c.display_name(), c.public_key.short())?;
                if let Some(sans) = c.extensions.subject_alt_names.as_ref().filter(|s| !s.is_empty()) {
                    // `IP` for openssl's `IP Address`: one word, so a wrapped line never splits an entry
                    let label = |s: &crate::model::extensions::SanEntry| s.type_label().replace("IP Address", "IP");
                    let list: Vec<String> = sans.iter().map(|s| format!("{}:{}", label(s), s.value())).collect();
                    more(out, &format!("SANs {}", list.join(", ")))?;
                }
                if let Some(why) = &r.ended_early {
                    let note =
                        format!("note: it ended the handshake after its certificate ({why}): a client certificate?");
                    more(out, &note)?;
                }
                more(out, &checks_line(r))?;
                for (standing, finding) in r.findings() {
                    let mark =
                        if standing == Standing::Critical { "FAIL".red().bold() } else { "warn".yellow().bold() };
                    more(out, &format!("{mark} {finding}"))?;
                }
            }
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", watch_summary(report))
}

const DAYS_WIDTH: usize = 5;
const STANDING_WIDTH: usize = 9;
const GAP: usize = 2;

fn standing_word(s: Standing) -> String {
    let word = format!("{:<STANDING_WIDTH$}", s.as_str().to_uppercase());
    match s {
        Standing::Ok => format!("{:<STANDING_WIDTH$}", "ok").green().to_string(),
        Standing::Warning => word.yellow().bold().to_string(),
        Standing::Critical | Standing::Unreached => word.red().bold().to_string(),
    }
}

/// The checks that ran, each ok or not: the host name always, the chain with `--ca`, the certificate with
/// `--expect`.
fn checks_line(r: &ConnectReport) -> String {
    let ok = |passed: bool| if passed { "ok" } else { "FAIL" };
    let mut parts = vec![format!("host name {}", ok(matches!(r.host, HostMatch::Matches { .. })))];
    if let Some(t) = &r.trust {
        parts.push(format!("chain to the given CAs {}", ok(matches!(t, Trust::Chains { .. }))));
    }
    if let Some(e) = &r.expect {
        parts.push(format!("expected {} {}", e.compared, ok(e.matches)));
    }
    format!("checks: {}", parts.join(", "))
}

fn watch_summary(report: &WatchReport) -> String {
    let mut parts = Vec::new();
    for s in [Standing::Unreached, Standing::Critical, Standing::Warning, Standing::Ok] {
        match report.count(s) {
            0 => {}
            n => parts.push(format!("{n} {}", s.as_str())),
        }
    }
    let n = report.probes.len();
    format!(
        "{n} target{}: {} (warning under {} days left, critical under {})",
        if n == 1 { "" } else { "s" },
        parts.join(", "),
        report.thresholds.warn_days,
        report.thresholds.critical_days
    )
}
