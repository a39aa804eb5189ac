//! ucert on files that real CAs, tools and people produced (`../shared/real-world/`, listed with their sources in
//! its README): nothing openssl reads is refused, `modulus` equals openssl's for every RSA certificate and CSR,
//! every known CSR -> certificate pair carries the same key, every PKCS#7 yields the certificates openssl counts,
//! and every log is read as its kind (the Apache/wsgi log, which is none of them, refused in one line). Skipped,
//! with a message, where that folder is absent (a user's clone has none) or openssl is not installed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::ucert;
use serde_json::Value;

fn folder() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-world");
    if !dir.is_dir() {
        eprintln!("skipped: ../shared/real-world is absent (it is beside the repository in CI, not in a user's clone)");
        return None;
    }
    if Command::new("openssl").arg("version").output().is_err() {
        eprintln!("skipped: openssl is not installed");
        return None;
    }
    Some(dir)
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    out.retain(|p| p.file_name().is_some_and(|n| n != "README.md"));
    out.sort();
    out
}

fn is_log(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "log")
}

/// openssl's output for `args`, when it succeeds.
fn openssl(args: &[&str], file: &Path) -> Option<Vec<u8>> {
    let out = Command::new("openssl").args(args).arg("-in").arg(file).output().ok()?;
    out.status.success().then_some(out.stdout)
}

/// The certificates openssl finds in a PKCS#7 (PEM or DER), as PEM text, or None when it is not one.
fn openssl_pkcs7_certs(file: &Path) -> Option<Vec<String>> {
    let text = openssl(&["pkcs7", "-print_certs"], file)
        .or_else(|| openssl(&["pkcs7", "-inform", "DER", "-print_certs"], file))?;
    Some(cert_blocks(&String::from_utf8(text).ok()?))
}

fn cert_blocks(text: &str) -> Vec<String> {
    text.split("-----BEGIN CERTIFICATE-----")
        .skip(1)
        .map(|rest| {
            format!("-----BEGIN CERTIFICATE-----{}", &rest[..rest.find("-----END CERTIFICATE-----").unwrap() + 25])
        })
        .collect()
}

/// What openssl reads in the file: ("x509" | "req" | "pkcs7", extra args).
fn openssl_kind(file: &Path) -> Option<(&'static str, Vec<&'static str>)> {
    for (tool, extra) in
        [("x509", vec![]), ("x509", vec!["-inform", "DER"]), ("req", vec![]), ("req", vec!["-inform", "DER"])]
    {
        let mut args = vec![tool, "-noout"];
        args.extend(&extra);
        if openssl(&args, file).is_some() {
            return Some((tool, extra));
        }
    }
    openssl_pkcs7_certs(file).map(|_| ("pkcs7", vec![]))
}

/// `Modulus=<hex>`, not openssl's "No modulus for this public key type" or "Wrong Algorithm type".
fn has_modulus(line: &[u8]) -> bool {
    line.strip_prefix(b"Modulus=")
        .is_some_and(|rest| rest.iter().take_while(|b| **b != b'\n').all(u8::is_ascii_hexdigit))
}

/// How many certificates `ucert chain` places (in the plan or beside it).
fn chain_count(file: &Path) -> usize {
    let out = ucert().args(["chain", "--json", "--at", "2026-06-01"]).arg(file).output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["plan"].as_array().unwrap().len() + doc["not_in_plan"].as_array().unwrap().len()
}

fn md5_hex(data: &[u8]) -> String {
    common::openssl_md5_hex(data)
}

#[test]
fn nothing_openssl_reads_is_refused() {
    let Some(dir) = folder() else { return };
    let mut checked = 0;
    for file in files(&dir).iter().filter(|f| !is_log(f)) {
        if openssl_kind(file).is_none() {
            continue;
        }
        checked += 1;
        let out = ucert().args(["inspect", "--at", "2026-06-01"]).arg(file).output().unwrap();
        // 1 is an expired certificate (or one inside --critical-days): read, judged; 2 would be a refusal
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stderr.is_empty(), "{}: {}", file.display(), String::from_utf8_lossy(&out.stderr));
    }
    assert!(checked >= 25, "only {checked} files");
    // and what openssl cannot read but a CUCM admin meets: AD CS's armoured chain, a bare base64 CSR
    for name in ["adcs-pkanand73-certnew.p7b", "adcs-rabindraku-RequestInfo.txt"] {
        let out = ucert().args(["inspect", "--at", "2026-06-01"]).arg(dir.join(name)).output().unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn modulus_equals_openssls_for_every_rsa_certificate_and_csr() {
    let Some(dir) = folder() else { return };
    let mut compared = 0;
    for file in files(&dir).iter().filter(|f| !is_log(f)) {
        let Some((tool, extra)) = openssl_kind(file) else { continue };
        let out = ucert().arg("modulus").arg(file).output().unwrap();
        let ours: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().map(|l| l[..32].to_string()).collect();
        // a PEM bundle: openssl's x509 reads the first block only, so each block is given to it alone
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let bundle = tool == "x509" && extra.is_empty() && text.matches("-----BEGIN CERTIFICATE-----").count() > 1;
        let blocks = if tool == "pkcs7" {
            openssl_pkcs7_certs(file)
        } else if bundle {
            Some(cert_blocks(&text))
        } else {
            None
        };
        let theirs: Vec<String> = if let Some(blocks) = blocks {
            blocks
                .iter()
                .filter_map(|pem| {
                    let tmp = tempfile::NamedTempFile::new().unwrap();
                    std::fs::write(tmp.path(), pem).unwrap();
                    let m = openssl(&["x509", "-noout", "-modulus"], tmp.path())?;
                    has_modulus(&m).then(|| md5_hex(&m))
                })
                .collect()
        } else {
            let mut args = vec![tool, "-noout", "-modulus"];
            args.extend(&extra);
            match openssl(&args, file) {
                Some(m) if has_modulus(&m) => vec![md5_hex(&m)],
                _ => vec![],
            }
        };
        if theirs.is_empty() {
            continue; // EC keys: openssl has no modulus either
        }
        assert_eq!(ours, theirs, "{}", file.display());
        compared += theirs.len();
    }
    assert!(compared >= 20, "only {compared} moduli compared");
}

fn match_json(csr: &Path, cert: &Path) -> Value {
    let out = ucert().args(["match", "--json", "--at", "2026-06-01"]).arg(csr).arg(cert).output().unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}: {}", cert.display(), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn every_known_pair_carries_the_same_key() {
    let Some(dir) = folder() else { return };
    // the pairs of the folder's README, confirmed there with openssl's -pubkey
    let pairs = [
        ("adcs-rabindraku-RequestInfo.txt", "adcs-rabindraku-certnew.p7b"),
        ("adcs-yibarek-newcsr.csr", "adcs-yibarek-certnew.cer"),
        ("cfssl-leaf-rsa2048.csr", "cfssl-leaf-rsa2048.pem"),
        ("cfssl-leaf-ecdsa256.csr", "cfssl-leaf-ecdsa256.pem"),
        ("cfssl-inter-L1.csr", "cfssl-inter-L1.pem"),
        ("cfssl-inter-L1.csr", "cfssl-inter-L1-expired.pem"),
        ("certbot-csr-6sans_512.pem", "certbot-cert-5sans_512.pem"),
        ("acme-csr-100sans.pem", "acme-cert-100sans.pem"),
    ];
    // cfssl replaced the CSR's SANs: with the CSR's key in the certificate, the cause says so (not "another CSR")
    let doc = match_json(&dir.join("cfssl-leaf-rsa2048.csr"), &dir.join("cfssl-leaf-rsa2048.pem"));
    let san = doc["checks"].as_array().unwrap().iter().find(|c| c["id"] == "san").unwrap().clone();
    assert!(san["cause"].as_str().unwrap().contains("the CA replaced the SANs"), "{san}");
    for (csr, cert) in pairs {
        let doc = match_json(&dir.join(csr), &dir.join(cert));
        let checks = doc["checks"].as_array().unwrap();
        let key = checks.iter().find(|c| c["id"] == "public-key").unwrap();
        assert_eq!(key["status"], "pass", "{csr} -> {cert}: {key}");
        // the headline's CUCM message is that of the check named as the reason (one ranking decides both)
        if let Some(failed) = doc["failed_check"].as_str() {
            let check = checks.iter().find(|c| c["id"] == failed).unwrap();
            assert_eq!(check["status"], "fail", "{csr} -> {cert}");
            assert_eq!(doc["cucm_error"], check["cucm_error"], "{csr} -> {cert}: headline and reason agree");
        }
    }
}

#[test]
fn every_pkcs7_yields_the_certificates_openssl_counts() {
    let Some(dir) = folder() else { return };
    let mut seen = 0;
    for file in files(&dir).iter().filter(|f| !is_log(f)) {
        let Some(certs) = openssl_pkcs7_certs(file) else { continue };
        seen += 1;
        assert_eq!(chain_count(file), certs.len(), "{}", file.display());
    }
    assert!(seen >= 4, "only {seen} PKCS#7 files");
    // AD CS's armoured chain, which openssl does not read as PKCS#7: two certificates
    assert_eq!(chain_count(&dir.join("adcs-pkanand73-certnew.p7b")), 2);
}

#[test]
fn every_log_is_read_as_its_kind_and_the_wsgi_log_refused() {
    let Some(dir) = folder() else { return };
    let kinds = [
        ("iis-sscep144-comment.log", "iis"),
        ("libest-issue133-estserver.log", "cisco-ra"),
        ("nginx-openssl24143-crit.log", "nginx"),
    ];
    for (name, kind) in kinds {
        let out = ucert().args(["logs", "--json"]).arg(dir.join(name)).output().unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["files"][0]["kind"], kind, "{name}");
    }
    let out = ucert().arg("logs").arg(dir.join("a2c-issue37-wsgi.log")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "only the error: {}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
}

/// `plan` over the whole folder (CSRs and certificates of unrelated CAs and tools, all taken as tomcat): every CSR
/// ends in a step, either an upload or a blocker that names it or its certificate, and nothing crashes.
#[test]
fn plan_accounts_for_every_csr_of_the_folder() {
    let Some(dir) = folder() else { return };
    let out = ucert().args(["plan", "--purpose", "tomcat", "--at", "2026-06-01", "--json"]).arg(&dir).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "real files from unrelated CAs block: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps: Vec<&Value> =
        doc["windows"].as_array().unwrap().iter().flat_map(|w| w["steps"].as_array().unwrap()).collect();
    for csr in ["adcs-yibarek-newcsr.csr", "cfssl-leaf-rsa2048.csr", "cucm-netssl-cucm01-pub.csr", "a2c-csr.der"] {
        let named = |s: &&Value| ["file", "text"].iter().any(|k| s[k].as_str().is_some_and(|t| t.contains(csr)));
        assert!(steps.iter().any(named), "{csr} is in no step: {doc}");
    }
    // the CSR whose certificate is a p7b holding the chain: planned or blocked, the certificate is found
    assert!(steps.iter().any(|s| s["text"].as_str().is_some_and(|t| t.contains("adcs-rabindraku-certnew.p7b"))));
}
