#![allow(dead_code)] // fields are deserialised to check the JSON, not all are read
//! `ucert connect` to XMPP servers, which present their certificate only after STARTTLS (IM and Presence's 5222 and
//! 5269): a real XMPP server (Prosody, where it is installed), a scripted XMPP prelude in front of a real
//! `openssl s_server` (everywhere openssl is), and scripted servers for each way the prelude can fail.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use common::{AT, OpensslServer, fixture, ucert};
use serde::Deserialize;

#[derive(Deserialize, Debug)]
struct ConnectJson {
    target: String,
    sni: Option<String>,
    starttls: Option<String>,
    xmpp_domain: Option<String>,
    host_match: HostMatch,
    expect: Option<Expect>,
}

#[derive(Deserialize, Debug)]
struct HostMatch {
    result: String,
    by: Option<String>,
}

#[derive(Deserialize, Debug)]
struct Expect {
    matches: bool,
}

#[derive(Deserialize, Debug)]
struct ErrorJson {
    error: ErrorBody,
}

#[derive(Deserialize, Debug)]
struct ErrorBody {
    kind: String,
    message: String,
}

/// A server's stream header, as Prosody sends it.
const HEADER: &str = "<?xml version='1.0'?><stream:stream id='4f1c' from='example.com' xmlns='jabber:client' \
                      version='1.0' xmlns:stream='http://etherx.jabber.org/streams' xml:lang='en'>";
const OFFERS_TLS: &str = "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>\
                          </stream:features>";
const PROCEED: &str = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";

/// Reads from `stream` until what was read ends with `end` (or the connection ends); returns it as text.
fn read_until(stream: &mut TcpStream, end: &str) -> String {
    let mut got = Vec::new();
    let mut byte = [0u8; 1];
    while !got.ends_with(end.as_bytes()) {
        match stream.read(&mut byte) {
            Ok(1) => got.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

/// A scripted XMPP server for one connection on a port of the system's choosing: it reads the client's stream
/// header and answers `features`; with `answer`, it reads `<starttls/>` and sends `answer`; with `upstream`, it then
/// relays the connection to that TLS server, whose handshake follows `<proceed/>` as a real XMPP server's does. The
/// receiver gets what the client sent before TLS.
fn xmpp_front(features: String, answer: Option<&'static str>, upstream: Option<u16>) -> (u16, Receiver<String>) {
    xmpp_front_on(TcpListener::bind("127.0.0.1:0").unwrap(), features, answer, upstream)
}

/// [`xmpp_front`] on a listener of the test's choosing.
fn xmpp_front_on(
    listener: TcpListener,
    features: String,
    answer: Option<&'static str>,
    upstream: Option<u16>,
) -> (u16, Receiver<String>) {
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let Ok((mut client, _)) = listener.accept() else { return };
        let _ = client.set_read_timeout(Some(Duration::from_secs(30)));
        let mut said = read_until(&mut client, "version='1.0'>");
        if client.write_all(features.as_bytes()).is_err() {
            return;
        }
        if let Some(answer) = answer {
            said.push_str(&read_until(&mut client, "/>"));
            let _ = client.write_all(answer.as_bytes());
        }
        let _ = tx.send(said);
        let Some(upstream) = upstream else {
            // hold the connection open until the client is done with it
            let _ = client.read(&mut [0u8; 1]);
            return;
        };
        let Ok(mut server) = TcpStream::connect(("127.0.0.1", upstream)) else { return };
        let (mut client_in, mut server_out) = (client.try_clone().unwrap(), server.try_clone().unwrap());
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut client_in, &mut server_out);
        });
        let _ = std::io::copy(&mut server, &mut client);
    });
    (port, rx)
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = ucert().arg("connect").args(args).args(["--at", AT, "--timeout", "5"]).output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap(), text(&out.stdout), text(&out.stderr))
}

fn cup_xmpp_server() -> OpensslServer {
    OpensslServer::start("imp/cup-xmpp.pem", "imp/cup-xmpp.key", Some("ca/issuing-ca.pem"), &[])
}

#[test]
fn the_certificate_behind_xmpp_starttls_is_checked_against_the_domain() {
    if !common::has_openssl("the_certificate_behind_xmpp_starttls_is_checked_against_the_domain") {
        return;
    }
    let server = cup_xmpp_server();
    let (port, said) = xmpp_front(format!("{HEADER}{OFFERS_TLS}"), Some(PROCEED), Some(server.port));
    let target = format!("127.0.0.1:{port}");
    let expect = fixture("imp/cup-xmpp.pem");
    let args = ["--json", "--starttls", "xmpp", "--xmpp-domain", "example.com", "--expect", &expect, &target];
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let doc: ConnectJson = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc.starttls.as_deref(), Some("xmpp"));
    assert_eq!(doc.xmpp_domain.as_deref(), Some("example.com"));
    // the server is known by its domain: SNI and the name checked are the domain, not 127.0.0.1
    assert_eq!(doc.sni.as_deref(), Some("example.com"));
    assert_eq!((doc.host_match.result.as_str(), doc.host_match.by.as_deref()), ("matches", Some("DNS:example.com")));
    assert!(doc.expect.unwrap().matches);
    let said = said.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(said.contains("xmlns='jabber:client'") && said.contains("to='example.com'"), "{said}");
    assert!(said.ends_with("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"), "{said}");

    // the text says how it got there
    let (port, said) = xmpp_front(format!("{HEADER}{OFFERS_TLS}"), Some(PROCEED), Some(server.port));
    let target = format!("127.0.0.1:{port}");
    let (code, stdout, stderr) = run(&["--starttls", "xmpp-server", "--xmpp-domain", "example.com", &target]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("XMPP server-to-server STARTTLS to example.com"), "{stdout}");
    assert!(stdout.contains("the certificate names example.com (DNS:example.com)"), "{stdout}");
    assert!(said.recv_timeout(Duration::from_secs(5)).unwrap().contains("xmlns='jabber:server'"));
}

#[test]
fn port_5222_speaks_xmpp_without_being_told() {
    if !common::has_openssl("port_5222_speaks_xmpp_without_being_told") {
        return;
    }
    // only this test takes 5222; elsewhere it may be taken (a real XMPP server on the machine): then it proves nothing
    let Ok(listener) = TcpListener::bind("127.0.0.1:5222") else {
        eprintln!("port_5222_speaks_xmpp_without_being_told: skipped, 127.0.0.1:5222 is taken");
        return;
    };
    let server = cup_xmpp_server();
    xmpp_front_on(listener, format!("{HEADER}{OFFERS_TLS}"), Some(PROCEED), Some(server.port));
    let (code, stdout, stderr) = run(&["--sni", "example.com", "127.0.0.1:5222"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("(127.0.0.1:5222, XMPP STARTTLS to example.com)"), "{stdout}");
}

#[test]
fn each_way_an_xmpp_server_says_no_is_one_line_naming_it() {
    let cases: [(String, Option<&'static str>, &[&str], &str); 4] = [
        (
            format!(
                "{HEADER}<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text \
                 xmlns='urn:ietf:params:xml:ns:xmpp-streams'>This server does not serve 127.0.0.1</text></stream:error>\
                 </stream:stream>"
            ),
            None,
            &[],
            "STARTTLS failed: the XMPP server does not serve the domain it was asked for (host-unknown: \"This server \
             does not serve 127.0.0.1\"): give its XMPP domain, the part after @ in a Jabber ID, with --xmpp-domain",
        ),
        (
            format!(
                "{HEADER}<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/></stream:features>"
            ),
            None,
            &["--xmpp-domain", "example.com"],
            "STARTTLS failed: the XMPP server offers no STARTTLS on this port (its stream features name none)",
        ),
        (
            format!("{HEADER}{OFFERS_TLS}"),
            Some("<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:stream>"),
            &["--xmpp-domain", "example.com"],
            "STARTTLS failed: the XMPP server refused STARTTLS (it answered <failure/>)",
        ),
        (
            // a TLS alert where the stream header should be: the port speaks TLS at once
            String::from_utf8_lossy(&[21, 3, 3, 0, 2, 2, 70]).into_owned(),
            None,
            &[],
            "STARTTLS failed: the server answered in TLS, not XMPP: this port speaks TLS at once (give --starttls none)",
        ),
    ];
    for (features, answer, extra, message) in cases {
        let (port, _) = xmpp_front(features, answer, None);
        let target = format!("127.0.0.1:{port}");
        let mut args = vec!["--starttls", "xmpp"];
        args.extend_from_slice(extra);
        args.push(&target);
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
        assert_eq!(stderr, format!("ucert: {target}: {message}\n"), "{args:?}");
    }
}

#[test]
fn a_silent_xmpp_server_times_out_and_a_flood_is_cut_short() {
    let (port, _) = xmpp_front(HEADER.to_string(), None, None);
    let target = format!("127.0.0.1:{port}");
    let out = ucert().args(["connect", "--starttls", "xmpp", "--timeout", "1", &target]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("timed out after 1 s waiting for the XMPP server before STARTTLS"), "{stderr}");

    let flood = format!("{HEADER}{}", "<presence/>".repeat(7_000));
    let (port, _) = xmpp_front(flood, None, None);
    let target = format!("127.0.0.1:{port}");
    let (code, _, stderr) = run(&["--starttls", "xmpp", &target]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("the XMPP server sent over 64 KiB without the element awaited"), "{stderr}");
}

#[test]
fn what_an_xmpp_server_says_is_escaped_on_the_terminal_and_exact_in_json() {
    let hostile = "\u{1b}]0;owned\u{7}\u{202e}gpj.exe";
    let features = format!(
        "{HEADER}<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text>{hostile}</text>\
         </stream:error>"
    );
    let (port, _) = xmpp_front(features.clone(), None, None);
    let target = format!("127.0.0.1:{port}");
    let (code, _, stderr) = run(&["--starttls", "xmpp", &target]);
    assert_eq!(code, 2);
    assert!(!stderr.contains('\u{1b}') && !stderr.contains('\u{202e}') && !stderr.contains('\u{7}'), "{stderr:?}");
    assert!(stderr.contains(r#"policy-violation: "\x1b]0;owned\x07\u{202e}gpj.exe""#), "{stderr}");

    let (port, _) = xmpp_front(features, None, None);
    let target = format!("127.0.0.1:{port}");
    let (code, stdout, _) = run(&["--json", "--starttls", "xmpp", &target]);
    assert_eq!(code, 2);
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
    let doc: ErrorJson = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc.error.kind, "network");
    assert!(doc.error.message.contains(hostile), "{}", doc.error.message);
}

#[test]
fn an_xmpp_server_spoken_to_in_tls_says_it_wants_starttls() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let Ok((mut client, _)) = listener.accept() else { return };
        let _ = client.read(&mut [0u8; 512]);
        let _ = client.write_all(
            b"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>\
              <stream:error><not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>",
        );
        let _ = client.read(&mut [0u8; 1]);
    });
    let target = format!("127.0.0.1:{port}");
    let (code, _, stderr) = run(&["--starttls", "none", &target]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("an XMPP stream: this port wants STARTTLS (--starttls xmpp"), "{stderr}");
}

#[test]
fn an_empty_xmpp_domain_is_a_usage_error() {
    let (code, _, stderr) = run(&["--xmpp-domain", " ", "127.0.0.1:5222"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--xmpp-domain names no domain"), "{stderr}");
    let (code, _, stderr) = run(&["--starttls", "smtp", "127.0.0.1:25"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("xmpp-server"), "{stderr}");
}

/// A real XMPP server: Prosody, from Debian's packages, on a loopback port of the system's choosing (read from
/// /proc, as Prosody logs none), serving IM and Presence's cup-xmpp fixture for the domain example.com.
#[cfg(target_os = "linux")]
mod prosody {
    use super::*;
    use std::process::{Child, Command, Stdio};

    struct Prosody {
        child: Child,
        port: u16,
        _dir: tempfile::TempDir,
    }

    impl Drop for Prosody {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// The port a process listens on, from the sockets among its open files.
    fn listening_port(pid: u32) -> Option<u16> {
        let inodes: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
            .ok()?
            .flatten()
            .filter_map(|fd| std::fs::read_link(fd.path()).ok())
            .filter_map(|link| {
                let link = link.to_string_lossy().into_owned();
                link.strip_prefix("socket:[").and_then(|s| s.strip_suffix(']')).map(str::to_string)
            })
            .collect();
        let table = std::fs::read_to_string("/proc/net/tcp").ok()?;
        table.lines().skip(1).find_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (local, state, inode) = (fields.get(1)?, fields.get(3)?, fields.get(9)?);
            if *state != "0A" || !inodes.iter().any(|i| i == inode) {
                return None;
            }
            u16::from_str_radix(local.rsplit(':').next()?, 16).ok()
        })
    }

    fn start(test: &str) -> Option<Prosody> {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("prosody.cfg.lua");
        let lua = |p: &std::path::Path| p.display().to_string().replace('\\', "\\\\").replace('"', "\\\"");
        std::fs::create_dir(dir.path().join("data")).unwrap();
        let text = format!(
            "pidfile = \"{dir}/prosody.pid\"\ndata_path = \"{dir}/data\"\nrun_as_root = true\n\
             log = {{ {{ levels = {{ min = \"error\" }}, to = \"console\" }} }}\n\
             modules_enabled = {{ \"tls\"; \"saslauth\" }}\nc2s_ports = {{ 0 }}\ns2s_ports = {{ }}\n\
             c2s_direct_tls_ports = {{ }}\nlegacy_ssl_ports = {{ }}\ninterfaces = {{ \"127.0.0.1\" }}\n\
             c2s_require_encryption = true\n\
             VirtualHost \"example.com\"\n  ssl = {{ key = \"{key}\"; certificate = \"{cert}\" }}\n",
            dir = lua(dir.path()),
            key = lua(&common::fixture_abs("imp/cup-xmpp.key")),
            cert = lua(&common::fixture_abs("imp/cup-xmpp.pem")),
        );
        std::fs::write(&config, text).unwrap();
        let spawned = Command::new("prosody")
            .arg("-F")
            .arg("--config")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let child = match spawned {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                eprintln!("{test}: skipped, Prosody is not installed (apt-get install prosody)");
                return None;
            }
            Err(e) => panic!("Prosody does not start: {e}"),
        };
        let mut server = Prosody { child, port: 0, _dir: dir };
        for _ in 0..200 {
            if let Some(port) = listening_port(server.child.id()) {
                server.port = port;
                return Some(server);
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("Prosody stopped at once ({status})");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("Prosody did not listen within 10 s")
    }

    #[test]
    fn a_real_xmpp_server_presents_its_certificate_after_starttls() {
        let Some(server) = start("a_real_xmpp_server_presents_its_certificate_after_starttls") else { return };
        let target = format!("127.0.0.1:{}", server.port);
        let expect = fixture("imp/cup-xmpp.pem");
        let ca = fixture("ca/root-ca.pem");
        let issuing = fixture("ca/issuing-ca.pem");
        let args = ["--starttls", "xmpp", "--xmpp-domain", "example.com", "--expect", &expect, &target];
        let (code, stdout, stderr) = run(&[&args[..], &["--ca", &ca, "--ca", &issuing]].concat());
        assert_eq!(code, 0, "{stdout}{stderr}");
        assert!(stdout.contains("EXPECTED: the server presents the expected certificate"), "{stdout}");
        assert!(stdout.contains("the certificate names example.com (DNS:example.com)"), "{stdout}");

        // asked for the node's name, which it does not serve: it says so, and ucert says what to give
        let (code, _, stderr) = run(&["--starttls", "xmpp", &target]);
        assert_eq!(code, 2);
        assert!(stderr.contains("host-unknown") && stderr.contains("--xmpp-domain"), "{stderr}");

        // spoken to in TLS at once, it answers with an XMPP stream
        let (code, _, stderr) = run(&["--starttls", "none", &target]);
        assert_eq!(code, 2);
        assert!(stderr.contains("this port wants STARTTLS"), "{stderr}");
    }
}
