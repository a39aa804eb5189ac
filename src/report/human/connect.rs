//! The human form of `connect`: what the server presented and what that means for CUCM.

use std::io::{self, Write};

use crate::report::terminal::Colorize;

use super::{field, validity_phrase};
use crate::analysis::hostname::HostMatch;
use crate::analysis::served::Trust;
use crate::model::certificate::format_utc_opt;
use crate::report::connect::ConnectReport;

pub fn connect(report: &ConnectReport, out: &mut dyn Write) -> io::Result<()> {
    let sni = report.sni.as_deref().map(|s| format!(", SNI {s}")).unwrap_or_default();
    writeln!(
        out,
        "{} {} ({}{sni}): {}, {}",
        "connected to".bold(),
        report.target,
        report.address,
        report.protocol,
        report.cipher_suite
    )?;
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
        field(out, 5, "not after", format!("{} ({})", format_utc_opt(c.not_after), validity_phrase(facts.validity)))?;
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
