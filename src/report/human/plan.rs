//! The human forms of `plan`: the runbook as text (numbered steps per window, BLOCKED where a step would fail),
//! and as a Markdown checklist (`- [ ]` per step) to paste into a change ticket.

use std::io::{self, Write};

use crate::analysis::plan::{Plan, PublisherSource, SecurityMode, Step, StepKind, Window};
use crate::report::plan::PlanReport;
use crate::report::terminal::{Colorize, HANG, WHOLE};

/// The runbook as text.
pub fn plan(report: &PlanReport, out: &mut dyn Write) -> io::Result<()> {
    let p = &report.plan;
    let windows = match p.windows.len() {
        1 => "1 window".to_string(),
        n => format!("{n} windows"),
    };
    writeln!(out, "{} {HANG}{}, {windows}", "RENEWAL PLAN:".bold(), nodes_phrase(p))?;
    let blocked: usize =
        p.windows.iter().flat_map(|w| &w.steps).filter(|s| s.kind == StepKind::Blocked).count() + p.unplaced.len();
    if blocked == 0 {
        writeln!(out, "{}: {HANG}every upload is checked; follow the windows in order", "CLEAR".green().bold())?;
    } else {
        let steps = if blocked == 1 { "1 step".to_string() } else { format!("{blocked} steps") };
        writeln!(out, "{}: {HANG}{steps} cannot be done yet (marked BLOCKED below)", "BLOCKED".red().bold())?;
    }
    for line in settings(p) {
        writeln!(out, "  {HANG}{}", line.dimmed())?;
    }
    if !p.warnings.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", "Cautions".bold())?;
        for w in &p.warnings {
            writeln!(out, "  - {HANG}{w}")?;
        }
    }
    for (n, w) in p.windows.iter().enumerate() {
        window(n + 1, w, out)?;
    }
    if !p.unplaced.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", "Not in any window".bold())?;
        for s in &p.unplaced {
            writeln!(out, "  {} {HANG}{}", "BLOCKED".red().bold(), s.text)?;
        }
    }
    let left =
        [("unreadable", &report.unreadable), ("with nothing to plan", &report.unknown), ("skipped", &report.skipped)];
    let left: Vec<String> =
        left.iter().filter(|(_, l)| !l.is_empty()).map(|(what, l)| format!("{} {what}", l.len())).collect();
    if !left.is_empty() {
        writeln!(out)?;
        writeln!(out, "{} {HANG}{} ('ucert pair' lists them)", "Files left out:".dimmed(), left.join(", "))?;
    }
    if !report.warnings.is_empty() {
        let n = report.warnings.len();
        let files = if n == 1 { "1 file".to_string() } else { format!("{n} files") };
        writeln!(out, "{} {HANG}{files} ('ucert pair' lists them)", "Read with a warning:".dimmed())?;
    }
    Ok(())
}

fn window(number: usize, w: &Window, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    let title = format!("Window {number}: {}", w.family.title(&w.purposes));
    writeln!(out, "{} {HANG}on {}", format!("{title},").bold(), w.nodes)?;
    writeln!(out, "  {} {HANG}{}", "if done wrong:".dimmed(), w.impact)?;
    let last_blocked = w.steps.iter().rposition(|s| s.kind == StepKind::Blocked);
    for (i, s) in w.steps.iter().enumerate() {
        let condition = s.condition.as_ref().map(|c| format!("[{c}] ")).unwrap_or_default();
        if s.kind == StepKind::Blocked {
            writeln!(out, "  {:>2}. {} {HANG}{}", i + 1, "BLOCKED".red().bold(), s.text)?;
            if Some(i) == last_blocked {
                let rest = match w.steps.iter().filter(|s| s.kind == StepKind::Blocked).count() {
                    1 => "(the rest of this window waits for the step above)",
                    _ => "(the rest of this window waits for the steps marked BLOCKED above)",
                };
                writeln!(out, "      {HANG}{}", rest.dimmed())?;
            }
            continue;
        }
        writeln!(out, "  {:>2}. {HANG}{condition}{}", i + 1, s.text)?;
        if let Some(command) = command_line(s) {
            writeln!(out, "      {WHOLE}{}", command.cyan())?;
        }
    }
    Ok(())
}

/// The command to show under a step: ucert's and CUCM's CLI commands; the GUI paths of uploads are said once per
/// window in the Markdown and left out of the text (they are all the same).
fn command_line(s: &Step) -> Option<&str> {
    match s.kind {
        StepKind::UploadTrust | StepKind::UploadCertificate => None,
        _ => s.command.as_deref().filter(|c| !c.contains(" > ")),
    }
}

/// "3 nodes (publisher cucm-pub.example.com: it holds the CAPF CSR)".
fn nodes_phrase(p: &Plan) -> String {
    let nodes = match p.nodes.len() {
        1 => "1 node".to_string(),
        n => format!("{n} nodes"),
    };
    format!("{nodes} ({})", publisher_phrase(p))
}

/// "publisher cucm-pub.example.com: it holds the CAPF CSR".
fn publisher_phrase(p: &Plan) -> String {
    match (&p.publisher, &p.publisher_source) {
        (Some(n), PublisherSource::Flag) => format!("publisher {n}, from --publisher"),
        (Some(n), PublisherSource::CapfCsr) => format!("publisher {n}: it holds the CAPF CSR"),
        _ => "publisher unknown: give --publisher NODE".to_string(),
    }
}

/// What the plan assumes about the cluster, and how to say it when it is unknown.
fn settings(p: &Plan) -> Vec<String> {
    let mode = match p.security {
        SecurityMode::Mixed => "cluster security mode: mixed (--mixed-mode)".to_string(),
        SecurityMode::NonSecure => "cluster security mode: non-secure (--non-secure)".to_string(),
        SecurityMode::Unknown => {
            "cluster security mode: unknown, so the CTL steps are conditional (--mixed-mode or --non-secure)"
                .to_string()
        }
    };
    let sso = if p.sso {
        "SAML SSO: enabled (--sso)".to_string()
    } else {
        "SAML SSO: not said, so the SSO steps are conditional (--sso if it is enabled)".to_string()
    };
    vec![mode, sso]
}

/// The runbook as a Markdown checklist for a change ticket.
pub fn markdown(report: &PlanReport, out: &mut dyn Write) -> io::Result<()> {
    let p = &report.plan;
    writeln!(out, "# Certificate renewal plan")?;
    writeln!(out)?;
    let nodes: Vec<String> = p.nodes.iter().map(|n| text(&n.to_string())).collect();
    writeln!(out, "- Nodes: {}", nodes.join(", "))?;
    let publisher = text(&publisher_phrase(p));
    writeln!(out, "- P{}", publisher.strip_prefix('p').unwrap_or(&publisher))?;
    for line in settings(p) {
        writeln!(out, "- {line}")?;
    }
    let blocked = !p.clear();
    writeln!(
        out,
        "- Status: {}",
        if blocked {
            "**blocked**: the steps marked BLOCKED cannot be done yet"
        } else {
            "**clear**: every upload is checked"
        }
    )?;
    if !p.warnings.is_empty() {
        writeln!(out)?;
        writeln!(out, "## Cautions")?;
        writeln!(out)?;
        for w in &p.warnings {
            writeln!(out, "- {}", text(w))?;
        }
    }
    for (n, w) in p.windows.iter().enumerate() {
        writeln!(out)?;
        writeln!(out, "## Window {}: {}", n + 1, w.family.title(&w.purposes))?;
        writeln!(out)?;
        writeln!(out, "Nodes: {}. If done wrong: {}.", w.nodes, w.impact)?;
        if let Some(upload) = w
            .steps
            .iter()
            .find(|s| matches!(s.kind, StepKind::UploadTrust | StepKind::UploadCertificate))
            .and_then(|s| s.command.as_ref())
        {
            writeln!(out)?;
            writeln!(out, "Uploads: {}.", text(upload))?;
        }
        writeln!(out)?;
        for s in &w.steps {
            let condition = s.condition.as_ref().map(|c| format!(" *({})*", text(c))).unwrap_or_default();
            let command = command_line(s).map(|c| format!(": {}", code(c))).unwrap_or_default();
            if s.kind == StepKind::Blocked {
                writeln!(out, "- [ ] **BLOCKED**: {}", text(&s.text))?;
            } else {
                writeln!(out, "- [ ] {}{command}{condition}", text(&s.text))?;
            }
        }
    }
    if !p.unplaced.is_empty() {
        writeln!(out)?;
        writeln!(out, "## Not in any window")?;
        writeln!(out)?;
        for s in &p.unplaced {
            writeln!(out, "- [ ] **BLOCKED**: {}", text(&s.text))?;
        }
    }
    Ok(())
}

/// Text for the Markdown: the characters that Markdown or HTML could take as syntax inside a line are
/// backslash-escaped, so a file or node name (which a stranger may have chosen: `[x](http://…)`, `<img …>`, `*`)
/// and CUCM's own `<purpose>` show as written in a ticket instead of becoming a link, a tag or emphasis. (`>`, `#`
/// and `-` are syntax only at the start of a line, where this text never is: the GUI paths' `A > B` stay as they
/// are.) A backslash is escaped only where it could escape what follows it (before ASCII punctuation, or at the
/// end), so Windows paths read as they are. Control characters are the terminal sink's to escape, as everywhere.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let escape = match c {
            '\\' => chars.peek().is_none_or(char::is_ascii_punctuation),
            _ => matches!(c, '`' | '*' | '_' | '[' | ']' | '<' | '|' | '~' | '&'),
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A command as a Markdown code span, fenced with one backtick more than the longest run inside it (CommonMark's
/// rule), so that a backtick in a file name cannot end the span early.
fn code(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    // a space inside the fence where the command itself starts or ends with a backtick
    let pad = if s.starts_with('`') || s.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{s}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_syntax_in_names_is_escaped() {
        assert_eq!(text("a_b*[x](http://e)<img src=x>"), "a\\_b\\*\\[x\\](http://e)\\<img src=x>");
        assert_eq!(text("A > B > C"), "A > B > C");
        assert_eq!(text("/keys/<purpose>.csr & more"), "/keys/\\<purpose>.csr \\& more");
        assert_eq!(text("plain words, cucm-pub.example.com"), "plain words, cucm-pub.example.com");
        // a backslash escapes only before punctuation: Windows paths and the sink's \x1b stay as they are
        assert_eq!(text(r"C:\certs\tomcat.pem \x1b"), r"C:\certs\tomcat.pem \x1b");
        assert_eq!(text(r"a\_b\"), r"a\\\_b\\");
    }

    #[test]
    fn commands_keep_their_backticks_inside_the_code_span() {
        assert_eq!(code("utils service restart Cisco Tomcat"), "`utils service restart Cisco Tomcat`");
        assert_eq!(code("ucert connect a:8443 --expect 'x`y.pem'"), "``ucert connect a:8443 --expect 'x`y.pem'``");
        assert_eq!(code("`x``"), "``` `x`` ```");
    }
}
