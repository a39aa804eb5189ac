//! The human form of `match`: the verdict in one line, one line per check with its evidence, the modulus MD5s side
//! by side as TAC compares them, then what to do.

use crate::untrusted::Untrusted;
use std::io::{self, Write};

use crate::report::terminal::Colorize;

use crate::analysis::checks::{Detail, Finding, Status};
use crate::cucm::PurposeSource;
use crate::report::matching::{MatchReport, RequestFacts};

const ID_WIDTH: usize = 18;

pub fn matching(report: &MatchReport, out: &mut dyn Write) -> io::Result<()> {
    verdict(report, out)?;
    purpose_line(report, out)?;
    writeln!(out)?;
    for f in &report.findings {
        finding(f, out)?;
    }
    subject_table(report, out)?;
    key_comparison(report, out)?;
    remedies(report, out)
}

fn verdict(report: &MatchReport, out: &mut dyn Write) -> io::Result<()> {
    let key_slot = matches!(report.request, RequestFacts::Key { .. });
    if report.matched() {
        let what = match (key_slot, report.purpose) {
            (true, _) => "the key belongs to this certificate".to_string(),
            (false, Some(p)) => format!("{} will accept this certificate as {p}", p.product()),
            (false, None) => "CUCM will accept this certificate".to_string(),
        };
        let warnings = match report.warnings() {
            0 => String::new(),
            1 => " (1 warning)".into(),
            n => format!(" ({n} warnings)"),
        };
        writeln!(out, "{}: {what}{warnings}", "MATCH".green().bold())?;
        return Ok(());
    }
    let head = report.headline();
    // MISMATCH: the certificate is not the CSR's; REFUSED: it is, but CUCM will not take it (expired, usage, chain)
    let label = if head.is_none_or(|f| f.id.is_mismatch()) { "MISMATCH" } else { "REFUSED" };
    match (report.cucm_error(), head) {
        (Some(text), head) => {
            writeln!(out, "{}: CUCM will say \"{}\"", label.red().bold(), text.bold())?;
            if let Some(f) = head {
                writeln!(out, "  because {}: {}", f.id.as_str(), f.message)?;
            }
        }
        // no CUCM text is known for this failure: the reason is the headline, said once
        (None, Some(f)) => writeln!(
            out,
            "{}: CUCM will refuse this certificate ({}): {}",
            label.red().bold(),
            f.id.as_str(),
            f.message
        )?,
        (None, None) => writeln!(out, "{}: CUCM will refuse this certificate", label.red().bold())?,
    }
    Ok(())
}

fn purpose_line(report: &MatchReport, out: &mut dyn Write) -> io::Result<()> {
    let text = match (&report.purpose, &report.purpose_source) {
        (Some(p), PurposeSource::Flag) => format!("purpose {p} (from --purpose)"),
        (Some(p), PurposeSource::FileName(name)) => format!("purpose {p} (from the file name {name})"),
        _ => "purpose unknown (give --purpose to check the key usage it needs)".to_string(),
    };
    writeln!(out, "  {}", text.dimmed())
}

fn status_tag(status: Status) -> String {
    match status {
        Status::Pass => format!("{:<4}", "ok").green().to_string(),
        Status::Fail => "FAIL".red().bold().to_string(),
        Status::Warn => "warn".yellow().bold().to_string(),
        Status::Skip => "skip".dimmed().to_string(),
    }
}

fn finding(f: &Finding, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "  {}  {:<ID_WIDTH$} {}", status_tag(f.status), f.id.as_str(), f.message)?;
    let indent = 2 + 4 + 2 + ID_WIDTH + 1;
    if matches!(f.status, Status::Fail | Status::Warn) {
        for line in &f.evidence {
            writeln!(out, "{:indent$}{line}", "")?;
        }
        if let Some(cause) = &f.cause {
            writeln!(out, "{:indent$}{} {cause}", "", "likely cause:".bold())?;
        }
    } else if f.status == Status::Pass {
        for line in &f.evidence {
            writeln!(out, "{:indent$}{}", "", line.dimmed())?;
        }
    }
    Ok(())
}

fn subject_table(report: &MatchReport, out: &mut dyn Write) -> io::Result<()> {
    let Some(Finding { details: Some(Detail::Subject { fields }), status: Status::Warn, .. }) =
        report.findings.iter().find(|f| matches!(f.details, Some(Detail::Subject { .. })))
    else {
        return Ok(());
    };
    let width = fields.iter().filter_map(|r| r.csr.as_ref()).map(|s| s.chars().count()).max().unwrap_or(0).max(3);
    writeln!(out)?;
    writeln!(out, "  {:<8} {:<width$}  {}", "subject".bold(), "CSR".bold(), "certificate".bold())?;
    for r in fields {
        let a = r.csr.clone().unwrap_or_else(|| "(none)".into());
        let b = r.certificate.clone().unwrap_or_else(|| "(none)".into());
        let line = format!("  {:<8} {:<width$}  {b}", r.field, a);
        writeln!(out, "{}", if r.same { line } else { line.yellow().to_string() })?;
    }
    Ok(())
}

fn key_comparison(report: &MatchReport, out: &mut dyn Write) -> io::Result<()> {
    let (ours, slot, tool) = match &report.request {
        RequestFacts::Csr(c) => (&c.csr.public_key, "CSR", "req"),
        RequestFacts::Key { public, private, .. } => (public, "key", if *private { "rsa" } else { "rsa -pubin" }),
    };
    let theirs = &report.certificate.certificate.public_key;
    writeln!(out)?;
    match (ours.modulus_md5(), theirs.modulus_md5()) {
        (Some(a), Some(b)) => {
            writeln!(
                out,
                "  {}",
                format!("modulus MD5, as 'openssl {tool}|x509 -noout -modulus -in FILE | openssl md5':").dimmed()
            )?;
            key_line(out, slot, &a, a == b, &report.request_path)?;
            key_line(out, "certificate", &b, a == b, &report.certificate_path)
        }
        _ => {
            let (a, b) = (ours.pubkey_md5(), theirs.pubkey_md5());
            writeln!(out, "  {}", "pubkey MD5 (no modulus for this key type), as 'openssl req|x509 -noout -pubkey -in FILE | openssl md5':".dimmed())?;
            key_line(out, slot, &a, a == b, &report.request_path)?;
            key_line(out, "certificate", &b, a == b, &report.certificate_path)
        }
    }
}

fn key_line(out: &mut dyn Write, label: &str, md5: &str, same: bool, path: &Untrusted) -> io::Result<()> {
    let md5 = if same { md5.green().to_string() } else { md5.red().to_string() };
    writeln!(out, "    {label:<12} {md5}  {path}")
}

fn remedies(report: &MatchReport, out: &mut dyn Write) -> io::Result<()> {
    let mut todo: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| matches!(f.status, Status::Fail | Status::Warn) && !f.remedies.is_empty())
        .collect();
    if todo.is_empty() {
        return Ok(());
    }
    todo.sort_by_key(|f| f.status != Status::Fail);
    writeln!(out)?;
    writeln!(out, "{}", "What to do".bold())?;
    for f in todo {
        for (i, r) in f.remedies.iter().enumerate() {
            let lead = if i == 0 { format!("{}:", f.id.as_str()) } else { String::new() };
            writeln!(out, "  - {lead:<ID_WIDTH$} {r}")?;
        }
    }
    Ok(())
}
