//! The tool around the checks: completions, man page, version, help with examples, and `explain`.

mod common;

use common::ucert;

const SUBCOMMANDS: &[&str] = &[
    "match",
    "chain",
    "trust",
    "pair",
    "plan",
    "logs",
    "connect",
    "explain",
    "completions",
    "man",
    "inspect",
    "modulus",
];

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
        assert!(text.contains("purpose") && text.contains("timeout"), "{shell} completes flags");
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

/// Every subcommand that writes a report takes `-q` (nothing on stdout, the same exit code) and `--json`.
#[test]
fn every_report_subcommand_takes_quiet_and_json() {
    let f = common::fixture;
    let runs: Vec<Vec<String>> = vec![
        vec!["match".into(), f("cucm/tomcat.csr"), f("cucm/CallManager.pem")],
        vec!["chain".into(), f("chain/missing-intermediate.pem")],
        vec!["trust".into(), f("ca/root-ca.pem"), f("cucm/tomcat.pem")],
        vec!["pair".into(), f("cluster")],
        vec!["plan".into(), f("plan/cluster")],
        vec!["plan".into(), f("plan/blocked/waiting")],
        vec!["logs".into(), f("logs/nginx-curl6-resolve.log")],
        vec!["explain".into(), "CAA1015".into()],
        vec!["inspect".into(), f("cucm/tomcat.pem")],
        vec!["modulus".into(), f("cucm/tomcat.csr"), f("cucm/tomcat-ECDSA.pem")],
    ];
    for args in &runs {
        let plain = ucert().args(args).args(["--at", common::AT]).output();
        // logs, explain and modulus judge no validity: they take no --at
        let plain = match plain.unwrap() {
            out if out.status.code() == Some(2) => ucert().args(args).output().unwrap(),
            out => out,
        };
        let at: &[&str] =
            if plain.status.code() == Some(2) || ["logs", "explain", "modulus"].contains(&args[0].as_str()) {
                &[]
            } else {
                &["--at", common::AT]
            };
        let quiet = ucert().args(args).args(at).arg("-q").output().unwrap();
        assert!(quiet.stdout.is_empty(), "{args:?} -q: {}", String::from_utf8_lossy(&quiet.stdout));
        assert_eq!(quiet.status.code(), plain.status.code(), "{args:?}: -q keeps the exit code");
        let json = ucert().args(args).args(at).arg("--json").output().unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        assert_eq!(doc["schema"], 1, "{args:?}");
        assert_eq!(json.status.code(), plain.status.code(), "{args:?}: --json keeps the exit code");
    }
}

/// Under `--json` an error is a JSON object on stdout too (kind, path, message), with exit code 2; usage errors
/// included.
#[test]
fn under_json_an_error_is_a_json_object_too() {
    let cases: [(&[&str], &str, Option<&str>); 5] = [
        (&["match", "--json", "no-such.csr", "fixtures/cucm/tomcat.pem"], "not-found", Some("no-such.csr")),
        (&["match", "--json", "fixtures/cucm/tomcat.pem", "fixtures/cucm/tomcat.pem"], "wrong-kind", None),
        (&["inspect", "--json", "fixtures"], "", None),
        (&["logs", "--json", "fixtures/cucm/tomcat.pem"], "unreadable", Some("fixtures/cucm/tomcat.pem")),
        (&["match", "--json", "only-one-argument"], "usage", None),
    ];
    for (args, kind, path) in cases {
        let out = ucert().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let doc: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {:?}", out.stdout));
        assert_eq!(doc["schema"], 1);
        if kind.is_empty() {
            // inspect reports each file, with its error, in its own JSON
            assert!(doc["files"][0]["error"].as_str().is_some_and(|e| e.contains("ucert pair fixtures")), "{doc}");
            continue;
        }
        assert_eq!(doc["error"]["kind"], kind, "{args:?}: {doc}");
        assert!(doc["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
        if let Some(path) = path {
            assert_eq!(doc["error"]["path"], path);
        }
        assert!(!out.stderr.is_empty(), "the one-line diagnostic stays on stderr");
    }
}

/// A folder given where a file goes points to `ucert pair`; the top-level help ends with examples.
#[test]
fn a_folder_points_to_pair_and_the_help_ends_with_examples() {
    for args in [["match", "fixtures/cluster", "fixtures/cucm/tomcat.pem"], ["inspect", "fixtures/cluster", "-q"]] {
        let out = ucert().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains(
                "is a directory, not a file: for a folder of CSRs and certificates, run 'ucert pair fixtures/cluster'"
            ),
            "{err}"
        );
    }
    let help = ucert().arg("--help").output().unwrap();
    let text = String::from_utf8(help.stdout).unwrap();
    let tail: Vec<&str> = text.trim_end().lines().rev().take(3).collect();
    assert!(tail.iter().any(|l| l.contains("ucert match tomcat.csr certnew.cer")), "{text}");
    assert!(
        tail.iter().any(|l| l.contains("ucert pair")) && tail.iter().any(|l| l.contains("ucert explain")),
        "{text}"
    );
}

/// On Windows, a folder quoted with its final backslash (`"C:\My Certs\"`, as Windows PowerShell passes on its
/// completion's `'C:\My Certs\'`) has the backslash escape the closing quote: the folder arrives as `C:\My Certs"`, and what follows on the line joins it. The first is read as
/// meant; the second is refused with how to write the folder. (Runs in the Windows suite, under wine in CI.)
#[cfg(windows)]
#[test]
fn a_quoted_folder_with_its_final_backslash_is_read_on_windows() {
    use std::os::windows::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("My Certs");
    std::fs::create_dir(&folder).unwrap();
    for name in ["tomcat.csr", "tomcat.pem"] {
        std::fs::copy(common::fixture_abs(&format!("cucm/{name}")), folder.join(name)).unwrap();
    }
    let quoted = format!("\"{}\\\"", folder.display());
    let out = common::ucert_process().args(["pair", "--at", common::AT, "--json"]).raw_arg(&quoted).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("\"pairs\": 1,"), "{stdout}");
    let out = common::ucert_process().args(["pair"]).raw_arg(format!("{quoted} --json")).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("without its last backslash (\"{}\")", folder.display())), "{stderr}");
}
