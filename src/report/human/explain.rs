//! The human form of `explain`.

use std::io::{self, Write};

use crate::report::terminal::{Colorize, HANG};

use crate::cucm::explain::{ENTRIES, Explanation};

pub fn explain(text: &str, found: Option<&Explanation>, out: &mut dyn Write) -> io::Result<()> {
    // what the user pasted: copied from a log or a web page, it may hold anything
    let text = crate::untrusted::Untrusted::new(text);
    let Some(found) = found else {
        writeln!(
            out,
            "{} {HANG}\"{text}\" is not an error ucert knows. The errors it knows:",
            "UNKNOWN:".yellow().bold()
        )?;
        for e in ENTRIES {
            writeln!(out, "  - {HANG}{}", e.text)?;
        }
        return Ok(());
    };
    let e = found.entry;
    writeln!(out, "{} {HANG}{}", "CUCM says:".bold(), e.text.bold())?;
    if found.score < 1.0 {
        writeln!(out, "  (the closest match to \"{text}\")")?;
    }
    writeln!(out)?;
    writeln!(out, "{} {HANG}{}", "What it means:".bold(), e.meaning)?;
    writeln!(out)?;
    writeln!(out, "{}", "Documented causes:".bold())?;
    for c in e.causes {
        writeln!(out, "  - {HANG}{c}")?;
    }
    writeln!(out)?;
    writeln!(out, "{}", "What to check:".bold())?;
    for c in e.checks {
        writeln!(out, "  - {HANG}{c}")?;
    }
    writeln!(out)?;
    writeln!(out, "{}", "Check it with ucert:".bold())?;
    for c in e.commands {
        writeln!(out, "  {}", c.cyan())?;
    }
    Ok(())
}
