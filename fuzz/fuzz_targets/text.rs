//! Outside text on its way to a terminal: arbitrary bytes as an ASN.1 time (the first byte picks UTCTime or
//! GeneralizedTime, the rest is the content) and as a directory string of any string type; arbitrary text through
//! the one escaping function and arbitrary bytes through the terminal sink. Nothing may panic, and what the sink
//! writes may hold no control or bidi character but its own line ends. The same bytes are also read as a name and as
//! one DER element, by ucert's own readers and by the x509-parser and asn1-rs readings they stand in for, which
//! must agree.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use ucert::model::DistinguishedName;
use ucert::report::terminal::{Mode, Terminal};
use ucert::untrusted::{escape, needs_escape};
use x509_parser::asn1_rs::{Any, Class, FromBer, FromDer, Tag};
use x509_parser::x509::X509Name;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    // a name: ucert's reading (straight from the DER when it is well formed) is X509Name's, value or error
    let through_x509_parser =
        X509Name::from_der(rest).map(|(_, name)| DistinguishedName::from_x509(&name)).map_err(|e| format!("{e:?}"));
    assert_eq!(DistinguishedName::from_der(rest), through_x509_parser, "a name read two ways");
    // an element whose header is plain: asn1-rs reads the same header, content and rest
    if let Some((element, after)) = ucert::model::der::read_plain(rest) {
        let (their_rest, theirs) = Any::from_ber(rest).expect("asn1-rs reads a plain element");
        let header = |a: &Any| (a.header.class(), a.header.constructed(), a.header.tag(), a.header.length());
        assert_eq!(header(&element.any), header(&theirs));
        assert_eq!(element.any.header.raw_tag(), theirs.header.raw_tag());
        assert_eq!((element.any.data.as_ptr(), element.any.data.len()), (theirs.data.as_ptr(), theirs.data.len()));
        assert_eq!((after.as_ptr(), after.len()), (their_rest.as_ptr(), their_rest.len()));
    }
    // a time element: tag, a short or long length, the content
    let tag = if selector & 1 == 0 { 0x17 } else { 0x18 };
    let mut element = vec![tag];
    if rest.len() < 128 {
        element.push(rest.len() as u8);
    } else {
        element.extend([0x82, (rest.len() >> 8) as u8, rest.len() as u8]);
    }
    element.extend_from_slice(rest);
    if let Ok((el, _)) = ucert::model::der::read_element(&element) {
        let _ = ucert::model::asn1::time(&el);
    }
    // a name attribute of whatever string type the selector names
    let tag = Tag(u32::from(selector >> 1) % 31);
    let (value, _) = ucert::model::name::decode_string(Class::Universal, tag, rest);
    let shown = escape(&value);
    assert!(!shown.chars().any(needs_escape), "escape left a control in {shown:?}");
    assert_eq!(escape(&shown), shown, "escaping is idempotent");
    // the sink, fed in two writes cut anywhere (a character may be split between them)
    let cut = usize::from(selector) % (rest.len() + 1);
    let mut out = Vec::new();
    {
        let mut sink = Terminal::new(&mut out, Mode::Human { color: selector & 0x80 != 0 });
        let _ = sink.write_all(&rest[..cut]);
        let _ = sink.write_all(&rest[cut..]);
        let _ = sink.flush();
    }
    let text = std::str::from_utf8(&out).expect("the sink writes UTF-8");
    // in colour, the sink's own SGR codes (for the style marks a renderer puts in; raw bytes here may hold them too,
    // where outside text never does: escaping shows the marks as text) are the only escape sequences allowed
    let own_codes = |t: &str| {
        let mut kept = String::with_capacity(t.len());
        let mut rest = t;
        while let Some(at) = rest.find("\x1b[") {
            kept.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            match after[digits..].strip_prefix('m') {
                Some(tail) if digits > 0 => rest = tail,
                _ => {
                    kept.push('\x1b');
                    rest = &rest[at + 1..];
                }
            }
        }
        kept.push_str(rest);
        kept
    };
    let text = &own_codes(text);
    assert!(!text.chars().any(|c| c != '\n' && needs_escape(c)), "raw control through the sink: {text:?}");
    // wrapped at a width: the same text, only its spaces and line ends placed otherwise (a line that fits is passed
    // in pieces, one that does not through textwrap)
    let width = 1 + usize::from(selector) % 97;
    let mut wrapped = Vec::new();
    {
        let mut sink = Terminal::new(&mut wrapped, Mode::Human { color: selector & 0x80 != 0 }).wrapping(Some(width));
        let _ = sink.write_all(&rest[..cut]);
        let _ = sink.write_all(&rest[cut..]);
        let _ = sink.flush();
    }
    let wrapped = &own_codes(std::str::from_utf8(&wrapped).expect("the wrapping sink writes UTF-8"));
    assert!(!wrapped.chars().any(|c| c != '\n' && needs_escape(c)), "raw control through wrapping: {wrapped:?}");
    let bare = |t: &str| t.chars().filter(|&c| c != ' ' && c != '\n').collect::<String>();
    assert_eq!(bare(wrapped), bare(text), "wrapping changed more than spaces and line ends");
    let mut json = Vec::new();
    {
        let mut sink = Terminal::new(&mut json, Mode::Json);
        let _ = sink.write_all(serde_json::to_string(&value).unwrap_or_default().as_bytes());
    }
    let back: String = serde_json::from_slice(&json).expect("the JSON sink keeps JSON valid");
    assert_eq!(back, value, "the JSON sink keeps the exact value");
});
