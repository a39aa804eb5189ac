//! Output that cannot be written: a reader that went away (`ucert ... | head -1`) ends the run quietly with the exit
//! code it would have had; a full disk (`> /dev/full`) is one line on stderr and exit 2. For every subcommand, in
//! text and JSON, completions and the man page alike.

mod common;

use std::process::Stdio;

use common::{AT, fixture, ucert, ucert_process};

/// One run of every subcommand, with the options that make its output large enough to matter.
fn runs() -> Vec<Vec<String>> {
    let f = fixture;
    let dated = |args: &[String]| [args, &["--at".to_string(), AT.to_string()]].concat();
    let mut runs = vec![
        dated(&["match".into(), f("cucm/tomcat.csr"), f("match/cucm-sub-tomcat.pem"), "-v".into()]),
        dated(&["chain".into(), f("chain/linear-30.pem")]),
        dated(&["trust".into(), f("ca/root-ca.pem"), f("trust/root-renewed.pem")]),
        dated(&["pair".into(), f("cluster")]),
        dated(&["plan".into(), f("plan/cluster")]),
        dated(&["plan".into(), f("plan/cluster"), "--markdown".into()]),
        dated(&["inspect".into(), f("forms/certnew.p7b"), f("cucm/tomcat.csr")]),
        vec!["logs".into(), f("logs/capf-success.txt")],
        vec!["explain".into(), "CSR SAN and Certificate SAN does not match".into()],
        vec!["modulus".into(), f("cucm/tomcat.csr"), f("cucm/tomcat.pem")],
    ];
    let json: Vec<Vec<String>> = runs
        .iter()
        .filter(|r| !r.iter().any(|a| a == "--markdown" || a == "-v"))
        .map(|r| [&r[..], &["--json".into()]].concat())
        .collect();
    runs.extend(json);
    runs.push(vec!["completions".into(), "bash".into()]);
    runs.push(vec!["completions".into(), "fish".into()]);
    runs.push(vec!["man".into()]);
    runs.push(vec!["--help".into()]);
    runs
}

#[test]
fn a_reader_that_went_away_ends_the_run_quietly_with_its_exit_code() {
    for args in runs() {
        let expected = ucert().args(&args).output().unwrap().status.code();
        // the read end is closed before ucert writes anything: every write meets a broken pipe
        let mut child = ucert_process().args(&args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.is_empty(), "{args:?}: said something about the pipe: {stderr}");
        assert_eq!(out.status.code(), expected, "{args:?}: the exit code of the run itself");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_one_line_and_exit_2() {
    for args in runs() {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = ucert_process().args(&args).stdout(full).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if args[0] == "--help" {
            // clap writes the help itself; it must not crash
            assert_ne!(out.status.code(), Some(101), "{stderr}");
            continue;
        }
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one line: {stderr}");
        assert!(stderr.starts_with("ucert: cannot write the output: "), "{args:?}: {stderr}");
    }
}
