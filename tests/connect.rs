#![allow(dead_code)] // fields are deserialised to check the JSON schema, not all are read
//! `ucert connect` against real listeners on 127.0.0.1: `openssl s_server` with fixture certificates (the right
//! one, an old one, a self-signed one, one offering only TLS 1.1), a plain TCP listener that is not TLS, a port
//! that refuses, and a server that never answers.

mod common;

use std::io::Write;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::{AT, OpensslServer, fixture, fixture_abs, free_port, ucert};
use serde::Deserialize;

#[derive(Deserialize, Debug)]
struct ConnectJson {
    schema: u32,
    target: String,
    host: String,
    port: u16,
    protocol: String,
    chain: Vec<Cert>,
    host_match: HostMatch,
    self_signed: bool,
    trust: Option<Trust>,
    expect: Option<Expect>,
    saved: Vec<String>,
}

#[derive(Deserialize, Debug)]
struct Cert {
    subject: Name,
    self_signed: bool,
}

#[derive(Deserialize, Debug)]
struct Name {
    common_name: Option<String>,
}

#[derive(Deserialize, Debug)]
struct HostMatch {
    result: String,
    by: Option<String>,
    curl: Option<String>,
}

#[derive(Deserialize, Debug)]
struct Trust {
    result: String,
    path: Option<Vec<String>>,
}

#[derive(Deserialize, Debug)]
struct Expect {
    matches: bool,
    compared: String,
    expected: String,
    served: String,
}

fn connect_json(args: &[&str]) -> (ConnectJson, i32) {
    let out = ucert().args(["connect", "--json", "--at", AT]).args(args).output().unwrap();
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    (doc, out.status.code().unwrap())
}

#[test]
fn the_right_certificate_is_recognised() {
    if !common::has_openssl("the_right_certificate_is_recognised") {
        return;
    }
    let server = OpensslServer::start("cucm/tomcat.pem", "cucm/tomcat.key", Some("ca/issuing-ca.pem"), &[]);
    let sni = ["--sni", "cucm-pub.example.com"];
    let (doc, code) = connect_json(&[
        &server.target(),
        "--expect",
        &fixture("cucm/tomcat.pem"),
        "--ca",
        &fixture("ca/root-ca.pem"),
        sni[0],
        sni[1],
    ]);
    assert_eq!(code, 0, "every check passes");
    assert_eq!(doc.schema, 1);
    assert_eq!(doc.port, server.port);
    assert!(doc.protocol.starts_with("TLSv1."), "{}", doc.protocol);
    let names: Vec<&str> = doc.chain.iter().map(|c| c.subject.common_name.as_deref().unwrap()).collect();
    assert_eq!(names, ["cucm-pub.example.com", "Example Issuing CA"]);
    let expect = doc.expect.unwrap();
    assert!(expect.matches);
    assert_eq!(expect.compared, "certificate");
    let trust = doc.trust.unwrap();
    assert_eq!(trust.result, "chains");
    assert_eq!(trust.path.unwrap().last().map(String::as_str), Some("Example Root CA"));
    assert!(!doc.self_signed);
    // a CSR or a key works as well: compared by key
    let (doc, code) = connect_json(&[&server.target(), "--expect", &fixture("cucm/tomcat.csr"), sni[0], sni[1]]);
    assert_eq!(code, 0);
    assert_eq!(doc.expect.unwrap().compared, "key");
}

#[test]
fn the_expected_certificate_is_the_leaf_wherever_the_bundle_puts_it() {
    if !common::has_openssl("the_expected_certificate_is_the_leaf_wherever_the_bundle_puts_it") {
        return;
    }
    let server = OpensslServer::start("cucm/tomcat.pem", "cucm/tomcat.key", Some("ca/issuing-ca.pem"), &[]);
    let dir = tempfile::tempdir().unwrap();
    let read = |rel: &str| std::fs::read_to_string(common::fixture_abs(rel)).unwrap();
    // the CA's delivery, issuers first and the leaf last (as a bundle or a ZIP's order may have it)
    let bundle = dir.path().join("delivery.pem");
    std::fs::write(&bundle, [read("ca/root-ca.pem"), read("ca/issuing-ca.pem"), read("cucm/tomcat.pem")].concat())
        .unwrap();
    let (doc, code) =
        connect_json(&[&server.target(), "--expect", bundle.to_str().unwrap(), "--sni", "cucm-pub.example.com"]);
    assert_eq!(code, 0, "{doc:?}");
    assert!(doc.expect.unwrap().matches);
    // two leaves: which one is meant is not guessed
    let two = dir.path().join("two.pem");
    std::fs::write(&two, [read("cucm/CallManager.pem"), read("cucm/tomcat.pem")].concat()).unwrap();
    let out = ucert().args(["connect", &server.target(), "--expect", two.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("holds 2 certificates, 2 of which could be a server's: give the one"), "{stderr}");
}

#[test]
fn an_old_certificate_is_exit_1_with_both_side_by_side() {
    if !common::has_openssl("an_old_certificate_is_exit_1_with_both_side_by_side") {
        return;
    }
    let server = OpensslServer::start("match/earlier-tomcat.pem", "match/earlier-tomcat.key", None, &[]);
    let out = ucert()
        .args(["connect", "--at", AT, &server.target(), "--expect", &fixture("cucm/tomcat.pem")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("NOT EXPECTED: the server presents another certificate than expected"), "{text}");
    assert!(
        text.contains("expected  cucm-pub.example.com (SHA-256 ")
            && text.contains("served    cucm-pub.example.com (SHA-256 ")
    );
    assert!(text.contains("restart Cisco Tomcat"));
}

#[test]
fn a_wrong_host_name_is_reported_as_curl_51() {
    if !common::has_openssl("a_wrong_host_name_is_reported_as_curl_51") {
        return;
    }
    let server = OpensslServer::start("cucm/tomcat.pem", "cucm/tomcat.key", None, &[]);
    let (doc, code) = connect_json(&[&server.target()]);
    assert_eq!(code, 1, "a check failed: the name");
    assert_eq!(doc.host_match.result, "mismatch");
    assert_eq!(
        doc.host_match.curl.as_deref(),
        Some("SSL: certificate subject name 'cucm-pub.example.com' does not match target host name '127.0.0.1'")
    );
    let (doc, _) = connect_json(&[&format!("localhost:{}", server.port)]);
    assert_eq!(
        doc.host_match.curl.as_deref(),
        Some("SSL: no alternative certificate subject name matches target host name 'localhost'")
    );
    let (doc, _) = connect_json(&[&format!("localhost:{}", server.port), "--sni", "cucm-pub.example.com"]);
    assert_eq!(doc.host_match.result, "matches");
    assert_eq!(doc.host_match.by.as_deref(), Some("DNS:cucm-pub.example.com"));
}

#[test]
fn a_self_signed_certificate_is_flagged() {
    if !common::has_openssl("a_self_signed_certificate_is_flagged") {
        return;
    }
    let server = OpensslServer::start("connect/selfsigned.pem", "connect/selfsigned.key", None, &[]);
    let (doc, code) = connect_json(&[&server.target(), "--ca", &fixture("ca/root-ca.pem")]);
    assert_eq!(code, 1, "checks failed: the name and the chain");
    assert!(doc.self_signed && doc.chain[0].self_signed);
    assert_eq!(doc.trust.unwrap().result, "not-issued-by-given-cas");
    let out = ucert().args(["connect", "--at", AT, &server.target()]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("self-signed certificate"), "{text}");
    assert!(text.contains("certificate subject name 'lab-dc' does not match target host name '127.0.0.1'"), "{text}");
}

#[test]
fn save_writes_the_presented_chain_and_never_overwrites() {
    if !common::has_openssl("save_writes_the_presented_chain_and_never_overwrites") {
        return;
    }
    let server = OpensslServer::start("cucm/tomcat.pem", "cucm/tomcat.key", Some("ca/issuing-ca.pem"), &[]);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("served");
    let (doc, code) = connect_json(&[&server.target(), "--save", &d.to_string_lossy()]);
    assert_eq!(code, 1, "saved, though the name check failed (127.0.0.1 is not in the certificate)");
    assert_eq!(doc.saved.len(), 2);
    assert!(doc.saved[0].ends_with("01-cucm-pub.example.com.pem"));
    let same = std::fs::read(fixture_abs("cucm/tomcat.pem")).unwrap();
    assert_eq!(std::fs::read(&doc.saved[0]).unwrap(), same, "byte for byte the certificate served");
    let out = ucert().args(["connect", &server.target(), "--save", &d.to_string_lossy()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
}

/// Runs connect and returns (exit code, stderr, elapsed).
fn failing(target: &str, extra: &[&str]) -> (i32, String, Duration) {
    let start = Instant::now();
    let out = ucert().args(["connect", target]).args(extra).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stderr).unwrap(), start.elapsed())
}

#[test]
fn a_plain_tcp_listener_is_not_tls() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let _ = s.write_all(b"SSH-2.0-OpenSSH_9.2\r\n");
            std::thread::sleep(Duration::from_millis(500));
        }
    });
    let target = format!("127.0.0.1:{port}");
    let (code, err, _) = failing(&target, &[]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!("ucert: {target}: not TLS on this port: the server answered \"SSH-2.0-OpenSSH_9.2\"")),
        "{err}"
    );
    let _ = server.join();
}

#[test]
fn a_server_offering_only_tls_1_1_is_named_as_such() {
    if !common::has_openssl("a_server_offering_only_tls_1_1_is_named_as_such") {
        return;
    }
    // as a CUCM or IIS too old for TLS 1.2: openssl answers rustls's hello with the ProtocolVersion alert
    let options = ["-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"];
    let server = OpensslServer::start("connect/selfsigned.pem", "connect/selfsigned.key", None, &options);
    let (code, err, _) = failing(&server.target(), &[]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("it offers neither TLS 1.2 nor TLS 1.3"), "{err}");
    assert!(err.contains("openssl s_client -tls1_1"), "{err}");
}

#[test]
fn a_refused_port_is_exit_2() {
    let port = free_port();
    let (code, err, _) = failing(&format!("127.0.0.1:{port}"), &[]);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("connection refused on port {port}")), "{err}");
}

#[test]
fn a_server_that_never_answers_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let holder = std::thread::spawn(move || {
        let accepted = listener.accept();
        std::thread::sleep(Duration::from_secs(3));
        drop(accepted);
    });
    let (code, err, elapsed) = failing(&format!("127.0.0.1:{port}"), &["--timeout", "1"]);
    assert_eq!(code, 2);
    assert!(err.contains("timed out after 1 s during the TLS handshake (as curl's error 28)"), "{err}");
    assert!(elapsed < Duration::from_secs(3), "gave up after the time-out, took {elapsed:?}");
    let _ = holder.join();
}

#[test]
fn a_name_that_does_not_resolve_is_exit_2() {
    let (code, err, _) = failing("no-such-host.invalid:443", &["--timeout", "5"]);
    assert_eq!(code, 2);
    assert!(err.contains("could not resolve host name 'no-such-host.invalid'") || err.contains("timed out"), "{err}");
}

/// An address copied from the browser's bar reaches the server it names; one that is not TLS is refused in one line,
/// its text escaped.
#[test]
fn a_browser_address_connects_to_its_server() {
    if !common::has_openssl("a_browser_address_connects_to_its_server") {
        return;
    }
    let server = OpensslServer::start("cucm/tomcat.pem", "cucm/tomcat.key", Some("ca/issuing-ca.pem"), &[]);
    let url = format!("https://{}/ccmadmin/showHome.do?x=1", server.target());
    let (doc, code) = connect_json(&[&url, "--sni", "cucm-pub.example.com", "--expect", &fixture("cucm/tomcat.pem")]);
    assert_eq!(code, 0);
    assert_eq!((doc.host.as_str(), doc.port), ("127.0.0.1", server.port));
    assert!(doc.expect.unwrap().matches);
    let (code, err, _) = failing("http://cucm-pub.example.com:8080/ccmadmin", &[]);
    assert_eq!(code, 2);
    assert!(err.starts_with("ucert: http:// is not TLS: give the https:// address"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let (code, err, _) = failing("go\x1b[31mpher://cucm-pub", &[]);
    assert_eq!(code, 2);
    assert!(err.starts_with("ucert: go\\x1b[31mpher:// is not an address ucert connects to"), "{err}");
}

#[test]
fn bad_arguments_are_usage_errors() {
    assert_eq!(failing("host:notaport", &[]).0, 2);
    assert_eq!(failing("127.0.0.1:1", &["--expect", "no/such/file.pem"]).0, 2);
    assert_eq!(failing("127.0.0.1:1", &["--timeout", "0"]).0, 2);
}

/// A first flight over 4 KiB (2048-bit leaf, 4096-bit issuing CA and root, as a CUCM node with a 4096-bit
/// enterprise CA), over TLS 1.2 and 1.3, whole, in 512-byte fragments, and one byte at a time through a proxy.
fn assert_big_chain_is_read(target: &str, what: &str) {
    let (doc, code) = connect_json(&[target, "--ca", &fixture("connect/big-root.pem"), "--timeout", "20"]);
    assert_eq!(code, 0, "{what}");
    let names: Vec<&str> = doc.chain.iter().map(|c| c.subject.common_name.as_deref().unwrap()).collect();
    assert_eq!(names, ["127.0.0.1", "Example Big Issuing CA", "Example Big Root CA"], "{what}");
    assert_eq!(doc.trust.unwrap().result, "chains", "{what}");
    assert_eq!(doc.host_match.result, "matches", "{what}");
}

fn big_server(options: &[&str]) -> OpensslServer {
    OpensslServer::start("connect/big-leaf.pem", "connect/big-leaf.key", Some("connect/big-chain.pem"), options)
}

#[test]
fn a_first_flight_over_4_kib_is_read_over_tls_1_2_and_1_3() {
    if !common::has_openssl("a_first_flight_over_4_kib_is_read_over_tls_1_2_and_1_3") {
        return;
    }
    let chain_bytes: usize = ["connect/big-leaf.pem", "connect/big-chain.pem"]
        .iter()
        .map(|f| std::fs::read(fixture_abs(f)).unwrap().len())
        .sum();
    // 3.8 KB of DER: with the handshake messages around it, a first flight over 4 KiB
    assert!(chain_bytes > 5000, "the fixture chain is the big one");
    for version in ["-tls1_2", "-tls1_3"] {
        let server = big_server(&[version]);
        assert_big_chain_is_read(&server.target(), version);
    }
}

#[test]
fn records_in_small_fragments_are_read() {
    if !common::has_openssl("records_in_small_fragments_are_read") {
        return;
    }
    let server = big_server(&["-max_send_frag", "512"]);
    assert_big_chain_is_read(&server.target(), "-max_send_frag 512");
}

/// Forwards one connection to `upstream`, the server's bytes one write per byte (TCP_NODELAY), for at most 30 s.
fn one_byte_proxy(upstream: u16) -> u16 {
    use std::io::Read;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let Ok((mut client, _)) = listener.accept() else { return };
        let Ok(mut server) = std::net::TcpStream::connect(("127.0.0.1", upstream)) else { return };
        for s in [&client, &server] {
            let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
            let _ = s.set_nodelay(true);
        }
        let (mut client_in, mut server_out) = (client.try_clone().unwrap(), server.try_clone().unwrap());
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut client_in, &mut server_out);
        });
        let mut byte = [0u8; 1];
        while let Ok(1) = server.read(&mut byte) {
            if client.write_all(&byte).is_err() {
                break;
            }
        }
    });
    port
}

#[test]
fn a_server_that_sends_one_byte_at_a_time_is_read() {
    if !common::has_openssl("a_server_that_sends_one_byte_at_a_time_is_read") {
        return;
    }
    let server = big_server(&[]);
    let port = one_byte_proxy(server.port);
    assert_big_chain_is_read(&format!("127.0.0.1:{port}"), "one byte at a time");
}

#[test]
fn an_expired_certificate_is_exit_1() {
    if !common::has_openssl("an_expired_certificate_is_exit_1") {
        return;
    }
    let server = OpensslServer::start("match/tomcat-expired.pem", "cucm/tomcat.key", None, &[]);
    let out =
        ucert().args(["connect", "--at", AT, &server.target(), "--sni", "cucm-pub.example.com"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("FAIL  the certificate expired"), "{text}");
}
