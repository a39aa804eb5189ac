//! The human form of every report: aligned, compact, coloured only when `colored`'s override (set once from the
//! configuration) says so.

use crate::analysis::expiry::{Expiry, Level};
use std::io::{self, Write};

use crate::report::terminal::{Colorize, HANG};

use crate::analysis::verify::Verification;
use crate::model::Origin;
use crate::model::certificate::ValidityStatus;

mod chain;
mod connect;
mod explain;
mod inspect;
mod logs;
mod matching;
mod pair;
mod plan;

pub use chain::{chain, trust};
pub use connect::{connect, watch};
pub use explain::explain;
pub use inspect::{inspect, modulus};
pub use logs::logs;
pub use matching::matching;
pub use pair::pair;
pub use plan::{markdown as plan_markdown, plan};

pub(crate) const LABEL_WIDTH: usize = 14;

/// How many entries of a list of files passed over the text shows without `-v` (a mistaken `pair /` has millions).
pub(crate) const MAX_LISTED: usize = 20;

/// A list's lines, indented and wrapped under themselves: the first [`MAX_LISTED`] (every one when `verbose`), then
/// how many more and the command (`ucert pair -v`) that lists them all.
pub(crate) fn listed(out: &mut dyn Write, lines: &[String], verbose: bool, command: &str) -> io::Result<()> {
    let shown = if verbose { lines.len() } else { MAX_LISTED };
    for line in lines.iter().take(shown) {
        writeln!(out, "  {HANG}{line}")?;
    }
    if lines.len() > shown {
        writeln!(out, "  ... and {} more ('ucert {command} -v' lists them all)", lines.len() - shown)?;
    }
    Ok(())
}

/// A field line: an indented label column, then the value.
pub(crate) fn field(out: &mut dyn Write, indent: usize, label: &str, value: impl std::fmt::Display) -> io::Result<()> {
    writeln!(out, "{:indent$}{:<LABEL_WIDTH$} {HANG}{value}", "", label)
}

pub(crate) fn warning(out: &mut dyn Write, indent: usize, text: &str) -> io::Result<()> {
    writeln!(out, "{:indent$}{} {HANG}{text}", "", "warning:".yellow().bold())
}

/// The validity, or, for a certificate valid now but inside `--warn-days` or `--critical-days`, how soon it
/// expires against them.
pub fn expiry_phrase(status: ValidityStatus, expiry: &Expiry) -> String {
    match expiry.level {
        Level::Warning if status.is_valid() => expiry.describe().yellow().bold().to_string(),
        Level::Critical if status.is_valid() => expiry.describe().red().bold().to_string(),
        _ => validity_phrase(status),
    }
}

/// How soon each certificate inside a threshold expires (`chain`, `pair`): one line each, soonest first.
pub(crate) fn expiring_lines<'a>(
    items: impl IntoIterator<Item = (String, &'a Expiry)>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let items: Vec<(String, &Expiry)> = items.into_iter().collect();
    if items.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{} ({}):", "expiring".bold(), items.len())?;
    for (what, e) in items {
        let tag = if e.level == Level::Critical { "FAIL".red().bold() } else { "warn".yellow().bold() };
        writeln!(out, "  {tag}  {HANG}{what}: {}", e.describe())?;
    }
    Ok(())
}

pub fn validity_phrase(status: ValidityStatus) -> String {
    let text = status.describe();
    if status.is_valid() { text.green().to_string() } else { text.red().bold().to_string() }
}

pub fn verification_phrase(v: &Verification) -> String {
    match v {
        Verification::Valid => "verifies".green().to_string(),
        Verification::Invalid => "DOES NOT VERIFY".red().bold().to_string(),
        Verification::Unsupported(reason) => format!("cannot be verified ({reason})").yellow().to_string(),
    }
}

pub(crate) fn origin_phrase(origin: &Origin) -> String {
    match origin {
        Origin::Der => "DER".into(),
        Origin::Base64 => "base64 without BEGIN/END lines".into(),
        Origin::Pem { label, line } => format!("PEM {label}, line {line}"),
        Origin::Member { name, within: Some(within), .. } => format!("{name} in the ZIP, {}", origin_phrase(within)),
        Origin::Member { name, within: None, .. } => format!("{name} in the ZIP"),
    }
}

/// Items joined with ", ".
pub(crate) fn list<T: std::fmt::Display>(items: &[T]) -> String {
    items.iter().map(T::to_string).collect::<Vec<_>>().join(", ")
}
