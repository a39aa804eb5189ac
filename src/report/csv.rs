//! `--format csv`: RFC 4180 (a header row, CRLF line ends, fields quoted where needed, by the csv crate) for a
//! spreadsheet or an inventory. One row per certificate (`inspect`, `connect`) or per pair (`pair`). Text a stranger
//! wrote is written as the terminal shows it (control characters escaped visibly, so a row is never split or a
//! terminal that shows the file styled), and a cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`
//! first) is prefixed with `'`, as OWASP advises against CSV injection. Numbers are plain.

use std::io::{self, Write};

use rayon::prelude::*;

use crate::analysis::expiry::Expiry;
use crate::model::Certificate;
use crate::model::certificate::format_utc_opt;
use crate::report::connect::WatchReport;
use crate::report::inspect::{CertificateFacts, InspectReport, Item};
use crate::report::pair::PairReport;
use crate::untrusted::Untrusted;

/// A text cell from outside: escaped, and kept from being read as a formula.
fn cell(text: &str) -> String {
    let shown = Untrusted::new(text).escaped().into_owned();
    if shown.starts_with(['=', '+', '-', '@']) { format!("'{shown}") } else { shown }
}

fn writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out)
}

fn done(w: csv::Writer<&mut dyn Write>) -> io::Result<()> {
    w.into_inner().map_err(|e| io::Error::other(e.to_string()))?.flush()
}

fn io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// The columns every certificate row has, after the command's own.
const CERTIFICATE_COLUMNS: [&str; 10] =
    ["subject_cn", "subject", "sans", "issuer", "self_signed", "key", "not_after", "days_left", "expiry", "sha256"];

fn certificate_cells(c: &Certificate, self_signed: bool, expiry: &Expiry) -> Vec<String> {
    let sans: Vec<String> = c
        .extensions
        .subject_alt_names
        .iter()
        .flatten()
        .map(|s| format!("{}:{}", s.type_label(), s.value().raw()))
        .collect();
    vec![
        cell(c.subject.common_name().map(|n| n.raw()).unwrap_or_default()),
        cell(&c.subject.to_openssl_string().into_raw()),
        cell(&sans.join(", ")),
        cell(&c.issuer.to_openssl_string().into_raw()),
        self_signed.to_string(),
        c.public_key.summary(),
        format_utc_opt(c.not_after),
        expiry.days_left.map(|d| d.to_string()).unwrap_or_default(),
        expiry.level.as_str().to_string(),
        c.fingerprints().sha256,
    ]
}

fn facts_cells(f: &CertificateFacts) -> Vec<String> {
    certificate_cells(&f.certificate, f.self_signed, &f.expiry)
}

/// `connect`: a row per presented certificate (position 1 is the leaf; the checks are on its row), or one row
/// saying why a target gave none.
pub fn connect(report: &WatchReport, out: &mut dyn Write) -> io::Result<()> {
    let mut w = writer(out);
    let head = ["target", "status", "error", "position"];
    let tail = ["host_match", "trust", "expect"];
    w.write_record(head.iter().chain(&CERTIFICATE_COLUMNS).chain(&tail)).map_err(io)?;
    for probe in report.by_urgency() {
        let target = cell(&probe.target);
        let status = probe.standing().as_str().to_string();
        match &probe.outcome {
            Err(u) => {
                let mut row = vec![target, status, cell(&u.message), String::new()];
                row.extend(std::iter::repeat_n(String::new(), CERTIFICATE_COLUMNS.len() + tail.len()));
                w.write_record(&row).map_err(io)?;
            }
            Ok(r) => {
                for (i, facts) in r.chain.iter().enumerate() {
                    let mut row = vec![target.clone(), status.clone(), String::new(), (i + 1).to_string()];
                    row.extend(facts_cells(facts));
                    if i == 0 {
                        row.push(match &r.host {
                            crate::analysis::hostname::HostMatch::Matches { .. } => "matches".into(),
                            crate::analysis::hostname::HostMatch::Mismatch { .. } => "mismatch".into(),
                        });
                        row.push(match &r.trust {
                            None => String::new(),
                            Some(crate::analysis::served::Trust::Chains { .. }) => "chains".into(),
                            Some(crate::analysis::served::Trust::NotIssuedByGivenCas { .. }) => {
                                "not-issued-by-given-cas".into()
                            }
                            Some(crate::analysis::served::Trust::BadSignature { .. }) => "bad-signature".into(),
                        });
                        row.push(match &r.expect {
                            None => String::new(),
                            Some(e) if e.matches => "matches".into(),
                            Some(_) => "differs".into(),
                        });
                    } else {
                        row.extend(std::iter::repeat_n(String::new(), tail.len()));
                    }
                    w.write_record(&row).map_err(io)?;
                }
            }
        }
    }
    done(w)
}

/// `inspect`: a row per object (certificates, those of a PKCS#7 each, CSRs and keys), and one per file that could
/// not be read.
pub fn inspect(report: &InspectReport, out: &mut dyn Write) -> io::Result<()> {
    let mut w = writer(out);
    let head = ["file", "position", "kind", "error"];
    w.write_record(head.iter().chain(&CERTIFICATE_COLUMNS)).map_err(io)?;
    let blank = || std::iter::repeat_n(String::new(), CERTIFICATE_COLUMNS.len());
    for file in &report.files {
        let path = cell(file.path.raw());
        if let Some(error) = &file.error {
            let row: Vec<String> =
                [path.clone(), String::new(), "error".into(), cell(error)].into_iter().chain(blank()).collect();
            w.write_record(&row).map_err(io)?;
        }
        for (k, object) in file.objects.iter().enumerate() {
            let position = (k + 1).to_string();
            let start = |kind: &str, at: String| vec![path.clone(), at, kind.to_string(), String::new()];
            match &object.item {
                Item::Certificate(f) => {
                    let mut row = start("certificate", position);
                    row.extend(facts_cells(f));
                    w.write_record(&row).map_err(io)?;
                }
                Item::Pkcs7(list) => {
                    for (i, f) in list.iter().enumerate() {
                        let mut row = start("certificate", format!("{position}.{}", i + 1));
                        row.extend(facts_cells(f));
                        w.write_record(&row).map_err(io)?;
                    }
                }
                Item::Csr(c) => {
                    let mut row = start("csr", position);
                    row.push(cell(c.csr.subject.common_name().map(|n| n.raw()).unwrap_or_default()));
                    row.push(cell(&c.csr.subject.to_openssl_string().into_raw()));
                    row.extend(blank().skip(2));
                    row[4 + 5] = c.csr.public_key.summary();
                    w.write_record(&row).map_err(io)?;
                }
                Item::PrivateKey { public, .. } | Item::PublicKey { public, .. } => {
                    let kind =
                        if matches!(object.item, Item::PrivateKey { .. }) { "private-key" } else { "public-key" };
                    let mut row = start(kind, position);
                    row.extend(blank());
                    row[4 + 5] = public.summary();
                    w.write_record(&row).map_err(io)?;
                }
            }
        }
    }
    done(w)
}

/// `pair`: a row per pair, per CSR waiting for its certificate, per certificate without a CSR and per CA
/// certificate, with the verdict and CUCM's message. The certificate columns need each certificate read again from
/// its file: that is done for a batch of rows at a time on every core, and the batch written in order (one at a
/// time, 20,000 pairs took half a second; all at once would hold every row in memory).
pub fn pair(report: &PairReport, out: &mut dyn Write) -> io::Result<()> {
    pair_in_batches(report, out, ROWS_AT_ONCE)
}

fn pair_in_batches(report: &PairReport, out: &mut dyn Write, at_once: usize) -> io::Result<()> {
    let p = &report.pairing;
    let mut w = writer(out);
    let head = ["row", "node", "purpose", "csr", "certificate", "verdict", "failed_check", "cucm_error"];
    w.write_record(head.iter().chain(&CERTIFICATE_COLUMNS)).map_err(io)?;
    let node = |cn: &Option<Untrusted>| cell(cn.as_ref().map(|n| n.raw()).unwrap_or_default());
    let purpose = |p: Option<crate::cucm::Purpose>| p.map(|p| p.name().to_string()).unwrap_or_default();
    // each row's own columns, and the certificate whose columns follow them
    let entries = p.entries.iter().flat_map(|e| {
        let csr = &p.csrs[e.csr];
        let start = move |row: &str| {
            vec![row.to_string(), node(&csr.item.common_name), purpose(e.purpose), cell(&csr.place.to_string())]
        };
        let waiting = e.certificates.is_empty().then(|| {
            let mut row = start("waiting");
            row.extend(["".into(), "waiting".into(), String::new(), String::new()]);
            (row, None)
        });
        waiting.into_iter().chain(e.certificates.iter().map(move |paired| {
            let v = &paired.verdict;
            let mut row = start("pair");
            row.push(cell(&p.certificates[paired.certificate].place.to_string()));
            row.push(if v.matched { "match".into() } else { "fail".into() });
            row.push(v.failed_check.map(|c| c.as_str().to_string()).unwrap_or_default());
            row.push(v.cucm_error.clone().unwrap_or_default());
            (row, Some(paired.certificate))
        }))
    });
    let orphans = p.orphans.iter().map(|o| {
        let cert = &p.certificates[o.certificate];
        let row = vec![
            "no-csr".to_string(),
            node(&cert.item.common_name),
            purpose(o.purpose),
            o.superseded_by.map(|c| cell(&p.csrs[c].place.to_string())).unwrap_or_default(),
            cell(&cert.place.to_string()),
            "fail".into(),
            String::new(),
            o.cucm_error.clone().unwrap_or_default(),
        ];
        (row, Some(o.certificate))
    });
    let cas = p.ca_certificates.iter().map(|&i| {
        let cert = &p.certificates[i];
        let row = vec![
            "ca".to_string(),
            node(&cert.item.common_name),
            String::new(),
            String::new(),
            cell(&cert.place.to_string()),
            "trust".into(),
            String::new(),
            String::new(),
        ];
        (row, Some(i))
    });
    let with_certificate = |(mut row, certificate): (Vec<String>, Option<usize>)| {
        match certificate.map(|i| (i, p.certificate(i))) {
            Some((i, Ok(c))) => {
                let self_signed = crate::analysis::chain::is_self_signed(&c);
                row.extend(certificate_cells(&c, self_signed, &report.expiry(i)));
            }
            // waiting for the CA, or the certificate could not be read again
            _ => row.extend(std::iter::repeat_n(String::new(), CERTIFICATE_COLUMNS.len())),
        }
        row
    };
    let mut rows = entries.chain(orphans).chain(cas);
    loop {
        let batch: Vec<_> = rows.by_ref().take(at_once).collect();
        if batch.is_empty() {
            break;
        }
        for row in batch.into_par_iter().map(with_certificate).collect::<Vec<_>>() {
            w.write_record(&row).map_err(io)?;
        }
    }
    done(w)
}

/// How many rows of `pair` are made at once: enough to keep every core busy, few enough to stay small.
const ROWS_AT_ONCE: usize = 1024;

#[cfg(test)]
mod tests {
    use super::cell;

    /// Rows of every kind (pairs, a CSR waiting, certificates without a CSR, CA certificates) come out in the same
    /// order whatever the batch, batches split anywhere.
    #[test]
    fn pair_rows_are_in_order_across_batches() {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let at = time::macros::datetime!(2026-06-01 00:00 UTC);
        let report = crate::commands::pair::pair(
            &[fixtures],
            None,
            at,
            crate::analysis::expiry::Thresholds::default(),
            crate::input::Reading::default(),
        )
        .unwrap();
        let write = |at_once| {
            let mut out = Vec::new();
            super::pair_in_batches(&report, &mut out, at_once).unwrap();
            String::from_utf8(out).unwrap()
        };
        let whole = write(usize::MAX);
        let kinds: std::collections::BTreeSet<&str> =
            whole.lines().skip(1).filter_map(|l| l.split(',').next()).collect();
        assert_eq!(kinds.into_iter().collect::<Vec<_>>(), ["ca", "no-csr", "pair", "waiting"]);
        assert!(whole.lines().count() > 100);
        for at_once in [1, 2, 7, 64] {
            assert_eq!(write(at_once), whole, "{at_once} rows at a time");
        }
    }

    #[test]
    fn formulas_and_controls_are_defused() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("a\nb\u{1b}[31m"), "a\\nb\\x1b[31m");
        assert_eq!(cell("cucm-pub.example.com"), "cucm-pub.example.com");
    }
}
