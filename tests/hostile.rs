//! Hostile text: certificates, CSRs, a log, pasted text, file names and a TLS server whose names carry escape
//! sequences, carriage returns, newlines, NUL, DEL, C1 controls and bidi overrides (`fixtures/hostile/`, made by
//! `fixtures/hostile.py`). Every subcommand's human output and diagnostics must hold none of them raw (only the
//! line ends ucert writes itself, and with `--color always` only its own colour codes); JSON must carry the exact
//! values.

mod common;

use common::{AT, OpensslServer, fixture, ucert};
use serde_json::Value;

const CN: &str = "cucm-pub\x1b]0;pwned\x07.example.com";
const ORG: &str = "Ex\x1b[31mample\x1b[0m\r\nMATCH: forged line";

/// Fails when `bytes` hold a character that must be escaped (anything but ucert's own `\n`), after removing the
/// colour codes ucert writes itself when `own_colour` is set.
fn assert_clean(bytes: &[u8], what: &str, own_colour: bool) {
    let text = String::from_utf8(bytes.to_vec()).unwrap_or_else(|_| panic!("{what}: output is not UTF-8"));
    let text = if own_colour {
        regex::Regex::new(r"\x1b\[[0-9]+m").unwrap().replace_all(&text, "").into_owned()
    } else {
        text
    };
    for (i, c) in text.char_indices() {
        assert!(
            c == '\n' || !ucert::untrusted::needs_escape(c),
            "{what}: raw {c:?} at byte {i} in:\n{}",
            text.escape_debug()
        );
    }
}

/// Runs ucert with `args`, checks stdout and stderr, returns (exit code, stdout).
fn run(args: &[&str]) -> (i32, String) {
    let out = ucert().args(args).output().unwrap();
    let what = args.join(" ");
    let own_colour = args.contains(&"always");
    assert_clean(&out.stdout, &format!("stdout of {what}"), own_colour);
    assert_clean(&out.stderr, &format!("stderr of {what}"), false);
    let code = out.status.code().unwrap_or(-1);
    assert!(code != 101 && code >= 0, "{what}: crashed ({code})");
    (code, String::from_utf8_lossy(&out.stdout).into_owned())
}

fn json(args: &[&str]) -> Value {
    let (_, stdout) = run(args);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {stdout}"))
}

/// Every string anywhere in a JSON document.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

fn json_holds(v: &Value, exact: &str) -> bool {
    let mut all = Vec::new();
    strings(v, &mut all);
    all.iter().any(|s| s.contains(exact))
}

#[test]
fn inspect_shows_hostile_names_escaped_and_json_exact() {
    let cert = fixture("hostile/tomcat.pem");
    let csr = fixture("hostile/tomcat.csr");
    let (code, text) = run(&["inspect", &cert, &csr, "--at", AT]);
    assert_eq!(code, 0);
    assert!(text.contains("CN = cucm-pub\\x1b]0;pwned\\x07.example.com"), "{text}");
    assert!(text.contains("\\r\\nMATCH: forged line"), "{text}");
    assert!(text.contains("\\u{9b}2J\\u{9d}0;t\\x07\\u{202e}txt.exe\\u{2066}\\x00\\x08\\x7f"), "{text}");
    assert!(text.contains("DNS:a\\nMATCH: forged\\rb"), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("MATCH")), "no forged line");
    let doc = json(&["inspect", "--json", &cert, &csr, "--at", AT]);
    assert!(json_holds(&doc, CN), "exact CN in JSON");
    assert!(json_holds(&doc, ORG), "exact O in JSON");
    assert!(json_holds(&doc, "a\nMATCH: forged\rb"), "exact SAN in JSON");
    assert!(json_holds(&doc, "\u{9b}2J\u{9d}0;t\u{7}\u{202e}txt.exe\u{2066}\u{0}\u{8}\u{7f}"), "exact L in JSON");
}

#[test]
fn match_chain_trust_and_pair_escape_what_they_echo() {
    let cert = fixture("hostile/tomcat.pem");
    let csr = fixture("hostile/tomcat.csr");
    let ca = fixture("hostile/evil-ca.pem");
    for color in ["never", "always"] {
        run(&["match", &csr, &cert, "--at", AT, "--color", color]);
        run(&["match", &csr, &cert, "--ca", &fixture("ca/issuing-ca.pem"), "--at", AT, "--color", color]);
        run(&["chain", &cert, &fixture("ca/issuing-ca.pem"), &ca, "--at", AT, "--color", color]);
        run(&["trust", &ca, &ca, "--at", AT, "--color", color]);
        run(&["pair", &fixture("hostile"), "--at", AT, "--color", color]);
        run(&["plan", &fixture("hostile"), "--at", AT, "--color", color]);
        run(&["plan", &fixture("hostile"), "--at", AT, "--color", color, "--markdown"]);
    }
    let m = json(&["match", "--json", &csr, &cert, "--at", AT]);
    assert!(json_holds(&m, "evil\x1b[31m.example.com"), "exact SAN in match JSON");
    let c = json(&["chain", "--json", &cert, &fixture("ca/issuing-ca.pem"), &ca, "--at", AT]);
    assert!(json_holds(&c, "Evil\x1b[2J CA\u{202e}\nforged"), "exact CA name in chain JSON");
    let t = json(&["trust", "--json", &ca, &ca, "--at", AT]);
    assert!(json_holds(&t, "Evil\x1b[2J CA\u{202e}\nforged"));
    let p = json(&["pair", "--json", &fixture("hostile"), "--at", AT]);
    assert!(json_holds(&p, CN), "exact CN in pair JSON");
    let (_, text) = run(&["plan", &fixture("hostile"), "--at", AT]);
    assert!(text.contains("cucm-pub\\x1b]0;pwned\\x07.example.com"), "{text}");
    let plan = json(&["plan", "--json", &fixture("hostile"), "--at", AT]);
    assert!(json_holds(&plan, CN), "exact CN in plan JSON: {plan}");
}

#[test]
fn logs_escape_log_lines_and_keep_them_exact_in_json() {
    let log = fixture("hostile/nginx-error.log");
    let capf = fixture("hostile/capf-trace.txt");
    let (_, text) = run(&["logs", &log, &capf]);
    assert!(text.contains("utils network host lab-dc\\x1b]0;pwned\\x07.example.com"), "{text}");
    run(&["logs", &log, &capf, "--color", "always"]);
    let doc = json(&["logs", "--json", &log, &capf]);
    assert!(json_holds(&doc, "ca\x1b[31m.example.com"), "exact log text in JSON: {doc}");
    assert!(json_holds(&doc, "SEP00\x1b[31m1F6C81118B"), "exact CAPF text in JSON");
}

#[test]
fn explain_escapes_the_pasted_text() {
    let pasted = "Error\x1b]0;pwned\x07 \u{202e}\r\nMATCH: forged";
    let (_, text) = run(&["explain", pasted]);
    assert!(text.contains("\\x1b]0;pwned\\x07"), "{text}");
    let doc = json(&["explain", "--json", pasted]);
    assert!(json_holds(&doc, pasted), "{doc}");
}

#[test]
fn modulus_and_errors_name_files_escaped() {
    run(&["modulus", &fixture("hostile/tomcat.pem"), &fixture("hostile/tomcat.csr")]);
    let out = ucert().args(["inspect", "no\x1b[31msuch\nfile.pem"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_clean(&out.stderr, "stderr", false);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("no\\x1b[31msuch\\nfile.pem"), "{stderr}");
}

/// File names with control characters and newlines (unix: Windows forbids them).
#[cfg(unix)]
#[test]
fn hostile_file_names_are_escaped_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("tomcat\x1b]0;pwned\x07\n\u{202e}.pem");
    std::fs::copy(fixture_path("hostile/tomcat.pem"), &bad).unwrap();
    let csr = dir.path().join("tomcat\r\x1b[2J.csr");
    std::fs::copy(fixture_path("hostile/tomcat.csr"), &csr).unwrap();
    std::fs::write(dir.path().join("junk\x1b[31m\n.txt"), "not a certificate").unwrap();
    // read in part: a certificate beside a block whose label holds escape codes ("read with a warning" in pair)
    let part = dir.path().join("part\x1b[31m\n.pem");
    let mut text = std::fs::read_to_string(fixture_path("ca/issuing-ca.pem")).unwrap();
    text.push_str("-----BEGIN CERT\x1b[2J\u{202e}IFICATE-----\nAAAA\n-----END CERT\x1b[2J\u{202e}IFICATE-----\n");
    std::fs::write(&part, text).unwrap();
    let (b, c, d) = (bad.to_str().unwrap(), csr.to_str().unwrap(), dir.path().to_str().unwrap());
    let (_, text) = run(&["inspect", b, "--at", AT]);
    assert!(text.contains("tomcat\\x1b]0;pwned\\x07\\n\\u{202e}.pem"), "{text}");
    run(&["modulus", b, c]);
    run(&["match", c, b, "--at", AT]);
    run(&["chain", b, &fixture("ca/issuing-ca.pem"), "--at", AT]);
    let (_, text) = run(&["pair", d, "--at", AT]);
    assert!(text.contains("part\\x1b[31m\\n.pem: PEM block CERT\\x1b[2J\\u{202e}IFICATE at line"), "{text}");
    let (_, text) = run(&["plan", d, "--at", AT]);
    assert!(text.contains("Read with a warning: 1 file"), "{text}");
    run(&["plan", d, "--at", AT, "--markdown"]);
    run(&["logs", b]);
    // a folder given to logs: a file that is no log is listed by its name, escaped (exact in JSON)
    let traces = dir.path().join("rtmt\x1b[31m\n");
    std::fs::create_dir(&traces).unwrap();
    std::fs::copy(fixture_path("logs/capf-success.txt"), traces.join("capf.txt")).unwrap();
    let junk = traces.join("junk\x1b]0;pwned\x07\u{202e}.txt");
    std::fs::write(&junk, "not a log\n").unwrap();
    let (code, text) = run(&["logs", traces.to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("junk\\x1b]0;pwned\\x07\\u{202e}.txt: not a CAPF trace"), "{text}");
    let doc = json(&["logs", "--json", traces.to_str().unwrap()]);
    assert_eq!(doc["skipped"][0]["path"], junk.to_str().unwrap(), "exact path in JSON");
    let empty = dir.path().join("empty\x1b[2J");
    std::fs::create_dir(&empty).unwrap();
    assert_eq!(run(&["logs", empty.to_str().unwrap()]).0, 2, "a folder without a log");
    let doc = json(&["pair", "--json", d, "--at", AT]);
    assert!(json_holds(&doc, bad.to_str().unwrap()), "exact path in JSON");
    assert_eq!(
        doc["read_with_warning"][0]["path"],
        part.to_str().unwrap(),
        "exact path of the file read with a warning"
    );
    assert!(json_holds(&doc, "CERT\x1b[2J\u{202e}IFICATE"), "exact label in the warning");
    let doc = json(&["plan", "--json", d, "--at", AT]);
    assert!(json_holds(&doc, c), "exact path in plan JSON");
}

/// A file name in Markdown's or HTML's syntax shows as written in `plan --markdown`, not as a link, tag or emphasis.
#[cfg(unix)]
#[test]
fn markdown_syntax_in_file_names_stays_text_in_the_checklist() {
    let dir = tempfile::tempdir().unwrap();
    // no '/' (a file name cannot hold one)
    let name = "[x](e.example)<img src=x>_*`~&.pem";
    std::fs::copy(fixture_path("hostile/evil-ca.pem"), dir.path().join(name)).unwrap();
    std::fs::copy(fixture_path("hostile/tomcat.csr"), dir.path().join("tomcat.csr")).unwrap();
    let (_, md) = run(&["plan", dir.path().to_str().unwrap(), "--at", AT, "--markdown"]);
    assert!(md.contains(r"\[x\](e.example)\<img src=x>\_\*\`\~\&.pem"), "{md}");
    assert!(!md.contains("[x](e"), "a link: {md}");
    assert_eq!(md.matches('<').count(), md.matches(r"\<").count(), "every '<' escaped (no tag): {md}");
}

#[cfg(unix)]
fn fixture_path(rel: &str) -> std::path::PathBuf {
    common::fixture_abs(rel)
}

/// A TLS server presenting the hostile certificate cannot write to the terminal through `connect`.
#[test]
fn connect_escapes_what_the_server_presents() {
    if !common::has_openssl(module_path!()) {
        return;
    }
    let server = OpensslServer::start("hostile/tomcat.pem", "hostile/tomcat.key", Some("ca/issuing-ca.pem"), &[]);
    let target = server.target();
    run(&["connect", &target, "--at", AT]);
    run(&["connect", &target, "--at", AT, "--color", "always"]);
    let doc = json(&["connect", "--json", &target, "--at", AT]);
    assert!(json_holds(&doc, CN), "exact CN in connect JSON");
    // several targets: the table, the Nagios line (one line, one '|'), the CSV (CR LF only as record ends)
    let other = OpensslServer::start("hostile/tomcat.pem", "hostile/tomcat.key", None, &[]);
    let both = [target.as_str(), &other.target(), "--at", AT];
    let (_, table) = run(&[&["connect"][..], &both].concat());
    assert!(table.contains("cucm-pub\\x1b]0;pwned\\x07.example.com"), "{table}");
    run(&[&["connect", "--color", "always"][..], &both].concat());
    let (_, line) = run(&[&["connect", "--format", "nagios"][..], &both].concat());
    assert_eq!((line.lines().count(), line.matches('|').count()), (1, 1), "{line}");
    let out = ucert().args([&["connect", "--format", "csv"][..], &both].concat()).output().unwrap();
    assert_clean(&String::from_utf8(out.stdout.clone()).unwrap().replace("\r\n", "\n").into_bytes(), "csv", false);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let cn = reader.records().map(Result::unwrap).map(|r| r[4].to_string()).next().unwrap();
    assert_eq!(cn, "cucm-pub\\x1b]0;pwned\\x07.example.com", "the CN cell, escaped as the terminal shows it");
    let doc = json(&[&["connect", "--json"][..], &both].concat());
    assert!(json_holds(&doc, CN), "exact CN in several-target JSON");
    // inspect's Nagios line and CSV, pair's CSV
    let cert = fixture("hostile/tomcat.pem");
    let (_, line) = run(&["inspect", "--format", "nagios", &cert, "--at", AT]);
    assert_eq!(line.lines().count(), 1, "{line}");
    for args in [
        vec!["inspect", "--format", "csv", &cert, "--at", AT],
        vec!["pair", "--format", "csv", "fixtures/hostile", "--at", AT],
    ] {
        let out = ucert().args(&args).output().unwrap();
        assert_clean(
            &String::from_utf8(out.stdout).unwrap().replace("\r\n", "\n").into_bytes(),
            &args.join(" "),
            false,
        );
    }
}

/// A usage error quotes the refused argument: through the same sink, shown as it is (its escape codes as text,
/// not stripped: a name with them stripped is another name).
#[test]
fn usage_errors_quote_arguments_escaped() {
    for (args, shown) in [
        (&["inspect", "--at", "\x1b]0;pwned\x07\u{202e}"][..], "\\x1b]0;pwned\\x07\\u{202e}"),
        (&["\x1b[2J\u{9b}31m"][..], "\\x1b[2J\\u{9b}31m"),
        (&["match", "a.csr", "b.cer", "tom\x1b[31mcat.csr"][..], "'tom\\x1b[31mcat.csr'"),
    ] {
        let out = ucert().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert_clean(&out.stderr, "usage error", false);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(shown), "{args:?} should be shown as {shown}: {stderr}");
    }
}

/// A damaged block whose label carries escape codes, beside a readable certificate: `match`, `chain` and `trust`
/// name it on stderr escaped, in one line.
#[test]
fn a_hostile_damaged_block_is_named_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(common::fixture_abs("cucm/tomcat.pem")).unwrap();
    let label = "CERTIFICATE\x1b]0;pwned\x07";
    let path = dir.path().join("bundle.pem");
    std::fs::write(&path, format!("{good}-----BEGIN {label}-----\nMIIB!!\n-----END {label}-----\n")).unwrap();
    let path = path.to_string_lossy().into_owned();
    for args in [
        vec!["match", "--at", AT, "fixtures/cucm/tomcat.csr", &path],
        vec!["chain", "--at", AT, &path],
        vec!["trust", "--at", AT, &path, "fixtures/cucm/tomcat.pem"],
    ] {
        let out = ucert().args(&args).output().unwrap();
        assert_clean(&out.stderr, &format!("stderr of {args:?}"), false);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("warning: ") && stderr.contains("\\x1b]0;pwned\\x07"), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}
