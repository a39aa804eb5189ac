//! The human form of `chain` (the upload plan and its flags) and of `trust` (the trust store's decision).

use std::io::{self, Write};

use crate::report::terminal::{Colorize, HANG, visible_width};

use super::{expiry_phrase, field, validity_phrase};
use crate::analysis::chain::{Analysis, FlagKind, Role, Severity, Step};
use crate::analysis::trust_store::Outcome;
use crate::analysis::verify::Verification;
use crate::cucm::PurposeSource;
use crate::model::certificate::format_utc_opt;
use crate::report::chain::ChainReport;
use crate::report::trust::TrustReport;

/// The plan, one line per certificate (two when one does not fit `width`), what is not in it, the flags.
pub fn chain(report: &ChainReport, width: usize, out: &mut dyn Write) -> io::Result<()> {
    let a = &report.analysis;
    let purpose = match (&a.purpose, &a.purpose_source) {
        (Some(p), PurposeSource::Flag) => format!("{p} (from --purpose)"),
        (Some(p), PurposeSource::Inferred(why)) => {
            format!("{p} (inferred from the leaf: {why}; give --purpose to be sure)")
        }
        _ => "an unknown purpose (no leaf certificate; give --purpose)".to_string(),
    };
    writeln!(out, "{} {HANG}{purpose}", "Upload plan for".bold())?;
    let name_width = a
        .plan
        .iter()
        .map(|s| a.members[s.index].certificate.display_name().escaped().chars().count())
        .max()
        .unwrap_or(0);
    let upload_width = a.plan.iter().map(|s| a.upload_as(s.role).len()).max().unwrap_or(0);
    for (n, step) in a.plan.iter().enumerate() {
        let cert = &a.members[step.index].certificate;
        let role = match step.role {
            Role::Root => "root",
            Role::Intermediate => "intermediate",
            Role::Leaf => "leaf",
        };
        let signed = signed_phrase(a, step);
        let until = format_utc_opt(cert.not_after).split(' ').next().unwrap_or("").to_string();
        let standing = expiry_phrase(a.members[step.index].validity, &report.expiry(step.index));
        let details = format!("{role}, {signed}, until {until} ({standing})");
        let name = format!("{:<name_width$}", cert.display_name().bold());
        let upload = format!("-> upload as {:<upload_width$}", a.upload_as(step.role));
        let line = format!("  {:>2}. {name}  {upload}  {details}", n + 1);
        if visible_width(&line) <= width {
            writeln!(out, "{line}")?;
        } else {
            writeln!(out, "  {:>2}. {name}  -> upload as {}", n + 1, a.upload_as(step.role))?;
            writeln!(out, "      {HANG}{details}")?;
        }
    }
    not_in_plan(a, out)?;
    writeln!(out)?;
    verdict_and_flags(a, out)?;
    let expiring = report.expiring();
    super::expiring_lines(
        expiring.iter().map(|(i, e)| (a.members[*i].certificate.display_name().to_string(), e)),
        out,
    )?;
    for path in &report.written {
        writeln!(out, "wrote {}", crate::untrusted::Untrusted::path(path))?;
    }
    Ok(())
}

/// Who signed a step, and whether the signature verifies.
fn signed_phrase(a: &Analysis, step: &Step) -> String {
    match (step.issuer, &step.signature) {
        (None, _) if a.members[step.index].self_signed => "self-signed".to_string(),
        (None, _) => "issuer not given".red().to_string(),
        (Some(i), sig) => {
            let by = a.members[i]
                .step
                .map(|p| p.to_string())
                .unwrap_or_else(|| a.members[i].certificate.display_name().to_string());
            match sig {
                Some(Verification::Valid) => format!("signed by {by}, verifies"),
                Some(Verification::Invalid) => {
                    format!("signed by {by}: {}", "SIGNATURE DOES NOT VERIFY".red().bold())
                }
                Some(Verification::Unsupported(r)) => {
                    format!("signed by {by}: {}", format!("cannot verify ({r})").yellow())
                }
                None => format!("signed by {by}"),
            }
        }
    }
}

/// The certificates the plan does not need, and why.
fn not_in_plan(a: &Analysis, out: &mut dyn Write) -> io::Result<()> {
    let aside: Vec<(usize, &str)> = a
        .alternatives
        .iter()
        .map(|&i| (i, "another path (cross-signing): not needed"))
        .chain(a.unrelated.iter().map(|&i| (i, "belongs to no chain: leave it out")))
        .collect();
    if !aside.is_empty() {
        writeln!(out, "  not in the plan:")?;
        for (i, why) in aside {
            writeln!(
                out,
                "      {}  ({}; from {})",
                a.members[i].certificate.display_name(),
                why,
                a.members[i].origin
            )?;
        }
    }
    Ok(())
}

/// COMPLETE or INCOMPLETE, then every flag with its consequence.
fn verdict_and_flags(a: &Analysis, out: &mut dyn Write) -> io::Result<()> {
    let fails = a.flags.iter().filter(|f| f.severity == Severity::Fail).count();
    if fails == 0 {
        // a signature ucert cannot check (an algorithm beyond ring) is not said to verify
        let signatures = match a.flags.iter().filter(|f| f.kind == FlagKind::UnverifiableSignature).count() {
            0 => "every signature verifies".to_string(),
            1 => "1 signature could not be checked (below)".to_string(),
            n => format!("{n} signatures could not be checked (below)"),
        };
        writeln!(
            out,
            "{}: every certificate is there and {signatures}; upload in this order",
            "COMPLETE".green().bold()
        )?;
    } else {
        let problems = if fails == 1 { "1 problem".to_string() } else { format!("{fails} problems") };
        writeln!(out, "{}: {problems} would make an upload fail", "INCOMPLETE".red().bold())?;
    }
    for flag in &a.flags {
        let tag = match flag.severity {
            Severity::Fail => "FAIL".red().bold().to_string(),
            Severity::Warn => "warn".yellow().bold().to_string(),
        };
        let kind = flag.kind.as_str();
        writeln!(out, "  {tag}  {kind:<28} {HANG}{}", flag.message)?;
        writeln!(out, "  {:<4}  {:<28} {HANG}-> {}", "", "", flag.consequence)?;
    }
    Ok(())
}

pub fn trust(report: &TrustReport, out: &mut dyn Write) -> io::Result<()> {
    let d = &report.decision;
    let headline = match d.outcome {
        Outcome::Replaces => "NEW REPLACES EXISTING".green().bold(),
        Outcome::BothKept => "BOTH KEPT".green().bold(),
        Outcome::Identical => "ALREADY STORED".green().bold(),
        Outcome::KeepsExisting => "EXISTING IS KEPT, NEW IS NOT STORED".red().bold(),
        Outcome::RefusedExpired => "NEW IS REFUSED".red().bold(),
    };
    writeln!(out, "{headline}")?;
    writeln!(out, "  {HANG}{}", d.reason)?;
    for note in &d.notes {
        writeln!(out, "  {} {HANG}{note}", "note:".yellow().bold())?;
    }
    writeln!(out)?;
    for (label, path, facts) in
        [("EXISTING", &report.existing_path, &report.existing), ("NEW", &report.new_path, &report.new)]
    {
        let c = &facts.certificate;
        writeln!(out, "  {} {}", label.bold(), path)?;
        field(out, 4, "subject", c.subject.to_openssl_string())?;
        field(out, 4, "serial", crate::model::digest::hex_colons_lower(&c.serial))?;
        field(out, 4, "not before", format_utc_opt(c.not_before))?;
        field(out, 4, "not after", format!("{} ({})", format_utc_opt(c.not_after), validity_phrase(facts.validity)))?;
        field(out, 4, "sha256", &c.fingerprints().sha256)?;
    }
    if let Some(remedy) = &d.remedy {
        writeln!(out)?;
        writeln!(out, "{} {HANG}{remedy}", "What to do:".bold())?;
    }
    Ok(())
}
