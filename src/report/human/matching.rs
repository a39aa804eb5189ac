//! The human form of `match`: the verdict in one line, then the failing and warning checks with their evidence and
//! what to do, the others in a line or two; with `--verbose`, one line per check, the subject side by side, the
//! modulus MD5s as TAC compares them, then what to do.

use crate::untrusted::Untrusted;
use std::io::{self, Write};

use crate::report::terminal::{Colorize, HANG};

use crate::analysis::checks::{CheckId, Detail, Finding, Status};
use crate::cucm::PurposeSource;
use crate::report::matching::{MatchReport, RequestFacts};

const ID_WIDTH: usize = 18;

/// The report: short by default (the verdict, the failing and warning checks with their evidence and what to do,
/// the passing and skipped ones in a line or two), every check with `verbose`.
pub fn matching(report: &MatchReport, verbose: bool, out: &mut dyn Write) -> io::Result<()> {
    let said = verdict(report, verbose, out)?;
    if verbose {
        purpose_line(report, out)?;
        writeln!(out)?;
        for f in &report.findings {
            finding(f, ID_WIDTH, None, out)?;
        }
        subject_table(report, out)?;
        key_comparison(report, out)?;
        return remedies(report, out);
    }
    // the failures first, the one heading the verdict before the others, then the warnings; the public-key check
    // always (whether the certificate carries the CSR's key is the question TAC asks first)
    let head = report.headline().map(|f| f.id);
    let mut shown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| matches!(f.status, Status::Fail | Status::Warn) || f.id == CheckId::PublicKey)
        .collect();
    shown.sort_by_key(|f| (f.status != Status::Fail, Some(f.id) != head, f.status == Status::Pass));
    for f in shown {
        finding(f, 0, (Some(f.id) == said).then_some(()), out)?;
        for (i, r) in f.remedies.iter().enumerate() {
            let label = if i == 0 { "what to do:" } else { "           " };
            writeln!(out, "{:8}{HANG}{} {r}", "", label.bold())?;
        }
    }
    collapsed(report, Status::Pass, |f| f.id != CheckId::PublicKey, out)?;
    collapsed(report, Status::Skip, |_| true, out)?;
    purpose_line(report, out)
}

/// The checks of one status in one line: `ok    9 checks: public-key, san, ...`; each skipped check with why.
fn collapsed(
    report: &MatchReport,
    status: Status,
    which: impl Fn(&Finding) -> bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let of: Vec<&Finding> = report.findings.iter().filter(|f| f.status == status && which(f)).collect();
    if of.is_empty() {
        return Ok(());
    }
    if status == Status::Skip {
        for f in of {
            writeln!(out, "  {}  {HANG}{}: {}", status_tag(status), f.id.as_str(), f.message)?;
        }
        return Ok(());
    }
    let ids: Vec<&str> = of.iter().map(|f| f.id.as_str()).collect();
    let more =
        if report.findings.iter().any(|f| f.id == CheckId::PublicKey && f.status == status) { " more" } else { "" };
    let checks = if of.len() == 1 { format!("1{more} check") } else { format!("{}{more} checks", of.len()) };
    writeln!(out, "  {}  {HANG}{checks}: {}", status_tag(status), ids.join(", "))
}

/// The verdict line (and, when CUCM's words head it, in `verbose` the reason under them). Returns the check
/// whose message the line already says, so that the list below does not say it again.
fn verdict(report: &MatchReport, verbose: bool, out: &mut dyn Write) -> io::Result<Option<CheckId>> {
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
        writeln!(out, "{}: {HANG}{what}{warnings}", "MATCH".green().bold())?;
        return Ok(None);
    }
    let head = report.headline();
    // MISMATCH: the certificate is not the CSR's; REFUSED: it is, but CUCM will not take it (expired, usage, chain)
    let label = if head.is_none_or(|f| f.id.is_mismatch()) { "MISMATCH" } else { "REFUSED" };
    match (report.cucm_error(), head) {
        (Some(text), head) => {
            writeln!(out, "{}: {HANG}CUCM will say \"{}\"", label.red().bold(), text.bold())?;
            // the short form lists the heading failure right below: the reason is said there
            if let (true, Some(f)) = (verbose, head) {
                writeln!(out, "  because {HANG}{}: {}", f.id.as_str(), f.message)?;
            }
            Ok(None)
        }
        // no CUCM text is known for this failure: the reason is the headline, said once
        (None, Some(f)) => {
            let id = f.id.as_str();
            writeln!(out, "{}: {HANG}CUCM will refuse this certificate ({id}): {}", label.red().bold(), f.message)?;
            Ok(Some(f.id))
        }
        (None, None) => {
            writeln!(out, "{}: CUCM will refuse this certificate", label.red().bold())?;
            Ok(None)
        }
    }
}

fn purpose_line(report: &MatchReport, out: &mut dyn Write) -> io::Result<()> {
    let text = match (&report.purpose, &report.purpose_source) {
        (Some(p), PurposeSource::Flag) => format!("purpose {p} (from --purpose)"),
        (Some(p), PurposeSource::FileName(name)) => format!("purpose {p} (from the file name {name})"),
        _ => "purpose unknown (give --purpose to check the key usage it needs)".to_string(),
    };
    writeln!(out, "  {HANG}{}", text.dimmed())
}

fn status_tag(status: Status) -> String {
    match status {
        Status::Pass => format!("{:<4}", "ok").green().to_string(),
        Status::Fail => "FAIL".red().bold().to_string(),
        Status::Warn => "warn".yellow().bold().to_string(),
        Status::Skip => "skip".dimmed().to_string(),
    }
}

/// One check: its status, id and message (the id padded to `id_width` in the verbose table; in the short form
/// `id: message`, or the id alone when the verdict line already said the message), then for a failure or warning
/// its evidence and likely cause.
fn finding(f: &Finding, id_width: usize, said: Option<()>, out: &mut dyn Write) -> io::Result<()> {
    let tag = status_tag(f.status);
    let indent = if id_width > 0 {
        writeln!(out, "  {tag}  {:<id_width$} {HANG}{}", f.id.as_str(), f.message)?;
        2 + 4 + 2 + id_width + 1
    } else {
        match said {
            Some(()) => writeln!(out, "  {tag}  {}", f.id.as_str())?,
            None => writeln!(out, "  {tag}  {HANG}{}: {}", f.id.as_str(), f.message)?,
        }
        8
    };
    if matches!(f.status, Status::Fail | Status::Warn) {
        for line in &f.evidence {
            writeln!(out, "{:indent$}{HANG}{line}", "")?;
        }
        if let Some(cause) = &f.cause {
            writeln!(out, "{:indent$}{HANG}{} {cause}", "", "likely cause:".bold())?;
        }
    } else if f.status == Status::Pass {
        for line in &f.evidence {
            writeln!(out, "{:indent$}{HANG}{}", "", line.dimmed())?;
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
            writeln!(out, "  - {lead:<ID_WIDTH$} {HANG}{r}")?;
        }
    }
    Ok(())
}
