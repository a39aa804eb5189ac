//! ZIP archives as CAs deliver them (GoDaddy, DigiCert and Sectigo zip the certificate with its chain; CSRs travel
//! zipped by e-mail), made by the real `zip` tool (Info-ZIP, what Debian ships; skipped where it is missing): read
//! as a bundle by every reader of certificates, each object naming the file inside; and every archive ucert does
//! not open (encrypted, another compression, a ZIP inside, a bomb, too many files, damaged, empty) refused in one
//! line with exit 2.

mod common;

use std::path::{Path, PathBuf};

use common::{AT, fixture, fixture_abs, ucert};

/// A folder to build archives in, or None (and a message) where `zip` is not installed.
fn workshop(test: &str) -> Option<tempfile::TempDir> {
    if std::process::Command::new("zip").arg("-v").output().is_err() {
        eprintln!("{test}: skipped: zip is not installed");
        return None;
    }
    Some(tempfile::tempdir().unwrap())
}

/// Runs `zip ARGS` in `dir`.
fn zip(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("zip").args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "zip {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Copies fixtures into `dir` under new names (folders made as needed).
fn place(dir: &Path, files: &[(&str, &str)]) {
    for (from, to) in files {
        let to = dir.join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(fixture_abs(from), to).unwrap();
    }
}

/// A CA's delivery, as GoDaddy's: the certificate and the chain in a folder, a note, and what macOS's Finder adds
/// when it compresses (`__MACOSX/`, `._` files).
fn delivery(dir: &Path, options: &[&str]) -> PathBuf {
    place(dir, &[("cucm/tomcat.pem", "cucm-pub/3f2a9c.crt"), ("ca/issuing-ca.pem", "cucm-pub/gd_bundle.crt")]);
    let bundle = dir.join("cucm-pub/gd_bundle.crt");
    let mut chain = std::fs::read(&bundle).unwrap();
    chain.extend(std::fs::read(fixture_abs("ca/root-ca.pem")).unwrap());
    std::fs::write(&bundle, chain).unwrap();
    std::fs::write(dir.join("cucm-pub/README.txt"), "Install the certificate with its bundle.\n").unwrap();
    std::fs::create_dir_all(dir.join("__MACOSX/cucm-pub")).unwrap();
    std::fs::write(dir.join("__MACOSX/cucm-pub/._3f2a9c.crt"), b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X").unwrap();
    let mut args = vec!["-q", "-r"];
    args.extend_from_slice(options);
    args.extend_from_slice(&["delivery.zip", "cucm-pub", "__MACOSX"]);
    zip(dir, &args);
    dir.join("delivery.zip")
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = ucert().args(args).output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap(), text(out.stdout), text(out.stderr))
}

#[test]
fn a_cas_zip_is_read_as_the_bundle_it_holds() {
    let Some(dir) = workshop("a_cas_zip_is_read_as_the_bundle_it_holds") else { return };
    for (what, options) in [("deflated", &[][..]), ("stored", &["-0"][..])] {
        let work = dir.path().join(what);
        std::fs::create_dir(&work).unwrap();
        let zip = delivery(&work, options);
        let zip = zip.to_str().unwrap();
        // match: the leaf found among the three, the chain from the others; the note inside said, not fatal
        let (code, out, err) = run(&["match", "--at", AT, &fixture("cucm/tomcat.csr"), zip]);
        assert_eq!(code, 0, "{what}: {out}{err}");
        assert!(out.starts_with("MATCH: CUCM will accept this certificate as tomcat"), "{what}: {out}");
        assert!(!out.contains("warn  chain"), "the root and the intermediate came from the bundle: {out}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("cucm-pub/README.txt in the ZIP: text without a PEM block"), "{err}");
        assert!(!err.contains("MACOSX") && !err.contains("._"), "Finder's metadata passed over in silence: {err}");
        // chain: complete, root to leaf
        let (code, out, _) = run(&["chain", "--at", AT, "--purpose", "tomcat", zip]);
        assert_eq!(code, 0, "{what}: {out}");
        assert!(out.contains("COMPLETE"), "{out}");
        // modulus: each object numbered, as in a bundle; the note is no damaged block
        let (code, out, err) = run(&["modulus", zip]);
        assert_eq!(code, 0, "{err}");
        let labels: Vec<&str> = out.lines().map(|l| l.split_whitespace().nth(1).unwrap()).collect();
        assert_eq!(labels, [format!("{zip}#1"), format!("{zip}#2"), format!("{zip}#3")], "{out}");
        // inspect: each object names the file inside that held it, in text and JSON
        let (_, out, _) = run(&["inspect", zip]);
        assert!(out.contains("#1 certificate (cucm-pub/3f2a9c.crt in the ZIP, PEM CERTIFICATE, line 1)"), "{out}");
        let (_, out, _) = run(&["inspect", "--json", zip]);
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        let members: Vec<&str> = doc["files"][0]["objects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["source"]["member"].as_str().unwrap())
            .collect();
        assert_eq!(members, ["cucm-pub/3f2a9c.crt", "cucm-pub/gd_bundle.crt", "cucm-pub/gd_bundle.crt"]);
        let root_line = std::fs::read_to_string(fixture_abs("ca/issuing-ca.pem")).unwrap().lines().count() + 1;
        assert_eq!(doc["files"][0]["objects"][2]["source"]["line"], root_line, "the root, second in the bundle");
    }
}

/// A folder with CSRs zipped (as CUCM's CSRs are sent to the CA) and the CA's answer zipped: `pair` reads inside
/// both, and a CSR's purpose comes from its name inside the archive, as from a file's.
#[test]
fn pair_reads_inside_archives_and_takes_purposes_from_the_names_inside() {
    let Some(dir) = workshop("pair_reads_inside_archives_and_takes_purposes_from_the_names_inside") else { return };
    let work = dir.path();
    place(work, &[("cucm/tomcat.csr", "csrs/tomcat.csr"), ("cucm/CallManager.csr", "csrs/CallManager.csr")]);
    zip(work, &["-q", "-r", "csrs.zip", "csrs"]);
    place(work, &[("cucm/tomcat.pem", "answer/certnew.cer"), ("cucm/CallManager.pem", "answer/certnew (1).cer")]);
    zip(work, &["-q", "-j", "answer.zip", "answer/certnew.cer", "answer/certnew (1).cer"]);
    let folder = work.join("sorted");
    std::fs::create_dir(&folder).unwrap();
    for name in ["csrs.zip", "answer.zip"] {
        std::fs::rename(work.join(name), folder.join(name)).unwrap();
    }
    let (code, out, err) = run(&["pair", "--json", "--at", AT, folder.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut purposes: Vec<(String, String)> = doc["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["purpose"].as_str().unwrap().to_string(), p["status"].as_str().unwrap().to_string()))
        .collect();
    purposes.sort();
    assert_eq!(purposes, [("CallManager".into(), "match".into()), ("tomcat".into(), "match".into())], "{out}");
    let mut members: Vec<&str> =
        doc["pairs"].as_array().unwrap().iter().map(|p| p["csr"]["member"].as_str().unwrap()).collect();
    members.sort();
    assert_eq!(members, ["csrs/CallManager.csr", "csrs/tomcat.csr"], "{out}");

    // each object is read again from its own entry: a note first, a leaf second in a bundle, one inside a PKCS#7
    std::fs::remove_file(folder.join("answer.zip")).unwrap();
    let answer = work.join("answer2");
    std::fs::create_dir(&answer).unwrap();
    std::fs::write(answer.join("a-note.txt"), "Here are your certificates.\n").unwrap();
    let mut bundle = std::fs::read(fixture_abs("ca/issuing-ca.pem")).unwrap();
    bundle.extend(std::fs::read(fixture_abs("cucm/CallManager.pem")).unwrap());
    std::fs::write(answer.join("b-bundle.pem"), bundle).unwrap();
    std::fs::copy(fixture_abs("forms/certnew.p7b"), answer.join("c-certnew.p7b")).unwrap();
    zip(&answer, &["-q", "../sorted/answer.zip", "a-note.txt", "b-bundle.pem", "c-certnew.p7b"]);
    let (code, out, err) = run(&["pair", "--json", "--at", AT, folder.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let statuses: Vec<&str> = doc["pairs"].as_array().unwrap().iter().map(|p| p["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["match", "match"], "{out}");
    // the leaf second in the bundle inside: its position counted in that file, not in the archive
    let callmanager = doc["pairs"].as_array().unwrap().iter().find(|p| p["purpose"] == "CallManager").unwrap();
    assert_eq!(callmanager["certificate"]["member"], "b-bundle.pem", "{out}");
    assert_eq!(callmanager["certificate"]["position"], 2, "{out}");
    // and the text names the file inside after the archive, as logs does
    let (_, out, _) = run(&["pair", "--at", AT, "-v", folder.to_str().unwrap()]);
    assert!(out.contains("answer.zip/b-bundle.pem#2"), "{out}");
    assert!(out.contains("csrs.zip/csrs/tomcat.csr"), "{out}");
}

/// `match` takes the purpose from the CSR's name inside the archive, as from a file's.
#[test]
fn a_csr_inside_an_archive_says_its_purpose_by_its_name() {
    let Some(dir) = workshop("a_csr_inside_an_archive_says_its_purpose_by_its_name") else { return };
    let work = dir.path();
    place(work, &[("cucm/CallManager.csr", "request/CallManager.csr")]);
    zip(work, &["-q", "-r", "request.zip", "request"]);
    let zip = work.join("request.zip");
    let (code, out, err) = run(&["match", "--at", AT, zip.to_str().unwrap(), &fixture("cucm/CallManager.pem")]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("MATCH: CUCM will accept this certificate as CallManager"), "{out}");
    assert!(out.contains("purpose CallManager (from the file name CallManager.csr)"), "{out}");
}

/// What ucert does not open: said in one line naming the archive, exit 2, under every reader.
#[test]
fn archives_ucert_does_not_open_are_refused_in_one_line() {
    let Some(dir) = workshop("archives_ucert_does_not_open_are_refused_in_one_line") else { return };
    let work = dir.path();
    place(work, &[("cucm/tomcat.pem", "tomcat.crt")]);
    zip(work, &["-q", "-P", "secret", "encrypted.zip", "tomcat.crt"]);
    zip(work, &["-q", "-Z", "bzip2", "bzip2.zip", "tomcat.crt"]);
    zip(work, &["-q", "inner.zip", "tomcat.crt"]);
    zip(work, &["-q", "nested.zip", "inner.zip"]);
    // 40 MiB of zeros, 40 KiB compressed
    std::fs::write(work.join("big.crt"), vec![0u8; 40 << 20]).unwrap();
    zip(work, &["-q", "bomb.zip", "big.crt"]);
    std::fs::create_dir(work.join("many")).unwrap();
    for i in 0..1001 {
        std::fs::write(work.join("many").join(format!("{i}.txt")), "x").unwrap();
    }
    zip(work, &["-q", "-r", "many.zip", "many"]);
    std::fs::write(work.join("README.txt"), "Your certificate is attached.\n").unwrap();
    zip(work, &["-q", "notes.zip", "README.txt"]);
    let whole = std::fs::read(work.join("inner.zip")).unwrap();
    std::fs::write(work.join("truncated.zip"), &whole[..whole.len() / 2]).unwrap();
    // an archive with nothing in it: only its end record
    let mut empty = b"PK\x05\x06".to_vec();
    empty.resize(22, 0);
    std::fs::write(work.join("empty.zip"), empty).unwrap();
    for (name, message) in [
        ("encrypted.zip", "tomcat.crt in the ZIP: encrypted (a password-protected ZIP): extract it with its password"),
        ("bzip2.zip", "tomcat.crt in the ZIP: compressed with Bzip2, which ucert does not decompress"),
        ("nested.zip", "inner.zip in the ZIP: a ZIP archive: extract it, and give ucert the files inside"),
        ("bomb.zip", "a ZIP archive holding more than 16 MiB once decompressed: extract the certificates from it"),
        ("many.zip", "a ZIP archive of 1002 entries (more than 1000): extract the files from it"),
        ("truncated.zip", "a damaged ZIP archive ("),
        ("empty.zip", "an empty ZIP archive"),
        ("notes.zip", "README.txt in the ZIP: text without a PEM block"),
    ] {
        let file = work.join(name);
        let file = file.to_str().unwrap();
        for args in [vec!["inspect", file], vec!["modulus", file], vec!["match", &fixture("cucm/tomcat.csr"), file]] {
            let (code, out, err) = run(&args);
            assert_eq!(code, 2, "{args:?}: {out}{err}");
            assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
            assert!(err.starts_with(&format!("ucert: {file}: {message}")), "{args:?}: {err}");
        }
    }
}

/// A file inside an archive is named by whoever made the archive: escaped in text, exact in JSON.
#[cfg(unix)]
#[test]
fn names_inside_an_archive_are_escaped() {
    let Some(dir) = workshop("names_inside_an_archive_are_escaped") else { return };
    let work = dir.path();
    let hostile = "evil\u{1b}[2J\u{1b}]0;owned\u{7}\u{202e}.crt";
    place(work, &[("cucm/tomcat.pem", hostile)]);
    std::fs::write(work.join("note\u{1b}[31m.txt"), "not a certificate").unwrap();
    zip(work, &["-q", "hostile.zip", hostile, "note\u{1b}[31m.txt"]);
    let file = work.join("hostile.zip");
    let file = file.to_str().unwrap();
    let (code, out, err) = run(&["inspect", file]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("(evil\\x1b[2J\\x1b]0;owned\\x07\\u{202e}.crt in the ZIP, PEM CERTIFICATE, line 1)"), "{out}");
    assert!(out.contains("note\\x1b[31m.txt in the ZIP: text without a PEM block"), "{out}");
    for text in [&out, &err] {
        assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}') && !text.contains('\u{7}'), "{text}");
    }
    let (_, out, _) = run(&["inspect", "--json", file]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["files"][0]["objects"][0]["source"]["member"], hostile);

    // in pair's list of files read with a warning, and in match's warning on stderr
    let (_, out, _) = run(&["pair", "--at", AT, file]);
    assert!(out.contains("note\\x1b[31m.txt in the ZIP: text without a PEM block"), "{out}");
    // and the certificate inside named by the file there, escaped (-v: listed whole)
    let (_, out, _) = run(&["pair", "--at", AT, "-v", file]);
    assert!(out.contains("hostile.zip/evil\\x1b[2J\\x1b]0;owned\\x07\\u{202e}.crt"), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{202e}'), "{out}");
    let (_, out, err) = run(&["match", "--at", AT, &fixture("cucm/tomcat.csr"), file]);
    assert!(err.contains("note\\x1b[31m.txt in the ZIP: text without a PEM block"), "{err}");
    for text in [&out, &err] {
        assert!(!text.contains('\u{1b}'), "{text}");
    }

    // and as `logs` names the traces inside
    let trace = "capf\u{1b}[2J\u{202e}.txt";
    place(work, &[("logs/capf-ssl-read.txt", trace)]);
    zip(work, &["-q", "traces.zip", trace, "note\u{1b}[31m.txt"]);
    let file = work.join("traces.zip");
    let (code, out, err) = run(&["logs", file.to_str().unwrap()]);
    assert_eq!(code, 1, "the trace's failure: {out}{err}");
    assert!(out.contains("traces.zip/capf\\x1b[2J\\u{202e}.txt:1"), "{out}");
    assert!(out.contains("traces.zip/note\\x1b[31m.txt: not a CAPF trace"), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{202e}'), "{out}");
    let (_, out, _) = run(&["logs", "--json", file.to_str().unwrap()]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["files"][0]["path"], format!("{}/{trace}", file.to_str().unwrap()));
}

/// `plan` over a CA's answers kept zipped: each upload names the file inside and says to extract it first, and the
/// check of what the node serves expects the CSR's key (the ZIP holds many certificates).
#[test]
fn plan_says_to_extract_what_it_uploads_from_an_archive() {
    let Some(dir) = workshop("plan_says_to_extract_what_it_uploads_from_an_archive") else { return };
    let work = dir.path();
    place(
        work,
        &[
            ("plan/cluster/cucm-pub/tomcat.csr", "cluster/cucm-pub/tomcat.csr"),
            ("plan/cluster/cucm-sub/tomcat.csr", "cluster/cucm-sub/tomcat.csr"),
            ("plan/cluster/from-ca/certnew (10).cer", "from-ca/certnew (10).cer"),
            ("plan/cluster/from-ca/certnew (14).cer", "from-ca/certnew (14).cer"),
            ("plan/cluster/from-ca/root.cer", "from-ca/root.cer"),
            ("plan/cluster/from-ca/issuing.cer", "from-ca/issuing.cer"),
        ],
    );
    zip(work, &["-q", "-r", "cluster/from-ca.zip", "from-ca"]);
    let cluster = work.join("cluster");
    let (code, out, err) = run(&["plan", "--at", AT, "--json", cluster.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let steps = doc["windows"][0]["steps"].as_array().unwrap();
    let texts = |kind: &str| -> Vec<String> {
        steps.iter().filter(|s| s["kind"] == kind).map(|s| s["text"].as_str().unwrap().to_string()).collect()
    };
    let trust = texts("upload-trust");
    assert_eq!(trust.len(), 2, "{trust:#?}");
    assert!(trust[0].contains("from-ca.zip/from-ca/root.cer (root Example Root CA)"), "{}", trust[0]);
    assert!(trust[1].contains("from-ca.zip/from-ca/issuing.cer (intermediate Example Issuing CA)"), "{}", trust[1]);
    let uploads = texts("upload-certificate");
    assert!(
        uploads[0].contains("from-ca.zip/from-ca/certnew (10).cer as tomcat on cucm-pub.example.com"),
        "{uploads:?}"
    );
    for text in trust.iter().chain(&uploads) {
        assert!(text.ends_with("; first extract it from the ZIP archive"), "{text}");
    }
    let commands: Vec<String> = steps
        .iter()
        .filter(|s| s["kind"] == "verify")
        .map(|s| common::slashes(s["command"].as_str().unwrap()))
        .collect();
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert!(
        commands[0].ends_with("cucm-pub/tomcat.csr") && commands[1].ends_with("cucm-sub/tomcat.csr"),
        "{commands:?}"
    );
}
