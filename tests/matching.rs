#![allow(dead_code)] // fields are deserialised to check the JSON schema, not all are read
//! `ucert match CSR CERT` end to end: the verdict for each CUCM error, the documents' two cases, JSON fields,
//! exit codes, what each slot accepts, and snapshots of the human output.

mod common;

use common::{AT, fixture, ucert};
use serde::Deserialize;

#[derive(Deserialize, Debug)]
struct MatchJson {
    schema: u32,
    verdict: String,
    cucm_error: Option<String>,
    failed_check: Option<String>,
    purpose: Option<String>,
    purpose_source: String,
    at: String,
    checks: Vec<Check>,
    csr: Option<Csr>,
    key: Option<Key>,
    certificate: Certificate,
    ca_certificates: Vec<Ca>,
}

#[derive(Deserialize, Debug)]
struct Check {
    id: String,
    status: String,
    message: String,
    cucm_error: Option<String>,
    evidence: Vec<String>,
    cause: Option<String>,
    remedies: Vec<String>,
    details: Option<serde_json::Value>,
}

#[derive(Deserialize, Debug)]
struct Name {
    text: String,
    common_name: Option<String>,
}

#[derive(Deserialize, Debug)]
struct San {
    #[serde(rename = "type")]
    kind: String,
    value: String,
}

#[derive(Deserialize, Debug)]
struct PublicKey {
    algorithm: String,
    bits: Option<u32>,
    modulus_md5: Option<String>,
    pubkey_md5: String,
    spki_sha256: String,
}

#[derive(Deserialize, Debug)]
struct Csr {
    subject: Name,
    sans: Option<Vec<San>>,
    public_key: PublicKey,
}

#[derive(Deserialize, Debug)]
struct Key {
    format: String,
    private: bool,
    public_key: PublicKey,
}

#[derive(Deserialize, Debug)]
struct Fingerprints {
    md5: String,
    sha1: String,
    sha256: String,
}

#[derive(Deserialize, Debug)]
struct Certificate {
    subject: Name,
    issuer: Name,
    serial: String,
    not_before: Option<String>,
    not_after: Option<String>,
    sans: Option<Vec<San>>,
    public_key: PublicKey,
    fingerprints: Fingerprints,
}

#[derive(Deserialize, Debug)]
struct Ca {
    subject: Name,
    fingerprints: Fingerprints,
}

fn run_json(args: &[&str]) -> (MatchJson, i32) {
    let out = ucert().args(["match", "--json", "--at", AT]).args(args).output().unwrap();
    let code = out.status.code().unwrap();
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}\n{}", String::from_utf8_lossy(&out.stderr)));
    (doc, code)
}

fn check<'a>(doc: &'a MatchJson, id: &str) -> &'a Check {
    doc.checks.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no check {id}"))
}

fn human(args: &[&str]) -> (String, i32) {
    let out = ucert().args(["match", "--at", AT]).args(args).output().unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code().unwrap())
}

/// Human output with the hashes that change whenever `fixtures/make.sh` makes new keys replaced by `[md5]`.
fn snapshot_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
        let bounded = i == 0 || !chars[i - 1].is_alphanumeric();
        if run == 32 && bounded {
            out.push_str("[md5]");
            i += run;
        } else if run > 0 {
            out.extend(&chars[i..i + run]);
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn a_matching_pair_is_exit_0_with_every_check_in_contract_order() {
    let (doc, code) = run_json(&[&fixture("cucm/tomcat.csr"), &fixture("cucm/tomcat.pem")]);
    assert_eq!(code, 0);
    assert_eq!(doc.schema, 1);
    assert_eq!(doc.verdict, "match");
    assert_eq!(doc.cucm_error, None);
    assert_eq!(doc.failed_check, None);
    assert_eq!(doc.at, AT);
    let ids: Vec<&str> = doc.checks.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "public-key",
            "san",
            "subject",
            "validity",
            "wildcard",
            "key-usage",
            "critical-extension",
            "key-size",
            "hash-algorithm",
            "signature",
            "chain"
        ]
    );
    assert!(doc.checks.iter().all(|c| c.status == "pass" || (c.id == "chain" && c.status == "skip")));
    assert_eq!(doc.purpose.as_deref(), Some("tomcat"));
    assert_eq!(doc.purpose_source, "file-name");
    let csr = doc.csr.as_ref().unwrap();
    assert_eq!(csr.subject.common_name.as_deref(), Some("cucm-pub.example.com"));
    assert_eq!(csr.sans.as_ref().unwrap().len(), 2);
    assert_eq!(csr.public_key.modulus_md5, doc.certificate.public_key.modulus_md5);
    assert_eq!(doc.certificate.issuer.common_name.as_deref(), Some("Example Issuing CA"));
    assert_eq!(doc.certificate.fingerprints.sha256.len(), 95);
    assert!(doc.key.is_none());
}

#[test]
fn another_nodes_certificate_gives_the_public_key_message() {
    let (doc, code) = run_json(&[&fixture("cucm/tomcat.csr"), &fixture("match/cucm-sub-tomcat.pem")]);
    assert_eq!(code, 1);
    assert_eq!(doc.verdict, "mismatch");
    assert_eq!(doc.cucm_error.as_deref(), Some("CSR public key and Certificate public key do not match"));
    assert_eq!(doc.failed_check.as_deref(), Some("public-key"));
    let pk = check(&doc, "public-key");
    assert_eq!(pk.status, "fail");
    assert!(pk.cause.as_ref().unwrap().contains("another node"));
    assert!(pk.remedies[0].contains("upload this certificate on cucm-sub.example.com"));
    let details = pk.details.as_ref().unwrap();
    assert_ne!(details["csr"]["modulus_md5"], details["certificate"]["modulus_md5"]);
}

#[test]
fn a_certificate_for_a_regenerated_csr_says_so() {
    let (doc, code) = run_json(&[&fixture("cucm/tomcat.csr"), &fixture("match/earlier-tomcat.pem")]);
    assert_eq!(code, 1);
    assert!(check(&doc, "public-key").cause.as_ref().unwrap().contains("regenerated"));
}

#[test]
fn the_documents_san_case_ca_added_cn_and_ip() {
    let (doc, code) = run_json(&[&fixture("match/san-short.csr"), &fixture("match/san-added-cn-ip.pem")]);
    assert_eq!(code, 1);
    assert_eq!(doc.cucm_error.as_deref(), Some("CSR SAN and Certificate SAN does not match"));
    let san = check(&doc, "san");
    let details = san.details.as_ref().unwrap();
    assert_eq!(details["missing_in_certificate"], serde_json::json!([]));
    assert_eq!(
        details["extra_in_certificate"],
        serde_json::json!([{"type": "dns", "value": "cucm-pub.example.com"}, {"type": "ip", "value": "10.66.90.50"}])
    );
    assert_eq!(check(&doc, "public-key").status, "pass");
}

#[test]
fn the_documents_key_usage_case_matches_with_a_warning() {
    let (doc, code) = run_json(&[&fixture("cucm/tomcat.csr"), &fixture("match/tomcat-serverauth-only.pem")]);
    assert_eq!(code, 0, "KU/EKU gaps are warnings; the upload succeeds");
    assert_eq!(doc.verdict, "match");
    let ku = check(&doc, "key-usage");
    assert_eq!(ku.status, "warn");
    assert_eq!(ku.details.as_ref().unwrap()["missing_extended_key_usage"], serde_json::json!(["clientAuth"]));
    let (text, _) = human(&[&fixture("cucm/tomcat.csr"), &fixture("match/tomcat-serverauth-only.pem")]);
    assert!(text.starts_with("MATCH: CUCM will accept this certificate as tomcat (1 warning)"), "{text}");
}

#[test]
fn a_missing_issuer_gives_the_trust_store_message() {
    let (doc, code) =
        run_json(&["--ca", &fixture("ca/root-ca.pem"), &fixture("cucm/tomcat.csr"), &fixture("cucm/tomcat.pem")]);
    assert_eq!(code, 1);
    assert_eq!(doc.cucm_error.as_deref(), Some("CA Certificate not available in Trust-Store"));
    assert_eq!(doc.ca_certificates.len(), 1);
}

#[test]
fn each_failing_check_sets_the_verdict_and_exit_1() {
    for (csr, cert, failing) in [
        ("cucm/tomcat.csr", "match/tomcat-expired.pem", "validity"),
        ("cucm/tomcat.csr", "match/tomcat-not-yet-valid.pem", "validity"),
        ("match/wildcard.csr", "match/wildcard.pem", "wildcard"),
        ("match/big-key.csr", "match/big-key.pem", "key-size"),
        ("match/tomcat-corrupt.csr", "cucm/tomcat.pem", "signature"),
        ("cucm/tomcat.csr", "match/tomcat-no-san.pem", "san"),
        ("match/san-fqdn.csr", "match/san-domain-stripped.pem", "san"),
    ] {
        let (doc, code) = run_json(&[&fixture(csr), &fixture(cert)]);
        assert_eq!(code, 1, "{cert}");
        assert_eq!(doc.failed_check.as_deref(), Some(failing), "{cert}");
        assert_eq!(check(&doc, failing).status, "fail", "{cert}");
    }
}

#[test]
fn each_warning_keeps_the_match() {
    for (csr, cert, warning) in [
        ("match/small-key.csr", "match/small-key.pem", "key-size"),
        ("cucm/tomcat.csr", "match/tomcat-sha1.pem", "hash-algorithm"),
        ("cucm/tomcat.csr", "match/tomcat-critical-eku.pem", "critical-extension"),
        ("cucm/CAPF.csr", "match/CAPF-not-ca.pem", "key-usage"),
    ] {
        let (doc, code) = run_json(&[&fixture(csr), &fixture(cert)]);
        assert_eq!(code, 0, "{cert}");
        assert_eq!(check(&doc, warning).status, "warn", "{cert}");
    }
    let (doc, _) = run_json(&[&fixture("match/san-fqdn.csr"), &fixture("match/subject-rewritten.pem")]);
    assert_eq!(check(&doc, "subject").status, "warn");
}

#[test]
fn an_ecdsa_pair_matches_and_compares_pubkey_md5() {
    let (doc, code) = run_json(&[&fixture("cucm/tomcat-ECDSA.csr"), &fixture("cucm/tomcat-ECDSA.pem")]);
    assert_eq!(code, 0);
    assert_eq!(doc.purpose.as_deref(), Some("tomcat-ECDSA"));
    assert_eq!(doc.certificate.public_key.algorithm, "ec");
    let (text, _) = human(&["-v", &fixture("cucm/tomcat-ECDSA.csr"), &fixture("cucm/tomcat-ECDSA.pem")]);
    assert!(text.contains("pubkey MD5 (no modulus for this key type)"), "{text}");
    let (doc, code) = run_json(&[&fixture("cucm/tomcat-ECDSA.csr"), &fixture("cucm/tomcat.pem")]);
    assert_eq!(code, 1);
    assert!(check(&doc, "public-key").cause.as_ref().unwrap().contains("key types differ"));
}

#[test]
fn a_p7b_as_the_certificate_finds_the_leaf_and_checks_the_chain() {
    let (doc, code) = run_json(&[&fixture("cucm/tomcat.csr"), &fixture("forms/certnew.p7b")]);
    assert_eq!(code, 0);
    assert_eq!(doc.certificate.subject.common_name.as_deref(), Some("cucm-pub.example.com"));
    assert_eq!(doc.ca_certificates.len(), 2);
    assert_eq!(check(&doc, "chain").status, "pass");
}

#[test]
fn the_certificate_can_come_from_standard_input() {
    let out = ucert()
        .args(["match", "--at", AT, &fixture("cucm/tomcat.csr"), "-"])
        .pipe_stdin(fixture("forms/certnew.cer"))
        .unwrap()
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout).unwrap().starts_with("MATCH"));
}

#[test]
fn a_key_in_the_csr_slot_runs_only_key_checks() {
    let (doc, code) = run_json(&[&fixture("forms/tomcat-pkcs1.key"), &fixture("cucm/tomcat.pem")]);
    assert_eq!(code, 0);
    assert!(doc.csr.is_none());
    let key = doc.key.as_ref().unwrap();
    assert!(key.private);
    assert_eq!(key.format, "pkcs1");
    for id in ["san", "subject", "signature"] {
        assert_eq!(check(&doc, id).status, "skip", "{id}");
    }
    let (text, _) = human(&[&fixture("forms/tomcat-public.pem"), &fixture("match/cucm-sub-tomcat.pem")]);
    assert!(text.starts_with("MISMATCH: CUCM will say \"CSR public key and Certificate public key do not match\""));
    let (text, code) = human(&[&fixture("forms/tomcat-public.pem"), &fixture("cucm/tomcat.pem")]);
    assert_eq!(code, 0);
    assert!(text.starts_with("MATCH: the key belongs to this certificate"), "{text}");
}

#[test]
fn the_wrong_kind_in_a_slot_is_exit_2_and_says_what_was_found() {
    for (csr, cert, culprit, needle) in [
        ("cucm/tomcat.pem", "cucm/tomcat.pem", "cucm/tomcat.pem", "holds a certificate where the CSR goes"),
        (
            "forms/certnew.p7b",
            "cucm/tomcat.pem",
            "forms/certnew.p7b",
            "holds a PKCS#7 with 3 certificates where the CSR goes",
        ),
        (
            "cucm/tomcat.csr",
            "cucm/tomcat.key",
            "cucm/tomcat.key",
            "holds a private key (PKCS#8) where the certificate goes",
        ),
        (
            "cucm/tomcat.csr",
            "cucm/tomcat.csr",
            "cucm/tomcat.csr",
            "holds a certificate signing request where the certificate goes",
        ),
        ("refused/issuing.crl", "cucm/tomcat.pem", "refused/issuing.crl", "certificate revocation list"),
        ("cucm/tomcat.csr", "refused/issuing.crl", "refused/issuing.crl", "certificate revocation list"),
    ] {
        let out = ucert().args(["match", &fixture(csr), &fixture(cert)]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{csr} {cert}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with(&format!("ucert: {}: ", fixture(culprit))), "{err}");
        assert!(err.contains(needle), "{needle:?} not in {err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn usage_errors_are_exit_2() {
    let out = ucert().args(["match", "-", "-"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only one input can be standard input"));
    let out = ucert()
        .args(["match", "--purpose", "web", &fixture("cucm/tomcat.csr"), &fixture("cucm/tomcat.pem")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a certificate purpose"));
}

#[test]
fn purpose_flag_is_case_insensitive_and_beats_the_file_name() {
    let (doc, _) = run_json(&["--purpose", "CALLMANAGER", &fixture("cucm/tomcat.csr"), &fixture("cucm/tomcat.pem")]);
    assert_eq!(doc.purpose.as_deref(), Some("CallManager"));
    assert_eq!(doc.purpose_source, "flag");
    let (doc, _) = run_json(&[&fixture("match/san-short.csr"), &fixture("match/san-added-cn-ip.pem")]);
    assert_eq!(doc.purpose, None);
    assert_eq!(doc.purpose_source, "unknown");
}

#[test]
fn quiet_prints_nothing_and_keeps_the_exit_code() {
    let out = ucert()
        .args(["match", "-q", "--at", AT, &fixture("cucm/tomcat.csr"), &fixture("match/cucm-sub-tomcat.pem")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

/// What `match` prints through a pipe (fitted to its 100 columns), and its exit code, for a snapshot.
fn snapshot_of(args: &[&str]) -> String {
    let out = common::ucert_at_width(common::PIPE_WIDTH).args(["match", "--at", AT]).args(args).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    format!("exit {}\n{}", out.status.code().unwrap(), snapshot_text(&text))
}

#[test]
fn snapshot_match() {
    insta::assert_snapshot!(snapshot_of(&[&fixture("cucm/tomcat.csr"), &fixture("forms/certnew.p7b")]));
}

#[test]
fn snapshot_match_verbose() {
    insta::assert_snapshot!(snapshot_of(&["-v", &fixture("cucm/tomcat.csr"), &fixture("forms/certnew.p7b")]));
}

#[test]
fn snapshot_san_mismatch() {
    insta::assert_snapshot!(snapshot_of(&[&fixture("match/san-short.csr"), &fixture("match/san-added-cn-ip.pem")]));
}

#[test]
fn snapshot_other_node() {
    insta::assert_snapshot!(snapshot_of(&[&fixture("cucm/tomcat.csr"), &fixture("match/cucm-sub-tomcat.pem")]));
}

#[test]
fn snapshot_subject_and_key_usage_warnings() {
    let args = ["--purpose", "tomcat", &fixture("match/san-fqdn.csr"), &fixture("match/subject-rewritten.pem")];
    insta::assert_snapshot!(snapshot_of(&args));
}

#[test]
fn snapshot_subject_and_key_usage_warnings_verbose() {
    let args = ["-v", "--purpose", "tomcat", &fixture("match/san-fqdn.csr"), &fixture("match/subject-rewritten.pem")];
    insta::assert_snapshot!(snapshot_of(&args));
}

/// A `-ECDSA` purpose takes an EC key, the others an RSA key: a pair whose key type does not fit the purpose
/// (given, or read from a renamed file) fails, with the purpose that fits.
#[test]
fn a_key_type_that_does_not_fit_the_purpose_fails() {
    let rsa = (fixture("cucm/tomcat.csr"), fixture("forms/certnew.cer"));
    let out = ucert().args(["match", "--at", AT, &rsa.0, &rsa.1, "--purpose", "tomcat-ECDSA"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("the purpose tomcat-ECDSA takes an EC key; this certificate has RSA 2048 bits"), "{text}");
    assert!(text.contains("upload it as tomcat, the purpose its key type fits"), "{text}");
    let ec = (fixture("cucm/tomcat-ECDSA.csr"), fixture("cucm/tomcat-ECDSA.pem"));
    let out = ucert().args(["match", "--at", AT, &ec.0, &ec.1, "--purpose", "tomcat"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stdout).unwrap().contains("the purpose tomcat takes an RSA key"));
    // an RSA CSR renamed tomcat-ECDSA.csr
    let dir = tempfile::tempdir().unwrap();
    let renamed = dir.path().join("tomcat-ECDSA.csr");
    std::fs::copy(common::fixture_abs("cucm/tomcat.csr"), &renamed).unwrap();
    let out = ucert().args(["match", "--at", AT, renamed.to_str().unwrap(), &rsa.1]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("purpose tomcat-ECDSA (from the file name tomcat-ECDSA.csr)"), "{text}");
    assert!(text.contains("or the CSR file was renamed"), "{text}");
    // and the right purpose still matches
    let out = ucert().args(["match", "--at", AT, &ec.0, &ec.1]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
}

/// An expired certificate for the right CSR is REFUSED, not a MISMATCH, and its reason is said once; the CUCM
/// message and the reason always name the same check.
#[test]
fn an_expired_certificate_is_refused_with_its_reason_said_once() {
    let (text, code) = human(&[&fixture("cucm/tomcat.csr"), &fixture("match/tomcat-expired.pem")]);
    assert_eq!(code, 1);
    let first = text.lines().next().unwrap();
    assert!(first.starts_with("REFUSED: CUCM will refuse this certificate (validity): expired"), "{first}");
    assert!(!text.contains("because"), "said once: {text}");
    let (text, _) = human(&[&fixture("cucm/tomcat.csr"), &fixture("match/cucm-sub-tomcat.pem")]);
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("MISMATCH: CUCM will say \"CSR public key and Certificate public key do not match\"")
    );
    // the failure that heads the verdict comes first, right below it (said once: no "because" line)
    assert!(lines.next().unwrap().starts_with("  FAIL  public-key: the certificate carries a key other"), "{text}");
    let (verbose, _) = human(&["-v", &fixture("cucm/tomcat.csr"), &fixture("match/cucm-sub-tomcat.pem")]);
    assert!(verbose.lines().nth(1).unwrap().starts_with("  because public-key: "), "{verbose}");
    // another node's certificate: its subject differs because it is another CSR's, not because the CA rewrote it
    assert!(!text.contains("the CA wrote its own values"), "a cause must follow from the evidence: {text}");
}

/// A key in the first slot reads as a key ("this key"), and the failing evidence shows the modulus MD5 for RSA,
/// the figure the modulus block below and TAC compare.
#[test]
fn a_key_is_named_as_a_key_and_evidence_shows_the_modulus_md5() {
    let key = fixture("forms/tomcat-pkcs1.key");
    let (text, code) = human(&[&key, &fixture("forms/certnew.cer")]);
    assert_eq!(code, 0);
    assert!(text.contains("the certificate carries this key (RSA 2048 bits"), "{text}");
    let (text, code) = human(&["-v", &key, &fixture("match/cucm-sub-tomcat.pem")]);
    assert_eq!(code, 1);
    assert!(text.contains("the certificate carries a key other than this one"), "{text}");
    assert!(!text.contains("key's key") && !text.contains("than the key"), "{text}");
    let modulus = |s: &str| s.split("modulus MD5 ").nth(1).map(|r| r[..32].to_string());
    let evidence = text.lines().find(|l| l.trim_start().starts_with("certificate: RSA")).unwrap();
    let block = text.lines().find(|l| l.trim_start().starts_with("certificate  ")).unwrap();
    assert_eq!(modulus(evidence), block.split_whitespace().nth(1).map(str::to_string), "{text}");
}

/// IM and Presence's purposes: read from the file name like CUCM's, with their key type, their trust store and the
/// product that takes the upload in the verdict.
#[test]
fn im_and_presence_purposes_are_known_with_their_key_type() {
    for purpose in ["cup", "cup-xmpp", "cup-xmpp-ECDSA"] {
        let csr = fixture(&format!("imp/{purpose}.csr"));
        let cert = fixture(&format!("imp/{purpose}.pem"));
        let (doc, code) = run_json(&[&csr, &cert]);
        assert_eq!(code, 0, "{purpose}");
        assert_eq!(doc.purpose.as_deref(), Some(purpose));
        assert_eq!(doc.purpose_source, "file-name");
        let (text, _) = human(&[&csr, &cert]);
        assert!(
            text.starts_with(&format!("MATCH: IM and Presence will accept this certificate as {purpose}\n")),
            "{text}"
        );
    }
    // an RSA cup-xmpp pair said to be cup-xmpp-ECDSA: refused, with the twin that fits
    let (text, code) =
        human(&["--purpose", "cup-xmpp-ecdsa", &fixture("imp/cup-xmpp.csr"), &fixture("imp/cup-xmpp.pem")]);
    assert_eq!(code, 1);
    assert!(text.contains("the purpose cup-xmpp-ECDSA takes an EC key"), "{text}");
    assert!(text.contains("upload it as cup-xmpp, the purpose its key type fits"), "{text}");
    // a missing issuer names the IM and Presence trust store
    let (doc, code) = run_json(&[
        "--purpose",
        "cup-xmpp-s2s",
        "--ca",
        &fixture("ca/root-ca.pem"),
        &fixture("imp/cup-xmpp.csr"),
        &fixture("imp/cup-xmpp.pem"),
    ]);
    assert_eq!(code, 1);
    let chain = check(&doc, "chain");
    assert!(chain.remedies.iter().any(|r| r.contains("as cup-xmpp-trust before the certificate")), "{chain:?}");
}

/// At 60, 80 and 120 columns, no line of `match`'s report is longer than the width and no word is split; at 80
/// columns a failing report (two failures) fits a 24-line terminal with its verdict first.
#[test]
fn the_report_fits_60_80_and_120_columns() {
    let cases: [&[&str]; 3] = [
        &[&fixture("cucm/tomcat.csr"), &fixture("cucm/CallManager.pem")],
        &[&fixture("match/san-short.csr"), &fixture("match/san-added-cn-ip.pem")],
        &["-v", "--purpose", "tomcat", &fixture("match/san-fqdn.csr"), &fixture("match/subject-rewritten.pem")],
    ];
    for args in cases {
        let wide = ucert().args(["match", "--at", AT]).args(args).output().unwrap();
        let wide = String::from_utf8(wide.stdout).unwrap();
        for width in [60, 80, 120] {
            let out = common::ucert_at_width(width).args(["match", "--at", AT]).args(args).output().unwrap();
            let text = String::from_utf8(out.stdout).unwrap();
            common::assert_fits(&text, width, &wide, &[]);
            assert!(text.starts_with("MATCH") || text.starts_with("MISMATCH") || text.starts_with("REFUSED"));
            if width == 80 && !args.contains(&"-v") {
                assert!(text.lines().count() <= 23, "{} lines at 80 columns:\n{text}", text.lines().count());
            }
        }
    }
}
