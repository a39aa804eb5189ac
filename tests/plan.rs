#![allow(dead_code)] // fields are deserialised to check the JSON schema, not all are read
//! `ucert plan` end to end, on the cluster fixtures of `fixtures/make.sh` (a publisher with CAPF, a subscriber and an
//! IM and Presence node, every purpose, the CA's answers under meaningless names): the windows come in a safe order,
//! every certificate is uploaded on the node whose CSR has its key (checked with openssl), each blocker kind stops its
//! window, the guides' cautions appear where they apply, and the human, Markdown and JSON forms are pinned.

mod common;

use std::collections::BTreeSet;

use common::{AT, PIPE_WIDTH, fixture, ucert, ucert_at_width};
use serde::Deserialize;

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct PlanJson {
    schema: u32,
    at: String,
    clear: bool,
    nodes: Vec<String>,
    publisher: Option<String>,
    publisher_source: String,
    security_mode: String,
    sso: bool,
    cautions: Vec<String>,
    windows: Vec<Window>,
    not_in_any_window: Vec<Step>,
    files: usize,
    trust_store_certificates: usize,
    unreadable: Vec<Skipped>,
    read_with_warning: Vec<Skipped>,
    unknown: Vec<Skipped>,
    skipped: Vec<Skipped>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Window {
    number: usize,
    family: String,
    purposes: Vec<String>,
    nodes: String,
    impact: String,
    blocked: bool,
    steps: Vec<Step>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
struct Step {
    number: usize,
    kind: String,
    text: String,
    node: Option<String>,
    purpose: Option<String>,
    file: Option<String>,
    command: Option<String>,
    condition: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Skipped {
    path: String,
    reason: String,
}

/// Runs `plan --json` and returns its exit code and document.
fn plan(args: &[&str]) -> (i32, PlanJson) {
    let out = ucert().arg("plan").args(args).args(["--at", AT, "--json"]).output().unwrap();
    // (paths with `/` on every system)
    let text = String::from_utf8(out.stdout).unwrap();
    let doc: PlanJson = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: {e}\n{text}"));
    let doc = if cfg!(windows) { with_slashes(doc) } else { doc };
    (out.status.code().unwrap(), doc)
}

/// The document with `/` in its paths and texts (Windows joins a folder's files with `\`).
fn with_slashes(mut doc: PlanJson) -> PlanJson {
    let fix = |s: &mut Step| {
        s.text = common::slashes(&s.text);
        s.file = s.file.as_deref().map(common::slashes);
        s.command = s.command.as_deref().map(common::slashes);
    };
    doc.windows.iter_mut().flat_map(|w| w.steps.iter_mut()).for_each(fix);
    doc.not_in_any_window.iter_mut().for_each(fix);
    doc.cautions = doc.cautions.iter().map(|c| common::slashes(c)).collect();
    doc
}

fn window<'a>(doc: &'a PlanJson, family: &str) -> &'a Window {
    doc.windows.iter().find(|w| w.family == family).unwrap_or_else(|| panic!("no {family} window: {doc:#?}"))
}

fn steps<'a>(w: &'a Window, kind: &str) -> Vec<&'a Step> {
    w.steps.iter().filter(|s| s.kind == kind).collect()
}

const CLUSTER: &str = "plan/cluster";
const NODES: [&str; 3] = ["cucm-pub", "cucm-sub", "cucm-imp"];

#[test]
fn a_clear_cluster_gives_every_window_in_a_safe_order() {
    let (code, doc) = plan(&[&fixture(CLUSTER)]);
    assert_eq!(code, 0, "{doc:#?}");
    assert!(doc.clear && doc.not_in_any_window.is_empty());
    assert_eq!(doc.schema, 1);
    let families: Vec<&str> = doc.windows.iter().map(|w| w.family.as_str()).collect();
    assert_eq!(families, ["tomcat", "ipsec", "CAPF", "CallManager", "TVS", "cup-xmpp", "cup"]);
    assert!(doc.windows.iter().all(|w| !w.blocked && !w.steps.is_empty()));
    // the publisher is the node whose folder holds the CAPF CSR (its CN is CAPF-<hex>, no host), and comes first
    assert_eq!(doc.publisher.as_deref(), Some("cucm-pub.example.com"));
    assert_eq!(doc.publisher_source, "capf-csr");
    assert_eq!(doc.nodes, ["cucm-pub.example.com", "cucm-imp.example.com", "cucm-sub.example.com"]);
    // CallManager and TVS never share a window; TVS waits for the phones of the CallManager window
    let tvs = window(&doc, "TVS");
    assert!(tvs.purposes == ["TVS"] && window(&doc, "CallManager").purposes == ["CallManager"]);
    assert_eq!(tvs.steps[0].kind, "before");
    assert!(tvs.steps[0].text.contains("after the CallManager window is complete"), "{:?}", tvs.steps[0]);
    for family in ["CAPF", "CallManager", "TVS"] {
        let w = window(&doc, family);
        let kinds: Vec<&str> = w.steps.iter().map(|s| s.kind.as_str()).collect();
        assert_eq!(&kinds[kinds.len() - 2..], ["reset-phones", "wait-for-registration"], "{family}");
    }
    // the CTL step is conditional while the security mode is unknown
    let ctl = steps(window(&doc, "CallManager"), "update-ctl");
    assert!(ctl.len() == 1 && ctl[0].condition.as_deref().is_some_and(|c| c.contains("mixed mode")));
}

/// Each CSR of the cluster gets exactly one upload, on its own node, of the certificate that holds its key (as
/// openssl reads both), after the CA certificates of its purpose's trust store.
#[test]
fn every_certificate_goes_to_the_node_whose_csr_has_its_key() {
    if !common::has_openssl("every_certificate_goes_to_the_node_whose_csr_has_its_key") {
        return;
    }
    let (_, doc) = plan(&[&fixture(CLUSTER)]);
    let mut expected = BTreeSet::new();
    for node in NODES {
        for entry in std::fs::read_dir(common::fixture_abs(&format!("{CLUSTER}/{node}"))).unwrap() {
            let path = entry.unwrap().path();
            let purpose = path.file_stem().unwrap().to_str().unwrap().to_string();
            expected.insert((format!("{node}.example.com"), purpose, common::public_key_pem("req", &path)));
        }
    }
    let mut uploaded = BTreeSet::new();
    for w in &doc.windows {
        for s in steps(w, "upload-certificate") {
            let file = common::fixture_abs("..").join(s.file.as_ref().unwrap());
            let key = common::public_key_pem("x509", &file);
            uploaded.insert((s.node.clone().unwrap(), s.purpose.clone().unwrap(), key));
            // a CA certificate for its trust store comes before it in the window
            assert!(w.steps[..s.number - 1].iter().any(|t| t.kind == "upload-trust"), "{s:?}");
        }
    }
    assert_eq!(uploaded, expected);
}

/// tomcat-trust and CallManager-trust are replicated by CUCM: each CA certificate once for the cluster. The other
/// stores are per node.
#[test]
fn trust_certificates_are_uploaded_once_per_store_or_once_per_node() {
    let (_, doc) = plan(&[&fixture(CLUSTER)]);
    let trust = |family: &str| steps(window(&doc, family), "upload-trust").len();
    assert_eq!(trust("tomcat"), 2, "root and intermediate, once");
    assert_eq!(trust("CallManager"), 2);
    assert_eq!(trust("ipsec"), 6, "root and intermediate on each of the 3 nodes");
    assert_eq!(trust("TVS"), 4, "on the 2 TVS nodes");
    assert_eq!(trust("CAPF"), 2, "on the publisher only");
    let ipsec = window(&doc, "ipsec");
    let first = ipsec.steps.iter().position(|s| s.kind == "upload-trust").unwrap();
    assert!(ipsec.steps[first].text.contains("(root "), "root first: {:?}", ipsec.steps[first]);
}

#[test]
fn restarts_follow_the_guides() {
    let (_, doc) = plan(&[&fixture(CLUSTER)]);
    let tomcat = steps(window(&doc, "tomcat"), "restart");
    let nodes: Vec<&str> = tomcat.iter().map(|s| s.node.as_deref().unwrap()).collect();
    assert_eq!(nodes, ["cucm-pub.example.com", "cucm-imp.example.com", "cucm-sub.example.com"], "publisher first");
    assert!(tomcat.iter().all(|s| s.command.as_deref() == Some("utils service restart Cisco Tomcat")));
    let ipsec = steps(window(&doc, "ipsec"), "restart");
    assert!(ipsec[0].text.starts_with("Restart Cisco DRF Master on cucm-pub.example.com"), "{ipsec:?}");
    assert!(ipsec[1].text.starts_with("Restart Cisco DRF Local on cucm-pub.example.com, cucm-imp"), "{ipsec:?}");
    let capf = steps(window(&doc, "CAPF"), "restart");
    let services: Vec<&str> = capf.iter().map(|s| s.text.split(" on ").next().unwrap()).collect();
    assert_eq!(
        services,
        [
            "Restart Cisco Trust Verification Service",
            "Restart Cisco TFTP",
            "Restart Cisco Certificate Authority Proxy Function"
        ]
    );
    let callmanager = steps(window(&doc, "CallManager"), "restart");
    assert!(callmanager.last().unwrap().text.starts_with("Restart Cisco CTIManager"));
    // the check of what tomcat serves, quoted for a shell (the file names have spaces), and not for tomcat-ECDSA
    let verify = steps(window(&doc, "tomcat"), "verify");
    assert_eq!(verify.len(), 3, "{verify:?}");
    for v in verify {
        let command = v.command.as_deref().unwrap();
        let file = v.file.as_deref().unwrap();
        assert_eq!(command, format!("ucert connect {}:8443 --expect '{file}'", v.node.as_deref().unwrap()));
    }
    let sso = window(&doc, "tomcat");
    assert_eq!(sso.steps.first().unwrap().kind, "before");
    assert_eq!(sso.steps.last().unwrap().kind, "after");
}

#[test]
fn certificates_that_share_a_file_are_each_uploaded_from_a_file_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let node = dir.path().join("cucm-pub");
    std::fs::create_dir(&node).unwrap();
    std::fs::copy(common::fixture_abs("plan/cluster/cucm-pub/tomcat.csr"), node.join("tomcat.csr")).unwrap();
    let read = |rel: &str| std::fs::read_to_string(common::fixture_abs(rel)).unwrap();
    // the CA's answer as one bundle: the leaf between its issuers, as a .p7b or a PEM chain may hold it
    let answer = [read("ca/root-ca.pem"), read("plan/cluster/from-ca/certnew (10).cer"), read("ca/issuing-ca.pem")];
    std::fs::write(dir.path().join("answer.pem"), answer.concat()).unwrap();
    let (code, doc) = plan(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{doc:#?}");
    let tomcat = window(&doc, "tomcat");
    // both CA certificates of the one file are uploaded: the file is not what is uploaded, each certificate is
    let trust = steps(tomcat, "upload-trust");
    assert_eq!(trust.len(), 2, "{trust:#?}");
    assert!(trust[0].text.contains("answer.pem#1 (root Example Root CA)"), "{}", trust[0].text);
    assert!(trust[1].text.contains("answer.pem#3 (intermediate Example Issuing CA)"), "{}", trust[1].text);
    let leaf = steps(tomcat, "upload-certificate");
    assert!(leaf[0].text.contains("answer.pem#2 as tomcat on cucm-pub.example.com"), "{}", leaf[0].text);
    for step in trust.iter().chain(&leaf) {
        assert!(step.text.ends_with("answer.pem --split DIR"), "{}", step.text);
    }
    // what the server should present is known by the CSR, which has a file of its own
    let verify = steps(tomcat, "verify");
    let command = verify[0].command.as_deref().unwrap();
    assert!(command.starts_with("ucert connect cucm-pub.example.com:8443 --expect "), "{command}");
    assert!(common::slashes(command).ends_with("cucm-pub/tomcat.csr"), "{command}");
}

#[test]
fn the_xmpp_certificates_are_checked_where_jabber_and_federated_servers_meet_them() {
    // cup-xmpp, on 5222 after STARTTLS, opened to the domain among the certificate's names
    let (_, doc) = plan(&[&fixture(CLUSTER)]);
    let verify = steps(window(&doc, "cup-xmpp"), "verify");
    assert_eq!(verify.len(), 1, "{verify:?}");
    let file = verify[0].file.as_deref().unwrap();
    let expected = format!("ucert connect cucm-imp.example.com:5222 --xmpp-domain example.com --expect '{file}'");
    assert_eq!(verify[0].command.as_deref(), Some(expected.as_str()));
    assert_eq!(verify[0].condition, None);
    // cup-xmpp-s2s, on 5269, where federation is enabled (node by node): the same pair under the s2s CSR's name
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(common::fixture_abs("imp/cup-xmpp.csr"), dir.path().join("cup-xmpp-s2s.csr")).unwrap();
    std::fs::copy(common::fixture_abs("imp/cup-xmpp.pem"), dir.path().join("certnew.cer")).unwrap();
    std::fs::copy(common::fixture_abs("ca/root-ca.pem"), dir.path().join("root.cer")).unwrap();
    std::fs::copy(common::fixture_abs("ca/issuing-ca.pem"), dir.path().join("issuing.cer")).unwrap();
    let (code, doc) = plan(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{doc:#?}");
    let verify = steps(window(&doc, "cup-xmpp-s2s"), "verify");
    assert_eq!(verify.len(), 1, "{verify:?}");
    let command = verify[0].command.as_deref().unwrap();
    assert!(
        command.starts_with("ucert connect cucm-imp.example.com:5269 --xmpp-domain example.com --expect "),
        "{command}"
    );
    assert_eq!(verify[0].condition.as_deref(), Some("where XMPP federation is enabled"));
}

#[test]
fn security_mode_sso_and_publisher_flags_change_the_steps() {
    let (_, mixed) = plan(&[&fixture(CLUSTER), "--mixed-mode", "--sso"]);
    assert_eq!(mixed.security_mode, "mixed");
    let ctl = steps(window(&mixed, "CallManager"), "update-ctl");
    assert!(ctl.len() == 1 && ctl[0].condition.is_none());
    assert!(window(&mixed, "tomcat").steps.iter().all(|s| s.condition.is_none()), "SSO steps are unconditional");
    let (_, non_secure) = plan(&[&fixture(CLUSTER), "--non-secure"]);
    assert!(non_secure.windows.iter().all(|w| steps(w, "update-ctl").is_empty()));
    let (_, other) = plan(&[&fixture(CLUSTER), "--publisher", "cucm-sub"]);
    assert_eq!((other.publisher.as_deref(), other.publisher_source.as_str()), (Some("cucm-sub.example.com"), "flag"));
    assert!(steps(window(&other, "ipsec"), "restart")[0].text.contains("DRF Master on cucm-sub.example.com"));
    assert!(other.cautions.iter().any(|c| c.contains("CAPF runs on the publisher only")), "{:?}", other.cautions);
    let (_, unknown) = plan(&[&fixture(CLUSTER), "--publisher", "cucm-pub2"]);
    assert!(unknown.cautions.iter().any(|c| c.contains("--publisher cucm-pub2 names none of the nodes")));
    let both = ucert().args(["plan", &fixture(CLUSTER), "--mixed-mode", "--non-secure"]).output().unwrap();
    assert_eq!(both.status.code(), Some(2), "the two modes exclude each other");
}

/// One folder per blocker kind: each stops its window at the blocked step, with its reason, and exits 1.
#[test]
fn each_blocker_stops_its_window() {
    let ca = fixture("plan/ca");
    let cases: [(&str, bool, &str); 6] = [
        ("mismatch", true, "CUCM would say \"CSR SAN and Certificate SAN does not match\""),
        ("no-intermediate", false, "CUCM would say \"CA Certificate not available in Trust-Store\""),
        ("waiting", true, "no certificate yet for fixtures/plan/blocked/waiting/TVS.csr"),
        ("superseded", true, "it was issued for a CSR since regenerated"),
        ("key-type", true, "the purpose tomcat takes an RSA key"),
        ("expired-ca", false, "the CA certificate Example Issuing CA 2020"),
    ];
    for (case, with_ca, reason) in cases {
        let dir = fixture(&format!("plan/blocked/{case}"));
        let mut args = vec![dir.as_str()];
        if with_ca {
            args.push(&ca);
        }
        let (code, doc) = plan(&args);
        assert_eq!(code, 1, "{case}");
        assert!(!doc.clear, "{case}");
        let w = &doc.windows[0];
        assert!(w.blocked, "{case}");
        let last = w.steps.last().unwrap();
        assert_eq!(last.kind, "blocked", "{case}: nothing after the blocker: {w:#?}");
        assert!(last.text.contains(reason), "{case}: {}", last.text);
        assert!(w.steps.iter().all(|s| !["restart", "reset-phones", "verify"].contains(&s.kind.as_str())), "{case}");
    }
}

/// Every blocker of a window is listed at once (no fix-one-rerun loop), and after the first one only blockers follow.
#[test]
fn every_blocker_of_a_window_is_listed() {
    let (code, doc) =
        plan(&[&fixture("plan/blocked/mismatch"), &fixture("plan/blocked/key-type"), &fixture("plan/ca")]);
    assert_eq!(code, 1);
    let w = window(&doc, "tomcat");
    let first = w.steps.iter().position(|s| s.kind == "blocked").unwrap();
    assert!(w.steps[first..].iter().all(|s| s.kind == "blocked"), "{w:#?}");
    let mut blocked: Vec<&str> = w.steps[first..].iter().map(|s| s.file.as_deref().unwrap()).collect();
    blocked.sort();
    assert_eq!(blocked, ["fixtures/plan/blocked/key-type/certnew.cer", "fixtures/plan/blocked/mismatch/certnew.cer"]);
}

#[test]
fn cautions_appear_where_they_apply() {
    let (code, doc) = plan(&[&fixture("plan/warn"), &fixture("plan/ca"), "--mixed-mode"]);
    assert_eq!(code, 0, "cautions do not block: {doc:#?}");
    let has = |doc: &PlanJson, text: &str| doc.cautions.iter().any(|c| c.contains(text));
    assert!(has(&doc, "multi-server (SAN) certificate: it is uploaded on one node (cucm-pub.example.com)"));
    assert!(has(&doc, "Example Root CA 4096 has a key of 4096 bits: the cluster is in mixed mode"));
    assert_eq!(doc.nodes, ["cucm-pub.example.com"], "a multi-server CSR's node is its host without -ms");
    let (_, non_secure) = plan(&[&fixture("plan/warn"), &fixture("plan/ca"), "--non-secure"]);
    assert!(!has(&non_secure, "4096 bits"), "no phone checks the CA's key size outside mixed mode");
    let (_, cluster) = plan(&[&fixture(CLUSTER)]);
    let once = cluster.cautions.iter().filter(|c| c.contains("UCCX")).count();
    assert_eq!(once, 1, "each caution once: {:?}", cluster.cautions);
}

/// A trust store folder: what it holds is not uploaded twice; a stored certificate of the same CN that CUCM would
/// keep instead of the new one is deleted first.
#[test]
fn the_current_trust_store_is_taken_into_account() {
    let args = |store: &str| {
        vec![
            fixture("plan/cluster/cucm-pub/tomcat.csr"),
            fixture("plan/ca"),
            fixture("plan/cluster/from-ca"),
            "--trust-store".into(),
            fixture(store),
        ]
    };
    let run = |store: &str| {
        let a = args(store);
        plan(&a.iter().map(String::as_str).collect::<Vec<_>>()).1
    };
    let doc = run("ca/root-ca.pem");
    assert_eq!(doc.trust_store_certificates, 1);
    let tomcat = window(&doc, "tomcat");
    let trust = steps(tomcat, "upload-trust");
    assert_eq!(trust.len(), 1, "the root is there already: {trust:?}");
    assert!(trust[0].text.contains("intermediate Example Issuing CA"));
    let doc = run("trust/root-renewed.pem");
    let tomcat = window(&doc, "tomcat");
    let delete = tomcat.steps.iter().position(|s| s.kind == "delete-trust").expect("a delete step");
    let upload = tomcat.steps.iter().position(|s| s.kind == "upload-trust").unwrap();
    assert!(delete < upload);
    assert!(tomcat.steps[delete].text.starts_with("Delete Example Root CA from tomcat-trust"));
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let out = ucert().args(["plan", "fixtures/plan/no-such-folder", "--at", AT]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no-such-folder"), "{stderr}");
    let (_, doc) = plan(&[&fixture("plan/ca")]);
    assert!(doc.windows.is_empty() && doc.clear, "CA files alone: nothing to plan");
}

/// What `plan` prints through a pipe (fitted to its 100 columns) and its exit code, for a snapshot.
fn snapshot_of(args: &[&str]) -> String {
    let out = ucert_at_width(PIPE_WIDTH).arg("plan").args(args).args(["--at", AT]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    if !args.contains(&"--markdown") {
        let wide = ucert().arg("plan").args(args).args(["--at", AT]).output().unwrap();
        // commands stay whole, to be copied and pasted: the only lines allowed to be wider
        let wrapped: String =
            text.lines().filter(|l| !l.trim_start().starts_with("ucert ")).map(|l| format!("{l}\n")).collect();
        common::assert_fits(&wrapped, PIPE_WIDTH, &String::from_utf8(wide.stdout).unwrap(), &[]);
    }
    format!("exit {}\n{}", out.status.code().unwrap(), common::slashes(&text))
}

#[test]
fn snapshot_plan_clear_cluster() {
    insta::assert_snapshot!(snapshot_of(&[&fixture(CLUSTER), "--mixed-mode"]));
}

#[test]
fn snapshot_plan_blocked() {
    insta::assert_snapshot!(snapshot_of(&[
        &fixture("plan/blocked/mismatch"),
        &fixture("plan/blocked/waiting"),
        &fixture("plan/ca"),
        "--sso"
    ]));
}

#[test]
fn snapshot_plan_markdown() {
    let text = snapshot_of(&[&fixture(CLUSTER), "--markdown", "--non-secure"]);
    let checklist = text.lines().filter(|l| l.starts_with("- [ ] ")).count();
    assert!(checklist > 20, "{text}");
    insta::assert_snapshot!(text);
}
