//! Expiry watch: `ucert connect` over several real `openssl s_server` listeners on 127.0.0.1 at once (a valid
//! certificate, one inside the warning threshold, one inside the critical one, an expired one, one for another
//! host), a closed port and silent ports; the table, `--format nagios` and `--format csv`; `--targets FILE`; and
//! `--warn-days` / `--critical-days` on `inspect`, `chain` and `pair`. Every run passes `--at`, so the fixtures'
//! days left never change.

mod common;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::{AT, OpensslServer, fixture, free_port, ucert};

/// The listeners of one test: each serves one of `fixtures/watch/`.
struct Servers {
    valid: OpensslServer,
    warning: OpensslServer,
    critical: OpensslServer,
    expired: OpensslServer,
    other_host: OpensslServer,
}

fn serve(name: &str) -> OpensslServer {
    let chain = (name == "valid").then_some("ca/issuing-ca.pem");
    OpensslServer::start(&format!("watch/{name}.pem"), "watch/server.key", chain, &[])
}

fn servers() -> Servers {
    Servers {
        valid: serve("valid"),
        warning: serve("warning"),
        critical: serve("critical"),
        expired: serve("expired"),
        other_host: serve("other-host"),
    }
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = ucert().args(["connect", "--at", AT]).args(args).output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap(), text(out.stdout), text(out.stderr))
}

fn closed_port() -> String {
    format!("127.0.0.1:{}", free_port())
}

#[test]
fn the_table_puts_the_worst_first_then_the_fewest_days_left() {
    if !common::has_openssl("the_table_puts_the_worst_first_then_the_fewest_days_left") {
        return;
    }
    let s = servers();
    let closed = closed_port();
    let targets = [
        s.valid.target(),
        s.warning.target(),
        closed.clone(),
        s.critical.target(),
        s.expired.target(),
        s.other_host.target(),
    ];
    let root = fixture("ca/root-ca.pem");
    let mut args: Vec<&str> = targets.iter().map(String::as_str).collect();
    args.extend(["--ca", &root]);
    let (code, text, err) = run(&args);
    assert_eq!(code, 2, "a target that cannot be reached is exit 2\n{text}{err}");
    let row = |target: &str| text.lines().position(|l| l.contains(&format!(" {target} "))).unwrap();
    // with --ca, only the valid server (which sends its issuing CA) passes: the rest are critical, fewest days first
    let order: Vec<usize> = [
        &closed,
        &s.expired.target(),
        &s.critical.target(),
        &s.warning.target(),
        &s.other_host.target(),
        &s.valid.target(),
    ]
    .iter()
    .map(|t| row(t))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}\n{text}");
    let line = |target: &str| text.lines().nth(row(target)).unwrap().to_string();
    assert!(line(&closed).contains("UNREACHED") && line(&closed).contains("connection refused"), "{text}");
    assert!(line(&s.expired.target()).trim_start().starts_with("-31  CRITICAL"), "{text}");
    assert!(line(&s.critical.target()).trim_start().starts_with("5  CRITICAL"), "{text}");
    assert!(line(&s.valid.target()).trim_start().starts_with("100  ok"), "{text}");
    assert!(text.contains("the certificate expires in 5 days, inside --critical-days 7"), "{text}");
    assert!(text.contains("the certificate expires in 20 days, inside --warn-days 30"), "{text}");
    assert!(text.contains("the certificate expired 31 days ago"), "{text}");
    assert!(text.contains("the certificate does not name 127.0.0.1 (curl error 51)"), "{text}");
    // only the valid server sends its issuing CA: its chain leads to the root given with --ca
    assert!(line(&s.valid.target()).contains("cucm-pub.example.com, RSA 2048, issued by Example Issuing CA"), "{text}");
    assert!(text.contains("checks: host name ok, chain to the given CAs ok"), "{text}");
    assert!(text.contains("6 targets: 1 unreached, 4 critical, 1 ok"), "{text}");
    // without --ca: the other host's certificate fails its host name with 100 days left, and comes before the
    // warning of 20 days, which comes before the one that is fine
    let (_, text, _) = run(&[&s.valid.target(), &s.warning.target(), &s.other_host.target()]);
    let row = |target: &str| text.lines().position(|l| l.contains(&format!(" {target} "))).unwrap();
    let order = [row(&s.other_host.target()), row(&s.warning.target()), row(&s.valid.target())];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}\n{text}");
    assert!(text.lines().nth(order[0]).unwrap().trim_start().starts_with("100  CRITICAL"), "{text}");
    assert!(text.lines().nth(order[1]).unwrap().trim_start().starts_with("20  WARNING"), "{text}");

    // every target reached: the worst is a failed check, exit 1; only warnings, exit 0
    assert_eq!(run(&[&s.valid.target(), &s.critical.target()]).0, 1);
    assert_eq!(run(&[&s.valid.target(), &s.warning.target()]).0, 0);
    assert_eq!(run(&[&s.valid.target(), &s.warning.target(), "--warn-days", "10", "--critical-days", "5"]).0, 0);
    assert_eq!(run(&[&s.valid.target(), &s.warning.target(), "--critical-days", "21"]).0, 1);
}

#[test]
fn one_target_keeps_its_detailed_report_with_the_expiry_checked() {
    if !common::has_openssl("one_target_keeps_its_detailed_report_with_the_expiry_checked") {
        return;
    }
    let warning = serve("warning");
    let (code, text, _) = run(&[&warning.target()]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("presented chain"), "{text}");
    assert!(text.contains("warn  the certificate expires in 20 days, inside --warn-days 30"), "{text}");
    let (code, text, _) = run(&[&warning.target(), "--critical-days", "25", "--warn-days", "40"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("FAIL  the certificate expires in 20 days, inside --critical-days 25"), "{text}");
    let (code, _, err) = run(&[&warning.target(), "--critical-days", "40", "--warn-days", "30"]);
    assert_eq!(code, 2);
    assert!(err.contains("--critical-days (40) is more than --warn-days (30)"), "{err}");
}

#[test]
fn nagios_status_line_perfdata_and_exit_codes() {
    if !common::has_openssl("nagios_status_line_perfdata_and_exit_codes") {
        return;
    }
    let s = servers();
    let nagios = |args: &[&str]| {
        let mut all = vec!["--format", "nagios"];
        all.extend(args);
        let (code, out, _) = run(&all);
        assert_eq!(out.lines().count(), 1, "one line: {out}");
        (code, out)
    };
    let (code, out) = nagios(&[&s.valid.target()]);
    assert_eq!(code, 0, "{out}");
    let valid = s.valid.target();
    assert_eq!(
        out,
        format!("UCERT OK - 1 target OK, the soonest expires in 100 days ({valid}) | '{valid}'=100;30:;7:;;\n")
    );
    // the example: several targets and --warn-days 45
    let (code, out) = nagios(&[&s.valid.target(), &s.warning.target(), "--warn-days", "45"]);
    assert_eq!(code, 1, "WARNING is 1: {out}");
    assert!(out.starts_with("UCERT WARNING - "), "{out}");
    assert!(
        out.contains(&format!("{}: the certificate expires in 20 days, inside --warn-days 45", s.warning.target()))
    );
    assert!(out.contains("1 target OK |"), "{out}");
    assert!(out.contains(&format!("'{}'=20;45:;7:;;", s.warning.target())), "{out}");
    let (code, out) = nagios(&[&s.valid.target(), &s.expired.target(), &s.warning.target()]);
    assert_eq!(code, 2, "CRITICAL is 2: {out}");
    assert!(out.starts_with(&format!("UCERT CRITICAL - {}: the certificate expired 31 days ago", s.expired.target())));
    assert!(out.contains(&format!("'{}'=-31;30:;7:;;", s.expired.target())), "{out}");
    // a server that is down is CRITICAL, even alone (not an error on stderr: the monitor reads stdout)
    let closed = closed_port();
    let (code, out) = nagios(&[&closed]);
    assert_eq!(code, 2, "{out}");
    assert!(out.starts_with(&format!("UCERT CRITICAL - {closed}: connection refused")), "{out}");
    // the check cannot run: UNKNOWN, 3
    let (code, out) = nagios(&[&s.valid.target(), "--ca", "no/such/ca.pem"]);
    assert_eq!(code, 3, "{out}");
    assert!(out.starts_with("UCERT UNKNOWN - no/such/ca.pem: no such file"), "{out}");
    // a host name that does not match is CRITICAL
    let (code, out) = nagios(&[&s.other_host.target()]);
    assert_eq!(code, 2);
    assert!(out.contains("does not name 127.0.0.1"), "{out}");
}

#[test]
fn csv_is_rfc_4180_with_a_row_per_presented_certificate() {
    if !common::has_openssl("csv_is_rfc_4180_with_a_row_per_presented_certificate") {
        return;
    }
    let s = servers();
    let closed = closed_port();
    let (code, out, _) = run(&[&s.valid.target(), &s.critical.target(), &closed, "--format", "csv"]);
    assert_eq!(code, 2);
    assert!(out.ends_with("\r\n") && out.matches("\r\n").count() == out.matches('\n').count(), "CRLF ends: {out:?}");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // the valid server presents its leaf and its issuing CA: two rows; the others one each
    assert_eq!(rows.len(), 4, "{out}");
    assert_eq!(&rows[0][column("target")], closed.as_str());
    assert_eq!(&rows[0][column("status")], "unreached");
    assert!(rows[0][column("error")].starts_with("connection refused"));
    assert_eq!(&rows[1][column("days_left")], "5");
    assert_eq!(&rows[1][column("expiry")], "critical");
    assert_eq!(&rows[1][column("host_match")], "matches");
    assert_eq!(&rows[2][column("position")], "1");
    assert_eq!(&rows[3][column("position")], "2");
    assert_eq!(&rows[3][column("subject_cn")], "Example Issuing CA");
    assert_eq!(&rows[2][column("sans")], "DNS:cucm-pub.example.com, DNS:localhost, IP Address:127.0.0.1");
    assert_eq!(&rows[2][column("not_after")], "2026-09-09 00:00:00 UTC");
}

#[test]
fn targets_come_from_a_file_with_comments() {
    if !common::has_openssl("targets_come_from_a_file_with_comments") {
        return;
    }
    let s = servers();
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("cluster.txt");
    // as Notepad saves it: a byte order mark, CR LF
    let text = format!(
        "\u{feff}# the cluster's Tomcat\r\n{}   # publisher\r\n\r\n  {}\r\n{}\r\n",
        s.valid.target(),
        s.warning.target(),
        s.valid.target()
    );
    std::fs::write(&list, text).unwrap();
    let (code, out, err) = run(&["--targets", list.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["summary"]["targets"], 2, "the same target twice is connected to once: {out}");
    assert_eq!(doc["status"], "warning");
    // with targets on the command line too
    let (code, out, _) = run(&[&s.expired.target(), "--targets", list.to_str().unwrap(), "--json"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["targets"][0]["days_left"], -31);
    // a line that is not a target names the file and the line
    std::fs::write(&list, "cucm-pub:8443\ncucm-sub:notaport\n").unwrap();
    let (code, _, err) = run(&["--targets", list.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("cluster.txt: line 2: 'notaport' is not a port number"), "{err}");
    std::fs::write(&list, "# nothing yet\n").unwrap();
    let (code, _, err) = run(&["--targets", list.to_str().unwrap()]);
    assert_eq!((code, err.lines().count()), (2, 1), "{err}");
    assert!(err.contains("names no target"), "{err}");
    // --save writes one server's files: not several
    let (code, _, err) = run(&[&s.valid.target(), &s.warning.target(), "--save", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("--save takes one target"), "{err}");
}

#[test]
fn silent_servers_never_hold_the_others_up() {
    if !common::has_openssl("silent_servers_never_hold_the_others_up") {
        return;
    }
    // fifteen servers that answer (a cluster's worth of nodes and ports), five that never say a word: the kernel
    // completes their TCP handshake, nobody reads
    let answering: Vec<OpensslServer> = (0..15).map(|_| serve("valid")).collect();
    let silent: Vec<TcpListener> = (0..5).map(|_| TcpListener::bind("127.0.0.1:0").unwrap()).collect();
    let mut all: Vec<String> = answering.iter().map(OpensslServer::target).collect();
    all.extend(silent.iter().map(|l| format!("127.0.0.1:{}", l.local_addr().unwrap().port())));
    let timeout = 3;
    let start = Instant::now();
    let out =
        ucert().args(["connect", "--at", AT, "--json", "--timeout", &timeout.to_string()]).args(&all).output().unwrap();
    let elapsed = start.elapsed();
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["unreached"], 5);
    assert_eq!(doc["summary"]["ok"], 15);
    // one after the other, the five silent ones would take five time-outs (15 s); together, about one
    assert!(elapsed < Duration::from_secs(3 * timeout), "took {elapsed:?}");
    drop(silent);
}

/// `inspect`, `chain` and `pair` judge every certificate against the same thresholds.
#[test]
fn inspect_chain_and_pair_take_the_thresholds() {
    let out = |args: &[&str]| {
        let o = ucert().args(args).args(["--at", AT]).output().unwrap();
        (o.status.code().unwrap(), String::from_utf8(o.stdout).unwrap())
    };
    let warning = fixture("watch/warning.pem");
    let critical = fixture("watch/critical.pem");
    let (code, text) = out(&["inspect", &warning]);
    assert_eq!(code, 0, "a warning is not a failure");
    assert!(text.contains("2026-06-21 00:00:00 UTC (expires in 20 days, inside --warn-days 30)"), "{text}");
    assert_eq!(out(&["inspect", &warning, "--warn-days", "20"]).0, 0);
    assert!(!out(&["inspect", &warning, "--warn-days", "20"]).1.contains("inside"));
    assert_eq!(out(&["inspect", &critical]).0, 1);
    assert_eq!(out(&["inspect", &critical, "--critical-days", "5"]).0, 0, "5 days left is not under 5");

    // Nagios: the worst certificate of every file; UNKNOWN when a file cannot be read
    let (code, line) = out(&["inspect", "--format", "nagios", &warning, &fixture("watch/valid.pem")]);
    assert_eq!(code, 1, "{line}");
    assert!(line.starts_with("UCERT WARNING - cucm-pub.example.com ("), "{line}");
    assert!(line.contains("=20;30:;7:;;") && line.contains("=100;30:;7:;;"), "{line}");
    let (code, line) = out(&["inspect", "--format", "nagios", &fixture("watch/valid.pem"), "no/such.pem"]);
    assert_eq!(code, 3, "{line}");
    assert!(line.starts_with("UCERT UNKNOWN - no/such.pem: no such file"), "{line}");
    let (code, line) = out(&["inspect", "--format", "nagios", &fixture("cucm/tomcat.csr")]);
    assert_eq!((code, line.as_str()), (3, "UCERT UNKNOWN - no certificate in the inputs\n"));

    // CSV: a row per object, those of a PKCS#7 numbered within it
    let (_, rows) = out(&[
        "inspect",
        "--format",
        "csv",
        &warning,
        &fixture("cucm/tomcat.csr"),
        &fixture("chain/with-unrelated.p7b"),
    ]);
    let mut reader = csv::Reader::from_reader(rows.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let kinds: Vec<&str> = records.iter().map(|r| &r[2]).collect();
    assert_eq!(&kinds[..2], ["certificate", "csr"], "{rows}");
    assert!(records.iter().any(|r| &r[1] == "1.2"), "{rows}");
    assert_eq!(&records[0][11], "20", "days_left: {rows}");

    // chain: a leaf inside --critical-days fails the chain (the plan itself is complete)
    let (ca, root) = (fixture("ca/issuing-ca.pem"), fixture("ca/root-ca.pem"));
    let (code, text) = out(&["chain", &critical, &ca, &root]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("FAIL  cucm-pub.example.com: expires in 5 days, inside --critical-days 7"), "{text}");
    assert_eq!(out(&["chain", &fixture("watch/valid.pem"), &ca, &root]).0, 0);
    let doc: serde_json::Value = serde_json::from_str(&out(&["chain", "--json", &critical, &ca, &root]).1).unwrap();
    assert_eq!((doc["complete"].as_bool(), doc["passed"].as_bool()), (Some(true), Some(false)));
    assert_eq!(doc["plan"][2]["certificate"]["expiry"]["days_left"], 5);

    // pair: certificates inside a threshold listed; the JSON counts them
    let dir = fixture("watch");
    let (code, text) = out(&["pair", &dir]);
    assert_eq!(code, 1);
    assert!(text.contains("expiring (3):"), "{text}");
    let doc: serde_json::Value = serde_json::from_str(&out(&["pair", "--json", &dir]).1).unwrap();
    assert_eq!(
        (doc["summary"]["expiry_warnings"].as_u64(), doc["summary"]["expiry_critical"].as_u64()),
        (Some(1), Some(2))
    );
    let (_, rows) = out(&["pair", "--format", "csv", &dir]);
    let mut reader = csv::Reader::from_reader(rows.as_bytes());
    assert_eq!(reader.records().count(), 5, "{rows}");
}

/// A server that requires a client certificate (as CUCM's SIP TLS port, 5061) ends a TLS 1.2 handshake after
/// presenting its own: what it presented is still read and judged.
#[test]
fn a_server_that_requires_a_client_certificate_is_still_read() {
    if !common::has_openssl("a_server_that_requires_a_client_certificate_is_still_read") {
        return;
    }
    for (version, ends_early) in [("-no_tls1_3", true), ("-tls1_3", false)] {
        let server = OpensslServer::start("watch/valid.pem", "watch/server.key", None, &["-Verify", "1", version]);
        let (code, text, err) = run(&[&server.target()]);
        assert_eq!(code, 0, "{version}: {text}{err}");
        assert!(text.contains("cucm-pub.example.com"), "{text}");
        assert_eq!(
            text.contains("note: the server ended the handshake after presenting its certificate"),
            ends_early,
            "{version}: {text}"
        );
        let (_, json, _) = run(&[&server.target(), "--json"]);
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(doc["handshake_ended"].is_string(), ends_early, "{json}");
        let (code, line, _) = run(&[&server.target(), "--format", "nagios"]);
        assert_eq!(code, 0, "{line}");
    }
}
