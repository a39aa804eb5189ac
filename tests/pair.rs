#![allow(dead_code)] // fields are deserialised to check the JSON schema, not all are read
//! `ucert pair` end to end: a shuffled two-node cluster pairs exactly as openssl would pair it; every kind of
//! leftover is reported; unreadable and unknown files are listed without failing the run.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

use common::{AT, fixture, fixture_abs, ucert};
use serde::Deserialize;

#[derive(Deserialize, Debug)]
struct PairJson {
    schema: u32,
    summary: Summary,
    pairs: Vec<Row>,
    waiting_csrs: Vec<Waiting>,
    certificates_without_csr: Vec<Orphan>,
    lonely_keys: Vec<Place>,
    ca_certificates: Vec<Cert>,
    unreadable: Vec<Skipped>,
    read_with_warning: Vec<Skipped>,
    unknown: Vec<Skipped>,
    skipped: Vec<Skipped>,
}

#[derive(Deserialize, Debug)]
struct Summary {
    files: usize,
    pairs: usize,
    matched: usize,
    mismatched: usize,
    waiting_csrs: usize,
    certificates_without_csr: usize,
    certificates_for_superseded_csr: usize,
    lonely_keys: usize,
    ca_certificates: usize,
    unreadable: usize,
    read_with_warning: usize,
    unknown: usize,
}

#[derive(Deserialize, Debug)]
struct Place {
    path: String,
    position: Option<usize>,
}

#[derive(Deserialize, Debug)]
struct Cert {
    path: String,
    position: Option<usize>,
    common_name: Option<String>,
    serial: String,
    sha256: String,
}

#[derive(Deserialize, Debug)]
struct Verdict {
    matched: bool,
    cucm_error: Option<String>,
    failed_check: Option<String>,
    warnings: Vec<String>,
}

#[derive(Deserialize, Debug)]
struct Row {
    status: String,
    csr: Place,
    purpose: Option<String>,
    certificate: Cert,
    keys: Vec<Place>,
    verdict: Verdict,
}

#[derive(Deserialize, Debug)]
struct Waiting {
    csr: Place,
    common_name: Option<String>,
    purpose: Option<String>,
}

#[derive(Deserialize, Debug)]
struct Orphan {
    certificate: Cert,
    purpose: Option<String>,
    superseded_csr: Option<Place>,
    cucm_error: String,
}

#[derive(Deserialize, Debug)]
struct Skipped {
    path: String,
    reason: String,
}

fn pair_json(paths: &[&str]) -> (PairJson, i32) {
    let out = ucert().args(["pair", "--json", "--at", AT]).args(paths).output().unwrap();
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{paths:?}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    (doc, out.status.code().unwrap())
}

/// openssl's view of a file's public key (`-pubkey`), the independent oracle for pairing.
fn openssl_pubkey(tool: &str, path: &std::path::Path) -> Vec<u8> {
    common::run_tool("openssl", &[tool, "-noout", "-pubkey", "-in", &path.to_string_lossy()])
}

#[test]
fn a_shuffled_cluster_pairs_exactly_as_openssl_pairs_it() {
    if !common::has_openssl("a_shuffled_cluster_pairs_exactly_as_openssl_pairs_it") {
        return;
    }
    let (doc, code) = pair_json(&[&fixture("cluster")]);
    assert_eq!(code, 1, "leftovers make the run fail");
    assert_eq!(doc.schema, 1);
    // the oracle: every CSR and certificate keyed by openssl's PEM public key
    let mut by_key: BTreeMap<Vec<u8>, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for node in ["cucm-pub", "cucm-sub"] {
        for entry in std::fs::read_dir(fixture_abs(&format!("cluster/{node}"))).unwrap() {
            let path = entry.unwrap().path();
            let rel = format!("fixtures/cluster/{node}/{}", path.file_name().unwrap().to_string_lossy());
            by_key.entry(openssl_pubkey("req", &path)).or_default().0.push(rel);
        }
    }
    for entry in std::fs::read_dir(fixture_abs("cluster/from-ca")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("certnew") {
            by_key.entry(openssl_pubkey("x509", &path)).or_default().1.push(format!("fixtures/cluster/from-ca/{name}"));
        }
    }
    let mut expected: Vec<(String, String)> = by_key
        .values()
        .filter(|(csrs, certs)| csrs.len() == 1 && certs.len() == 1)
        .map(|(csrs, certs)| (csrs[0].clone(), certs[0].clone()))
        .collect();
    expected.sort();
    let mut actual: Vec<(String, String)> =
        doc.pairs.iter().map(|r| (r.csr.path.clone(), r.certificate.path.clone())).collect();
    actual.sort();
    assert_eq!(actual.len(), 9);
    assert_eq!(actual, expected);
    assert!(doc.pairs.iter().all(|r| r.status == "match" && r.verdict.matched));
    let purposes: Vec<(&str, &str)> =
        doc.pairs.iter().map(|r| (r.csr.path.rsplit('/').next().unwrap(), r.purpose.as_deref().unwrap())).collect();
    for (file, purpose) in purposes {
        assert_eq!(format!("{purpose}.csr"), file);
    }
}

#[test]
fn every_kind_of_leftover_is_reported() {
    let (doc, _) = pair_json(&[&fixture("cluster")]);
    assert_eq!(doc.waiting_csrs.len(), 1);
    assert_eq!(common::slashes(&doc.waiting_csrs[0].csr.path), "fixtures/cluster/cucm-sub/TVS.csr");
    assert_eq!(doc.waiting_csrs[0].purpose.as_deref(), Some("TVS"));
    assert_eq!(doc.certificates_without_csr.len(), 2);
    let no_csr = doc.certificates_without_csr.iter().find(|o| o.superseded_csr.is_none()).unwrap();
    assert_eq!(no_csr.certificate.common_name.as_deref(), Some("cucm-imp.example.com"));
    assert_eq!(no_csr.cucm_error, "The file /usr/local/platform/.security/tomcat/keys/tomcat.csr does not exist");
    let old = doc.certificates_without_csr.iter().find(|o| o.superseded_csr.is_some()).unwrap();
    assert_eq!(common::slashes(&old.certificate.path), "fixtures/cluster/old/tomcat-2025.cer");
    assert_eq!(common::slashes(&old.superseded_csr.as_ref().unwrap().path), "fixtures/cluster/cucm-pub/tomcat.csr");
    assert_eq!(old.cucm_error, "CSR public key and Certificate public key do not match");
    assert_eq!(doc.lonely_keys.len(), 1);
    assert_eq!(common::slashes(&doc.lonely_keys[0].path), "fixtures/cluster/old/spare.key");
    let cas: Vec<&str> = doc.ca_certificates.iter().map(|c| c.common_name.as_deref().unwrap()).collect();
    assert_eq!(cas, ["Example Issuing CA", "Example Root CA"]);
    assert_eq!(doc.unknown.len(), 1);
    assert!(doc.unknown[0].path.ends_with("readme.txt"));
    let s = &doc.summary;
    assert_eq!((s.files, s.pairs, s.matched, s.waiting_csrs, s.certificates_without_csr), (25, 9, 9, 1, 2));
    assert_eq!(s.certificates_for_superseded_csr, 1, "the text's count and the JSON's agree");
}

#[test]
fn the_human_table_has_a_row_per_pair_and_leftover() {
    let out = ucert().args(["pair", "--at", AT, &fixture("cluster")]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("STATUS    NODE                  CSR"), "{text}");
    for status in ["match", "waiting", "NO CSR", "OLD CSR", "KEY ONLY"] {
        assert!(lines.iter().any(|l| l.starts_with(status)), "{status}");
    }
    assert_eq!(lines.iter().filter(|l| l.starts_with("match ")).count(), 9);
    assert!(text.lines().last().unwrap().starts_with("25 files, 9 pairs (9 match, 0 mismatch)"));
}

#[cfg(unix)]
#[test]
fn a_clean_folder_with_unreadable_and_unknown_files_is_exit_0() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(fixture_abs("cucm/tomcat.csr"), d.join("tomcat.csr")).unwrap();
    std::fs::copy(fixture_abs("cucm/tomcat.pem"), d.join("certnew.cer")).unwrap();
    std::fs::write(d.join("notes.txt"), "nothing here").unwrap();
    std::fs::write(d.join("empty.cer"), "").unwrap();
    std::fs::copy(fixture_abs("cucm/CallManager.pem"), d.join("locked.cer")).unwrap();
    std::fs::set_permissions(d.join("locked.cer"), std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", d.join("outside.cer")).unwrap();
    let path = d.to_string_lossy().into_owned();
    let mut cmd = if common::running_as_root() {
        let mut c = assert_cmd::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(assert_cmd::cargo::cargo_bin("ucert"));
        c
    } else {
        ucert()
    };
    let out = cmd.args(["pair", "--json", "--at", AT, &path]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: PairJson = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc.summary.pairs, 1);
    assert_eq!(doc.unreadable.len(), 1);
    assert!(doc.unreadable[0].path.ends_with("locked.cer") && doc.unreadable[0].reason.contains("permission denied"));
    let unknown: Vec<&str> = doc.unknown.iter().map(|s| s.path.rsplit('/').next().unwrap()).collect();
    assert_eq!(unknown, ["empty.cer", "notes.txt"]);
    assert_eq!(doc.skipped.len(), 1);
    assert!(doc.skipped[0].reason.contains("out of the tree"), "{:?}", doc.skipped);
}

/// A bundle whose second certificate is truncated, and a certificate pasted indented: each is paired from what could
/// be read, and listed with what is wrong with it (the truncated certificate's CSR shows as waiting, which without
/// the warning would point at the CA instead of the file).
#[test]
fn files_read_in_part_or_framed_so_openssl_refuses_them_are_listed_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for name in ["tomcat.csr", "CallManager.csr", "ipsec.csr"] {
        std::fs::copy(fixture_abs(&format!("cucm/{name}")), d.join(name)).unwrap();
    }
    let tomcat = std::fs::read_to_string(fixture_abs("cucm/tomcat.pem")).unwrap();
    let callmanager = std::fs::read_to_string(fixture_abs("cucm/CallManager.pem")).unwrap();
    let cut: Vec<&str> = callmanager.lines().take(8).collect();
    std::fs::write(d.join("bundle.pem"), format!("{tomcat}{}\n-----END CERTIFICATE-----\n", cut.join("\n"))).unwrap();
    let ipsec = std::fs::read_to_string(fixture_abs("cucm/ipsec.pem")).unwrap();
    std::fs::write(d.join("ipsec.pem"), ipsec.lines().map(|l| format!("  {l}\n")).collect::<String>()).unwrap();
    let path = d.to_string_lossy().into_owned();
    let (doc, code) = pair_json(&[&path]);
    assert_eq!(code, 0, "a warning is not a failed check");
    assert_eq!((doc.summary.pairs, doc.summary.matched, doc.summary.waiting_csrs), (2, 2, 1));
    assert_eq!(doc.summary.read_with_warning, 2);
    let warned: Vec<(&str, &str)> = doc
        .read_with_warning
        .iter()
        .map(|w| (std::path::Path::new(&w.path).file_name().unwrap().to_str().unwrap(), w.reason.as_str()))
        .collect();
    assert_eq!(warned[0].0, "bundle.pem");
    let at = format!("PEM block CERTIFICATE at line {}: certificate: truncated", tomcat.lines().count() + 1);
    assert!(warned[0].1.starts_with(&at), "{warned:?}");
    assert!(warned[0].1.contains("left out; the rest of the file was read"), "{warned:?}");
    assert_eq!(warned[1].0, "ipsec.pem");
    assert!(warned[1].1.contains("openssl does not read this block as it stands"), "{warned:?}");
    let out = ucert().args(["pair", "--at", AT, &path]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("read with a warning (2):"), "{text}");
    assert!(text.contains("2 files read with a warning"), "{text}");
    let out = ucert().args(["plan", "--at", AT, &path]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Read with a warning: 2 files ('ucert pair' lists them)"), "{text}");
}

#[test]
fn copies_of_a_csr_or_certificate_are_counted_once_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    for (from, to) in [
        ("cucm/tomcat.csr", "a.csr"),
        ("cucm/tomcat.csr", "b.csr"),
        ("cucm/tomcat.pem", "c.cer"),
        ("cucm/tomcat.pem", "d.cer"),
    ] {
        std::fs::copy(fixture_abs(from), dir.path().join(to)).unwrap();
    }
    let out = ucert().args(["pair", "--json", "--at", AT, &dir.path().to_string_lossy()]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["pairs"], 1);
    let copies: Vec<&str> = doc["copies"].as_array().unwrap().iter().map(|c| c["path"].as_str().unwrap()).collect();
    assert_eq!(copies.len(), 2);
    assert!(copies.iter().any(|p| p.ends_with("b.csr")) && copies.iter().any(|p| p.ends_with("d.cer")));
}

/// Copies of two CSRs, one after another: each copy is listed with the first file of its own CSR, in the order of
/// the CSRs, then of the copies.
#[test]
fn copies_of_several_csrs_go_to_their_own_first_file() {
    let dir = tempfile::tempdir().unwrap();
    for (from, to) in [
        ("cucm/tomcat.csr", "a.csr"),
        ("cucm/CallManager.csr", "b.csr"),
        ("cucm/tomcat.csr", "c.csr"),
        ("cucm/CallManager.csr", "d.csr"),
        ("cucm/tomcat.csr", "e.csr"),
    ] {
        std::fs::copy(fixture_abs(from), dir.path().join(to)).unwrap();
    }
    let out =
        ucert().args(["pair", "-v", "--at", AT, &dir.path().to_string_lossy()]).env("COLUMNS", "400").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let listed: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| l.split_once(" (the same CSR as "))
        .map(|(copy, first)| {
            let name = |p: &str| p.trim().trim_end_matches(')').rsplit(['/', '\\']).next().unwrap().to_string();
            (name(copy), name(first))
        })
        .collect();
    let pairs = |v: &[(&str, &str)]| v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
    assert_eq!(listed, pairs(&[("c.csr", "a.csr"), ("e.csr", "a.csr"), ("d.csr", "b.csr")]), "{text}");
    assert!(text.contains("2 CSRs waiting for a certificate"), "{text}");
}

#[test]
fn a_path_that_does_not_exist_is_exit_2() {
    let out = ucert().args(["pair", "no/such/dir"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "ucert: no/such/dir: no such file or directory\n");
}

#[test]
fn a_reader_that_leaves_early_ends_the_run_quietly() {
    // `ucert pair dir | head -1`: enough rows to fill the pipe, then the reader goes away.
    let dir = tempfile::tempdir().unwrap();
    for i in 0..700 {
        std::fs::copy(fixture_abs("cucm/tomcat.pem"), dir.path().join(format!("copy-{i:04}-with-a-longer-name.cer")))
            .unwrap();
    }
    std::fs::copy(fixture_abs("cucm/tomcat.csr"), dir.path().join("tomcat.csr")).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ucert"))
        .args(["pair", "--at", AT, &dir.path().to_string_lossy()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    // (a table, or blocks where the temporary folder's paths are too long for one)
    assert!(first.starts_with("STATUS") || first.starts_with("match"), "{first}");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "a closed pipe is not an error");
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A certificate with a CSR's key is that CSR's, whatever its basic constraints (CAPF's is CA:TRUE); a CA
/// certificate is one because it issued another certificate at hand: an intermediate without CA:TRUE is used as
/// the issuer, not listed as a certificate without a CSR.
#[test]
fn ca_true_leaves_are_paired_and_issuers_without_ca_true_are_cas() {
    let copy = |dir: &std::path::Path, files: &[&str]| {
        for f in files {
            let from = common::fixture_abs(f);
            std::fs::copy(&from, dir.join(from.file_name().unwrap())).unwrap();
        }
    };
    let capf = tempfile::tempdir().unwrap();
    copy(capf.path(), &["cucm/CAPF.csr", "cucm/CAPF.pem", "ca/root-ca.pem", "ca/issuing-ca.pem"]);
    let out = ucert().args(["pair", "--at", AT, capf.path().to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("MATCH as CAPF") && text.contains("1 pair (1 match, 0 mismatch), 2 CA certificates"),
        "{text}"
    );
    let no_bc = tempfile::tempdir().unwrap();
    copy(no_bc.path(), &["cucm/ipsec.csr", "chain/no-bc-leaf.pem", "chain/no-bc-ca.pem", "ca/root-ca.pem"]);
    let out = ucert().args(["pair", "--at", AT, no_bc.path().to_str().unwrap()]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("1 pair (1 match, 0 mismatch), 2 CA certificates"), "{text}");
    assert!(!text.contains("without a CSR"), "{text}");
}

/// At 120 columns the table shows every file name whole (paths lose their beginning, never their name) and each
/// node's CN; at 60 it gives one block per row; at no width is a line longer than the width or a word split.
#[test]
fn the_table_fits_60_80_and_120_columns_and_keeps_every_file_name() {
    let names: Vec<String> = walk_names(&fixture_abs("cluster"));
    let wide = ucert().args(["pair", "--at", AT, &fixture("cluster")]).output().unwrap();
    let wide = common::slashes(&String::from_utf8(wide.stdout).unwrap());
    for width in [60, 80, 120] {
        let out = common::ucert_at_width(width).args(["pair", "--at", AT, &fixture("cluster")]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let text = common::slashes(&String::from_utf8(out.stdout).unwrap());
        // (the blocks at narrow widths name their lines)
        common::assert_fits(&text, width, &wide, &["CSR", "certificate", "key", "verdict", "private"]);
        if width == 120 {
            assert!(text.starts_with("STATUS    NODE"), "a table at 120: {text}");
            for name in names.iter().filter(|n| n.ends_with(".csr") || n.ends_with(".cer") || n.ends_with(".key")) {
                assert!(text.contains(name.as_str()), "{name} shown whole at 120 columns:\n{text}");
            }
            assert!(text.contains("cucm-pub.example.com"), "the node's CN: {text}");
        }
        if width == 60 {
            assert!(
                text.contains("\n  CSR          fixtures/cluster/cucm-pub/CallManager.csr\n"),
                "blocks at 60: {text}"
            );
        }
    }
}

/// Every file name under `dir`.
fn walk_names(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk_names(&path));
        } else {
            out.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    out
}

/// `--purpose` gives every CSR its purpose, whatever its file name says.
#[test]
fn purpose_applies_to_every_csr() {
    let (doc, _) = pair_json(&[&fixture("cluster/cucm-pub"), &fixture("cluster/from-ca"), "--purpose", "callmanager"]);
    assert!(!doc.pairs.is_empty());
    assert!(doc.pairs.iter().all(|p| p.purpose.as_deref() == Some("CallManager")), "{:?}", doc.pairs);
}
