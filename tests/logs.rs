#![allow(dead_code)] // fields are deserialised to check the JSON schema, not all are read
//! `ucert logs` end to end, on logs written from the Cisco document's excerpts: each signature yields its
//! finding with cause and fix, a success run yields none, gzip and invalid UTF-8 are read, and a 200 MB log is
//! read in constant memory.

mod common;

use common::{fixture, ucert};
use serde::Deserialize;

#[derive(Deserialize, Debug)]
struct LogsJson {
    schema: u32,
    files: Vec<File>,
    findings: Vec<Finding>,
    startup: Startup,
    phones: Vec<Phone>,
    iis: Option<Iis>,
    unrecognised: Unrecognised,
}

#[derive(Deserialize, Debug)]
struct File {
    path: String,
    kind: String,
    lines: usize,
    records: usize,
}

#[derive(Deserialize, Debug)]
struct Finding {
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

#[derive(Deserialize, Debug)]
struct Evidence {
    file: String,
    line: usize,
    text: String,
}

#[derive(Deserialize, Debug)]
struct Startup {
    online_ca_host: Option<String>,
    online_ca_port: Option<String>,
    online_ca_template: Option<String>,
    login_succeeded: Option<bool>,
    ca_chain_retrieved: Option<bool>,
    urls: Vec<String>,
}

#[derive(Deserialize, Debug)]
struct Phone {
    device: String,
    steps: Vec<Step>,
    outcome: String,
}

#[derive(Deserialize, Debug)]
struct Step {
    time: Option<String>,
    step: String,
}

#[derive(Deserialize, Debug)]
struct Iis {
    requests: usize,
    by_url: std::collections::BTreeMap<String, std::collections::BTreeMap<String, usize>>,
    normal_handshakes: usize,
    unanswered_challenges: usize,
    authentication_failures: usize,
}

#[derive(Deserialize, Debug)]
struct Unrecognised {
    errors: usize,
    warnings: usize,
    samples: Vec<Evidence>,
}

fn logs_json(files: &[String]) -> (LogsJson, i32) {
    let out = ucert().args(["logs", "--json"]).args(files).output().unwrap();
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{files:?}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    (doc, out.status.code().unwrap())
}

fn logs_of(names: &[&str]) -> (LogsJson, i32) {
    logs_json(&names.iter().map(|n| fixture(&format!("logs/{n}"))).collect::<Vec<_>>())
}

#[test]
fn each_signature_of_the_documents_yields_its_finding() {
    for (file, id, cause, fix) in [
        ("nginx-curl60-untrusted.log", "curl-60-untrusted", "not in CAPF-trust", "upload the CA chain"),
        ("nginx-curl51-name.log", "curl-51-name-mismatch", "Online CA Hostname", "set Online CA Hostname"),
        ("nginx-curl6-resolve.log", "curl-6-unresolved", "DNS", "utils network host lab-dcc.michamen.com"),
        ("nginx-curl60-not-yet-valid.log", "curl-60-not-yet-valid", "NTP", "utils ntp status"),
        ("nginx-auth-failed.log", "est-auth-failed", "user name or password", "Online CA Username"),
        ("nginx-curl28-login.log", "curl-28-login-timeout", "CSCvo58656", "CSCvo58656"),
        ("nginx-curl28-cacerts.log", "curl-28-cacerts-timeout", "after a successful login", "certnew.p7b"),
        ("capf-ssl-read.txt", "enrollment-failed", "CES side", "NGINX error.log"),
        ("iis-logon-refused.log", "iis-logon-refused", "password", "Online CA Username"),
    ] {
        let (doc, code) = logs_of(&[file]);
        assert_eq!(code, 1, "{file}");
        let f =
            doc.findings.iter().find(|f| f.id == id).unwrap_or_else(|| panic!("{file}: no {id} in {:?}", doc.findings));
        assert_eq!(f.severity, "error", "{file}");
        assert!(f.cause.contains(cause), "{file}: {}", f.cause);
        assert!(f.fixes.iter().any(|x| x.contains(fix)), "{file}: {:?}", f.fixes);
        assert!(!f.evidence.is_empty() && f.evidence[0].line >= 1, "{file}");
        assert_eq!(doc.findings[0].severity, "error", "most severe first");
    }
}

#[test]
fn a_failure_to_get_the_chain_is_reported_with_its_cause() {
    let (doc, _) = logs_of(&["nginx-curl60-untrusted.log"]);
    let ids: Vec<&str> = doc.findings.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["curl-60-untrusted", "ca-chain-not-retrieved"]);
    assert_eq!(doc.startup.ca_chain_retrieved, Some(false));
    assert_eq!(doc.startup.login_succeeded, Some(false));
    assert_eq!(doc.startup.urls, ["https://lab-dc.michamen.com:443/certsrv"]);
    let (doc, _) = logs_of(&["nginx-curl51-name.log"]);
    assert!(doc.findings[0].title.contains("'lab-dc'") && doc.findings[0].title.contains("'lab-dc.michamen.com'"));
}

#[test]
fn a_success_run_yields_no_finding_and_full_timelines() {
    let (doc, code) =
        logs_of(&["capf-success.txt", "nginx-success.log", "ciscora-startup.txt", "iis-startup.log", "iis-enroll.log"]);
    assert_eq!(code, 0);
    assert!(doc.findings.is_empty(), "{:?}", doc.findings);
    let kinds: Vec<&str> = doc.files.iter().map(|f| f.kind.as_str()).collect();
    assert_eq!(kinds, ["capf", "nginx", "cisco-ra", "iis", "iis"]);
    let s = &doc.startup;
    assert_eq!(s.online_ca_host.as_deref(), Some("lab-dc.michamen.com"));
    assert_eq!(s.online_ca_port.as_deref(), Some("443"));
    assert_eq!(s.online_ca_template.as_deref(), Some("CiscoRA"));
    assert_eq!((s.login_succeeded, s.ca_chain_retrieved), (Some(true), Some(true)));
    assert_eq!(doc.phones.len(), 1);
    let phone = &doc.phones[0];
    assert_eq!(phone.device, "SEP74A02FC0A675");
    assert_eq!(phone.outcome, "success");
    let steps: Vec<&str> = phone.steps.iter().map(|s| s.step.as_str()).collect();
    for expected in [
        "read_csr: CSR read",
        "enrollCertUsingEST called",
        "Enrollment rv = 0 (EST_ERR_NONE)",
        "signed certificate written",
        "LSC verified",
        "STORE_CERT_REQ sent to the phone",
        "operation status: Success",
    ] {
        assert!(steps.contains(&expected), "{expected} not in {steps:?}");
    }
    assert_eq!(phone.steps[0].time.as_deref(), Some("14:05:04.628"));
    let iis = doc.iis.unwrap();
    assert_eq!(iis.requests, 10);
    assert_eq!(iis.normal_handshakes, 3);
    assert_eq!(iis.authentication_failures, 0);
    assert_eq!(iis.by_url["/certsrv"]["401"], 3);
    assert_eq!(iis.by_url["/certsrv/certnew.cer"]["200"], 1);
}

#[test]
fn a_failed_phone_has_its_timeline() {
    let (doc, _) = logs_of(&["capf-ssl-read.txt"]);
    assert_eq!(doc.phones[0].device, "SEP001F6C81118B");
    assert_eq!(doc.phones[0].outcome, "failed");
}

#[test]
fn gzip_is_read_like_plain_text() {
    let (plain, _) = logs_of(&["nginx-success.log"]);
    let (gz, code) = logs_of(&["nginx-success.log.gz"]);
    assert_eq!(code, 0);
    assert_eq!(gz.files[0].kind, "nginx");
    assert_eq!(gz.files[0].records, plain.files[0].records);
    assert_eq!(gz.startup.urls, plain.startup.urls);
}

/// gzip whose data is damaged from the start: one line naming the file, exit 2 (the file is opened, and refused,
/// before its first line is looked for).
#[test]
fn damaged_gzip_is_named_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("error.log.gz");
    std::fs::write(&path, b"\x1f\x8b\x08\x00 not deflate data").unwrap();
    let file = path.to_string_lossy().into_owned();
    let out = ucert().args(["logs", &file]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with(&format!("ucert: {file}: cannot read: not valid gzip: ")), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

/// A log saved by Notepad as "Unicode" or "UTF-8 with BOM", or written by Windows PowerShell's `>` (UTF-16LE with a
/// byte order mark), gzip-compressed or not, gives exactly the findings of the log as it was.
#[test]
fn utf16_and_byte_order_marks_read_like_the_plain_log() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    for name in ["capf-ssl-read.txt", "nginx-auth-failed.log"] {
        let text = std::fs::read_to_string(common::fixture_abs(&format!("logs/{name}"))).unwrap();
        let utf16 = |bom: [u8; 2], unit: fn(u16) -> [u8; 2]| -> Vec<u8> {
            bom.into_iter().chain(text.encode_utf16().flat_map(unit)).collect()
        };
        let le = utf16([0xff, 0xfe], u16::to_le_bytes);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&le).unwrap();
        let forms: [(&str, Vec<u8>); 5] = [
            ("plain", text.clone().into_bytes()),
            ("utf16le", le.clone()),
            ("utf16be", utf16([0xfe, 0xff], u16::to_be_bytes)),
            ("utf8bom", [&[0xef, 0xbb, 0xbf][..], text.as_bytes()].concat()),
            ("utf16gz", gz.finish().unwrap()),
        ];
        let mut outputs = Vec::new();
        for (form, bytes) in forms {
            let path = dir.path().join(format!("{form}-{name}"));
            std::fs::write(&path, bytes).unwrap();
            let out = ucert().args(["logs", "--json"]).arg(&path).output().unwrap();
            let stdout = String::from_utf8(out.stdout).unwrap();
            outputs.push((form, out.status.code(), stdout.replace(&format!("{form}-{name}"), name)));
        }
        let (_, code, plain) = &outputs[0];
        assert!(plain.contains("\"findings\""), "{plain}");
        for (form, c, json) in &outputs[1..] {
            assert_eq!((c, json), (code, plain), "{form} of {name}");
        }
    }
}

#[test]
fn invalid_utf8_is_tolerated() {
    let (doc, code) = logs_of(&["capf-invalid-utf8.txt"]);
    assert_eq!(code, 0);
    assert_eq!(doc.phones[0].outcome, "success");
}

#[test]
fn unknown_errors_and_warnings_are_counted_and_shown() {
    let (doc, code) = logs_of(&["nginx-unknown-error.log"]);
    assert_eq!(code, 0);
    assert_eq!((doc.unrecognised.errors, doc.unrecognised.warnings), (1, 1));
    assert!(doc.unrecognised.samples[0].text.contains("unexpected page layout"));
    let out = ucert().args(["logs", &fixture("logs/nginx-unknown-error.log")]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("OTHER ERRORS AND WARNINGS: 1 error(s), 1 warning(s)"), "{text}");
}

#[test]
fn human_output_puts_findings_first() {
    let out = ucert().args(["logs", &fixture("logs/nginx-curl6-resolve.log")]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("FINDINGS (2 errors)"), "{text}");
    assert!(text.contains("what to do:"));
}

#[test]
fn what_is_not_a_log_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.log");
    std::fs::write(&empty, "").unwrap();
    for (path, needle) in [
        (fixture("cucm/tomcat.pem"), "not a CAPF trace"),
        (empty.to_string_lossy().into_owned(), "empty"),
        ("no/such.log".to_string(), "no such file"),
        (dir.path().to_string_lossy().into_owned(), "no CAPF trace, CiscoRA log, NGINX error.log or IIS log among"),
    ] {
        let out = ucert().args(["logs", &path]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{path}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.starts_with(&format!("ucert: {path}: ")) && err.contains(needle), "{err}");
    }
}

#[cfg(target_os = "linux")] // GNU time
#[test]
fn a_200_mb_log_is_read_in_constant_memory() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("capf-big.txt");
    let success = std::fs::read_to_string(common::fixture_abs("logs/capf-success.txt")).unwrap();
    let failure = std::fs::read_to_string(common::fixture_abs("logs/capf-ssl-read.txt")).unwrap();
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let mut written = 0usize;
        while written < 200 * 1024 * 1024 {
            f.write_all(success.as_bytes()).unwrap();
            written += success.len();
        }
        f.write_all(failure.as_bytes()).unwrap();
    }
    let time = std::path::Path::new("/usr/bin/time");
    assert!(time.exists(), "GNU time is needed to measure memory (apt-get install time)");
    let out = std::process::Command::new(time)
        .args(["-f", "maxrss_kib=%M"])
        .arg(assert_cmd::cargo::cargo_bin("ucert"))
        .args(["logs", "--json", &path.to_string_lossy()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the failure at the end is found");
    let doc: LogsJson = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc.findings.iter().any(|f| f.id == "enrollment-failed"));
    assert!(doc.files[0].lines > 100_000);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let rss: u64 = stderr.trim().rsplit("maxrss_kib=").next().unwrap().trim().parse().unwrap();
    assert!(rss < 64 * 1024, "peak memory {rss} KiB for a 200 MB log");
}

#[test]
fn consequences_of_a_known_failure_are_not_counted_as_unknown() {
    // "Unable to execute login to certsrv with curl" follows every curl failure: it is known, not unrecognised
    let (doc, _) = logs_of(&["nginx-curl51-name.log"]);
    assert_eq!(doc.unrecognised.errors + doc.unrecognised.warnings, 0, "{:?}", doc.unrecognised.samples);
}

/// Five occurrences, three shown as evidence: the count says how many are shown; "1 line", not "1 lines".
#[test]
fn counts_say_how_many_are_shown_and_words_agree_with_numbers() {
    let line = std::fs::read_to_string(common::fixture_abs("logs/nginx-curl6-resolve.log")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let five = dir.path().join("five.log");
    std::fs::write(&five, format!("{}\n", line.trim_end()).repeat(5)).unwrap();
    let out = ucert().args(["logs", five.to_str().unwrap()]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("(×5, 3 shown)"), "{text}");
    assert!(text.contains("(Domain name not found)"), "balanced parentheses: {text}");
    assert!(text.contains("5 lines"), "{text}");
    let one = ucert().args(["logs", &fixture("logs/nginx-curl6-resolve.log")]).output().unwrap();
    let text = String::from_utf8(one.stdout).unwrap();
    assert!(text.contains(", 1 line, ") && !text.contains("1 lines"), "{text}");
}

/// An IIS log whose fields are separated by runs of spaces (pasted into a ticket or a web page) reads as the
/// original does.
#[test]
fn an_iis_log_with_runs_of_spaces_reads_as_the_original() {
    let original = std::fs::read_to_string(common::fixture_abs("logs/iis-enroll.log")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pasted = dir.path().join("pasted.log");
    std::fs::write(&pasted, original.replace(' ', "   ")).unwrap();
    let (a, code_a) = logs_json(&[fixture("logs/iis-enroll.log")]);
    let (b, code_b) = logs_json(&[pasted.to_string_lossy().into_owned()]);
    assert_eq!(code_a, code_b);
    assert_eq!(format!("{:?}", a.files[0].kind), format!("{:?}", b.files[0].kind));
    assert_eq!(format!("{:?}", a.iis), format!("{:?}", b.iis), "the same requests, statuses and handshakes");
}

/// Two traces of the same period (or one file given twice): each phone's timeline is shown once.
#[test]
fn overlapping_traces_show_each_timeline_once() {
    let trace = fixture("logs/capf-ssl-read.txt");
    let out = ucert().args(["logs", "-v", &trace, &trace]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("enrollCertUsingEST called").count(), 1, "{text}");
    assert!(text.contains("PHONES (1)"), "{text}");
}

/// Given several logs, the CES start-up facts say which file said them (one service's success is not shown as if
/// it stood beside another's errors).
#[test]
fn start_up_facts_name_the_file_that_said_them() {
    let (ok, bad) = (fixture("logs/nginx-success.log"), fixture("logs/nginx-curl6-resolve.log"));
    let out = ucert().args(["logs", &ok, &bad]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let login = text.lines().find(|l| l.contains("login to /certsrv:")).unwrap();
    assert!(login.contains("(fixtures/logs/"), "{login}");
    let one = ucert().args(["logs", &bad]).output().unwrap();
    let text = String::from_utf8(one.stdout).unwrap();
    assert!(text.lines().any(|l| l == "  login to /certsrv: failed"), "one file: no attribution needed: {text}");
}

/// A folder as RTMT collects it: every log under it is read, in the walk's order, as if given by name (plain and
/// gzip alike); what is not a log is listed with why, and changes no finding or exit code. A folder without a log
/// is an error naming it.
#[test]
fn a_folder_is_read_for_its_logs_and_lists_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let sdi = root.join("cm").join("trace").join("capf").join("sdi");
    std::fs::create_dir_all(&sdi).unwrap();
    std::fs::create_dir_all(root.join("nginx")).unwrap();
    std::fs::create_dir_all(root.join("misc")).unwrap();
    let logs = [
        (sdi.join("capf-ssl-read.txt"), "capf-ssl-read.txt"),
        (root.join("nginx").join("error.log"), "nginx-curl51-name.log"),
        (root.join("nginx").join("error.log.1.gz"), "nginx-success.log.gz"),
    ];
    for (to, from) in &logs {
        std::fs::copy(fixture(&format!("logs/{from}")), to).unwrap();
    }
    std::fs::write(root.join("misc").join("empty.txt"), "").unwrap();
    std::fs::write(root.join("misc").join("logs.zip"), b"PK\x03\x04\x14\0\0\0\0\0").unwrap();
    std::fs::write(root.join("misc").join("notes.txt"), "call the CA team\n").unwrap();
    std::fs::copy(fixture("cucm/tomcat.pem"), root.join("misc").join("tomcat.pem")).unwrap();

    let folder = root.to_str().unwrap().to_string();
    let out = ucert().args(["logs", "--json", &folder]).output().unwrap();
    let from_folder: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let by_name = ucert().args(["logs", "--json"]).args(logs.iter().map(|(path, _)| path)).output().unwrap();
    assert_eq!(out.status.code(), by_name.status.code());
    assert_eq!(out.status.code(), Some(1), "the CAPF trace's failure");
    let mut by_name: serde_json::Value = serde_json::from_slice(&by_name.stdout).unwrap();
    let path = |p: &std::path::Path| p.to_str().unwrap().to_string();
    let skipped = serde_json::json!([
        { "path": path(&root.join("misc").join("empty.txt")), "reason": "empty" },
        { "path": path(&root.join("misc").join("logs.zip")),
          "reason": "a damaged ZIP archive (invalid Zip archive: Could not find EOCD)" },
        { "path": path(&root.join("misc").join("notes.txt")),
          "reason": "not a CAPF trace, CiscoRA log, NGINX error.log or IIS log" },
        { "path": path(&root.join("misc").join("tomcat.pem")),
          "reason": "not a CAPF trace, CiscoRA log, NGINX error.log or IIS log" },
    ]);
    assert_eq!(from_folder["skipped"], skipped);
    by_name["skipped"] = skipped;
    assert_eq!(from_folder, by_name, "the same document as the logs given by name, plus what was skipped");

    let out = ucert().args(["logs", &folder]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("NOT READ AS LOGS (4)"), "{text}");
    assert!(text.contains("notes.txt: not a CAPF trace"), "{text}");
    assert!(out.stderr.is_empty(), "nothing on stderr: {}", String::from_utf8_lossy(&out.stderr));

    // a folder with no log at all
    let misc = path(&root.join("misc"));
    let out = ucert().args(["logs", &misc]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!("ucert: {misc}: no CAPF trace, CiscoRA log, NGINX error.log or IIS log among its 4 files\n")
    );
}

/// Traces zipped or tarred to send to TAC (made by the real `zip` and `tar`; skipped where they are missing): the
/// archive is read as the folder it was made from, each file inside named `ARCHIVE/NAME`, the same findings; a
/// tar archive from a pipe too, a ZIP from a pipe refused in one line; an archive without a log is an error naming
/// it, and inside a folder is listed with why.
#[test]
fn archives_of_traces_are_read_as_the_folder_they_were_made_from() {
    let missing = ["zip", "tar"].into_iter().find(|t| std::process::Command::new(t).arg("--version").output().is_err());
    if let Some(tool) = missing {
        eprintln!("archives_of_traces_are_read_as_the_folder_they_were_made_from: skipped: {tool} is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("traces");
    let sdi = root.join("cm").join("trace").join("capf").join("sdi");
    std::fs::create_dir_all(&sdi).unwrap();
    std::fs::create_dir_all(root.join("nginx")).unwrap();
    for (to, from) in [
        (sdi.join("capf-ssl-read.txt"), "capf-ssl-read.txt"),
        (root.join("nginx").join("error.log"), "nginx-curl51-name.log"),
        (root.join("nginx").join("error.log.1.gz"), "nginx-success.log.gz"),
    ] {
        std::fs::copy(fixture(&format!("logs/{from}")), to).unwrap();
    }
    std::fs::write(root.join("notes.txt"), "call the CA team\n").unwrap();
    let tool = |program: &str, args: &[&str], cwd: &std::path::Path| {
        let status = std::process::Command::new(program).args(args).current_dir(cwd).status().unwrap();
        assert!(status.success(), "{program} {args:?}");
    };
    tool("zip", &["-q", "-r", "../traces.zip", "cm", "nginx", "notes.txt"], &root);
    tool("tar", &["cf", "../traces.tar", "cm", "nginx", "notes.txt"], &root);
    tool("tar", &["czf", "../traces.tgz", "cm", "nginx", "notes.txt"], &root);
    let folder_doc = ucert().args(["logs", "--json"]).arg(&root).output().unwrap();
    let as_text = |out: &std::process::Output| String::from_utf8(out.stdout.clone()).unwrap();
    let prefix = |p: &str| serde_json::to_string(p).unwrap().trim_matches('"').to_string();
    let root_text = root.to_str().unwrap();
    let same_as_folder = |out: &std::process::Output, name: &str, what: &str| {
        assert_eq!(out.status.code(), Some(1), "{what}: the CAPF trace's failure");
        let expected = as_text(&folder_doc).replace(&prefix(root_text), &prefix(name));
        let mut expected: serde_json::Value = serde_json::from_str(&expected).unwrap();
        let mut found: serde_json::Value = serde_json::from_str(&as_text(out)).unwrap();
        // the same files, perhaps in another order: the tools store them in the order they find them
        for doc in [&mut expected, &mut found] {
            doc["files"].as_array_mut().unwrap().sort_by_key(|f| f["path"].to_string());
        }
        assert_eq!(found, expected, "{what}: the folder's document, its files named inside the archive");
        assert!(found["files"][0]["path"].as_str().unwrap().starts_with(&format!("{name}/")), "{what}");
    };
    for archive in ["traces.zip", "traces.tar", "traces.tgz"] {
        let path = dir.path().join(archive);
        let out = ucert().args(["logs", "--json"]).arg(&path).output().unwrap();
        same_as_folder(&out, path.to_str().unwrap(), archive);
    }
    // a tar archive streams from a pipe; a ZIP cannot be read out of order: said so, in one line
    let out =
        ucert().args(["logs", "--json", "-"]).pipe_stdin(dir.path().join("traces.tgz")).unwrap().output().unwrap();
    same_as_folder(&out, "-", "traces.tgz from a pipe");
    let out = ucert().args(["logs", "-"]).pipe_stdin(dir.path().join("traces.zip")).unwrap().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "ucert: -: a ZIP archive from a pipe or inside another archive: give ucert the archive's own file (it reads \
         a ZIP of logs from a file), or extract it\n"
    );

    // an archive with no log: an error naming it when given, listed with why inside a folder
    tool("zip", &["-q", "../notes.zip", "notes.txt"], &root);
    let notes = dir.path().join("notes.zip");
    let out = ucert().arg("logs").arg(&notes).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "ucert: {}: no CAPF trace, CiscoRA log, NGINX error.log or IIS log among its 1 file\n",
            notes.display()
        )
    );
    std::fs::rename(&notes, root.join("notes.zip")).unwrap();
    let out = ucert().args(["logs", "--json"]).arg(&root).output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reasons: Vec<String> = doc["skipped"].as_array().unwrap().iter().map(|s| s["reason"].to_string()).collect();
    assert!(reasons.iter().any(|r| r.contains("among its 1 file")), "{reasons:?}");
}
