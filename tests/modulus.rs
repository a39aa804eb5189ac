//! `ucert modulus` is byte-identical to `openssl x509|req|rsa -noout -modulus -in F | openssl md5`.

mod common;

use common::{fixture, fixture_abs, ucert};

/// openssl's modulus pipeline, run for real: the hex MD5 of `openssl <tool> -noout -modulus -in <file>`.
fn openssl_modulus_md5(tool: &str, file: &str) -> String {
    let mut args = vec![tool, "-noout", "-modulus", "-in", file];
    if file.contains("public") {
        args.push("-pubin");
    }
    if file.ends_with(".der") {
        args.extend(["-inform", "DER"]);
    }
    let modulus = common::run_tool("openssl", &args);
    common::openssl_md5_hex(&modulus)
}

fn ucert_modulus(file: &str) -> String {
    let out = ucert().args(["modulus", file]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(text, format!("{}  {file}\n", &text[..32]), "md5sum-style line");
    text[..32].to_string()
}

#[test]
fn modulus_equals_openssl_on_every_rsa_fixture() {
    if !common::has_openssl("modulus_equals_openssl_on_every_rsa_fixture") {
        return;
    }
    let mut table: Vec<(String, &str)> = Vec::new();
    for purpose in ["tomcat", "CallManager", "ipsec", "CAPF", "TVS", "tomcat-ms"] {
        table.push((format!("cucm/{purpose}.csr"), "req"));
        table.push((format!("cucm/{purpose}.pem"), "x509"));
        table.push((format!("cucm/{purpose}.key"), "rsa"));
    }
    for (file, tool) in [
        ("ca/root-ca.pem", "x509"),
        ("ca/issuing-ca.pem", "x509"),
        ("ca/root-ca.key", "rsa"),
        ("forms/certnew.cer", "x509"),
        ("forms/certnew-der.cer", "x509"),
        ("forms/bom.pem", "x509"),
        ("forms/x509-label.pem", "x509"),
        ("forms/trusted.pem", "x509"),
        ("forms/new-label.csr", "req"),
        ("forms/tomcat-csr.der", "req"),
        ("forms/tomcat-crlf.csr", "req"),
        ("forms/tomcat-pkcs1.key", "rsa"),
        ("forms/tomcat-pkcs1.der", "rsa"),
        ("forms/tomcat-pkcs8.key", "rsa"),
        ("forms/tomcat-pkcs8.der", "rsa"),
        ("forms/tomcat-public.pem", "rsa"),
    ] {
        table.push((file.to_string(), tool));
    }
    for (rel, tool) in &table {
        let ours = ucert_modulus(&fixture(rel));
        let theirs = openssl_modulus_md5(tool, &fixture_abs(rel).to_string_lossy());
        assert_eq!(ours, theirs, "{rel}");
    }
}

#[test]
fn csr_and_its_certificate_have_the_same_modulus_line() {
    let out =
        ucert().args(["modulus", &fixture("cucm/tomcat.csr"), &fixture("forms/certnew-der.cer")]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let hashes: Vec<&str> = text.lines().map(|l| &l[..32]).collect();
    assert_eq!(hashes.len(), 2);
    assert_eq!(hashes[0], hashes[1]);
}

#[test]
fn objects_of_a_multi_object_file_are_numbered() {
    if !common::has_openssl("objects_of_a_multi_object_file_are_numbered") {
        return;
    }
    let path = fixture("forms/bundle.pem");
    let out = ucert().args(["modulus", &path]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let labels: Vec<&str> = text.lines().map(|l| &l[34..]).collect();
    assert_eq!(labels, [format!("{path}#1"), format!("{path}#2"), format!("{path}#3")]);
    assert_eq!(&text[..32], openssl_modulus_md5("x509", &fixture_abs("cucm/tomcat.pem").to_string_lossy()));
}

#[test]
fn an_ec_key_has_no_modulus_and_fails_with_exit_1() {
    let path = fixture("cucm/tomcat-ECDSA.csr");
    let out = ucert().args(["modulus", &fixture("cucm/tomcat.csr"), &path]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "only the RSA CSR gets a line on stdout");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with(&format!("ucert: {path}: no modulus: EC secp384r1")), "{stderr}");
    assert!(stderr.contains("pubkey_md5"));
}

#[test]
fn an_unreadable_file_is_exit_2_and_the_rest_still_print() {
    let out = ucert().args(["modulus", "no/such/file.csr", &fixture("cucm/tomcat.csr")]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 1);
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "ucert: no/such/file.csr: no such file or directory\n");
}

/// A DSA certificate: `openssl x509 -modulus` prints its public value, and ucert follows; for the DSA CSR,
/// where `openssl req` says "Wrong Algorithm type", ucert says there is no modulus (exit 1).
#[test]
fn a_dsa_certificate_has_openssls_modulus_and_its_csr_none() {
    if !common::has_openssl("a_dsa_certificate_has_openssls_modulus_and_its_csr_none") {
        return;
    }
    let cert = fixture("odd/dsa.pem");
    assert_eq!(ucert_modulus(&cert), openssl_modulus_md5("x509", &fixture_abs("odd/dsa.pem").to_string_lossy()));
    let out = ucert().args(["modulus", &fixture("odd/dsa.csr")]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no modulus: DSA"));
}
