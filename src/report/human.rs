//! The human form of every report: aligned, compact, coloured only when `colored`'s override (set once from the
//! configuration) says so.

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
pub use connect::connect;
pub use explain::explain;
pub use inspect::{inspect, modulus};
pub use logs::logs;
pub use matching::matching;
pub use pair::pair;
pub use plan::{markdown as plan_markdown, plan};

pub(crate) const LABEL_WIDTH: usize = 14;

/// A field line: an indented label column, then the value.
pub(crate) fn field(out: &mut dyn Write, indent: usize, label: &str, value: impl std::fmt::Display) -> io::Result<()> {
    writeln!(out, "{:indent$}{:<LABEL_WIDTH$} {HANG}{value}", "", label)
}

pub(crate) fn warning(out: &mut dyn Write, indent: usize, text: &str) -> io::Result<()> {
    writeln!(out, "{:indent$}{} {HANG}{text}", "", "warning:".yellow().bold())
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
    }
}

/// Items joined with ", ".
pub(crate) fn list<T: std::fmt::Display>(items: &[T]) -> String {
    items.iter().map(T::to_string).collect::<Vec<_>>().join(", ")
}
