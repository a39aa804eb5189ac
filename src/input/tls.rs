//! Fetching the certificate chain a server presents, over a real TLS handshake with rustls (ring provider).
//! Inspection, not trust, decides the fetch: a verifier that accepts any chain records what was presented (the
//! handshake signatures are still checked against the presented key), so a self-signed or expired certificate is
//! shown rather than refused. Every failure is typed, for one clear line per case.

use std::io::{self, Read};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{AlertDescription, ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme};

mod starttls;
pub use starttls::{Mode as StarttlsMode, Starttls};

/// Where to connect: host and port, parsed from `HOST[:PORT]` (IPv6 in brackets) or from an address copied out of a
/// browser (`https://cucm-pub:8443/ccmadmin/showHome.do`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
}

/// CUCM's administration port (Cisco Tomcat).
pub const DEFAULT_PORT: u16 = 8443;

impl Target {
    pub fn parse(s: &str) -> Result<Target, String> {
        let s = s.trim();
        match s.split_once("://") {
            Some((scheme, rest)) => Target::from_url(scheme, rest),
            // an address whose scheme the browser hid (`cucm-pub:8443/ccmadmin`): no host name holds a '/'
            None => Target::from_host_port(without_path(s), DEFAULT_PORT),
        }
    }

    /// `HOST`, `HOST:PORT`, `[IPv6]:PORT` or a bare IPv6 address; `default_port` where none is given.
    fn from_host_port(s: &str, default_port: u16) -> Result<Target, String> {
        let (host, port) = if let Some(rest) = s.strip_prefix('[') {
            let (h, after) = rest.split_once(']').ok_or_else(|| format!("'{s}': an IPv6 address needs its ']'"))?;
            (h.to_string(), after.strip_prefix(':').map(str::to_string))
        } else if s.matches(':').count() > 1 {
            // a bare IPv6 address, unless it is one with a port after it, which only brackets tell apart
            if s.parse::<std::net::Ipv6Addr>().is_err()
                && let Some((h, p)) = s.rsplit_once(':')
                && h.parse::<std::net::Ipv6Addr>().is_ok()
                && p.parse::<u16>().is_ok()
            {
                return Err(format!("'{s}': an IPv6 address with a port goes in brackets: [{h}]:{p}"));
            }
            (s.to_string(), None)
        } else if let Some((h, p)) = s.rsplit_once(':') {
            (h.to_string(), Some(p.to_string()))
        } else {
            (s.to_string(), None)
        };
        if host.is_empty() {
            return Err(format!("'{s}' names no host"));
        }
        let port = match port {
            Some(p) => p.parse::<u16>().ok().filter(|&p| p > 0).ok_or_else(|| format!("'{p}' is not a port number"))?,
            None => default_port,
        };
        Ok(Target { host, port })
    }

    /// The server of a URL: its host and port (the scheme's port, as the browser used, where the URL has none).
    /// A user name and password in it are dropped and never repeated in a message.
    fn from_url(scheme: &str, rest: &str) -> Result<Target, String> {
        let port = match scheme.to_ascii_lowercase().as_str() {
            "https" | "wss" => 443,
            "ldaps" => 636,
            "ftps" => 990,
            "http" | "ws" | "ldap" | "ftp" => {
                return Err(format!(
                    "{scheme}:// is not TLS: give the https:// address, or HOST:PORT of the TLS port (8443 for Cisco \
                     Tomcat, 5061 for SIP over TLS)"
                ));
            }
            _ => {
                return Err(format!(
                    "{scheme}:// is not an address ucert connects to: give HOST[:PORT] or https://..."
                ));
            }
        };
        let authority = without_path(rest);
        let authority = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
        if authority.is_empty() {
            return Err(format!("{scheme}:// with no host after it"));
        }
        Target::from_host_port(authority, port)
    }
}

/// An address without its path, query and fragment.
fn without_path(address: &str) -> &str {
    address.split(['/', '?', '#']).next().unwrap_or_default()
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// Why no chain could be fetched.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    #[error("could not resolve host name '{0}' (as curl's error 6)")]
    Unresolved(String),
    #[error("connection refused on port {0}: nothing listens there, or a firewall rejects it")]
    Refused(u16),
    #[error("timed out after {0} s {1} (as curl's error 28)")]
    Timeout(f64, &'static str),
    #[error("not TLS on this port: the server answered {0}")]
    NotTls(String),
    #[error("STARTTLS failed: {0}")]
    Starttls(String),
    #[error("the server closed the connection during the TLS handshake")]
    Closed,
    #[error("TLS handshake failed: {0}")]
    Handshake(String),
    #[error("the server presented no certificate")]
    NoCertificate,
    #[error("cannot connect: {0}")]
    Io(String),
}

/// What the server presented.
pub struct Presented {
    /// The certificates in the order sent (leaf first), as DER.
    pub chain: Vec<Vec<u8>>,
    /// `TLSv1.3`, `TLSv1.2`.
    pub protocol: String,
    pub cipher_suite: String,
    /// The address connected to.
    pub address: SocketAddr,
    /// The server ended the handshake after presenting its chain, and why: what a server does that requires a
    /// client certificate (CUCM's SIP TLS port, 5061) when the client has none to give. The chain is what it
    /// presents all the same.
    pub ended_early: Option<String>,
}

/// Connects, handshakes, and returns what the server presented. `sni` overrides the name sent (and for an IP
/// address, none is sent unless given); `starttls` is what is spoken before TLS. Long because the steps share one
/// deadline and one error type: resolve (in a bounded thread), connect, STARTTLS, tell TLS from a banner, handshake,
/// read the chain.
pub fn fetch(
    target: &Target,
    sni: Option<&str>,
    starttls: &Starttls,
    timeout: Duration,
) -> Result<Presented, FetchError> {
    let deadline = Instant::now() + timeout;
    let addresses = resolve(target, timeout)?;
    let mut last = FetchError::Unresolved(target.host.clone());
    let mut stream = None;
    for address in addresses {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(FetchError::Timeout(timeout.as_secs_f64(), "while connecting"));
        }
        match TcpStream::connect_timeout(&address, left) {
            Ok(s) => {
                stream = Some((s, address));
                break;
            }
            Err(e) => {
                last = match e.kind() {
                    io::ErrorKind::ConnectionRefused => FetchError::Refused(target.port),
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
                        FetchError::Timeout(timeout.as_secs_f64(), "while connecting")
                    }
                    _ => FetchError::Io(e.to_string()),
                }
            }
        }
    }
    let Some((mut tcp, address)) = stream else { return Err(last) };
    starttls.negotiate(&mut tcp, deadline, timeout)?;
    let recorder = Arc::new(Recorder::new());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| FetchError::Handshake(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    let name = sni.unwrap_or(&target.host);
    let server_name = ServerName::try_from(name.to_string())
        .map_err(|_| FetchError::Handshake(format!("'{name}' is not a valid server name")))?;
    let mut conn =
        ClientConnection::new(Arc::new(config), server_name).map_err(|e| FetchError::Handshake(e.to_string()))?;
    // Whether the server has sent anything yet: only its first bytes tell TLS from an SSH or HTTP banner. After
    // them, rustls's record layer reads on (a record may arrive in many reads) and its errors decide.
    let mut first_read = true;
    while conn.is_handshaking() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(FetchError::Timeout(timeout.as_secs_f64(), "during the TLS handshake"));
        }
        let _ = tcp.set_read_timeout(Some(left));
        let _ = tcp.set_write_timeout(Some(left));
        if conn.wants_write() {
            conn.write_tls(&mut tcp).map_err(|e| io_failure(e, timeout, HANDSHAKE))?;
            continue;
        }
        if conn.wants_read() {
            if first_read {
                let mut peek = [0u8; 5];
                let n = match tcp.peek(&mut peek) {
                    Ok(n) => n,
                    Err(e) => return Err(io_failure(e, timeout, HANDSHAKE)),
                };
                if n == 0 {
                    return Err(FetchError::Closed);
                }
                if !looks_like_tls_record(&peek[..n]) {
                    return Err(FetchError::NotTls(describe_answer(&mut tcp)));
                }
                first_read = false;
            }
            let failure = match conn.read_tls(&mut tcp) {
                Ok(0) => Some(FetchError::Closed),
                Ok(_) => conn.process_new_packets().err().map(|e| {
                    let _ = conn.write_tls(&mut tcp); // send our alert
                    handshake_error(e)
                }),
                Err(e) => Some(io_failure(e, timeout, HANDSHAKE)),
            };
            if let Some(failure) = failure {
                // after its certificate, a server may still end the handshake (it wants a client certificate):
                // what it presented is what was asked for
                let chain = recorder.take();
                if chain.is_empty() || matches!(failure, FetchError::Timeout(..)) {
                    return Err(failure);
                }
                let (protocol, cipher_suite) = negotiated(&conn);
                return Ok(Presented {
                    chain,
                    protocol,
                    cipher_suite,
                    address,
                    ended_early: Some(failure.to_string()),
                });
            }
        }
    }
    let chain = recorder.take();
    if chain.is_empty() {
        return Err(FetchError::NoCertificate);
    }
    let (protocol, cipher_suite) = negotiated(&conn);
    conn.send_close_notify();
    let _ = conn.write_tls(&mut tcp);
    Ok(Presented { chain, protocol, cipher_suite, address, ended_early: None })
}

/// The protocol version and cipher suite, as far as the handshake got.
fn negotiated(conn: &ClientConnection) -> (String, String) {
    let protocol = conn.protocol_version().map(|v| format!("{v:?}").replace("TLSv1_", "TLSv1.")).unwrap_or_default();
    let cipher_suite = conn.negotiated_cipher_suite().map(|c| format!("{:?}", c.suite())).unwrap_or_default();
    (protocol, cipher_suite)
}

/// Name resolution with the same time limit (the system resolver has none of its own).
fn resolve(target: &Target, timeout: Duration) -> Result<Vec<SocketAddr>, FetchError> {
    let (tx, rx) = mpsc::channel();
    let query = (target.host.clone(), target.port);
    std::thread::spawn(move || {
        let _ = tx.send(query.to_socket_addrs().map(|a| a.collect::<Vec<_>>()));
    });
    match rx.recv_timeout(timeout) {
        Ok(Ok(list)) if !list.is_empty() => Ok(list),
        Ok(_) => Err(FetchError::Unresolved(target.host.clone())),
        Err(_) => Err(FetchError::Timeout(timeout.as_secs_f64(), "resolving the host name")),
    }
}

/// The phase a time-out names for the handshake itself.
const HANDSHAKE: &str = "during the TLS handshake";

/// A failed read or write, named for the `phase` it ended (a time-out says when it came).
fn io_failure(e: io::Error, timeout: Duration, phase: &'static str) -> FetchError {
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => FetchError::Timeout(timeout.as_secs_f64(), phase),
        io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe => FetchError::Closed,
        _ => FetchError::Io(e.to_string()),
    }
}

fn handshake_error(e: rustls::Error) -> FetchError {
    match e {
        // ucert offers TLS 1.2 and 1.3 (all rustls speaks); an old server that answers this alert offers only
        // TLS 1.0/1.1, which the user can confirm with openssl
        rustls::Error::AlertReceived(AlertDescription::ProtocolVersion) => FetchError::Handshake(
            "the server sent the alert ProtocolVersion: it offers neither TLS 1.2 nor TLS 1.3, the versions ucert \
             speaks (an older server may offer only TLS 1.0/1.1: try openssl s_client -tls1_1)"
                .into(),
        ),
        rustls::Error::AlertReceived(alert) => FetchError::Handshake(format!("the server sent the alert {alert:?}")),
        rustls::Error::PeerIncompatible(why) => {
            FetchError::Handshake(format!("no protocol version or cipher in common ({why:?})"))
        }
        other => FetchError::Handshake(other.to_string()),
    }
}

/// A TLS record starts with a content type (20..=24) and a 3.x version.
fn looks_like_tls_record(head: &[u8]) -> bool {
    match head {
        [t, ..] if !(20..=24).contains(t) => false,
        [_, major, ..] => *major == 3,
        _ => true,
    }
}

/// The first bytes a non-TLS server sent, printable, for the message (an SSH or HTTP banner says what it is; an
/// XMPP server's stream says that it wants STARTTLS).
fn describe_answer(tcp: &mut TcpStream) -> String {
    let mut buf = [0u8; 64];
    let n = tcp.read(&mut buf).unwrap_or(0);
    let answer = printable(&buf[..n]);
    let xmpp = ["<?xml", "<stream:"].iter().any(|start| buf[..n].trim_ascii_start().starts_with(start.as_bytes()));
    if xmpp {
        format!("{answer}, an XMPP stream: this port wants STARTTLS (--starttls xmpp, or xmpp-server for federation)")
    } else {
        answer
    }
}

/// Bytes a server sent where something else was awaited, quoted and printable (the rest as dots).
fn printable(bytes: &[u8]) -> String {
    let text: String = bytes
        .iter()
        .take(64)
        .map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '.' })
        .collect::<String>()
        .trim_end_matches('.')
        .to_string();
    if text.is_empty() { "with binary data".into() } else { format!("\"{text}\"") }
}

/// Accepts any chain and remembers it; checks the handshake signatures against the presented key.
#[derive(Debug)]
struct Recorder {
    chain: Mutex<Vec<Vec<u8>>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl Recorder {
    fn new() -> Recorder {
        let provider: CryptoProvider = rustls::crypto::ring::default_provider();
        Recorder { chain: Mutex::new(Vec::new()), algorithms: provider.signature_verification_algorithms }
    }

    fn take(&self) -> Vec<Vec<u8>> {
        self.chain.lock().map(|mut c| std::mem::take(&mut *c)).unwrap_or_default()
    }
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut chain) = self.chain.lock() {
            chain.clear();
            chain.push(end_entity.as_ref().to_vec());
            chain.extend(intermediates.iter().map(|c| c.as_ref().to_vec()));
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_with_and_without_ports() {
        assert_eq!(Target::parse("cucm-pub").unwrap(), Target { host: "cucm-pub".into(), port: 8443 });
        assert_eq!(Target::parse("lab-dc.example.com:443").unwrap().port, 443);
        assert_eq!(Target::parse("[::1]:8443").unwrap().host, "::1");
        assert_eq!(Target::parse("::1").unwrap(), Target { host: "::1".into(), port: 8443 });
        assert!(Target::parse("host:0").is_err());
        assert!(Target::parse("host:https").is_err());
        assert_eq!(Target::parse("[::1]:9").unwrap().to_string(), "[::1]:9");
        let err = Target::parse("::1:18443").unwrap_err();
        assert!(err.contains("goes in brackets: [::1]:18443"), "{err}");
        assert_eq!(Target::parse("fe80::1").unwrap().host, "fe80::1");
    }

    #[test]
    fn addresses_copied_from_a_browser_name_their_server() {
        let t = |s: &str| Target::parse(s).map(|t| t.to_string());
        assert_eq!(t("https://cucm-pub.example.com:8443/ccmadmin/showHome.do").unwrap(), "cucm-pub.example.com:8443");
        assert_eq!(t("HTTPS://cucm-pub/cmplatform?x=1#top").unwrap(), "cucm-pub:443");
        assert_eq!(t("https://lab-dc.example.com/certsrv/").unwrap(), "lab-dc.example.com:443");
        assert_eq!(t("https://[2001:db8::5]:8443/").unwrap(), "[2001:db8::5]:8443");
        assert_eq!(t("ldaps://dc1.example.com").unwrap(), "dc1.example.com:636");
        // a user name and password are dropped, and never repeated
        assert_eq!(t("https://admin:s3cret@cucm-pub:8443/ccmadmin").unwrap(), "cucm-pub:8443");
        let err = Target::parse("https://admin:s3cret@cucm-pub:http/").unwrap_err();
        assert!(!err.contains("s3cret"), "{err}");
        let err = Target::parse("http://cucm-pub:8080/").unwrap_err();
        assert!(err.contains("http:// is not TLS"), "{err}");
        assert!(Target::parse("https:///ccmadmin").unwrap_err().contains("no host"));
        assert!(Target::parse("gopher://x").unwrap_err().contains("not an address ucert connects to"));
        // the scheme hidden by the browser: HOST:PORT and a path
        assert_eq!(t("cucm-pub:8443/ccmadmin/showHome.do").unwrap(), "cucm-pub:8443");
    }

    #[test]
    fn tls_records_are_told_from_banners() {
        assert!(looks_like_tls_record(&[22, 3, 3, 0, 10]));
        assert!(!looks_like_tls_record(b"SSH-2"));
        assert!(!looks_like_tls_record(b"HTTP/"));
    }
}
