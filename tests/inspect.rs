#![allow(dead_code)] // fields are deserialised to check the JSON schema, not all are read
//! `ucert inspect` end to end: every form a CA hands back decodes to the same object; JSON fields; what is
//! refused and why.

mod common;

use common::{AT, fixture, ucert};
use serde::Deserialize;

#[derive(Deserialize)]
struct Report {
    schema: u32,
    at: String,
    files: Vec<File>,
}

#[derive(Deserialize)]
struct File {
    path: String,
    error: Option<String>,
    objects: Vec<Object>,
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[allow(clippy::large_enum_variant)]
enum Object {
    Certificate { source: Source, certificate: Certificate },
    Csr { source: Source, csr: Csr },
    Pkcs7 { source: Source, certificates: Vec<Certificate> },
    PrivateKey { source: Source, format: String, public_key: PublicKey },
    PublicKey { source: Source, format: String, public_key: PublicKey },
}

#[derive(Deserialize)]
struct Source {
    form: String,
    pem_label: Option<String>,
    line: Option<usize>,
}

#[derive(Deserialize)]
struct Name {
    text: String,
    common_name: Option<String>,
    attributes: Vec<Attribute>,
}

#[derive(Deserialize)]
struct Attribute {
    name: String,
    oid: String,
    value: String,
}

#[derive(Deserialize)]
struct San {
    #[serde(rename = "type")]
    kind: String,
    value: String,
}

#[derive(Deserialize)]
struct PublicKey {
    algorithm: String,
    bits: Option<u32>,
    exponent: Option<u64>,
    curve: Option<String>,
    modulus_md5: Option<String>,
    pubkey_md5: String,
    spki_sha256: String,
}

#[derive(Deserialize)]
struct Fingerprints {
    md5: String,
    sha1: String,
    sha256: String,
}

#[derive(Deserialize)]
struct Validity {
    status: String,
    days_left: Option<i64>,
}

#[derive(Deserialize)]
struct KeyUsage {
    critical: bool,
    usages: Vec<String>,
}

#[derive(Deserialize)]
struct Eku {
    purposes: Vec<String>,
}

#[derive(Deserialize)]
struct BasicConstraints {
    ca: bool,
    path_len: Option<u32>,
}

#[derive(Deserialize)]
struct SignatureAlgorithm {
    name: String,
    hash: Option<String>,
}

#[derive(Deserialize)]
struct Certificate {
    subject: Name,
    issuer: Name,
    serial: String,
    not_before: String,
    not_after: String,
    validity: Validity,
    sans: Option<Vec<San>>,
    public_key: PublicKey,
    signature_algorithm: SignatureAlgorithm,
    key_usage: Option<KeyUsage>,
    extended_key_usage: Option<Eku>,
    basic_constraints: Option<BasicConstraints>,
    subject_key_id: Option<String>,
    authority_key_id: Option<String>,
    self_signed: bool,
    fingerprints: Fingerprints,
    warnings: Vec<String>,
}

#[derive(Deserialize)]
struct Signature {
    status: String,
}

#[derive(Deserialize)]
struct CsrAttribute {
    name: String,
    value: Option<String>,
}

#[derive(Deserialize)]
struct Csr {
    subject: Name,
    sans: Option<Vec<San>>,
    public_key: PublicKey,
    signature: Signature,
    key_usage: Option<KeyUsage>,
    extended_key_usage: Option<Eku>,
    basic_constraints: Option<BasicConstraints>,
    attributes: Vec<CsrAttribute>,
    fingerprints: Fingerprints,
}

fn inspect_json(files: &[&str]) -> Report {
    let mut cmd = ucert();
    cmd.args(["inspect", "--json", "--at", AT]).args(files);
    let out = cmd.output().unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{files:?}: {e}: {}", String::from_utf8_lossy(&out.stderr)))
}

fn only_object(files: &[&str]) -> Object {
    let mut report = inspect_json(files);
    assert_eq!(report.files.len(), 1);
    let file = report.files.remove(0);
    assert!(file.error.is_none(), "{}: {:?}", file.path, file.error);
    assert_eq!(file.objects.len(), 1, "{}", file.path);
    file.objects.into_iter().next().unwrap()
}

fn cert_sha256(obj: &Object) -> String {
    match obj {
        Object::Certificate { certificate, .. } => certificate.fingerprints.sha256.clone(),
        Object::Pkcs7 { certificates, .. } => certificates[0].fingerprints.sha256.clone(),
        _ => panic!("not a certificate"),
    }
}

#[test]
fn every_certificate_form_decodes_to_the_same_certificate() {
    let reference = cert_sha256(&only_object(&[&fixture("cucm/tomcat.pem")]));
    for form in [
        "forms/certnew.cer",
        "forms/certnew-der.cer",
        "forms/certnew.p7b",
        "forms/certnew-pem.p7b",
        "forms/certnew-adcs-base64.p7b",
        "forms/pasted.txt",
        "forms/text-above.pem",
        "forms/bom.pem",
        "forms/bare-base64.txt",
        "forms/cr-only.pem",
        "forms/x509-label.pem",
        "forms/trusted.pem",
    ] {
        assert_eq!(cert_sha256(&only_object(&[&fixture(form)])), reference, "{form}");
    }
}

#[test]
fn every_csr_form_decodes_to_the_same_csr() {
    let fp = |obj: Object| match obj {
        Object::Csr { csr, .. } => csr.fingerprints.sha256,
        _ => panic!("not a CSR"),
    };
    let reference = fp(only_object(&[&fixture("cucm/tomcat.csr")]));
    for form in ["forms/new-label.csr", "forms/tomcat-csr.der", "forms/tomcat-crlf.csr"] {
        assert_eq!(fp(only_object(&[&fixture(form)])), reference, "{form}");
    }
}

#[test]
fn every_key_form_yields_the_certificates_public_key() {
    let cert_spki = match only_object(&[&fixture("cucm/tomcat.pem")]) {
        Object::Certificate { certificate, .. } => certificate.public_key.spki_sha256,
        _ => unreachable!(),
    };
    for (form, expected_format, private) in [
        ("cucm/tomcat.key", "pkcs8", true),
        ("forms/tomcat-pkcs8.key", "pkcs8", true),
        ("forms/tomcat-pkcs8.der", "pkcs8", true),
        ("forms/tomcat-pkcs1.key", "pkcs1", true),
        ("forms/tomcat-pkcs1.der", "pkcs1", true),
        ("forms/tomcat-public.pem", "spki", false),
        ("forms/tomcat-public.der", "spki", false),
        ("forms/tomcat-rsapublic.pem", "pkcs1", false),
    ] {
        match only_object(&[&fixture(form)]) {
            Object::PrivateKey { format, public_key, .. } if private => {
                assert_eq!(format, expected_format, "{form}");
                assert_eq!(public_key.spki_sha256, cert_spki, "{form}");
            }
            Object::PublicKey { format, public_key, .. } if !private => {
                assert_eq!(format, expected_format, "{form}");
                assert_eq!(public_key.spki_sha256, cert_spki, "{form}");
            }
            _ => panic!("{form}: wrong kind"),
        }
    }
}

#[test]
fn ec_keys_in_sec1_and_pkcs8_match_the_ecdsa_certificate() {
    let cert_key = match only_object(&[&fixture("cucm/tomcat-ECDSA.pem")]) {
        Object::Certificate { certificate, .. } => certificate.public_key,
        _ => unreachable!(),
    };
    assert_eq!(cert_key.algorithm, "ec");
    assert_eq!(cert_key.curve.as_deref(), Some("secp384r1"));
    assert_eq!(cert_key.bits, Some(384));
    assert!(cert_key.modulus_md5.is_none());
    for form in ["forms/ecdsa-sec1.key", "forms/ecdsa-sec1.der", "forms/ecdsa-pkcs8.key", "cucm/tomcat-ECDSA.key"] {
        match only_object(&[&fixture(form)]) {
            Object::PrivateKey { public_key, .. } => assert_eq!(public_key.spki_sha256, cert_key.spki_sha256, "{form}"),
            _ => panic!("{form}: not a private key"),
        }
    }
}

#[test]
fn certificate_json_carries_the_contract_fields() {
    let report = inspect_json(&[&fixture("cucm/tomcat.pem")]);
    assert_eq!(report.schema, 1);
    assert_eq!(report.at, AT);
    let Object::Certificate { source, certificate: c } = &report.files[0].objects[0] else {
        panic!("not a certificate")
    };
    assert_eq!(source.form, "pem");
    assert_eq!(source.pem_label.as_deref(), Some("CERTIFICATE"));
    assert_eq!(source.line, Some(1));
    assert_eq!(c.subject.common_name.as_deref(), Some("cucm-pub.example.com"));
    assert_eq!(c.subject.text, "C = AU, ST = NSW, L = Sydney, O = Example, OU = UC, CN = cucm-pub.example.com");
    assert_eq!(c.subject.attributes[0].name, "C");
    assert_eq!(c.subject.attributes[0].oid, "2.5.4.6");
    assert_eq!(c.subject.attributes[0].value, "AU");
    assert_eq!(c.issuer.common_name.as_deref(), Some("Example Issuing CA"));
    assert!(c.serial.contains(':') || c.serial.len() == 2);
    assert_eq!(c.not_before, "2026-01-01T00:00:00Z");
    assert_eq!(c.not_after, "2028-01-01T00:00:00Z");
    assert_eq!(c.validity.status, "valid");
    assert_eq!(c.validity.days_left, Some(579));
    let sans: Vec<(&str, &str)> =
        c.sans.as_ref().unwrap().iter().map(|s| (s.kind.as_str(), s.value.as_str())).collect();
    assert_eq!(sans, vec![("dns", "cucm-pub.example.com"), ("dns", "cucm-pub")]);
    assert_eq!(c.public_key.algorithm, "rsa");
    assert_eq!(c.public_key.bits, Some(2048));
    assert_eq!(c.public_key.exponent, Some(65537));
    assert_eq!(c.public_key.modulus_md5.as_ref().unwrap().len(), 32);
    assert_eq!(c.public_key.pubkey_md5.len(), 32);
    assert_eq!(c.public_key.spki_sha256.len(), 32 * 3 - 1);
    assert_eq!(c.signature_algorithm.name, "sha256WithRSAEncryption");
    assert_eq!(c.signature_algorithm.hash.as_deref(), Some("sha256"));
    let ku = c.key_usage.as_ref().unwrap();
    assert!(!ku.critical);
    assert_eq!(ku.usages, ["digitalSignature", "keyEncipherment", "dataEncipherment", "keyAgreement"]);
    assert_eq!(c.extended_key_usage.as_ref().unwrap().purposes, ["serverAuth", "clientAuth"]);
    assert!(c.basic_constraints.is_none());
    assert!(c.subject_key_id.is_some() && c.authority_key_id.is_some());
    assert!(!c.self_signed);
    assert_eq!(c.fingerprints.md5.len(), 16 * 3 - 1);
    assert_eq!(c.fingerprints.sha1.len(), 20 * 3 - 1);
    assert!(c.warnings.is_empty());
}

#[test]
fn fingerprints_equal_openssls() {
    if !common::has_openssl("fingerprints_equal_openssls") {
        return;
    }
    let path = fixture("cucm/tomcat.pem");
    let Object::Certificate { certificate: c, .. } = only_object(&[&path]) else { panic!() };
    for (alg, ours) in
        [("-sha1", &c.fingerprints.sha1), ("-sha256", &c.fingerprints.sha256), ("-md5", &c.fingerprints.md5)]
    {
        let out = common::run_tool(
            "openssl",
            &["x509", "-noout", "-fingerprint", alg, "-in", &common::fixture_abs("cucm/tomcat.pem").to_string_lossy()],
        );
        let text = String::from_utf8(out).unwrap();
        let theirs = text.trim().split('=').nth(1).unwrap();
        assert_eq!(ours, theirs, "{alg}");
    }
}

#[test]
fn pubkey_md5_equals_the_openssl_pubkey_pipeline() {
    if !common::has_openssl("pubkey_md5_equals_the_openssl_pubkey_pipeline") {
        return;
    }
    for (file, tool) in
        [("cucm/tomcat.pem", "x509"), ("cucm/tomcat-ECDSA.pem", "x509"), ("cucm/tomcat-ECDSA.csr", "req")]
    {
        let pem = common::run_tool(
            "openssl",
            &[tool, "-noout", "-pubkey", "-in", &common::fixture_abs(file).to_string_lossy()],
        );
        let expected = common::openssl_md5_hex(&pem);
        let key = match only_object(&[&fixture(file)]) {
            Object::Certificate { certificate, .. } => certificate.public_key,
            Object::Csr { csr, .. } => csr.public_key,
            _ => unreachable!(),
        };
        assert_eq!(key.pubkey_md5, expected, "{file}");
    }
}

#[test]
fn csr_json_shows_requested_extensions_and_a_verified_signature() {
    let Object::Csr { csr, source } = only_object(&[&fixture("cucm/CAPF.csr")]) else { panic!() };
    assert_eq!(source.pem_label.as_deref(), Some("CERTIFICATE REQUEST"));
    assert_eq!(csr.subject.common_name.as_deref(), Some("CAPF-1a2b3c4d"));
    assert!(csr.sans.is_none(), "the CAPF CSR requests no SAN");
    assert_eq!(csr.signature.status, "valid");
    assert_eq!(csr.key_usage.unwrap().usages, ["digitalSignature", "keyCertSign"]);
    assert_eq!(csr.extended_key_usage.unwrap().purposes, ["serverAuth"]);
    let bc = csr.basic_constraints.unwrap();
    assert!(bc.ca);
    assert_eq!(bc.path_len, Some(0));
    assert!(csr.attributes.is_empty());
    assert_eq!(csr.public_key.bits, Some(2048));
}

#[test]
fn a_pkcs7_lists_its_certificates_in_file_order() {
    let Object::Pkcs7 { certificates, source } = only_object(&[&fixture("forms/certnew.p7b")]) else { panic!() };
    assert_eq!(source.form, "der");
    let names: Vec<_> = certificates.iter().map(|c| c.subject.common_name.clone().unwrap()).collect();
    assert_eq!(names, ["cucm-pub.example.com", "Example Issuing CA", "Example Root CA"]);
    assert!(certificates[2].self_signed);
    assert!(!certificates[1].self_signed);
}

#[test]
fn a_bundle_yields_every_certificate_and_several_files_keep_their_order() {
    let report = inspect_json(&[&fixture("forms/bundle.pem"), &fixture("cucm/tomcat.csr")]);
    assert_eq!(report.files.len(), 2);
    assert_eq!(report.files[0].path, fixture("forms/bundle.pem"));
    assert_eq!(report.files[0].objects.len(), 3);
    assert!(matches!(report.files[1].objects[0], Object::Csr { .. }));
}

#[test]
fn stdin_is_read_with_a_dash() {
    let out =
        ucert().args(["inspect", "--at", AT, "-"]).pipe_stdin(fixture("forms/certnew.cer")).unwrap().assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.starts_with("-\n"), "{text}");
    assert!(text.contains("CN = cucm-pub.example.com"));
    assert!(text.contains("expires in 579 days"));
}

#[test]
fn human_output_shows_the_summary_fields() {
    let out = ucert().args(["inspect", "--at", AT, &fixture("cucm/tomcat.pem")]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for needle in [
        "certificate (PEM CERTIFICATE, line 1)",
        "subject        C = AU, ST = NSW, L = Sydney, O = Example, OU = UC, CN = cucm-pub.example.com",
        "issuer         C = AU, O = Example, CN = Example Issuing CA",
        "not after      2028-01-01 00:00:00 UTC (expires in 579 days)",
        "public key     RSA 2048 bits, exponent 65537",
        "SAN            DNS:cucm-pub.example.com, DNS:cucm-pub",
        "ext key usage  serverAuth, clientAuth",
        "self-signed    no",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    assert!(!text.contains('\u{1b}'), "no colour when stdout is not a terminal");
}

#[test]
fn colour_can_be_forced_and_no_color_is_honoured() {
    let forced =
        ucert().args(["inspect", "--color", "always", "--at", AT, &fixture("cucm/tomcat.pem")]).output().unwrap();
    assert!(forced.stdout.contains(&0x1b));
    let env_forced =
        ucert().env("CLICOLOR_FORCE", "1").args(["inspect", "--at", AT, &fixture("cucm/tomcat.pem")]).output().unwrap();
    assert!(env_forced.stdout.contains(&0x1b));
    let no_color = ucert()
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .args(["inspect", "--at", AT, &fixture("cucm/tomcat.pem")])
        .output()
        .unwrap();
    assert!(!no_color.stdout.contains(&0x1b));
    let json = ucert().args(["inspect", "--json", "--color", "always", &fixture("cucm/tomcat.pem")]).output().unwrap();
    assert!(!json.stdout.contains(&0x1b), "JSON is never coloured");
}

#[test]
fn expired_and_future_dates_are_described() {
    // expired and not yet valid are inside --critical-days: a failed check, exit 1
    let out = ucert().args(["inspect", "--at", "2029-01-01T00:00:00Z", &fixture("cucm/tomcat.pem")]).assert().code(1);
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("expired 366 days ago"));
    let out = ucert().args(["inspect", "--at", "2025-12-31T00:00:00Z", &fixture("cucm/tomcat.pem")]).assert().code(1);
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("not valid for another 1 day"));
}

#[test]
fn refused_kinds_say_what_the_file_is() {
    // an encrypted key is recognised: inspect lists it; a command that needs the key says why it cannot have it
    for file in ["refused/encrypted-pkcs8.key", "refused/encrypted-pkcs8.der", "refused/encrypted-legacy.key"] {
        let out = ucert().args(["inspect", &fixture(file)]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{file}");
        assert!(String::from_utf8(out.stdout).unwrap().contains("encrypted private key ("), "{file}");
        let out = ucert().args(["modulus", &fixture(file)]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{file}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("an encrypted private key") && err.contains("openssl pkey"), "{file}: {err}");
    }
    for (file, needle) in [
        ("refused/issuing.crl", "certificate revocation list"),
        ("refused/issuing-crl.der", "certificate revocation list"),
        ("refused/tomcat.p12", "PKCS#12"),
        ("refused/unknown-label.pem", "'OPENSSH PRIVATE KEY'"),
    ] {
        let path = fixture(file);
        let out = ucert().args(["inspect", &path]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{file}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{file}: {err}");
        assert!(err.starts_with(&format!("ucert: {path}: ")), "{file}: {err}");
        assert!(err.contains(needle), "{file}: {err}");
        assert!(out.stdout.is_empty(), "{file}");
    }
}

#[test]
fn private_key_material_is_never_printed() {
    let key_pem = std::fs::read_to_string(common::fixture_abs("forms/tomcat-pkcs1.key")).unwrap();
    let body_lines: Vec<&str> = key_pem.lines().filter(|l| !l.starts_with("-----")).collect();
    for args in [vec!["inspect"], vec!["inspect", "--json"], vec!["modulus"]] {
        let out = ucert().args(&args).arg(fixture("forms/tomcat-pkcs1.key")).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
        for line in &body_lines[1..body_lines.len() - 1] {
            assert!(!text.contains(line), "{args:?} printed key material");
        }
        assert!(!text.contains("PRIVATE KEY-----"));
    }
}

/// AD CS's "Download certificate chain, Base 64": a PKCS#7 under BEGIN CERTIFICATE, read by every command as the
/// chain it is (issue 14's first case).
#[test]
fn the_ad_cs_base64_chain_is_read_by_every_command() {
    let p7b = fixture("forms/certnew-adcs-base64.p7b");
    let out = ucert().args(["chain", "--at", AT, &p7b]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("3. cucm-pub.example.com  -> upload as tomcat"), "{text}");
    let out = ucert().args(["match", "--at", AT, &fixture("cucm/tomcat.csr"), &p7b]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = ucert().args(["modulus", &p7b]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 3);
}
