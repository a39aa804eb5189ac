//! The human form of `pair`: one row per CSR, certificate and key (its node's CN, the files, a short verdict, and
//! CUCM's message on its own line when it does not fit), fitted to the width (paths lose their beginning, never their
//! file name); at a width where the table cannot fit, one block per row. Then the CA certificates and the files
//! that gave nothing.

use std::borrow::Cow;
use std::io::{self, Write};

use rayon::prelude::*;

use crate::report::terminal::{Colorize, HANG};

use crate::analysis::pairing::Pairing;
use crate::cucm::Purpose;
use crate::report::pair::PairReport;

/// One row: a pair, a CSR waiting, a certificate without a CSR, a key alone. Its texts are escaped, and borrowed
/// where they can be (a name or a path that needs no escaping, as nearly all do): a batch has tens of thousands of
/// rows.
struct Row<'a> {
    status: &'static str,
    /// The CN of the CSR (or of the certificate, when there is no CSR): how admins name their nodes.
    node: Cow<'a, str>,
    csr: Cow<'a, str>,
    certificate: Cow<'a, str>,
    key: Cow<'a, str>,
    /// A few words: "MATCH as tomcat", "MISMATCH: public-key".
    verdict: Cow<'a, str>,
    /// CUCM's message or the longer reason, shown after the verdict when it fits, else on its own line.
    message: Option<Cow<'a, str>>,
}

const GAP: usize = 2;
const STATUS_WIDTH: usize = 8;
const MIN_VERDICT: usize = 16;
/// How many of the table's lines are made into one buffer and written at once.
const ROWS_PER_WRITE: usize = 256;
/// Below this, the table's columns cannot hold a file name each: one block per row instead.
const MIN_TABLE_WIDTH: usize = 90;

/// The table (or blocks), the leftovers (`verbose`: every entry, else the first few of each list), the summary.
pub fn pair(report: &PairReport, width: usize, verbose: bool, out: &mut dyn Write) -> io::Result<()> {
    let p = &report.pairing;
    let matched = match_verdicts();
    let rows = rows(p, &matched);
    if !rows.is_empty() {
        match Layout::fit(&rows, width) {
            Some(layout) => table(&rows, &layout, out)?,
            None => blocks(&rows, out)?,
        }
    }
    leftovers(report, verbose, out)?;
    let expiring = report.expiring();
    let shown = if verbose { expiring.len() } else { super::MAX_LISTED };
    super::expiring_lines(
        expiring.iter().take(shown).map(|(i, e)| {
            let c = &p.certificates[*i];
            (format!("{} ({})", c.place, c.item.display_name()), e)
        }),
        out,
    )?;
    if expiring.len() > shown {
        writeln!(out, "  ... and {} more ('ucert pair -v' lists them all)", expiring.len() - shown)?;
    }
    writeln!(out)?;
    writeln!(out, "{}", summary(report))
}

/// The CA certificates, unreadable files, files read with a warning, unknown files, entries skipped and copies: a
/// few of each.
fn leftovers(report: &PairReport, verbose: bool, out: &mut dyn Write) -> io::Result<()> {
    let p = &report.pairing;
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
    let lists: [(&str, Vec<String>); 6] = [
        (
            "CA certificates (not paired; upload them as trust first)",
            p.ca_certificates
                .iter()
                .map(|&i| format!("{} ({})", p.certificates[i].place, p.certificates[i].item.display_name()))
                .collect(),
        ),
        ("unreadable", report.unreadable.iter().map(|s| format!("{}: {}", s.path, s.reason)).collect()),
        ("read with a warning", report.warnings.iter().map(|s| format!("{}: {}", s.path, s.reason)).collect()),
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
        super::listed(out, &items, verbose, "pair")?;
    }
    Ok(())
}

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
    add(report.warnings.len(), "file read with a warning", "files read with a warning");
    add(report.unknown.len(), "file with nothing to pair", "files with nothing to pair");
    add(report.skipped.len(), "entry skipped", "entries skipped");
    parts.join(", ")
}

/// The table's rows, in its order: the pairs, the CSRs waiting, the certificates without a CSR, the keys alone.
/// Long because each kind of row says its own verdict.
/// `matched`: the verdict of a match for each purpose ([`match_verdicts`]).
fn rows<'a>(p: &'a Pairing, matched: &'a [(Option<Purpose>, String)]) -> Vec<Row<'a>> {
    let keys_of = |ks: &[usize]| match ks {
        [] => Cow::Borrowed("-"),
        [k] => p.keys[*k].place.shown(),
        [k, rest @ ..] => Cow::Owned(format!("{} (+{})", p.keys[*k].place, rest.len())),
    };
    let mut entries: Vec<_> = p.entries.iter().collect();
    // (stable, as the one-core sort was: the same order)
    entries.par_sort_by(|a, b| p.csrs[a.csr].place.path.cmp(&p.csrs[b.csr].place.path));
    // the pairs' rows, tens of thousands in a batch, made on every core (in order)
    let mut rows: Vec<Row> = entries
        .par_iter()
        .flat_map_iter(|e| {
            let csr = &p.csrs[e.csr];
            e.certificates.iter().map(move |paired| {
                let v = &paired.verdict;
                let (status, verdict, message) = if v.matched {
                    let verdict = matched.iter().find(|(p, _)| *p == e.purpose).map(|(_, text)| text.as_str());
                    let warn = match v.warnings.len() {
                        0 => None,
                        n => Some(Cow::Owned(format!(
                            "{n} warning{}: {}",
                            if n == 1 { "" } else { "s" },
                            v.warnings.iter().map(|w| w.as_str()).collect::<Vec<_>>().join(", ")
                        ))),
                    };
                    ("match", Cow::Borrowed(verdict.unwrap_or("MATCH")), warn)
                } else {
                    let label = if v.failed_check.is_none_or(|c| c.is_mismatch()) { "MISMATCH" } else { "REFUSED" };
                    let check = v.failed_check.map_or(String::new(), |c| format!(": {}", c.as_str()));
                    let message = v
                        .cucm_error
                        .as_ref()
                        .map(|t| Cow::Owned(format!("\"{t}\"")))
                        .or_else(|| v.message.as_deref().map(Cow::Borrowed));
                    (label, Cow::Owned(format!("{label}{check}")), message)
                };
                Row {
                    status,
                    node: cn(&csr.item.common_name),
                    csr: csr.place.shown(),
                    certificate: p.certificates[paired.certificate].place.shown(),
                    key: keys_of(&e.keys),
                    verdict,
                    message,
                }
            })
        })
        .collect();
    for e in entries.iter().filter(|e| e.certificates.is_empty()) {
        rows.push(Row {
            status: "waiting",
            node: cn(&p.csrs[e.csr].item.common_name),
            csr: p.csrs[e.csr].place.shown(),
            certificate: "-".into(),
            key: keys_of(&e.keys),
            verdict: "no certificate yet".into(),
            message: Some("send the CSR to the CA".into()),
        });
    }
    for o in &p.orphans {
        let says = match (&o.cucm_error, o.purpose) {
            (Some(text), _) => format!("\"{text}\""),
            (None, Some(p)) => format!("no {p} CSR on the node (IM and Presence's message is not documented)"),
            (None, None) => "no CSR on the node".into(),
        };
        let (status, csr, verdict, message) = match o.superseded_by {
            Some(c) => (
                "OLD CSR",
                p.csrs[c].place.shown(),
                Cow::Borrowed("issued for a superseded CSR"),
                format!("same subject, other key: {says}"),
            ),
            None => ("NO CSR", Cow::Borrowed("-"), Cow::Borrowed("no CSR for it"), says),
        };
        rows.push(Row {
            status,
            node: cn(&p.certificates[o.certificate].item.common_name),
            csr,
            certificate: p.certificates[o.certificate].place.shown(),
            key: keys_of(&o.keys),
            verdict,
            message: Some(message.into()),
        });
    }
    for &k in &p.lonely_keys {
        let what = if p.keys[k].item.private { "private key" } else { "public key" };
        rows.push(Row {
            status: "KEY ONLY",
            node: "-".into(),
            csr: "-".into(),
            certificate: "-".into(),
            key: p.keys[k].place.shown(),
            verdict: what.into(),
            message: Some("no CSR or certificate has its key".into()),
        });
    }
    rows
}

/// "MATCH as tomcat": the same few words for thousands of rows, made once for each purpose.
fn match_verdicts() -> Vec<(Option<Purpose>, String)> {
    std::iter::once(None)
        .chain(Purpose::ALL.map(Some))
        .map(|purpose| (purpose, format!("MATCH{}", purpose.map(|p| format!(" as {p}")).unwrap_or_default())))
        .collect()
}

/// A CN as the table shows it, `-` when there is none.
fn cn(name: &Option<crate::untrusted::Untrusted>) -> Cow<'_, str> {
    name.as_ref().map_or(Cow::Borrowed("-"), |c| c.escaped())
}

/// The widths of the table's columns at a given total width: NODE, CSR, CERTIFICATE, KEY, VERDICT.
struct Layout {
    widths: [usize; 5],
    /// How much room the verdict column has.
    verdict_room: usize,
}

impl Layout {
    /// The narrowest columns that still show every file name whole and every node's CN (cut if need be), or None
    /// when even those do not fit `width`.
    fn fit(rows: &[Row], width: usize) -> Option<Layout> {
        if width < MIN_TABLE_WIDTH {
            return None;
        }
        // every row measured once, on every core: the widest of each column, whole and at its least
        let measure = |r: &Row| {
            let count = |text: &str| text.chars().count();
            [
                count(&r.node),
                count(&r.csr),
                count(&r.certificate),
                count(&r.key),
                count(&r.verdict),
                count(host_label(&r.node)),
                least_path(&r.csr),
                least_path(&r.certificate),
                least_path(&r.key),
                longest_word(&r.verdict),
            ]
        };
        let widest = rows.par_iter().map(measure).reduce(|| [0; 10], |a, b| std::array::from_fn(|i| a[i].max(b[i])));
        let titles = ["NODE", "CSR", "CERTIFICATE", "KEY", "VERDICT"];
        let mut widths: [usize; 5] = std::array::from_fn(|i| widest[i].max(titles[i].len()));
        let minimum = [
            widest[5].max(4),
            widest[6].max(titles[1].len()),
            widest[7].max(titles[2].len()),
            widest[8].max(titles[3].len()),
            // a verdict longer than its column wraps under it (the longest word stays whole)
            widths[4].min(MIN_VERDICT.max(widest[9])),
        ];
        let used = |w: &[usize; 5]| STATUS_WIDTH + w.iter().sum::<usize>() + 5 * GAP;
        while used(&widths) > width {
            // shave the path column with the most to spare, one character at a time; then show host names
            // instead of FQDNs; then let verdicts wrap in a narrower column
            let spare = |i: usize| widths[i] - minimum[i];
            if let Some(i) = (1..4).filter(|&i| spare(i) > 0).max_by_key(|&i| spare(i)) {
                widths[i] -= 1;
            } else if spare(0) > 0 {
                widths[0] = minimum[0];
            } else if spare(4) > 0 {
                widths[4] -= 1;
            } else {
                return None;
            }
        }
        let verdict_at = STATUS_WIDTH + widths[..4].iter().sum::<usize>() + 5 * GAP;
        Some(Layout { widths, verdict_room: width - verdict_at })
    }
}

/// The longest word of a verdict: the verdict column is never narrower.
fn longest_word(verdict: &str) -> usize {
    verdict.split(' ').map(|w| w.chars().count()).max().unwrap_or(0)
}

/// How narrow a path can be and keep its file name: the name, and `…/` before it when there is a directory (the
/// separator is `/`, or on Windows `\\` too).
fn least_path(path: &str) -> usize {
    match path.rsplit_once(std::path::is_separator) {
        Some((_, name)) => name.chars().count() + 2,
        None => path.chars().count(),
    }
}

fn table(rows: &[Row], layout: &Layout, out: &mut dyn Write) -> io::Result<()> {
    let w = &layout.widths;
    let gap = " ".repeat(GAP);
    let titles = [("NODE", w[0]), ("CSR", w[1]), ("CERTIFICATE", w[2]), ("KEY", w[3])]
        .map(|(title, width)| format!("{:<width$}", fit_text(title, width)));
    writeln!(out, "{}", format!("{:<STATUS_WIDTH$}{gap}{}{gap}VERDICT", "STATUS", titles.join(&gap)).bold())?;
    // each status styled once (there are a handful)
    let mut statuses: Vec<(&str, String)> = Vec::new();
    for r in rows {
        if !statuses.iter().any(|(s, _)| *s == r.status) {
            let padded = format!("{:<STATUS_WIDTH$}", r.status);
            let styled = match r.status {
                "match" => padded.green().to_string(),
                "waiting" => padded.cyan().to_string(),
                _ => padded.red().bold().to_string(),
            };
            statuses.push((r.status, styled));
        }
    }
    let push_line = |text: &mut String, r: &Row| {
        text.push_str(statuses.iter().find(|(s, _)| *s == r.status).map_or("", |(_, styled)| styled));
        text.push_str(&gap);
        push_node(text, &r.node, w[0]);
        for (path, width) in [(&r.csr, w[1]), (&r.certificate, w[2]), (&r.key, w[3])] {
            text.push_str(&gap);
            push_path(text, path, width);
        }
        text.push_str(&gap);
        text.push(HANG);
        text.push_str(&r.verdict);
        if let Some(message) = &r.message {
            if r.verdict.chars().count() + 2 + message.chars().count() <= layout.verdict_room.max(w[4]) {
                text.push_str(": ");
                text.push_str(message);
            } else {
                text.push('\n');
                text.extend(std::iter::repeat_n(' ', STATUS_WIDTH + GAP));
                text.push(HANG);
                text.push_str(message);
            }
        }
        text.push('\n');
    };
    // the lines of a few hundred rows in one buffer, made on every core; each buffer written whole, in order
    let row_width = STATUS_WIDTH + w.iter().sum::<usize>() + 8 * GAP + 32;
    let chunks: Vec<String> = rows
        .par_chunks(ROWS_PER_WRITE)
        .map(|chunk| {
            let mut text = String::with_capacity(chunk.len() * row_width);
            for r in chunk {
                push_line(&mut text, r);
            }
            text
        })
        .collect();
    for text in chunks {
        out.write_all(text.as_bytes())?;
    }
    Ok(())
}

/// One block per row, for a width the table cannot fit: the status and node, then each file and the verdict on
/// a line of its own (the sink wraps what is still too long).
fn blocks(rows: &[Row], out: &mut dyn Write) -> io::Result<()> {
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let status = match r.status {
            "match" => r.status.green().to_string(),
            "waiting" => r.status.cyan().to_string(),
            _ => r.status.red().bold().to_string(),
        };
        writeln!(out, "{status}  {}", r.node)?;
        for (label, value) in [("CSR", &r.csr), ("certificate", &r.certificate), ("key", &r.key)] {
            if value != "-" {
                writeln!(out, "  {label:<12} {HANG}{value}")?;
            }
        }
        let verdict = match &r.message {
            Some(m) => Cow::Owned(format!("{}: {m}", r.verdict)),
            None => r.verdict.clone(),
        };
        writeln!(out, "  {:<12} {HANG}{verdict}", "verdict")?;
    }
    Ok(())
}

/// A node's name in `width` characters: whole, or its host name (the first label of an FQDN), padded to `width`.
fn push_node(out: &mut String, name: &str, width: usize) {
    let shown = if name.chars().count() <= width { name } else { host_label(name) };
    let used = push_fit_text(out, shown, width);
    pad(out, used, width);
}

/// The first label of a host name: `cucm-pub` of `cucm-pub.example.com`.
fn host_label(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

/// A path shortened to `width` characters from the left, keeping its file name (never shorter than that).
#[cfg(test)]
fn fit_path(path: &str, width: usize) -> String {
    let mut out = String::new();
    push_fit_path(&mut out, path, width);
    out
}

/// [`fit_path`] appended to `out` and padded to `width`.
fn push_path(out: &mut String, path: &str, width: usize) {
    let used = push_fit_path(out, path, width);
    pad(out, used, width);
}

/// [`fit_path`] appended to `out`; returns how many characters it took.
fn push_fit_path(out: &mut String, path: &str, width: usize) -> usize {
    let n = path.chars().count();
    if n <= width {
        out.push_str(path);
        return n;
    }
    let keep = width.max(least_path(path)).saturating_sub(1);
    out.push('…');
    out.extend(path.chars().skip(n - keep));
    keep + 1
}

/// Text shortened to `width` characters from the right.
fn fit_text(text: &str, width: usize) -> String {
    let mut out = String::new();
    push_fit_text(&mut out, text, width);
    out
}

/// [`fit_text`] appended to `out`; returns how many characters it took.
fn push_fit_text(out: &mut String, text: &str, width: usize) -> usize {
    let n = text.chars().count();
    if n <= width || width < 2 {
        out.push_str(text);
        return n;
    }
    out.extend(text.chars().take(width - 1));
    out.push('…');
    width
}

/// Spaces after text of `used` characters, up to `width` (as `{:<width$}` pads).
fn pad(out: &mut String, used: usize, width: usize) {
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
}

#[cfg(test)]
mod tests {
    use super::{Layout, Row, blocks, fit_path, fit_text, table};
    use std::io::Write;

    /// What a renderer writes through the sink, wrapped at `width`.
    fn wrapped(width: usize, render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> String {
        use crate::report::terminal::{Mode, Terminal};
        let mut buf = Vec::new();
        let mut sink = Terminal::new(&mut buf, Mode::Human { color: false }).wrapping(Some(width));
        render(&mut sink).unwrap();
        sink.flush().unwrap();
        drop(sink);
        String::from_utf8(buf).unwrap()
    }

    fn rows() -> Vec<Row<'static>> {
        let row = |node: &str| Row {
            status: "match",
            node: format!("{node}.example.com").into(),
            csr: format!("clusters/site-a/{node}/tomcat.csr").into(),
            certificate: "downloads/from-the-ca/2026-11/certnew (123).cer".into(),
            key: "-".into(),
            verdict: "MATCH as tomcat (2 warnings: key-usage, subject)".into(),
            message: None,
        };
        vec![row("cucm-publisher-01"), row("cucm-subscriber-02")]
    }

    #[test]
    fn the_table_fits_the_width_it_is_given_and_keeps_file_names() {
        let rows = rows();
        for width in [100, 120] {
            let layout = Layout::fit(&rows, width).expect("a table at this width");
            let text = wrapped(width, |o| table(&rows, &layout, o));
            for line in text.lines() {
                assert!(line.chars().count() <= width, "{} chars: {line}", line.chars().count());
            }
            assert!(text.contains("/tomcat.csr") && text.contains("certnew (123).cer"), "{text}");
        }
        assert!(Layout::fit(&rows, 60).is_none(), "too narrow for a table");
        let text = crate::report::terminal::plain(|o| blocks(&rows, o)).unwrap();
        assert!(text.contains("  certificate  downloads/from-the-ca/2026-11/certnew (123).cer"), "{text}");
    }

    #[test]
    fn paths_keep_their_file_name_and_text_its_start() {
        assert_eq!(fit_path("cluster/node-a/tomcat.csr", 12), "…/tomcat.csr");
        assert_eq!(fit_path("cluster/node-a/certnew (2).cer", 12), "…/certnew (2).cer", "never less than the name");
        assert_eq!(fit_path("cluster/node-a/certnew (2).cer", 20), "…e-a/certnew (2).cer");
        assert_eq!(fit_text("no certificate yet: send it", 10), "no certif…");
        assert_eq!(fit_text("short", 10), "short");
    }
}
