//! Bad input never panics: every unreadable, malformed, truncated, empty, wrong-kind or huge input gives exit
//! code 2 and one line on stderr, `ucert: <path>: <what is wrong>`. One table, every subcommand that reads files.

mod common;

use std::path::{Path, PathBuf};

use common::{fixture, fixture_abs, ucert};

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
    // the tbsCertificate's length one byte short: the inner lengths no longer add up
    let mut wrong_length = cert_der.clone();
    assert_eq!(&wrong_length[4..6], &[0x30, 0x82]);
    wrong_length[7] = wrong_length[7].wrapping_sub(1);
    let far_beyond = [&[0x30, 0x84, 0x7f, 0xff, 0xff, 0xff][..], &cert_der[4..64]].concat();
    // indefinite lengths that never end (no end-of-contents octets)
    let unterminated = [&[0x30, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01][..], &junk(200, 5)].concat();
    let deep = (0..10_000).fold(vec![0x05, 0x00], |inner, _| ucert::model::der::tlv(0x30, &inner));
    let mut bad_blocks = String::new();
    for i in 0..10_000 {
        bad_blocks.push_str(&format!("-----BEGIN CERTIFICATE-----\nMIIB{i}!!!\n-----END CERTIFICATE-----\n"));
    }
    let big = dir.join("huge.bin");
    std::fs::File::create(&big).unwrap().set_len(100 * 1024 * 1024).unwrap(); // sparse: no disk used
    #[cfg_attr(not(unix), allow(unused_mut))]
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
        Case { name: "wrong DER lengths", path: write("wrong-length.der", &wrong_length), expect: "certificate" },
        Case {
            name: "a declared length far beyond the data",
            path: write("far.der", &far_beyond),
            expect: "truncated",
        },
        Case {
            name: "indefinite-length BER that never ends",
            path: write("indefinite.der", &unterminated),
            expect: "truncated",
        },
        Case {
            name: "10,000-deep nested SEQUENCEs",
            path: write("deep.der", &deep),
            expect: "not a certificate, CSR, PKCS#7 or key",
        },
        Case {
            name: "non-base64 bytes in a PEM body",
            path: write("non-base64.pem", b"-----BEGIN CERTIFICATE-----\nMIIB$%^&*()\n-----END CERTIFICATE-----\n"),
            expect: "invalid base64",
        },
        Case {
            name: "wrong label",
            path: write("wrong-label.pem", cert_pem.replace("CERTIFICATE", "PUBLIC KEY").as_bytes()),
            expect: "holds a certificate",
        },
        Case {
            name: "unknown label",
            path: write("unknown-label.pem", cert_pem.replace("CERTIFICATE", "SSH2 PUBLIC KEY").as_bytes()),
            expect: "labelled 'SSH2 PUBLIC KEY'",
        },
        Case {
            name: "10,000 bad PEM blocks in one file",
            path: write("many.pem", bad_blocks.as_bytes()),
            expect: "and 9999 more",
        },
        Case { name: "random bytes", path: write("random.bin", &junk(4096, 1)), expect: "neither DER nor PEM" },
        Case {
            name: "binary junk containing -----BEGIN",
            path: write("junk-begin.bin", &junk_with_begin),
            expect: "no END line",
        },
        Case { name: "nonexistent path", path: dir.join("does-not-exist.pem"), expect: "no such file" },
        Case { name: "a directory", path: dir.to_path_buf(), expect: "is a directory" },
        Case {
            name: "20 MiB of junk",
            path: write("big.bin", &junk(20 * 1024 * 1024, 3)),
            expect: "larger than 16 MiB",
        },
        Case { name: "a 100 MB file", path: big, expect: "larger than 16 MiB" },
        Case {
            name: "text without a PEM block",
            path: write("notes.txt", b"Please find the certificate attached.\n"),
            expect: "no -----BEGIN line",
        },
        // what lands beside certificates: the e-mail they came in, and what macOS leaves in folders and ZIPs
        Case {
            name: "a saved e-mail with the certificate attached",
            path: write(
                "certificate.eml",
                b"From: pki@example.com\r\nSubject: Your certificate\r\nMIME-Version: 1.0\r\nContent-Type: \
                  multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Transfer-Encoding: base64\r\n\r\nMIIB\r\n--b--\r\n",
            ),
            expect: "a saved e-mail (a MIME message, .eml): save the certificate attached to it as a file",
        },
        Case {
            name: "an Outlook message",
            path: write("certificate.msg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00\x00\x00\x00\x00"),
            expect: "an Outlook message (.msg) or an older Office document",
        },
        Case {
            name: "macOS AppleDouble metadata",
            path: write("._tomcat.csr", b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02"),
            expect: "macOS metadata (an AppleDouble '._' file",
        },
        Case {
            name: "macOS folder settings",
            path: write(".DS_Store", b"\x00\x00\x00\x01Bud1\x00\x00\x10\x00"),
            expect: "macOS Finder's folder settings (.DS_Store)",
        },
        // what copying a certificate out of an e-mail, a chat or a web page does to it
        Case {
            name: "a zero-width space pasted into the body",
            path: write("zwsp.pem", cert_pem.replacen("\nMII", "\nMII\u{200b}", 1).as_bytes()),
            expect: "line 2, column 4: a zero-width space, invisible; copied from an e-mail, chat or web page?",
        },
        Case {
            name: "no-break spaces starting the lines",
            path: write("nbsp.pem", cert_pem.replace('\n', "\n\u{a0}").as_bytes()),
            expect: "line 2, column 1: a no-break space",
        },
        Case {
            name: "typographic dashes",
            path: write("dashes.pem", cert_pem.replace("-----", "\u{2014}\u{2013}").as_bytes()),
            expect: "a BEGIN line that is not PEM's (line 1: '\u{2014}\u{2013}BEGIN CERTIFICATE\u{2014}\u{2013}'): its \
                     dashes are typographic",
        },
    ];
    #[cfg(unix)]
    {
        out.push(Case { name: "/dev/zero", path: PathBuf::from("/dev/zero"), expect: "larger than 16 MiB" });
        out.push(Case {
            name: "a FIFO nobody writes to",
            path: fifo(dir, "silent.fifo"),
            expect: "no data arrived for 0.3 s",
        });
        if let Some(p) = unreadable_file(dir) {
            out.push(Case { name: "permission denied", path: p, expect: "permission denied" });
        }
    }
    out
}

/// A named pipe (mkfifo); nobody ever writes to it or closes it.
#[cfg(unix)]
fn fifo(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    let ok = std::process::Command::new("mkfifo").arg(&p).status().unwrap().success();
    assert!(ok, "mkfifo");
    p
}

/// A file its reader may not open. As root, the test runs ucert as `nobody` (see [`command_for`]).
#[cfg(unix)]
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
    assert!(cfg!(not(unix)) || all.iter().any(|c| c.name == "permission denied"));
    let csr = common::fixture_abs("cucm/tomcat.csr").to_string_lossy().into_owned();
    let cert = common::fixture_abs("cucm/tomcat.pem").to_string_lossy().into_owned();
    for case in &all {
        let path = case.path.to_string_lossy().into_owned();
        let invocations: [Vec<&str>; 5] = [
            vec!["inspect", &path],
            vec!["modulus", &path],
            vec!["match", &path, &cert],
            vec!["match", &csr, &path],
            vec!["chain", &path],
        ];
        for args in &invocations {
            // a guard against hangs, not a speed test: every case ends in well under a second
            let out = command_for(case)
                .args(args)
                .arg("--timeout=0.3")
                .timeout(std::time::Duration::from_secs(20))
                .output()
                .unwrap();
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

#[cfg(unix)]
#[test]
fn a_fifo_that_never_closes_is_given_up_on() {
    // a writer that sends part of a certificate and then keeps the pipe open
    let dir = tempfile::tempdir().unwrap();
    let path = fifo(dir.path(), "open.fifo");
    let writer_path = path.clone();
    let writer = std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new().write(true).open(&writer_path).unwrap();
        std::io::Write::write_all(&mut f, b"-----BEGIN CERTIFICATE-----\nMIIB").unwrap();
        std::thread::sleep(std::time::Duration::from_secs(2));
    });
    let p = path.to_string_lossy().into_owned();
    let out =
        ucert().args(["inspect", "--timeout", "0.5", &p]).timeout(std::time::Duration::from_secs(20)).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        format!("ucert: {p}: no data arrived for 0.5 s (a pipe or device that never closes? see --timeout)\n")
    );
    let _ = writer.join();
}

#[cfg(target_os = "linux")] // GNU time
#[test]
fn bad_input_uses_bounded_memory() {
    // the worst cases for memory: 100 MB and /dev/zero are refused at 16 MiB, 10,000 blocks stay small
    let dir = tempfile::tempdir().unwrap();
    let all = cases(dir.path());
    for case in all.iter().filter(|c| c.name.contains("100 MB") || c.name.contains("zero") || c.name.contains("10,000"))
    {
        let rss = max_rss_kib(&["inspect", &case.path.to_string_lossy()]);
        assert!(rss < 200 * 1024, "{}: {rss} KiB", case.name);
    }
}

/// Peak memory of a ucert run, measured by GNU time.
#[cfg(target_os = "linux")]
fn max_rss_kib(args: &[&str]) -> u64 {
    let out = std::process::Command::new("/usr/bin/time")
        .args(["-f", "maxrss_kib=%M"])
        .arg(assert_cmd::cargo::cargo_bin("ucert"))
        .args(args)
        .output()
        .expect("GNU time (apt-get install time)");
    let err = String::from_utf8_lossy(&out.stderr);
    err.rsplit("maxrss_kib=").next().and_then(|v| v.trim().parse().ok()).unwrap_or(u64::MAX)
}

#[test]
fn odd_but_valid_inputs_are_read_and_their_oddities_shown() {
    for (file, needle) in [
        ("odd/bmp-subject.pem", "O = Exämple, CN = cucm-bmp.example.com"),
        ("odd/t61-subject.pem", "CN = cucm-t61.example.com"),
        ("odd/utf8-subject.pem", "O = Exämple Ünïcode"),
        ("odd/generalized-time.pem", "not after      2055-01-01 00:00:00 UTC"),
        ("odd/empty-san-entry.pem", "warning: subjectAltName has an empty DNS entry"),
        ("odd/ip-san-wrong-length.pem", "warning: subjectAltName has an IP address of 3 bytes"),
        ("odd/unknown-critical.pem", "warning: unknown extension 1.3.6.1.4.1.99999.1 is marked critical"),
        ("odd/mixed-line-ends.pem", "CN = cucm-pub.example.com"),
    ] {
        let out = ucert().args(["inspect", "--at", common::AT, &common::fixture(file)]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{file}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(needle), "{file}: {needle:?} not in\n{text}");
    }
}

#[test]
fn a_duplicated_extension_and_indefinite_lengths_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let der = std::fs::read(fixture_abs("forms/certnew-der.cer")).unwrap();
    // indefinite-length outer SEQUENCE (BER), as openssl also reads it
    let indefinite = [&[0x30, 0x80][..], &der[4..], &[0, 0]].concat();
    let p = dir.path().join("indefinite.der");
    std::fs::write(&p, indefinite).unwrap();
    let out = ucert().args(["inspect", &p.to_string_lossy()]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    // the certificate with its subjectKeyIdentifier extension twice (the signature no longer matters to inspect)
    let p = dir.path().join("duplicate.der");
    std::fs::write(&p, with_duplicated_first_extension(&der)).unwrap();
    let out = ucert().args(["inspect", &p.to_string_lossy()]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("warning: extension subjectKeyIdentifier appears more than once"), "{text}");
}

/// Re-encodes a certificate with the first extension of its [3] list repeated.
fn with_duplicated_first_extension(der: &[u8]) -> Vec<u8> {
    use ucert::model::der::{children, read_element, tlv};
    let (cert, _) = read_element(der).unwrap();
    let parts = children(cert.content()).unwrap();
    let tbs_fields = children(parts[0].content()).unwrap();
    let mut tbs = Vec::new();
    for f in &tbs_fields {
        if f.is_context(3) {
            let (list, _) = read_element(f.content()).unwrap();
            let exts = children(list.content()).unwrap();
            let mut body: Vec<u8> = exts.iter().flat_map(|e| e.raw.to_vec()).collect();
            body.extend_from_slice(exts[0].raw);
            tbs.extend(tlv(0xa3, &tlv(0x30, &body)));
        } else {
            tbs.extend_from_slice(f.raw);
        }
    }
    let mut body = tlv(0x30, &tbs);
    body.extend_from_slice(parts[1].raw);
    body.extend_from_slice(parts[2].raw);
    tlv(0x30, &body)
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
    // a damaged block beside readable ones is a warning, not a failure of the file
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.matches("certificate (PEM CERTIFICATE").count(), 2, "{stdout}");
    let bad_line = good.lines().count() + 1;
    assert!(stdout.contains(&format!("warning: PEM block CERTIFICATE at line {bad_line}: invalid base64")), "{stdout}");
    // the other commands go on with what was read and name the block left out on stderr: `chain` plans the leaf
    // (its issuer is not in the file: exit 1), `match` and `trust` use the certificate
    let path = fixture("odd/cert-and-damaged-block.pem");
    let warning = format!("{path}: warning: PEM block CERTIFICATE at line 24: invalid base64");
    let ca = fixture("ca/issuing-ca.pem");
    let runs: [(&[&str], i32); 4] = [
        (&["chain", &path], 1),
        (&["chain", &path, &ca, &fixture("ca/root-ca.pem")], 0),
        (&["match", &fixture("cucm/tomcat.csr"), &path], 0),
        (&["trust", &path, &fixture("cucm/tomcat.pem")], 0),
    ];
    for (args, code) in runs {
        let out = ucert().args(args).args(["--at", common::AT]).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(&warning) && stderr.contains("(left out; the rest of the file was read)"), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

/// A certificate with its key below it, encrypted: the key is listed (kind and cipher), never decrypted, and the
/// file reads whole (exit 0); the certificate is usable by `match` and `chain`.
#[test]
fn an_encrypted_key_beside_a_certificate_is_listed_not_refused() {
    let file = common::fixture("odd/cert-and-encrypted-key.pem");
    let out = ucert().args(["inspect", "--at", common::AT, &file]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("encrypted private key (RSA PRIVATE KEY, legacy PEM encryption with AES-256-CBC;"), "{text}");
    let json = ucert().args(["inspect", "--json", &file]).output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["files"][0]["encrypted_keys"][0]["source"]["line"], 24);
    assert_eq!(doc["files"][0]["objects"].as_array().unwrap().len(), 1);
    let out = ucert().args(["match", "--at", common::AT, &common::fixture("cucm/tomcat.csr"), &file]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    // a damaged extra block: the certificate is listed, the block is a warning
    let out = ucert().args(["inspect", &common::fixture("odd/cert-and-damaged-block.pem")]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout).unwrap().contains("warning: PEM block CERTIFICATE at line 24"));
}

#[test]
fn an_unknown_subcommand_or_missing_file_argument_is_a_usage_error() {
    ucert().arg("frobnicate").assert().code(2);
    ucert().arg("inspect").assert().code(2);
}

/// Archives made by the real tools (a CA's certificates zipped, logs zipped or tarred for TAC), stored or
/// compressed: each reader names what the file is and what to do, in one line, exit 2, and reads nothing out of
/// it (a ZIP that stores a PEM file has its BEGIN line inside; a stored log's lines sit between binary headers).
/// Every reader opens a ZIP (`tests/zip_archives.rs`, and `logs`'s tests). `pair` lists the others with the same
/// reason. Skipped where zip, tar or gzip is missing.
#[test]
fn archives_are_named_with_what_to_do() {
    let tools = ["zip", "tar", "gzip"];
    if let Some(missing) = tools.iter().find(|t| std::process::Command::new(t).arg("--version").output().is_err()) {
        eprintln!("archives_are_named_with_what_to_do: skipped: {missing} is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("archives");
    std::fs::create_dir(&work).unwrap();
    for (from, to) in [("cucm/tomcat.pem", "tomcat.pem"), ("logs/nginx-success.log", "error.log")] {
        std::fs::copy(fixture_abs(from), work.join(to)).unwrap();
    }
    let run = |program: &str, args: &[&str]| {
        let status = std::process::Command::new(program).args(args).current_dir(&work).status().unwrap();
        assert!(status.success(), "{program} {args:?}");
    };
    run("zip", &["-q", "-0", "stored.zip", "tomcat.pem", "error.log"]);
    run("zip", &["-q", "deflated.zip", "tomcat.pem", "error.log"]);
    run("tar", &["cf", "logs.tar", "error.log"]);
    run("tar", &["czf", "logs.tar.gz", "error.log"]);
    run("gzip", &["-k", "tomcat.pem"]);
    let path = |name: &str| work.join(name).to_string_lossy().into_owned();
    let readers = |file: &str| -> Vec<Vec<String>> {
        [vec!["inspect", file], vec!["modulus", file], vec!["match", &common::fixture("cucm/tomcat.csr"), file]]
            .into_iter()
            .chain([vec!["chain", file], vec!["logs", file]])
            .map(|args| args.into_iter().map(String::from).collect())
            .collect()
    };
    let tar = "a tar archive: extract it (tar xf FILE), and give ucert the";
    // "": opened (a ZIP by every reader, gzip by `logs`)
    for (name, objects, logs) in [
        ("stored.zip", "", ""),
        ("deflated.zip", "", ""),
        ("logs.tar", tar, ""),
        ("logs.tar.gz", "gzip-compressed data: decompress it (gunzip)", ""),
        ("tomcat.pem.gz", "gzip-compressed data: decompress it (gunzip), and give ucert the files inside", ""),
    ] {
        let file = path(name);
        for args in readers(&file) {
            let out = ucert().args(&args).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            let is_logs = args[0] == "logs";
            if is_logs && logs.is_empty() && (name.starts_with("logs.") || name.ends_with(".zip")) {
                // an archive is opened by `logs`: the log inside read, the certificate (in the ZIPs) listed as
                // no log
                let text = String::from_utf8_lossy(&out.stdout);
                assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
                assert!(text.contains(&format!("{name}/error.log: NGINX error.log")), "{args:?}: {text}");
                if name.ends_with(".zip") {
                    assert!(text.contains(&format!("{name}/tomcat.pem: not a CAPF trace")), "{args:?}: {text}");
                }
                continue;
            }
            if is_logs && logs.is_empty() {
                // a gzip-compressed file is opened by `logs` (a certificate in it is just not a log)
                assert!(stderr.contains("not a CAPF trace"), "{args:?}: {stderr}");
                continue;
            }
            if !is_logs && objects.is_empty() {
                // a ZIP is opened: the certificate read, the log inside left out with why (inspect says so in its
                // report, the others on stderr)
                let said = format!("{}{stderr}", String::from_utf8_lossy(&out.stdout));
                assert!(said.contains("error.log in the ZIP: "), "{args:?}: {said}");
                assert_ne!(out.status.code(), Some(2), "{args:?}: {stderr}");
                continue;
            }
            let expect = if is_logs { logs } else { objects };
            assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
            assert!(stderr.starts_with(&format!("ucert: {file}: {expect}")), "{args:?}: {stderr}");
            let inside = if is_logs { "the logs inside (it reads plain and gzip-compressed logs)" } else { "" };
            assert!(stderr.trim_end().ends_with(inside), "{args:?}: {stderr}");
        }
    }
    // pair lists each archive among the files with nothing to pair, with the reason, and pairs the rest
    let out = ucert().args(["pair", "--json", "--at", common::AT, &path("")]).output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let unknown = doc["unknown"].as_array().unwrap();
    let reason = |name: &str| {
        unknown.iter().find(|u| u["path"].as_str().unwrap().ends_with(name)).map(|u| u["reason"].to_string())
    };
    assert!(reason("logs.tar").unwrap().contains(tar), "{unknown:?}");
    assert!(reason("stored.zip").is_none(), "a ZIP is read: {unknown:?}");
    assert!(reason("tomcat.pem").is_none(), "the certificate itself is read: {unknown:?}");
}

/// What copy and paste leaves in a certificate, against openssl: ucert reads the file exactly when `openssl x509`
/// does (openssl drops white space, control characters and non-ASCII bytes at a line's end, and refuses them
/// inside the base64), and names the character it refuses.
#[test]
fn pasted_characters_are_read_exactly_when_openssl_reads_them() {
    if !common::has_openssl("pasted_characters_are_read_exactly_when_openssl_reads_them") {
        return;
    }
    let pem = std::fs::read_to_string(fixture_abs("cucm/tomcat.pem")).unwrap();
    let lines: Vec<&str> = pem.lines().collect();
    // the line (0-based) of the body to spoil, and how
    type Spoil = fn(&str) -> String;
    let variants: [(&str, usize, Spoil); 9] = [
        ("no-break space after the base64", 3, |l| format!("{l}\u{a0}")),
        ("zero-width space after the base64", 3, |l| format!("{l}\u{200b}")),
        ("no-break space after the BEGIN line", 0, |l| format!("{l}\u{a0}")),
        ("a control character after the base64", 3, |l| format!("{l}\u{1}")),
        ("no-break space before the base64", 3, |l| format!("\u{a0}{l}")),
        ("zero-width space inside the base64", 3, |l| format!("{}\u{200b}{}", &l[..10], &l[10..])),
        ("quoted e-mail", 3, |l| format!("> {l}")),
        ("HTML line break", 3, |l| format!("{l}<br>")),
        ("an exclamation mark after the base64", 3, |l| format!("{l}!")),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, at, spoil) in variants {
        let mut spoiled: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        spoiled[at] = spoil(&spoiled[at]);
        let path = dir.path().join("pasted.pem");
        std::fs::write(&path, spoiled.join("\n") + "\n").unwrap();
        let file = path.to_string_lossy().into_owned();
        let openssl_reads = openssl_reads(&file);
        let ours = ucert().args(["inspect", "--at", common::AT, &file]).output().unwrap();
        let stderr = String::from_utf8_lossy(&ours.stderr);
        assert_eq!(ours.status.success(), openssl_reads, "{name}: openssl and ucert disagree: {stderr}");
        if !ours.status.success() {
            assert!(stderr.contains(&format!("line {}, column ", at + 1)), "{name}: {stderr}");
        }
    }
}

/// Boundaries ucert reads and openssl does not (an indented or one-line paste): ucert reads the certificate and
/// says, as a warning, that openssl does not read the file as it stands, exactly when `openssl x509` refuses it
/// (`match` and `modulus`).
#[test]
fn boundaries_openssl_refuses_are_read_with_a_warning() {
    if !common::has_openssl("boundaries_openssl_refuses_are_read_with_a_warning") {
        return;
    }
    let pem = std::fs::read_to_string(fixture_abs("cucm/tomcat.pem")).unwrap();
    type Reframe = fn(&str) -> String;
    let variants: [(&str, Reframe); 10] = [
        ("as it is", |p| p.to_string()),
        ("CRLF line ends", |p| p.replace('\n', "\r\n")),
        ("spaces after the BEGIN line", |p| p.replacen("-----\n", "-----   \n", 1)),
        ("a no-break space after the END line", |p| p.trim_end().to_string() + "\u{a0}\n"),
        ("an indented BEGIN line", |p| p.replace("-----BEGIN", "  -----BEGIN")),
        ("a no-break space before the END line", |p| p.replace("-----END", "\u{a0}-----END")),
        ("text before the BEGIN line", |p| p.replace("-----BEGIN", "Certificate: -----BEGIN")),
        ("a one-line paste", |p| p.replace('\n', " ")),
        ("the last base64 on the END line", |p| p.replace("\n-----END", "-----END")),
        ("six dashes", |p| p.replace("-----BEGIN", "------BEGIN")),
    ];
    // the openssl pipeline's answer for the file as it is
    let line = common::run_tool("openssl", &["x509", "-noout", "-modulus", "-in", &common::fixture("cucm/tomcat.pem")]);
    let md5 = common::openssl_md5_hex(&line);
    let dir = tempfile::tempdir().unwrap();
    for (name, reframe) in variants {
        let path = dir.path().join("framed.pem");
        std::fs::write(&path, reframe(&pem)).unwrap();
        let file = path.to_string_lossy().into_owned();
        let openssl_reads = openssl_reads(&file);
        let csr = common::fixture("cucm/tomcat.csr");
        let out = ucert().args(["match", "--at", common::AT, &csr, &file]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
        let warned = stderr.contains("openssl does not read this block as it stands (");
        assert_eq!(warned, !openssl_reads, "{name}: openssl and ucert's warning disagree: {stderr}");
        assert!(stderr.lines().count() <= 1, "{name}: {stderr}");
        // modulus gives the key's MD5 on stdout and the same warning on stderr: the openssl pipeline would not
        let modulus = ucert().args(["modulus", &file]).output().unwrap();
        assert_eq!(modulus.status.code(), Some(0), "{name}");
        assert!(String::from_utf8_lossy(&modulus.stdout).starts_with(&format!("{md5}  ")), "{name}");
        assert_eq!(String::from_utf8_lossy(&modulus.stderr).contains("openssl does not read this block"), warned);
    }
}

/// Whether `openssl x509` reads the certificate file (the answer the paste and framing tests hold ucert to).
fn openssl_reads(file: &str) -> bool {
    std::process::Command::new("openssl").args(["x509", "-noout", "-in", file]).output().unwrap().status.success()
}
