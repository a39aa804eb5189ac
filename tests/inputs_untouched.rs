//! Inputs are never written: every subcommand is run on copies of the fixtures, and each input's bytes, size and
//! modification time are the same afterwards. (Only `--split` and `--save` write, into new files: tested with
//! their commands.)

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{fixture_abs, ucert};

/// Every file under `dir`: its SHA-256 (computed by openssl, not by the code under test) and mtime.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime, u64)> {
    let mut out = BTreeMap::new();
    for entry in walk(dir) {
        let meta = std::fs::metadata(&entry).unwrap();
        let digest = common::run_tool("openssl", &["dgst", "-sha256", "-r", &entry.to_string_lossy()]);
        out.insert(entry, (digest, meta.modified().unwrap(), meta.len()));
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            files.extend(walk(&p));
        } else {
            files.push(p);
        }
    }
    files
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let p = entry.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_tree(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

#[test]
fn no_subcommand_writes_to_its_inputs() {
    if !common::has_openssl("no_subcommand_writes_to_its_inputs") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for sub in ["cucm", "forms", "match", "chain", "trust", "logs", "refused", "cluster", "ca"] {
        copy_tree(&fixture_abs(sub), &root.join(sub));
    }
    let before = snapshot(root);
    let p = |rel: &str| root.join(rel).to_string_lossy().into_owned();
    let runs: Vec<Vec<String>> = vec![
        vec![
            "inspect".into(),
            p("forms/certnew.p7b"),
            p("forms/bom.pem"),
            p("forms/tomcat-pkcs1.key"),
            p("refused/tomcat.p12"),
        ],
        vec!["modulus".into(), p("cucm/tomcat.csr"), p("forms/bundle.pem")],
        vec!["match".into(), p("cucm/tomcat.csr"), p("forms/certnew.cer"), "--ca".into(), p("ca/root-ca.pem")],
        vec!["match".into(), "--json".into(), p("match/san-short.csr"), p("match/san-added-cn-ip.pem")],
        vec!["chain".into(), p("chain/cross-signed.pem"), p("forms/certnew.p7b")],
        vec!["trust".into(), p("ca/root-ca.pem"), p("trust/root-older.pem")],
        vec!["pair".into(), p("cluster")],
        vec!["logs".into(), p("logs/nginx-success.log.gz"), p("logs/capf-success.txt")],
    ];
    for args in &runs {
        let out = ucert().args(args).arg("--color=always").args(["--timeout", "1"]).output().unwrap();
        assert!(out.status.code().is_some_and(|c| c <= 2), "{args:?}");
    }
    let after = snapshot(root);
    assert_eq!(before.len(), after.len(), "no file appeared or vanished among the inputs");
    for (path, state) in &before {
        assert_eq!(after.get(path), Some(state), "{} changed", path.display());
    }
}
