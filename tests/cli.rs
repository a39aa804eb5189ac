//! The tool around the checks: completions, man page, version, help with examples, and `explain`.

mod common;

use common::ucert;

const SUBCOMMANDS: &[&str] =
    &["match", "chain", "trust", "pair", "logs", "connect", "explain", "completions", "man", "inspect", "modulus"];

#[test]
fn completions_for_every_shell_mention_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = ucert().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.len() > 1000, "{shell}: {} bytes", text.len());
        for sub in SUBCOMMANDS {
            assert!(text.contains(sub), "{shell} completion lacks {sub}");
        }
        assert!(text.contains("purpose") && text.contains("read-timeout"), "{shell} completes flags");
    }
}

#[test]
fn the_man_page_is_roff_and_names_every_subcommand() {
    let out = ucert().arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(".TH ucert 1"));
    for sub in SUBCOMMANDS {
        assert!(text.contains(&format!("ucert\\-{sub}")) || text.contains(sub), "man page lacks {sub}");
    }
}

#[test]
fn version_names_the_commit() {
    let out = ucert().arg("--version").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with(&format!("ucert {} (", env!("CARGO_PKG_VERSION"))), "{text}");
    assert!(text.trim_end().ends_with(')'));
}

#[test]
fn every_subcommand_help_has_an_example() {
    for sub in SUBCOMMANDS {
        let out = ucert().args([sub, "--help"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{sub}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Examples:\n  ucert "), "{sub} --help has no example:\n{text}");
    }
}

#[test]
fn explain_turns_a_pasted_error_into_the_command_that_checks_it() {
    let out =
        ucert().args(["explain", "Error: csr public key and certificate public key doesn't match"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("CUCM says: CSR public key and Certificate public key do not match"), "{text}");
    assert!(text.contains("CSR was regenerated"));
    assert!(text.contains("ucert match <purpose>.csr certnew.cer"));
    // the version-dependent message offers both causes
    let out = ucert()
        .args(["explain", "The file /usr/local/platform/upload/certs//tomcat.der could not be uploaded."])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("does not exist") && text.contains("do not match"), "{text}");
}

#[test]
fn explain_says_when_it_does_not_know_and_lists_what_it_knows() {
    let out = ucert().args(["explain", "the printer is out of paper"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("UNKNOWN:"));
    assert!(text.contains("CA Certificate not available in Trust-Store"));
    let out = ucert().args(["explain", "--json", "CAA1016"]).output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], 1);
    assert_eq!(doc["explanation"]["entry"]["id"], "san");
    assert_eq!(doc["explanation"]["entry"]["text"], "CSR SAN and Certificate SAN does not match");
}

#[test]
fn every_cucm_message_ucert_prints_is_one_explain_knows() {
    // the texts `match` puts in cucm_error must all be explainable
    for text in [
        ucert::cucm::PUBLIC_KEY_MISMATCH,
        ucert::cucm::SAN_MISMATCH,
        ucert::cucm::CA_NOT_IN_TRUST_STORE,
        ucert::cucm::READ_ERROR,
        ucert::cucm::DER_NOT_UPLOADED,
        &ucert::cucm::Purpose::Tomcat.csr_missing_message().unwrap_or_default(),
    ] {
        assert!(
            ucert::cucm::explain::explain(text).is_some_and(|e| e.score >= 1.0 || e.entry.text.contains("<purpose>")),
            "{text}"
        );
    }
}
