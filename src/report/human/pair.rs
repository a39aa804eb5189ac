//! The human form of `pair`: one aligned row per CSR, certificate and key, fitted to the terminal's width (paths
//! are shortened from the left, keeping the file name), then the CA certificates and the files that gave nothing.

use std::io::{self, Write};

use crate::report::terminal::Colorize;

use crate::analysis::pairing::Pairing;
use crate::report::pair::PairReport;

struct Row {
    status: &'static str,
    csr: String,
    certificate: String,
    key: String,
    verdict: String,
}

const GAP: usize = 2;
const STATUS_WIDTH: usize = 8;
const MIN_PATH: usize = 12;
const MIN_VERDICT: usize = 30;

pub fn pair(report: &PairReport, width: Option<usize>, out: &mut dyn Write) -> io::Result<()> {
    let p = &report.pairing;
    let rows = rows(p);
    if !rows.is_empty() {
        table(&rows, width, out)?;
    }
    let copies: Vec<String> = p
        .entries
        .iter()
        .flat_map(|e| e.copies.iter().map(move |&c| (e.csr, c)))
        .map(|(first, copy)| format!("{} (the same CSR as {})", p.csrs[copy].place, p.csrs[first].place))
        .chain(
            p.duplicate_certificates
                .iter()
                .map(|&i| format!("{} (a certificate found in another file too)", p.certificates[i].place)),
        )
        .collect();
    let lists: [(&str, Vec<String>); 5] = [
        (
            "CA certificates (not paired; upload them as trust first)",
            p.ca_certificates
                .iter()
                .map(|&i| format!("{} ({})", p.certificates[i].place, p.certificates[i].item.display_name()))
                .collect(),
        ),
        ("unreadable", report.unreadable.iter().map(|s| format!("{}: {}", s.path, s.reason)).collect()),
        ("nothing to pair", report.unknown.iter().map(|s| format!("{}: {}", s.path, s.reason)).collect()),
        ("skipped", report.skipped.iter().map(|s| format!("{}: {}", s.path, s.reason)).collect()),
        ("copies, counted once", copies),
    ];
    for (title, items) in lists {
        if items.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "{} ({}):", title.bold(), items.len())?;
        for item in items.iter().take(MAX_LISTED) {
            writeln!(out, "  {}", fit(item, width.map(|w| w.saturating_sub(2))))?;
        }
        if items.len() > MAX_LISTED {
            writeln!(out, "  ... and {} more ('ucert pair --json' lists them all)", items.len() - MAX_LISTED)?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", summary(report))
}

/// How many entries of each list of leftovers the text shows (a mistaken `pair /` has millions).
const MAX_LISTED: usize = 20;

fn summary(report: &PairReport) -> String {
    let p = &report.pairing;
    let pairs: usize = p.entries.iter().map(|e| e.certificates.len()).sum();
    let matched: usize = p.entries.iter().flat_map(|e| &e.certificates).filter(|c| c.verdict.matched).count();
    let waiting = p.entries.iter().filter(|e| e.certificates.is_empty()).count();
    let superseded = p.orphans.iter().filter(|o| o.superseded_by.is_some()).count();
    let files = if report.files == 1 { "1 file".to_string() } else { format!("{} files", report.files) };
    let mut parts = vec![
        files,
        format!("{pairs} pair{} ({matched} match, {} mismatch)", if pairs == 1 { "" } else { "s" }, pairs - matched),
    ];
    let mut add = |n: usize, one: &str, many: &str| match n {
        0 => {}
        1 => parts.push(format!("1 {one}")),
        n => parts.push(format!("{n} {many}")),
    };
    add(waiting, "CSR waiting for a certificate", "CSRs waiting for a certificate");
    // counted as in the JSON summary: every certificate without a CSR, of which some were for a superseded one
    let of_which = match superseded {
        0 => String::new(),
        s if s == p.orphans.len() && s == 1 => " (for a superseded CSR)".to_string(),
        s => format!(" ({s} for a superseded CSR)"),
    };
    add(
        p.orphans.len(),
        &format!("certificate without a CSR{of_which}"),
        &format!("certificates without a CSR{of_which}"),
    );
    add(p.lonely_keys.len(), "key without a CSR or certificate", "keys without a CSR or certificate");
    add(p.ca_certificates.len(), "CA certificate", "CA certificates");
    add(report.unreadable.len(), "unreadable file", "unreadable files");
    add(report.unknown.len(), "file with nothing to pair", "files with nothing to pair");
    add(report.skipped.len(), "entry skipped", "entries skipped");
    parts.join(", ")
}

/// The table's rows, in its order: the pairs, the CSRs waiting, the certificates without a CSR, the keys alone.
/// Long because each kind of row says its own verdict.
fn rows(p: &Pairing) -> Vec<Row> {
    let keys_of = |ks: &[usize]| match ks {
        [] => "-".to_string(),
        [k] => p.keys[*k].place.to_string(),
        [k, rest @ ..] => format!("{} (+{})", p.keys[*k].place, rest.len()),
    };
    let mut rows = Vec::new();
    let mut entries: Vec<_> = p.entries.iter().collect();
    entries.sort_by(|a, b| p.csrs[a.csr].place.path.cmp(&p.csrs[b.csr].place.path));
    for e in &entries {
        let csr = &p.csrs[e.csr].place;
        for paired in &e.certificates {
            let v = &paired.verdict;
            let (status, verdict) = if v.matched {
                let purpose = e.purpose.map(|p| format!(" as {p}")).unwrap_or_default();
                let warn = match v.warnings.len() {
                    0 => String::new(),
                    n => format!(
                        " ({n} warning{}: {})",
                        if n == 1 { "" } else { "s" },
                        v.warnings.iter().map(|w| w.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                };
                ("match", format!("MATCH{purpose}{warn}"))
            } else {
                (
                    if v.failed_check.is_none_or(|c| c.is_mismatch()) { "MISMATCH" } else { "REFUSED" },
                    v.cucm_error.clone().or_else(|| v.message.clone()).unwrap_or_default(),
                )
            };
            rows.push(Row {
                status,
                csr: csr.to_string(),
                certificate: p.certificates[paired.certificate].place.to_string(),
                key: keys_of(&e.keys),
                verdict,
            });
        }
    }
    for e in entries.iter().filter(|e| e.certificates.is_empty()) {
        rows.push(Row {
            status: "waiting",
            csr: p.csrs[e.csr].place.to_string(),
            certificate: "-".into(),
            key: keys_of(&e.keys),
            verdict: "no certificate yet: send the CSR to the CA".into(),
        });
    }
    for o in &p.orphans {
        let says = match (&o.cucm_error, o.purpose) {
            (Some(text), _) => format!("\"{text}\""),
            (None, Some(p)) => format!("no {p} CSR on the node (IM and Presence's message is not documented)"),
            (None, None) => "no CSR on the node".into(),
        };
        let (status, csr, verdict) = match o.superseded_by {
            Some(c) => (
                "OLD CSR",
                p.csrs[c].place.to_string(),
                format!("issued for a superseded CSR (same subject, other key): {says}"),
            ),
            None => ("NO CSR", "-".to_string(), says),
        };
        rows.push(Row {
            status,
            csr,
            certificate: p.certificates[o.certificate].place.to_string(),
            key: keys_of(&o.keys),
            verdict,
        });
    }
    for &k in &p.lonely_keys {
        let what = if p.keys[k].item.private { "private key" } else { "public key" };
        rows.push(Row {
            status: "KEY ONLY",
            csr: "-".into(),
            certificate: "-".into(),
            key: p.keys[k].place.to_string(),
            verdict: format!("{what} with no CSR or certificate"),
        });
    }
    rows
}

fn table(rows: &[Row], width: Option<usize>, out: &mut dyn Write) -> io::Result<()> {
    let natural = |f: fn(&Row) -> &str, title: &str| {
        rows.iter().map(|r| f(r).chars().count()).max().unwrap_or(0).max(title.len())
    };
    let mut widths =
        [natural(|r| &r.csr, "CSR"), natural(|r| &r.certificate, "CERTIFICATE"), natural(|r| &r.key, "KEY")];
    if let Some(total) = width {
        let fixed = STATUS_WIDTH + 4 * GAP + MIN_VERDICT;
        let budget = total.saturating_sub(fixed).max(3 * MIN_PATH);
        while widths.iter().sum::<usize>() > budget {
            // shave the widest path column, one character at a time, down to its minimum
            let Some(widest) = (0..3).filter(|&i| widths[i] > MIN_PATH).max_by_key(|&i| widths[i]) else { break };
            widths[widest] -= 1;
        }
    }
    let verdict_width =
        width.map(|w| w.saturating_sub(STATUS_WIDTH + widths.iter().sum::<usize>() + 4 * GAP).max(MIN_VERDICT));
    let pad = |s: &str, w: usize| format!("{:<w$}", fit(s, Some(w)));
    writeln!(
        out,
        "{}",
        format!(
            "{}  {}  {}  {}  VERDICT",
            pad("STATUS", STATUS_WIDTH),
            pad("CSR", widths[0]),
            pad("CERTIFICATE", widths[1]),
            pad("KEY", widths[2])
        )
        .bold()
    )?;
    for r in rows {
        let status = pad(r.status, STATUS_WIDTH);
        let status = match r.status {
            "match" => status.green().to_string(),
            "waiting" => status.cyan().to_string(),
            _ => status.red().bold().to_string(),
        };
        writeln!(
            out,
            "{status}  {}  {}  {}  {}",
            pad(&r.csr, widths[0]),
            pad(&r.certificate, widths[1]),
            pad(&r.key, widths[2]),
            fit(&r.verdict, verdict_width).trim_end()
        )?;
    }
    Ok(())
}

/// Shortens text to `width` characters: paths lose their beginning (the file name is what identifies them),
/// other text its end.
fn fit(text: &str, width: Option<usize>) -> String {
    let Some(w) = width else { return text.to_string() };
    let n = text.chars().count();
    if n <= w || w < 2 {
        return text.to_string();
    }
    if text.contains('/') && !text.contains(' ') {
        let tail: String = text.chars().skip(n - (w - 1)).collect();
        format!("…{tail}")
    } else {
        let head: String = text.chars().take(w - 1).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::{Row, fit, table};

    #[test]
    fn the_table_fits_the_width_it_is_given() {
        let row = |csr: &str| Row {
            status: "match",
            csr: format!("clusters/site-a/{csr}/tomcat.csr"),
            certificate: "downloads/from-the-ca/2026-11/certnew (123).cer".into(),
            key: "-".into(),
            verdict: "MATCH as tomcat (2 warnings: key-usage, subject)".into(),
        };
        let rows = vec![row("cucm-publisher-01.example.com"), row("cucm-subscriber-02.example.com")];
        let text = crate::report::terminal::plain(|o| table(&rows, Some(100), o)).unwrap();
        for line in text.lines() {
            assert!(line.chars().count() <= 100, "{} chars: {line}", line.chars().count());
        }
        assert!(text.contains("…"), "paths were shortened");
        assert!(text.contains("tomcat.csr"), "file names survive");
        let wide = crate::report::terminal::plain(|o| table(&rows, None, o)).unwrap();
        assert!(!wide.contains('…'), "nothing is cut without a terminal");
    }

    #[test]
    fn paths_keep_their_file_name_and_text_its_start() {
        assert_eq!(fit("cluster/node-a/tomcat.csr", Some(12)), "…/tomcat.csr");
        assert_eq!(fit("no certificate yet: send it", Some(10)), "no certif…");
        assert_eq!(fit("short", Some(10)), "short");
        assert_eq!(fit("anything at all", None), "anything at all");
    }
}
