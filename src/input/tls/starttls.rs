//! The plain-text prelude some ports speak before TLS. IM and Presence serves the cup-xmpp certificate on 5222 and
//! cup-xmpp-s2s on 5269 (as Expressway-E serves its own on 5222 for Jabber over MRA) only after XMPP's STARTTLS
//! (RFC 6120, section 5): a client that opens with a TLS ClientHello gets an XML error back, never a certificate.
//! This opens the stream, asks for TLS and reads the answer, as `openssl s_client -starttls xmpp` does; every way
//! the server can say no is typed, with the condition it gave.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::{FetchError, Target};

/// The XMPP client-to-server port (Jabber; IM and Presence's cup-xmpp certificate).
pub const XMPP_CLIENT_PORT: u16 = 5222;
/// The XMPP server-to-server port (federation; IM and Presence's cup-xmpp-s2s certificate).
pub const XMPP_SERVER_PORT: u16 = 5269;

/// How the TLS handshake is reached, as asked on the command line (`--starttls`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    /// By the port: XMPP's STARTTLS on 5222 and 5269, TLS at once elsewhere.
    #[default]
    Auto,
    /// TLS from the first byte, whatever the port.
    None,
    /// XMPP client-to-server STARTTLS, whatever the port.
    Xmpp,
    /// XMPP server-to-server STARTTLS, whatever the port.
    XmppServer,
}

/// The prelude for one target, resolved from the [`Mode`] and its port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Starttls {
    /// TLS from the first byte (8443, 5061, 443, 636).
    None,
    /// XMPP's STARTTLS on a stream opened to `domain`; `server` for the server-to-server stream.
    Xmpp { server: bool, domain: String },
}

impl Starttls {
    /// `domain` is the XMPP domain to open the stream to (`--xmpp-domain`, else `--sni`, else the host).
    pub fn resolve(mode: Mode, target: &Target, domain: Option<&str>) -> Starttls {
        let server = match mode {
            Mode::None => return Starttls::None,
            Mode::Xmpp => false,
            Mode::XmppServer => true,
            Mode::Auto => match target.port {
                XMPP_CLIENT_PORT => false,
                XMPP_SERVER_PORT => true,
                _ => return Starttls::None,
            },
        };
        Starttls::Xmpp { server, domain: domain.unwrap_or(&target.host).to_string() }
    }

    /// The name of the prelude in reports: `xmpp`, `xmpp-server`; None for TLS at once.
    pub fn name(&self) -> Option<&'static str> {
        match self {
            Starttls::None => None,
            Starttls::Xmpp { server: false, .. } => Some("xmpp"),
            Starttls::Xmpp { server: true, .. } => Some("xmpp-server"),
        }
    }

    /// The XMPP domain the stream is opened to; None for TLS at once.
    pub fn domain(&self) -> Option<&str> {
        match self {
            Starttls::None => None,
            Starttls::Xmpp { domain, .. } => Some(domain),
        }
    }

    /// Speaks the prelude on `tcp`, up to the point where the TLS handshake begins.
    pub(super) fn negotiate(
        &self,
        tcp: &mut TcpStream,
        deadline: Instant,
        timeout: Duration,
    ) -> Result<(), FetchError> {
        match self {
            Starttls::None => Ok(()),
            Starttls::Xmpp { server, domain } => xmpp(tcp, *server, domain, deadline, timeout),
        }
    }
}

/// What a server may send before TLS: its stream header and features are a few hundred bytes.
const MAX_PRELUDE: usize = 64 * 1024;

/// The phase a time-out names while the prelude is spoken.
const PRELUDE: &str = "waiting for the XMPP server before STARTTLS";

const TLS_NAMESPACE: &str = "urn:ietf:params:xml:ns:xmpp-tls";

fn xmpp(
    tcp: &mut TcpStream,
    server: bool,
    domain: &str,
    deadline: Instant,
    timeout: Duration,
) -> Result<(), FetchError> {
    let namespace = if server { "jabber:server" } else { "jabber:client" };
    let header = format!(
        "<?xml version='1.0'?><stream:stream xmlns='{namespace}' xmlns:stream='http://etherx.jabber.org/streams' \
         to='{}' version='1.0'>",
        xml_escape(domain)
    );
    let mut wire = Wire { tcp, deadline, timeout, received: Vec::new() };
    wire.send(header.as_bytes())?;
    // the stream header, then the features: whether TLS is offered
    let features = wire.until(features_end)?;
    let features = String::from_utf8_lossy(&features);
    if !features.contains(TLS_NAMESPACE) {
        return Err(FetchError::Starttls(
            "the XMPP server offers no STARTTLS on this port (its stream features name none)".into(),
        ));
    }
    wire.send(format!("<starttls xmlns='{TLS_NAMESPACE}'/>").as_bytes())?;
    let answer = wire.until(answer_end)?;
    let answer = String::from_utf8_lossy(&answer);
    if answer.contains("<failure") {
        return Err(FetchError::Starttls("the XMPP server refused STARTTLS (it answered <failure/>)".into()));
    }
    Ok(())
}

/// Where the stream features end in what the server sent, if they have arrived whole.
fn features_end(text: &str) -> Option<usize> {
    ["</stream:features>", "<stream:features/>"].iter().find_map(|end| text.find(end).map(|at| at + end.len()))
}

/// Where the answer to `<starttls/>` ends, if it has arrived whole: `<proceed/>` or `<failure/>`, or either written
/// with a closing tag. Everything up to there is taken off the wire: TLS begins right after it.
fn answer_end(text: &str) -> Option<usize> {
    let (start, close) = match (text.find("<proceed"), text.find("<failure")) {
        (Some(p), None) => (p, "</proceed>"),
        (Some(p), Some(f)) if p < f => (p, "</proceed>"),
        (_, Some(f)) => (f, "</failure>"),
        (None, None) => return None,
    };
    let tag_end = start + text[start..].find('>')? + 1;
    if text[..tag_end].ends_with("/>") {
        return Some(tag_end);
    }
    text[tag_end..].find(close).map(|at| tag_end + at + close.len())
}

/// The connection while the prelude is spoken: what the server sent and is not yet consumed.
struct Wire<'a> {
    tcp: &'a mut TcpStream,
    deadline: Instant,
    timeout: Duration,
    received: Vec<u8>,
}

impl Wire<'_> {
    fn send(&mut self, bytes: &[u8]) -> Result<(), FetchError> {
        self.tcp.set_write_timeout(Some(self.left()?)).map_err(|e| FetchError::Io(e.to_string()))?;
        self.tcp.write_all(bytes).map_err(|e| self.failure(e))
    }

    /// Reads until `complete` finds where the awaited element ends in what was received (as text), and returns
    /// the bytes up to there; the rest stays for the next step. A stream error, a closed stream, TLS or anything
    /// other than XML on the wire ends it with why.
    fn until(&mut self, complete: impl Fn(&str) -> Option<usize>) -> Result<Vec<u8>, FetchError> {
        let mut chunk = [0u8; 4096];
        loop {
            let text = String::from_utf8_lossy(&self.received);
            if let Some(error) = stream_error(&text) {
                return Err(error);
            }
            if let Some(end) = complete(&text) {
                // `end` counts in the lossy text: the same as the bytes as long as they are UTF-8, which an
                // XML stream is (anything else was refused above as not XMPP)
                let end = end.min(self.received.len());
                let rest = self.received.split_off(end);
                return Ok(std::mem::replace(&mut self.received, rest));
            }
            not_xmpp(&self.received)?;
            if self.received.len() > MAX_PRELUDE {
                return Err(FetchError::Starttls(format!(
                    "the XMPP server sent over {} KiB without the element awaited",
                    MAX_PRELUDE / 1024
                )));
            }
            self.tcp.set_read_timeout(Some(self.left()?)).map_err(|e| FetchError::Io(e.to_string()))?;
            match self.tcp.read(&mut chunk) {
                Ok(0) if self.received.is_empty() => return Err(FetchError::Closed),
                Ok(0) => {
                    return Err(FetchError::Starttls(
                        "the XMPP server closed the connection before STARTTLS could begin".into(),
                    ));
                }
                Ok(n) => self.received.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.failure(e)),
            }
        }
    }

    fn left(&self) -> Result<Duration, FetchError> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() { Err(self.timed_out()) } else { Ok(left) }
    }

    fn timed_out(&self) -> FetchError {
        FetchError::Timeout(self.timeout.as_secs_f64(), PRELUDE)
    }

    fn failure(&self, e: io::Error) -> FetchError {
        super::io_failure(e, self.timeout, PRELUDE)
    }
}

/// An answer that is not XML: TLS at once (the port needs no STARTTLS), or another protocol's banner.
fn not_xmpp(received: &[u8]) -> Result<(), FetchError> {
    let Some(&first) = received.iter().find(|b| !b.is_ascii_whitespace()) else { return Ok(()) };
    if first == b'<' {
        return Ok(());
    }
    if (20..=24).contains(&first) {
        return Err(FetchError::Starttls(
            "the server answered in TLS, not XMPP: this port speaks TLS at once (give --starttls none)".into(),
        ));
    }
    Err(FetchError::NotTls(format!("{} to the XMPP stream header", super::printable(received))))
}

/// A `<stream:error>` in what the server sent: its condition (`host-unknown`) and text, as one failure.
fn stream_error(text: &str) -> Option<FetchError> {
    let start = text.find("<stream:error")?;
    let error = &text[start..];
    let condition = error
        .get("<stream:error".len()..)
        .and_then(|inner| inner.split_once('>').map(|(_, body)| body))
        .and_then(|body| body.trim_start().strip_prefix('<'))
        .map(|body| body.split(|c: char| c.is_whitespace() || c == '/' || c == '>').next().unwrap_or_default())
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    // a server that closes at once after its error may not send the whole element: the condition is enough
    let condition = match condition {
        Some(condition) => condition,
        None if error.contains("</stream:error>") => "an unnamed condition",
        None => return None,
    };
    let said = error
        .split_once("<text")
        .and_then(|(_, t)| t.split_once('>'))
        .and_then(|(_, t)| t.split_once("</text>"))
        .map(|(t, _)| xml_unescape(t))
        .filter(|t| !t.trim().is_empty())
        .map(|t| format!(": \"{}\"", shortened(t.trim(), 200)))
        .unwrap_or_default();
    Some(FetchError::Starttls(match condition {
        "host-unknown" => format!(
            "the XMPP server does not serve the domain it was asked for (host-unknown{said}): give its XMPP domain, the \
             part after @ in a Jabber ID, with --xmpp-domain"
        ),
        other => format!("the XMPP server ended the stream with {other}{said}"),
    }))
}

fn shortened(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text.to_string(),
    }
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('\'', "&apos;").replace('"', "&quot;")
}

/// The five entities XML predefines; anything else is shown as sent.
fn xml_unescape(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&apos;", "'").replace("&quot;", "\"").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(port: u16) -> Target {
        Target { host: "cucm-imp.example.com".into(), port }
    }

    #[test]
    fn the_port_decides_unless_told() {
        let xmpp = |server, domain: &str| Starttls::Xmpp { server, domain: domain.into() };
        assert_eq!(Starttls::resolve(Mode::Auto, &target(5222), None), xmpp(false, "cucm-imp.example.com"));
        assert_eq!(Starttls::resolve(Mode::Auto, &target(5269), Some("example.com")), xmpp(true, "example.com"));
        assert_eq!(Starttls::resolve(Mode::Auto, &target(8443), Some("example.com")), Starttls::None);
        assert_eq!(Starttls::resolve(Mode::None, &target(5222), None), Starttls::None);
        assert_eq!(Starttls::resolve(Mode::Xmpp, &target(15222), None).name(), Some("xmpp"));
        assert_eq!(Starttls::resolve(Mode::XmppServer, &target(443), None).name(), Some("xmpp-server"));
    }

    #[test]
    fn stream_errors_are_named_with_what_the_server_said() {
        let prosody = "<?xml version='1.0'?><stream:stream id='b46' from='other.example.com' xmlns='jabber:client' \
                       version='1.0' xmlns:stream='http://etherx.jabber.org/streams'><stream:error><host-unknown \
                       xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>\
                       This server does not serve other.example.com</text></stream:error></stream:stream>";
        let message = stream_error(prosody).unwrap().to_string();
        assert!(message.contains("host-unknown: \"This server does not serve other.example.com\""), "{message}");
        assert!(message.contains("--xmpp-domain"), "{message}");
        let improper = "<stream:stream><stream:error><improper-addressing xmlns='x'/><text>A &apos;to&apos; \
                        attribute is required</text></stream:error>";
        let message = stream_error(improper).unwrap().to_string();
        assert!(message.ends_with("improper-addressing: \"A 'to' attribute is required\""), "{message}");
        // cut short after the condition: named all the same; before it: wait for more
        assert!(stream_error("<stream:error><policy-violation/>").unwrap().to_string().contains("policy-violation"));
        assert!(stream_error("<stream:stream><stream:error>").is_none());
        assert!(stream_error("<stream:features><starttls/></stream:features>").is_none());
    }

    #[test]
    fn the_awaited_elements_end_where_they_end() {
        assert_eq!(features_end("<stream:stream><stream:features><starttls/></stream:features>x"), Some(61));
        assert_eq!(features_end("<stream:stream><stream:features/>"), Some(33));
        assert_eq!(features_end("<stream:stream><stream:features><starttls/>"), None, "not yet whole");
        let proceed = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
        assert_eq!(answer_end(proceed), Some(proceed.len()));
        // written with a closing tag: taken whole, so that no byte of it is left for the TLS handshake to read
        let long = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'></proceed>";
        assert_eq!(answer_end(long), Some(long.len()));
        assert_eq!(answer_end(&long[..50]), None);
        assert_eq!(answer_end("<failure xmlns='x'/></stream:stream>"), Some(20));
        assert_eq!(answer_end("<proc"), None);
    }

    #[test]
    fn no_answer_however_cut_or_damaged_stops_the_reading() {
        // every prefix of real answers, and each byte replaced by one that breaks tags or UTF-8: no panic, and an
        // end never beyond the text
        let answers = [
            "<?xml version='1.0'?><stream:stream id='b46' from='example.com' xmlns='jabber:client' version='1.0' \
             xmlns:stream='http://etherx.jabber.org/streams'><stream:error><host-unknown xmlns='urn:ietf:params:xml:\
             ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Not \u{e9}t\u{e9} \u{202e}</text>\
             </stream:error></stream:stream>",
            "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>\
             </stream:features><proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'></proceed><failure/>",
        ];
        for answer in answers {
            let bytes = answer.as_bytes();
            for cut in 0..=bytes.len() {
                for (at, replacement) in [(None, 0u8), (Some(cut), b'<'), (Some(cut), b'>'), (Some(cut), 0xe2)] {
                    let mut data = bytes[..cut].to_vec();
                    if let Some(at) = at.filter(|&a| a > 0) {
                        data[at - 1] = replacement;
                    }
                    let text = String::from_utf8_lossy(&data);
                    let _ = stream_error(&text).map(|e| e.to_string());
                    let _ = not_xmpp(&data);
                    for end in [features_end(&text), answer_end(&text)].into_iter().flatten() {
                        assert!(end <= text.len(), "{text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn what_is_not_xml_is_named() {
        assert!(not_xmpp(b"").is_ok() && not_xmpp(b"\r\n<?xml").is_ok());
        let tls = not_xmpp(&[21, 3, 3, 0, 2, 2, 70]).unwrap_err().to_string();
        assert!(tls.contains("--starttls none"), "{tls}");
        let ssh = not_xmpp(b"SSH-2.0-OpenSSH_9.2\r\n").unwrap_err().to_string();
        assert!(ssh.contains("SSH-2.0-OpenSSH_9.2"), "{ssh}");
    }

    #[test]
    fn the_domain_is_escaped_in_the_header_and_text_unescaped_once() {
        assert_eq!(xml_escape("a'b<c>&\""), "a&apos;b&lt;c&gt;&amp;&quot;");
        assert_eq!(xml_unescape("&amp;lt; &lt;"), "&lt; <");
        assert_eq!(shortened("abcdef", 3), "abc...");
        assert_eq!(shortened("abc", 3), "abc");
    }
}
