//! Bad input never panics: every unreadable, malformed, truncated, empty, wrong-kind or huge input gives exit
//! code 2 and one line on stderr, `ucert: <path>: <what is wrong>`. One table, every subcommand that reads files.

mod common;

use std::path::{Path, PathBuf};

use common::{fixture_abs, ucert};

/// Deterministic pseudo-random bytes (no dependency, same bytes on every run).
fn junk(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (x >> 33) as u8
        })
        .collect()
}

struct Case {
    name: &'static str,
    path: PathBuf,
    /// A word the message must contain.
    expect: &'static str,
}

fn cases(dir: &Path) -> Vec<Case> {
    let cert_pem = std::fs::read_to_string(fixture_abs("cucm/tomcat.pem")).unwrap();
    let cert_der = std::fs::read(fixture_abs("forms/certnew-der.cer")).unwrap();
    let write = |name: &str, data: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, data).unwrap();
        p
    };
    let mut junk_with_begin = junk(3000, 7);
    junk_with_begin.splice(100..100, b"-----BEGIN CERTIFICATE-----\n".iter().copied());
    let mut out = vec![
        Case { name: "empty file", path: write("empty.pem", b""), expect: "empty" },
        Case {
            name: "truncated PEM",
            path: write("truncated.pem", &cert_pem.as_bytes()[..cert_pem.len() / 2]),
            expect: "truncated",
        },
        Case {
            name: "truncated DER",
            path: write("truncated.der", &cert_der[..cert_der.len() / 2]),
            expect: "truncated",
        },
        Case { name: "random bytes", path: write("random.bin", &junk(4096, 1)), expect: "neither DER nor PEM" },
        Case {
            name: "binary junk containing -----BEGIN",
            path: write("junk-begin.bin", &junk_with_begin),
            expect: "no END line",
        },
        Case {
            name: "wrong label",
            path: write("wrong-label.pem", cert_pem.replace("CERTIFICATE", "PUBLIC KEY").as_bytes()),
            expect: "holds a certificate",
        },
        Case { name: "nonexistent path", path: dir.join("does-not-exist.pem"), expect: "no such file" },
        Case { name: "a directory", path: dir.to_path_buf(), expect: "is a directory" },
        Case {
            name: "20 MiB of junk",
            path: write("big.bin", &junk(20 * 1024 * 1024, 3)),
            expect: "larger than 16 MiB",
        },
        Case {
            name: "text without a PEM block",
            path: write("notes.txt", b"Please find the certificate attached.\n"),
            expect: "no -----BEGIN line",
        },
    ];
    if let Some(p) = unreadable_file(dir) {
        out.push(Case { name: "permission denied", path: p, expect: "permission denied" });
    }
    out
}

/// A file its reader may not open. As root, the test runs ucert as `nobody` (see [`command_for`]).
fn unreadable_file(dir: &Path) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join("secret.pem");
    std::fs::write(&p, b"-----BEGIN CERTIFICATE-----\n").ok()?;
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).ok()?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).ok()?;
    Some(p)
}

/// Root reads any file, so as root the command drops to `nobody` with setpriv to meet a real EACCES.
fn command_for(case: &Case) -> assert_cmd::Command {
    if case.name == "permission denied" && common::running_as_root() {
        let mut cmd = assert_cmd::Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        cmd.arg(assert_cmd::cargo::cargo_bin("ucert"));
        cmd
    } else {
        ucert()
    }
}

#[test]
fn every_bad_input_is_exit_2_with_one_line_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let all = cases(dir.path());
    assert!(all.iter().any(|c| c.name == "permission denied"));
    let csr = common::fixture_abs("cucm/tomcat.csr").to_string_lossy().into_owned();
    let cert = common::fixture_abs("cucm/tomcat.pem").to_string_lossy().into_owned();
    for case in &all {
        let path = case.path.to_string_lossy().into_owned();
        let invocations: [Vec<&str>; 4] =
            [vec!["inspect", &path], vec!["modulus", &path], vec!["match", &path, &cert], vec!["match", &csr, &path]];
        for args in &invocations {
            let out = command_for(case).args(args).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            let what = format!("{} / {}", case.name, args.join(" "));
            assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "{what}: {stderr}");
            assert!(stderr.starts_with(&format!("ucert: {path}: ")), "{what}: {stderr}");
            assert!(stderr.contains(case.expect), "{what}: expected {:?} in {stderr}", case.expect);
            assert!(!stderr.contains("panicked"), "{what}");
        }
    }
}

#[test]
fn one_bad_block_does_not_hide_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(fixture_abs("cucm/tomcat.pem")).unwrap();
    let bad = "-----BEGIN CERTIFICATE-----\nMIIB!!!notbase64\n-----END CERTIFICATE-----\n";
    let p = dir.path().join("mixed.pem");
    std::fs::write(&p, format!("{good}{bad}{good}")).unwrap();
    let path = p.to_string_lossy().into_owned();
    let out = ucert().args(["inspect", &path]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.matches("certificate (PEM CERTIFICATE").count(), 2, "{stdout}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    let bad_line = good.lines().count() + 1;
    assert!(stderr.contains(&format!("line {bad_line}:")) && stderr.contains("invalid base64"), "{stderr}");
}

#[test]
fn an_unknown_subcommand_or_missing_file_argument_is_a_usage_error() {
    ucert().arg("frobnicate").assert().code(2);
    ucert().arg("inspect").assert().code(2);
}
