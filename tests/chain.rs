#![allow(dead_code)] // fields are deserialised to check the JSON schema, not all are read
//! `ucert chain`, `match --ca` and `ucert trust` end to end, on the chain and trust fixtures.

mod common;

use common::{AT, fixture, ucert};
use serde::Deserialize;

#[derive(Deserialize, Debug)]
struct ChainJson {
    schema: u32,
    complete: bool,
    purpose: Option<String>,
    purpose_source: String,
    purpose_reason: Option<String>,
    at: String,
    plan: Vec<Step>,
    not_in_plan: Vec<Aside>,
    flags: Vec<Flag>,
    written: Vec<String>,
}

#[derive(Deserialize, Debug)]
struct Step {
    step: usize,
    role: String,
    upload_as: String,
    issuer_step: Option<usize>,
    signature: Option<Signature>,
    source: String,
    certificate: Certificate,
}

#[derive(Deserialize, Debug)]
struct Signature {
    status: String,
}

#[derive(Deserialize, Debug)]
struct Certificate {
    subject: Name,
    self_signed: bool,
}

#[derive(Deserialize, Debug)]
struct Name {
    common_name: Option<String>,
}

#[derive(Deserialize, Debug)]
struct Aside {
    reason: String,
    source: String,
    certificate: Certificate,
}

#[derive(Deserialize, Debug)]
struct Flag {
    kind: String,
    severity: String,
    message: String,
    consequence: String,
    certificate: String,
}

fn chain_json(files: &[&str], extra: &[&str]) -> (ChainJson, i32) {
    let out = ucert().args(["chain", "--json", "--at", AT]).args(extra).args(files).output().unwrap();
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{files:?}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    (doc, out.status.code().unwrap())
}

fn names(doc: &ChainJson) -> Vec<String> {
    doc.plan.iter().map(|s| s.certificate.subject.common_name.clone().unwrap()).collect()
}

fn kinds(doc: &ChainJson) -> Vec<(&str, &str)> {
    doc.flags.iter().map(|f| (f.kind.as_str(), f.severity.as_str())).collect()
}

#[test]
fn an_ad_cs_style_p7b_gives_the_upload_order() {
    let (doc, code) = chain_json(&[&fixture("forms/certnew.p7b")], &[]);
    assert_eq!(code, 0);
    assert_eq!(doc.schema, 1);
    assert!(doc.complete);
    assert_eq!(names(&doc), ["Example Root CA", "Example Issuing CA", "cucm-pub.example.com"]);
    let roles: Vec<(&str, &str)> = doc.plan.iter().map(|s| (s.role.as_str(), s.upload_as.as_str())).collect();
    assert_eq!(roles, [("root", "tomcat-trust"), ("intermediate", "tomcat-trust"), ("leaf", "tomcat")]);
    assert_eq!(doc.plan[1].issuer_step, Some(1));
    assert_eq!(doc.plan[2].issuer_step, Some(2));
    assert_eq!(doc.plan[2].signature.as_ref().unwrap().status, "valid");
    assert!(doc.plan[0].signature.is_none() && doc.plan[0].certificate.self_signed);
    assert_eq!(doc.purpose.as_deref(), Some("tomcat"));
    assert_eq!(doc.purpose_source, "inferred");
    assert!(doc.purpose_reason.unwrap().contains("CallManager and TVS certificates look the same"));
    assert!(doc.flags.is_empty());
}

#[test]
fn human_plan_lists_numbered_uploads() {
    let out = ucert().args(["chain", "--at", AT, &fixture("forms/certnew.p7b")]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Upload plan for tomcat (inferred from the leaf"));
    assert!(lines[1].contains("1. Example Root CA") && lines[1].contains("-> upload as tomcat-trust"));
    assert!(lines[2].contains("2. Example Issuing CA") && lines[2].contains("-> upload as tomcat-trust"));
    assert!(lines[3].contains("3. cucm-pub.example.com") && lines[3].contains("-> upload as tomcat "));
    assert!(text.contains("COMPLETE"));
}

#[test]
fn one_two_and_three_tier_chains() {
    let (doc, code) = chain_json(&[&fixture("chain/one-tier-leaf.pem"), &fixture("ca/root-ca.pem")], &[]);
    assert_eq!(code, 0);
    assert_eq!(names(&doc), ["Example Root CA", "cucm-pub.example.com"]);
    let (doc, _) =
        chain_json(&[&fixture("cucm/tomcat.pem"), &fixture("ca/issuing-ca.pem"), &fixture("ca/root-ca.pem")], &[]);
    assert_eq!(names(&doc).len(), 3);
    let (doc, code) = chain_json(&[&fixture("chain/three-tier.pem")], &["--purpose", "callmanager"]);
    assert_eq!(code, 0);
    assert_eq!(names(&doc), ["Example Root CA", "Example Policy CA", "Example Issuing CA 2", "cucm-pub.example.com"]);
    assert!(doc.plan.iter().take(3).all(|s| s.upload_as == "CallManager-trust"));
    assert_eq!(doc.plan[3].upload_as, "CallManager");
    assert_eq!(doc.purpose_source, "flag");
}

#[test]
fn a_reversed_bundle_and_scattered_files_give_the_same_plan() {
    let (a, _) = chain_json(&[&fixture("chain/reverse-bundle.pem")], &[]);
    let (b, _) =
        chain_json(&[&fixture("ca/issuing-ca.pem"), &fixture("cucm/tomcat.pem"), &fixture("ca/root-ca.pem")], &[]);
    assert_eq!(names(&a), ["Example Root CA", "Example Issuing CA", "cucm-pub.example.com"]);
    assert_eq!(names(&a), names(&b));
}

#[test]
fn an_unrelated_certificate_is_left_out_and_flagged() {
    let (doc, code) = chain_json(&[&fixture("chain/with-unrelated.p7b")], &[]);
    assert_eq!(code, 0, "an unrelated certificate does not make an upload fail");
    assert_eq!(names(&doc).len(), 3);
    assert_eq!(doc.not_in_plan.len(), 1);
    assert_eq!(doc.not_in_plan[0].reason, "unrelated");
    assert_eq!(doc.not_in_plan[0].certificate.subject.common_name.as_deref(), Some("cucm-sub.example.com"));
    assert_eq!(kinds(&doc), [("unrelated", "warn")]);
}

#[test]
fn a_missing_intermediate_fails_with_the_trust_store_consequence() {
    let (doc, code) = chain_json(&[&fixture("chain/missing-intermediate.pem")], &[]);
    assert_eq!(code, 1);
    assert!(!doc.complete);
    assert_eq!(kinds(&doc), [("issuer-missing", "fail")]);
    assert!(doc.flags[0].message.contains("CN = Example Issuing CA"));
    assert!(doc.flags[0].consequence.contains("CA Certificate not available in Trust-Store"));
}

#[test]
fn a_broken_signature_fails() {
    let (doc, code) = chain_json(&[&fixture("chain/broken-signature.pem")], &[]);
    assert_eq!(code, 1);
    assert_eq!(kinds(&doc), [("bad-signature", "fail")]);
    assert_eq!(doc.plan[1].signature.as_ref().unwrap().status, "invalid");
}

#[test]
fn an_expired_intermediate_fails() {
    let (doc, code) = chain_json(&[&fixture("chain/expired-intermediate.pem")], &[]);
    assert_eq!(code, 1);
    assert_eq!(kinds(&doc), [("expired", "fail")]);
    assert_eq!(doc.flags[0].certificate, "Example Expired CA");
}

#[test]
fn cas_not_yet_valid_fail() {
    // judged before the CAs' start (2025-01-01): every certificate of the plan is not yet valid
    let out = ucert().args(["chain", "--json", "--at", "2024-06-01", &fixture("forms/certnew.p7b")]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: ChainJson = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc.flags.iter().filter(|f| f.kind == "not-yet-valid").count() == 3, "{:?}", doc.flags);
    assert!(doc.flags.iter().all(|f| f.severity == "fail"));
}

#[test]
fn a_cross_signed_intermediate_shows_both_paths() {
    let (doc, code) = chain_json(&[&fixture("chain/cross-signed.pem")], &[]);
    assert_eq!(code, 0);
    assert_eq!(names(&doc), ["Example Root CA", "Example Issuing CA", "cucm-pub.example.com"]);
    let aside: Vec<&str> = doc.not_in_plan.iter().map(|a| a.reason.as_str()).collect();
    assert_eq!(aside, ["alternative", "alternative"]);
    let k = kinds(&doc);
    assert!(k.contains(&("several-paths", "warn")), "{k:?}");
    assert!(k.contains(&("same-common-name", "warn")), "{k:?}");
}

#[test]
fn warnings_for_odd_cas_leaves_duplicates_and_sha1() {
    for (file, kind) in [
        ("chain/ca-without-bc.pem", "ca-without-basic-constraints"),
        ("chain/leaf-is-ca.pem", "leaf-is-ca"),
        ("chain/duplicate.pem", "duplicate"),
        ("chain/sha1-intermediate.pem", "weak-hash"),
    ] {
        let (doc, code) = chain_json(&[&fixture(file)], &[]);
        assert_eq!(code, 0, "{file}");
        assert_eq!(kinds(&doc), [(kind, "warn")], "{file}");
    }
}

#[test]
fn a_1024_bit_root_still_verifies() {
    let (doc, code) = chain_json(&[&fixture("chain/weak-root-leaf.pem"), &fixture("chain/weak-root.pem")], &[]);
    assert_eq!(code, 0);
    assert_eq!(doc.plan[1].signature.as_ref().unwrap().status, "valid");
}

#[test]
fn capf_leaf_is_recognised_and_its_ca_flag_accepted() {
    let (doc, code) =
        chain_json(&[&fixture("cucm/CAPF.pem"), &fixture("ca/issuing-ca.pem"), &fixture("ca/root-ca.pem")], &[]);
    assert_eq!(code, 0);
    assert_eq!(doc.purpose.as_deref(), Some("CAPF"));
    assert_eq!(doc.plan.last().unwrap().upload_as, "CAPF");
    assert_eq!(doc.plan[0].upload_as, "CAPF-trust");
    assert!(doc.flags.is_empty(), "{:?}", doc.flags);
}

#[test]
fn split_writes_one_pem_per_certificate_in_order_and_never_overwrites() {
    if !common::has_openssl("split_writes_one_pem_per_certificate_in_order_and_never_overwrites") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("upload");
    let t = target.to_string_lossy().into_owned();
    let (doc, code) = chain_json(&[&fixture("forms/certnew.p7b")], &["--split", &t]);
    assert_eq!(code, 0);
    let expected = ["01-Example_Root_CA.pem", "02-Example_Issuing_CA.pem", "03-cucm-pub.example.com.pem"];
    assert_eq!(doc.written, expected.iter().map(|n| target.join(n).to_string_lossy().into_owned()).collect::<Vec<_>>());
    // each file is one certificate that openssl reads, with the right subject
    let subject = common::run_tool("openssl", &["x509", "-noout", "-subject", "-in", &doc.written[2]]);
    assert!(String::from_utf8(subject).unwrap().contains("cucm-pub.example.com"));
    let before = std::fs::read(&doc.written[0]).unwrap();
    let out = ucert().args(["chain", "--split", &t, &fixture("forms/certnew.p7b")]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("already exists") && err.contains("01-Example_Root_CA.pem"), "{err}");
    assert_eq!(std::fs::read(&doc.written[0]).unwrap(), before, "not overwritten");
}

#[test]
fn bad_input_to_chain_is_exit_2() {
    let out = ucert().args(["chain", &fixture("cucm/tomcat.csr")]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds no certificate"));
    let out = ucert().args(["chain", "does/not/exist.p7b"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn match_with_ca_checks_the_path() {
    let run = |cas: &[&str]| {
        let mut cmd = ucert();
        cmd.args(["match", "--json", "--at", AT]);
        for ca in cas {
            cmd.args(["--ca", &fixture(ca)]);
        }
        let out = cmd.args([&fixture("cucm/tomcat.csr"), &fixture("cucm/tomcat.pem")]).output().unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let chain = doc["checks"].as_array().unwrap().iter().find(|c| c["id"] == "chain").unwrap().clone();
        (out.status.code().unwrap(), chain, doc["cucm_error"].clone())
    };
    let (code, chain, _) = run(&["ca/root-ca.pem", "ca/issuing-ca.pem"]);
    assert_eq!((code, chain["status"].as_str()), (0, Some("pass")));
    let (code, chain, cucm) = run(&["chain/tampered-issuing-ca.pem", "ca/root-ca.pem"]);
    assert_eq!((code, chain["status"].as_str()), (1, Some("fail")));
    assert_eq!(cucm, "CA Certificate not available in Trust-Store");
    let (code, chain, _) = run(&["chain/other-root.pem"]);
    assert_eq!((code, chain["status"].as_str()), (1, Some("fail")));
}

#[derive(Deserialize, Debug)]
struct TrustJson {
    schema: u32,
    outcome: String,
    new_stored: bool,
    same_cn: bool,
    reason: String,
    remedy: Option<String>,
    existing: Certificate,
    new: Certificate,
}

#[test]
fn each_trust_outcome_and_its_exit_code() {
    for (new, outcome, stored, code) in [
        ("trust/root-renewed.pem", "replaces", true, 0),
        ("trust/root-older.pem", "keeps-existing", false, 1),
        ("trust/root-expired.pem", "refused-expired", false, 1),
        ("trust/other-root.pem", "both-kept", true, 0),
        ("ca/root-ca.pem", "identical", true, 0),
    ] {
        let out =
            ucert().args(["trust", "--json", "--at", AT, &fixture("ca/root-ca.pem"), &fixture(new)]).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{new}");
        let doc: TrustJson = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc.outcome, outcome, "{new}");
        assert_eq!(doc.new_stored, stored, "{new}");
    }
    let out = ucert()
        .args(["trust", "--at", AT, &fixture("ca/root-ca.pem"), &fixture("trust/root-older.pem")])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("EXISTING IS KEPT, NEW IS NOT STORED"));
    assert!(text.contains("2025-01-01 00:00:00 UTC") && text.contains("2024-01-01 00:00:00 UTC"));
    assert!(text.contains("What to do: delete EXISTING"));
}

#[test]
fn trust_refuses_a_bundle_in_either_slot() {
    let out = ucert().args(["trust", &fixture("forms/certnew.p7b"), &fixture("ca/root-ca.pem")]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds 3 certificates"));
}

/// Many certificates: each group of look-alikes is reported once, with its count, and the plan is whole.
#[test]
fn many_certificates_give_one_flag_per_group() {
    let out = ucert().args(["chain", "--at", AT, &fixture("chain/linear-30.pem")]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("   1. Bench CA 0 ") && text.contains("  30. Bench CA 29 "), "{text}");
    assert!(text.contains("COMPLETE"));
    let out = ucert().args(["chain", "--at", AT, &fixture("chain/same-cn-mesh.pem")]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("share the CN").count(), 1, "{text}");
    assert!(text.contains("5 CA certificates share the CN \"Bench Same CN CA\""), "{text}");
    // the same certificate given 40 times: one duplicate flag, saying how often and naming a few inputs
    let root = fixture("ca/root-ca.pem");
    let many: Vec<&str> = std::iter::repeat_n(root.as_str(), 40).collect();
    let out = ucert().args(["chain", "--at", AT]).args(&many).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("duplicate").count(), 1, "{text}");
    assert!(text.contains("Example Root CA appears 40 times (also in fixtures/ca/root-ca.pem, fixtures/ca/root-ca.pem, fixtures/ca/root-ca.pem and 36 more)"), "{text}");
}

/// IM and Presence purposes upload their CA certificates to their own trust stores.
#[test]
fn im_and_presence_purposes_name_their_trust_store() {
    let out = ucert()
        .args(["chain", "--at", AT, "--purpose", "cup-xmpp-s2s"])
        .args([fixture("imp/cup-xmpp.pem"), fixture("ca/issuing-ca.pem"), fixture("ca/root-ca.pem")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("-> upload as cup-xmpp-trust"), "{text}");
    assert!(text.contains("-> upload as cup-xmpp-s2s"), "{text}");
}

/// RSA-PSS signatures: the usual form verifies; one with a longer salt (valid: openssl verifies it) cannot be checked
/// by ucert, which says so as a warning and never as a broken signature or CUCM's trust-store error; `match` and
/// `pair` judge the same way, and a CSR self-signed so is not called corrupt.
#[test]
fn rsa_pss_signatures_are_verified_or_said_to_be_unchecked() {
    let cas = [fixture("ca/issuing-ca.pem"), fixture("ca/root-ca.pem")];
    let (doc, code) = chain_json(&[&fixture("chain/pss-leaf.pem"), &cas[0], &cas[1]], &[]);
    assert_eq!((code, kinds(&doc)), (0, vec![]));
    assert_eq!(doc.plan[2].signature.as_ref().unwrap().status, "valid");

    for leaf in ["chain/pss-max-salt-leaf.pem", "chain/pss-mgf1-sha1-leaf.pem"] {
        let (doc, code) = chain_json(&[&fixture(leaf), &cas[0], &cas[1]], &[]);
        assert_eq!((code, kinds(&doc)), (0, vec![("unverifiable-signature", "warn")]), "{leaf}");
        assert_eq!(doc.plan[2].signature.as_ref().unwrap().status, "unsupported", "{leaf}");
        let out = ucert().args(["chain", "--at", AT, &fixture(leaf), &cas[0], &cas[1]]).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("COMPLETE: every certificate is there and 1 signature could not be checked (below)"),
            "{text}"
        );
        assert!(!text.contains("DOES NOT VERIFY") && !text.contains("every signature verifies"), "{text}");
    }

    // a root that signed itself so is still the root: its own signature is not a link of the path
    let (doc, code) =
        chain_json(&[&fixture("chain/pss-max-salt-root-leaf.pem"), &fixture("chain/pss-max-salt-root.pem")], &[]);
    assert_eq!((code, kinds(&doc)), (0, vec![]));
    assert_eq!((doc.plan[0].role.as_str(), doc.plan[0].certificate.self_signed), ("root", true));

    let csr = fixture("chain/tomcat-pss-max-salt.csr");
    let leaf = fixture("chain/pss-max-salt-leaf.pem");
    let out = ucert().args(["match", "--at", AT, &csr, &leaf, "--ca", &cas[0], "--ca", &cas[1]]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.starts_with("MATCH: CUCM will accept this certificate as tomcat (2 warnings)"), "{text}");
    assert!(text.contains("the CSR's self-signature cannot be checked: RSA-PSS with a 222-byte salt"), "{text}");
    assert!(!text.contains("Trust-Store") && !text.contains("corrupt"), "{text}");
    let out = ucert().args(["pair", "--json", "--at", AT, &csr, &leaf]).output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{doc}");
    assert_eq!(doc["pairs"][0]["verdict"]["warnings"], serde_json::json!(["signature"]), "{doc}");
}
