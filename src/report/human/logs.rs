//! The human form of `logs`: findings first (most severe first), then CES start-up, phone timelines, the CA's
//! IIS requests, and the error lines no signature knows.

use std::io::{self, Write};

use crate::report::terminal::{Colorize, HANG};

use crate::analysis::logs::{EnrollmentOutcome, Level, LogReport};

/// The whole report; each phone's timeline in full with `verbose`, else its outcome and last step.
pub fn logs(report: &LogReport, verbose: bool, out: &mut dyn Write) -> io::Result<()> {
    findings(report, out)?;
    startup(report, out)?;
    phones(report, verbose, out)?;
    iis(report, out)?;
    unrecognised(report, out)?;
    files(report, out)?;
    skipped(report, verbose, out)
}

fn findings(report: &LogReport, out: &mut dyn Write) -> io::Result<()> {
    let errors = report.findings.iter().filter(|f| f.severity == Level::Error).count();
    if report.findings.is_empty() {
        writeln!(out, "{}: no known failure signature in {} log(s)", "NO FINDINGS".green().bold(), report.files.len())?;
    } else {
        writeln!(out, "{} ({} error{})", "FINDINGS".bold(), errors, if errors == 1 { "" } else { "s" })?;
    }
    for f in &report.findings {
        let tag = match f.severity {
            Level::Error => "ERROR".red().bold().to_string(),
            Level::Warning => "warn ".yellow().bold().to_string(),
            Level::Info => "info ".normal().to_string(),
        };
        let when = match (&f.first_seen, &f.last_seen) {
            (Some(a), Some(b)) if a != b => format!(", first {a}, last {b}"),
            (Some(a), _) => format!(", at {a}"),
            _ => String::new(),
        };
        // the count is of every occurrence; only a few are shown as evidence, and the text says so
        let shown = match f.evidence.len() {
            n if n < f.count => format!(", {n} shown"),
            _ => String::new(),
        };
        writeln!(out, "  {tag}  {HANG}{} (×{}{when}{shown})", (&f.title).bold(), f.count)?;
        writeln!(out, "         {} {HANG}{}", "what happened:".dimmed(), f.what)?;
        writeln!(out, "         {}  {HANG}{}", "likely cause:".dimmed(), f.cause)?;
        for (i, fix) in f.fixes.iter().enumerate() {
            let label = if i == 0 { "what to do:   " } else { "              " };
            writeln!(out, "         {} - {HANG}{fix}", label.dimmed())?;
        }
        for e in &f.evidence {
            writeln!(out, "         {} {HANG}{}:{}  {}", "evidence:".dimmed(), e.file, e.line, e.text)?;
        }
    }
    Ok(())
}

/// What CES's start-up said about the Online CA, when the logs say anything.
fn startup(report: &LogReport, out: &mut dyn Write) -> io::Result<()> {
    let s = &report.startup;
    if s.online_ca_host.is_some() || s.ca_chain_retrieved.is_some() || s.login_succeeded.is_some() || !s.urls.is_empty()
    {
        writeln!(out)?;
        writeln!(out, "{}", "CES START-UP".bold())?;
        let or_unknown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(not in these logs)".into());
        writeln!(
            out,
            "  Online CA host {}, port {}, template {}",
            or_unknown(&s.online_ca_host),
            or_unknown(&s.online_ca_port),
            or_unknown(&s.online_ca_template)
        )?;
        let yes_no = |v: Option<bool>, yes: &str, no: &str| match v {
            Some(true) => yes.green().to_string(),
            Some(false) => no.red().to_string(),
            None => "(not in these logs)".to_string(),
        };
        // where it was said: given several logs, the reader must see which file (and so which service) said it
        let at = |e: &Option<crate::analysis::logs::Evidence>| {
            e.as_ref().map(|e| format!(" ({}:{})", e.file, e.line)).unwrap_or_default()
        };
        let several = report.files.len() > 1;
        let (login_at, chain_at) =
            if several { (at(&s.login_seen_at), at(&s.ca_chain_seen_at)) } else { (String::new(), String::new()) };
        writeln!(out, "  login to /certsrv: {}{login_at}", yes_no(s.login_succeeded, "succeeded", "failed"))?;
        writeln!(out, "  CA chain: {}{chain_at}", yes_no(s.ca_chain_retrieved, "retrieved", "not retrieved"))?;
        for url in &s.urls {
            writeln!(out, "  URL {url}")?;
        }
    }
    Ok(())
}

fn phones(report: &LogReport, verbose: bool, out: &mut dyn Write) -> io::Result<()> {
    if !report.phones.is_empty() {
        writeln!(out)?;
        let how = if verbose { "" } else { "; -v shows every step" };
        writeln!(out, "{} ({}{how})", "PHONES".bold(), report.phones.len())?;
        for p in &report.phones {
            let outcome = match p.outcome {
                EnrollmentOutcome::Success => "success".green().to_string(),
                EnrollmentOutcome::Failed => "FAILED".red().bold().to_string(),
                EnrollmentOutcome::Unfinished => "unfinished".yellow().to_string(),
            };
            if !verbose {
                let last = p.steps.last().map(|s| format!("  last: {} {}", s.time.as_deref().unwrap_or(""), s.step));
                writeln!(out, "  {}  {outcome}{HANG}{}", (&p.device).bold(), last.unwrap_or_default())?;
                continue;
            }
            writeln!(out, "  {}  {outcome}", (&p.device).bold())?;
            for step in &p.steps {
                writeln!(out, "    {:<12} {HANG}{}", step.time.as_deref().unwrap_or(""), step.step)?;
            }
        }
    }
    Ok(())
}

fn iis(report: &LogReport, out: &mut dyn Write) -> io::Result<()> {
    if let Some(iis) = &report.iis {
        writeln!(out)?;
        writeln!(out, "{} ({} requests)", "CA WEB ENROLLMENT (IIS)".bold(), iis.requests)?;
        let width = iis.by_url.keys().map(|u| u.len()).max().unwrap_or(0);
        for (url, statuses) in &iis.by_url {
            let counts: Vec<String> = statuses.iter().map(|(s, n)| format!("{s}×{n}")).collect();
            writeln!(out, "  {url:<width$}  {}", counts.join(" "))?;
        }
        writeln!(
            out,
            "  normal 401 -> 301/200 handshakes: {}; logons refused: {}; unanswered 401 challenges: {}",
            iis.normal_handshakes, iis.authentication_failures, iis.unanswered_challenges
        )?;
    }
    Ok(())
}

/// Error and warning lines no signature knows.
fn unrecognised(report: &LogReport, out: &mut dyn Write) -> io::Result<()> {
    let u = &report.unrecognised;
    if u.errors + u.warnings > 0 {
        writeln!(out)?;
        writeln!(
            out,
            "{}: {} error(s), {} warning(s) no known signature explains",
            "OTHER ERRORS AND WARNINGS".bold(),
            u.errors,
            u.warnings
        )?;
        for e in &u.samples {
            writeln!(out, "  {}:{}  {}", e.file, e.line, e.text)?;
        }
        if u.samples.len() < u.errors + u.warnings {
            writeln!(out, "  ... and {} more", u.errors + u.warnings - u.samples.len())?;
        }
    }
    Ok(())
}

fn files(report: &LogReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{}", "FILES".bold())?;
    for f in &report.files {
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        writeln!(
            out,
            "  {}: {}, {}, {}",
            f.path,
            f.kind.describe(),
            plural(f.lines, "line", "lines"),
            plural(f.records, "record", "records")
        )?;
    }
    Ok(())
}

/// The files of the folders given that were not read as logs, with why.
fn skipped(report: &LogReport, verbose: bool, out: &mut dyn Write) -> io::Result<()> {
    let list = &report.skipped;
    if list.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{} ({})", "NOT READ AS LOGS".bold(), list.len())?;
    let lines: Vec<String> = list.iter().map(|s| format!("{}: {}", s.path, s.reason)).collect();
    super::listed(out, &lines, verbose, "logs")
}
