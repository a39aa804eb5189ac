#![allow(dead_code)] // the fields are read by serde: the test is that every document fits these types exactly
//! Every command's JSON, read into typed structs that refuse unknown fields: a field added, renamed or retyped in
//! `src/report/json/` fails here until the schema below (and the README's JSON section) says so. Each document is
//! taken from runs that fill its optional parts (a pair, a mismatch, a chain with flags, logs with findings).

mod common;

use std::collections::BTreeMap;

use common::{AT, OpensslServer, fixture, ucert};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// Runs ucert with `args` (plus `--json`) and reads stdout as `T`, refusing unknown fields.
fn doc<T: DeserializeOwned>(args: &[&str]) -> T {
    let out = ucert().args(args).arg("--json").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: {e}\n{text}"))
}

// ---- shapes every command shares ------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Name {
    text: String,
    common_name: Option<String>,
    attributes: Vec<NameAttribute>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NameAttribute {
    name: String,
    oid: String,
    value: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct San {
    #[serde(rename = "type")]
    kind: String,
    value: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
struct SignatureAlgorithm {
    oid: String,
    name: String,
    scheme: String,
    hash: Option<String>,
    pss: Option<Pss>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Pss {
    mask_hash: Option<String>,
    salt_length: u32,
    trailer_field: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyUsage {
    critical: bool,
    usages: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtendedKeyUsage {
    critical: bool,
    purposes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BasicConstraints {
    critical: bool,
    ca: bool,
    path_len: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Extension {
    oid: String,
    name: Option<String>,
    critical: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fingerprints {
    md5: String,
    sha1: String,
    sha256: String,
}

#[derive(Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case", deny_unknown_fields)]
enum Validity {
    Valid { days_left: i64 },
    Expired { days_ago: i64 },
    NotYetValid { days_until: i64 },
    Unknown,
}

#[derive(Deserialize)]
#[serde(tag = "status", content = "reason", rename_all = "kebab-case", deny_unknown_fields)]
enum Verification {
    Valid,
    Invalid,
    Unsupported(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Certificate {
    subject: Name,
    issuer: Name,
    serial: String,
    not_before: Option<String>,
    not_after: Option<String>,
    validity: Validity,
    expiry: Expiry,
    sans: Option<Vec<San>>,
    public_key: PublicKey,
    signature_algorithm: SignatureAlgorithm,
    key_usage: Option<KeyUsage>,
    extended_key_usage: Option<ExtendedKeyUsage>,
    basic_constraints: Option<BasicConstraints>,
    subject_key_id: Option<String>,
    authority_key_id: Option<String>,
    extensions: Vec<Extension>,
    self_signed: bool,
    fingerprints: Fingerprints,
    warnings: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expiry {
    level: Level,
    days_left: Option<i64>,
}

#[derive(Deserialize, PartialEq, Debug)]
#[serde(rename_all = "lowercase")]
enum Level {
    Ok,
    Warning,
    Critical,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Thresholds {
    warn_days: u32,
    critical_days: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CsrAttribute {
    oid: String,
    name: String,
    value: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Csr {
    subject: Name,
    sans: Option<Vec<San>>,
    public_key: PublicKey,
    signature_algorithm: SignatureAlgorithm,
    signature: Verification,
    key_usage: Option<KeyUsage>,
    extended_key_usage: Option<ExtendedKeyUsage>,
    basic_constraints: Option<BasicConstraints>,
    requested_extensions: Vec<Extension>,
    attributes: Vec<CsrAttribute>,
    fingerprints: Fingerprints,
    warnings: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Source {
    form: String,
    pem_label: Option<String>,
    line: Option<usize>,
    member: Option<String>,
}

// ---- match ----------------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Match {
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Check {
    id: String,
    status: String,
    message: String,
    cucm_error: Option<String>,
    evidence: Vec<String>,
    cause: Option<String>,
    remedies: Vec<String>,
    details: Option<Detail>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Detail {
    San(SanDetail),
    Subject(SubjectDetail),
    Keys(KeysDetail),
    KeyUsage(KeyUsageDetail),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SanDetail {
    missing_in_certificate: Vec<San>,
    extra_in_certificate: Vec<San>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubjectDetail {
    fields: Vec<SubjectField>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubjectField {
    field: String,
    csr: Option<String>,
    certificate: Option<String>,
    same: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeysDetail {
    csr: KeyEvidence,
    certificate: KeyEvidence,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyEvidence {
    summary: String,
    modulus_md5: Option<String>,
    pubkey_md5: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyUsageDetail {
    missing_key_usage: Vec<String>,
    missing_extended_key_usage: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Key {
    format: String,
    private: bool,
    public_key: PublicKey,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Ca {
    subject: Name,
    issuer: Name,
    fingerprints: Fingerprints,
}

#[test]
fn match_json_fits_its_schema() {
    let runs: [&[&str]; 5] = [
        &["match", "--at", AT, &fixture("cucm/tomcat.csr"), &fixture("forms/certnew-adcs-base64.p7b")],
        &["match", "--at", AT, &fixture("match/san-fqdn.csr"), &fixture("match/subject-rewritten.pem")],
        &["match", "--at", AT, &fixture("cucm/tomcat.csr"), &fixture("cucm/CallManager.pem")],
        &["match", "--at", AT, &fixture("cucm/tomcat.key"), &fixture("cucm/tomcat.pem")],
        &[
            "match",
            "--at",
            AT,
            "--purpose",
            "tomcat",
            &fixture("cucm/tomcat.csr"),
            &fixture("match/tomcat-serverauth-only.pem"),
        ],
    ];
    let docs: Vec<Match> = runs.iter().map(|args| doc(args)).collect();
    assert!(docs.iter().all(|d| d.schema == 1));
    let details: Vec<&Detail> = docs.iter().flat_map(|d| d.checks.iter().filter_map(|c| c.details.as_ref())).collect();
    assert!(details.iter().any(|d| matches!(d, Detail::San(_))), "a SAN detail");
    assert!(details.iter().any(|d| matches!(d, Detail::Subject(_))), "a subject detail");
    assert!(details.iter().any(|d| matches!(d, Detail::Keys(_))), "a keys detail");
    assert!(details.iter().any(|d| matches!(d, Detail::KeyUsage(_))), "a key usage detail");
    assert!(docs.iter().any(|d| d.key.is_some()) && docs.iter().any(|d| !d.ca_certificates.is_empty()));
}

// ---- chain ----------------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Chain {
    schema: u32,
    complete: bool,
    passed: bool,
    thresholds: Thresholds,
    purpose: Option<String>,
    purpose_source: String,
    purpose_reason: Option<String>,
    at: String,
    plan: Vec<PlanStep>,
    not_in_plan: Vec<Aside>,
    flags: Vec<Flag>,
    written: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanStep {
    step: usize,
    role: String,
    upload_as: String,
    issuer_step: Option<usize>,
    signature: Option<Verification>,
    source: String,
    certificate: Certificate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Aside {
    reason: String,
    source: String,
    certificate: Certificate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Flag {
    kind: String,
    severity: String,
    message: String,
    consequence: String,
    certificate: String,
}

#[test]
fn chain_json_fits_its_schema() {
    let docs: Vec<Chain> = [
        "chain/with-unrelated.p7b",
        "chain/cross-signed.pem",
        "chain/broken-signature.pem",
        "chain/missing-intermediate.pem",
    ]
    .iter()
    .map(|f| doc(&["chain", "--at", AT, &fixture(f)]))
    .collect();
    assert!(docs.iter().any(|d| !d.flags.is_empty()) && docs.iter().any(|d| !d.not_in_plan.is_empty()));
}

// ---- trust ----------------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Trust {
    schema: u32,
    outcome: String,
    new_stored: bool,
    same_cn: bool,
    reason: String,
    remedy: Option<String>,
    notes: Vec<String>,
    at: String,
    existing: Certificate,
    new: Certificate,
}

#[test]
fn trust_json_fits_its_schema() {
    let d: Trust = doc(&["trust", "--at", AT, &fixture("ca/root-ca.pem"), &fixture("cucm/tomcat.pem")]);
    assert_eq!(d.schema, 1);
}

// ---- pair -----------------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    schema: u32,
    at: String,
    thresholds: Thresholds,
    summary: PairSummary,
    pairs: Vec<PairRow>,
    waiting_csrs: Vec<Waiting>,
    certificates_without_csr: Vec<Orphan>,
    lonely_keys: Vec<Place>,
    ca_certificates: Vec<PairCert>,
    unreadable: Vec<Skipped>,
    read_with_warning: Vec<Skipped>,
    unknown: Vec<Skipped>,
    skipped: Vec<Skipped>,
    copies: Vec<Place>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PairSummary {
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
    expiry_warnings: usize,
    expiry_critical: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Place {
    path: String,
    position: Option<usize>,
    member: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PairCert {
    path: String,
    position: Option<usize>,
    member: Option<String>,
    common_name: Option<String>,
    serial: String,
    not_after: Option<String>,
    expiry: Expiry,
    sha256: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PairRow {
    status: String,
    csr: Place,
    purpose: Option<String>,
    certificate: PairCert,
    keys: Vec<Place>,
    verdict: Verdict,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Verdict {
    matched: bool,
    cucm_error: Option<String>,
    failed_check: Option<String>,
    message: Option<String>,
    warnings: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Waiting {
    csr: Place,
    common_name: Option<String>,
    purpose: Option<String>,
    keys: Vec<Place>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Orphan {
    certificate: PairCert,
    purpose: Option<String>,
    superseded_csr: Option<Place>,
    cucm_error: Option<String>,
    keys: Vec<Place>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Skipped {
    path: String,
    reason: String,
}

#[test]
fn pair_json_fits_its_schema() {
    let d: Pair = doc(&["pair", "--at", AT, &fixture("cluster")]);
    assert!(!d.pairs.is_empty() && !d.waiting_csrs.is_empty() && !d.certificates_without_csr.is_empty());
    assert!(!d.lonely_keys.is_empty() && !d.unknown.is_empty());
}

// ---- inspect --------------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Inspect {
    schema: u32,
    at: String,
    thresholds: Thresholds,
    files: Vec<InspectFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InspectFile {
    path: String,
    error: Option<String>,
    objects: Vec<Object>,
    encrypted_keys: Vec<Encrypted>,
    warnings: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Encrypted {
    source: Source,
    encryption: String,
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
enum Object {
    Certificate { source: Source, certificate: Certificate },
    Csr { source: Source, csr: Csr },
    Pkcs7 { source: Source, certificates: Vec<Certificate> },
    PrivateKey { source: Source, format: String, public_key: PublicKey },
    PublicKey { source: Source, format: String, public_key: PublicKey },
}

#[test]
fn inspect_json_fits_its_schema() {
    let mut args = vec!["inspect".to_string(), "--at".into(), AT.into()];
    for dir in ["forms", "odd", "refused"] {
        for entry in std::fs::read_dir(common::fixture_abs(dir)).unwrap() {
            args.push(entry.unwrap().path().to_string_lossy().into_owned());
        }
    }
    // RSA-PSS, whose parameters are in signature_algorithm.pss
    args.push(common::fixture_abs("chain/pss-max-salt-leaf.pem").to_string_lossy().into_owned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let d: Inspect = doc(&args);
    let raw: serde_json::Value = doc(&args);
    let pss = &raw["files"].as_array().unwrap().last().unwrap()["objects"][0]["certificate"]["signature_algorithm"];
    assert_eq!(pss["pss"], serde_json::json!({ "mask_hash": "sha256", "salt_length": 222, "trailer_field": 1 }));
    let objects: Vec<&Object> = d.files.iter().flat_map(|f| &f.objects).collect();
    assert!(objects.iter().any(|o| matches!(o, Object::Pkcs7 { .. })));
    assert!(objects.iter().any(|o| matches!(o, Object::PrivateKey { .. })));
    assert!(objects.iter().any(|o| matches!(o, Object::PublicKey { .. })));
    assert!(objects.iter().any(|o| matches!(o, Object::Csr { .. })));
    assert!(d.files.iter().any(|f| f.error.is_some()) && d.files.iter().any(|f| !f.encrypted_keys.is_empty()));
}

// ---- logs -----------------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Logs {
    schema: u32,
    files: Vec<LogFile>,
    findings: Vec<LogFinding>,
    startup: Startup,
    phones: Vec<Phone>,
    iis: Option<Iis>,
    unrecognised: Unrecognised,
    skipped: Vec<LogSkipped>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LogSkipped {
    path: String,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LogFile {
    path: String,
    kind: String,
    lines: usize,
    records: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Evidence {
    file: String,
    line: usize,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LogFinding {
    id: String,
    severity: String,
    title: String,
    what: String,
    cause: String,
    fixes: Vec<String>,
    count: usize,
    first_seen: Option<String>,
    last_seen: Option<String>,
    evidence: Vec<Evidence>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Startup {
    online_ca_host: Option<String>,
    online_ca_port: Option<String>,
    online_ca_template: Option<String>,
    login_succeeded: Option<bool>,
    login_seen_at: Option<Evidence>,
    ca_chain_retrieved: Option<bool>,
    ca_chain_seen_at: Option<Evidence>,
    urls: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Phone {
    device: String,
    steps: Vec<Step>,
    outcome: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    time: Option<String>,
    step: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Iis {
    requests: usize,
    by_url: BTreeMap<String, BTreeMap<String, usize>>,
    normal_handshakes: usize,
    unanswered_challenges: usize,
    authentication_failures: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Unrecognised {
    errors: usize,
    warnings: usize,
    samples: Vec<Evidence>,
}

#[test]
fn logs_json_fits_its_schema() {
    let mut args = vec!["logs".to_string()];
    for entry in std::fs::read_dir(common::fixture_abs("logs")).unwrap() {
        args.push(entry.unwrap().path().to_string_lossy().into_owned());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let d: Logs = doc(&args);
    assert!(!d.findings.is_empty() && !d.phones.is_empty() && d.iis.is_some());
    assert!(d.startup.login_seen_at.is_some() && d.unrecognised.errors > 0);
    assert!(d.skipped.is_empty(), "every file given by name is a log");
    // a folder: its logs read, the rest listed
    let fixtures = common::fixture_abs("");
    let d: Logs = doc(&["logs", fixtures.to_str().unwrap()]);
    assert!(d.files.len() >= 17 && d.skipped.iter().any(|s| s.path.ends_with("tomcat.pem") && !s.reason.is_empty()));
}

// ---- explain --------------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Explain {
    schema: u32,
    text: String,
    explanation: Option<Explanation>,
    known: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Explanation {
    entry: Entry,
    score: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    text: String,
    meaning: String,
    causes: Vec<String>,
    checks: Vec<String>,
    commands: Vec<String>,
}

#[test]
fn explain_json_fits_its_schema() {
    let found: Explain = doc(&["explain", "CSR SAN and Certificate SAN does not match"]);
    assert!(found.explanation.is_some());
    let unknown: Explain = doc(&["explain", "something else entirely"]);
    assert!(unknown.explanation.is_none() && !unknown.known.is_empty());
}

// ---- connect --------------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Connect {
    /// Absent inside a several-target document.
    schema: Option<u32>,
    status: String,
    thresholds: Thresholds,
    target: String,
    host: String,
    port: u16,
    sni: Option<String>,
    starttls: Option<String>,
    xmpp_domain: Option<String>,
    address: String,
    protocol: String,
    cipher_suite: String,
    handshake_ended: Option<String>,
    at: String,
    chain: Vec<Certificate>,
    host_match: HostMatch,
    self_signed: bool,
    trust: Option<ServedTrust>,
    expect: Option<Expectation>,
    saved: Vec<String>,
}

#[derive(Deserialize)]
#[serde(tag = "result", rename_all = "kebab-case", deny_unknown_fields)]
enum HostMatch {
    Matches { by: String },
    Mismatch { curl: String },
}

#[derive(Deserialize)]
#[serde(tag = "result", rename_all = "kebab-case", deny_unknown_fields)]
enum ServedTrust {
    Chains { path: Vec<String> },
    NotIssuedByGivenCas { path: Vec<String> },
    BadSignature { certificate: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expectation {
    matches: bool,
    compared: String,
    expected: String,
    served: String,
}

#[test]
fn connect_json_fits_its_schema() {
    if !common::has_openssl(module_path!()) {
        return;
    }
    let server =
        OpensslServer::start("connect/big-leaf.pem", "connect/big-leaf.key", Some("connect/big-chain.pem"), &[]);
    let target = server.target();
    let d: Connect = doc(&[
        "connect",
        &target,
        "--at",
        AT,
        "--ca",
        &fixture("connect/big-root.pem"),
        "--expect",
        &fixture("connect/big-leaf.pem"),
    ]);
    assert!(d.trust.is_some() && d.expect.is_some() && matches!(d.host_match, HostMatch::Matches { .. }));
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Watch {
    schema: u32,
    at: String,
    thresholds: Thresholds,
    status: String,
    summary: WatchSummary,
    targets: Vec<Probe>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WatchSummary {
    targets: usize,
    ok: usize,
    warning: usize,
    critical: usize,
    unreached: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Probe {
    target: String,
    status: String,
    days_left: Option<i64>,
    error: Option<ProbeError>,
    connection: Option<Connect>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProbeError {
    kind: String,
    message: String,
}

#[test]
fn connect_json_of_several_targets_fits_its_schema() {
    if !common::has_openssl(module_path!()) {
        return;
    }
    let server =
        OpensslServer::start("connect/big-leaf.pem", "connect/big-leaf.key", Some("connect/big-chain.pem"), &[]);
    let closed = format!("127.0.0.1:{}", common::free_port());
    let d: Watch = doc(&["connect", &server.target(), &closed, "--at", AT, "--timeout", "5"]);
    assert_eq!((d.summary.targets, d.summary.unreached), (2, 1));
    assert_eq!(d.targets[0].target, closed, "unreached first");
    assert!(d.targets[0].error.is_some() && d.targets[0].connection.is_none());
    let reached = d.targets[1].connection.as_ref().unwrap();
    assert!(reached.schema.is_none() && d.targets[1].days_left.is_some());
    assert_eq!(reached.chain[0].expiry.level, Level::Ok);
}

/// The schema's types really refuse what they do not know, tagged enums included.
#[test]
fn unknown_fields_are_refused() {
    assert!(serde_json::from_str::<Validity>(r#"{"status":"valid","days_left":1}"#).is_ok());
    assert!(serde_json::from_str::<Validity>(r#"{"status":"valid","days_left":1,"new":2}"#).is_err());
    assert!(serde_json::from_str::<Fingerprints>(r#"{"md5":"a","sha1":"b","sha256":"c","new":1}"#).is_err());
    assert!(serde_json::from_str::<HostMatch>(r#"{"result":"matches","by":"x","new":1}"#).is_err());
}

// ---- modulus, errors ------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Modulus {
    schema: u32,
    keys: Vec<ModulusKey>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModulusKey {
    label: String,
    modulus_md5: Option<String>,
    no_modulus: Option<String>,
    error: Option<String>,
}

#[test]
fn modulus_json_fits_its_schema() {
    let d: Modulus = doc(&["modulus", &fixture("forms/certnew.p7b"), &fixture("cucm/tomcat-ECDSA.csr"), "missing.pem"]);
    assert!(d.keys.iter().any(|k| k.modulus_md5.is_some()));
    assert!(d.keys.iter().any(|k| k.no_modulus.is_some()));
    assert!(d.keys.iter().any(|k| k.error.is_some()));
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorDoc {
    schema: u32,
    error: ErrorBody,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorBody {
    kind: String,
    path: Option<String>,
    message: String,
}

#[test]
fn error_json_fits_its_schema() {
    let d: ErrorDoc = doc(&["chain", "missing.pem"]);
    assert_eq!((d.error.kind.as_str(), d.error.path.as_deref()), ("not-found", Some("missing.pem")));
    let usage: ErrorDoc = doc(&["trust", "only-one"]);
    assert_eq!((usage.error.kind.as_str(), usage.error.path), ("usage", None));
}
