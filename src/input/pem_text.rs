//! Finding PEM blocks in text ourselves, then decoding each block on its own: the `pem` crate fails a whole file
//! for one bad block and silently finds nothing with a six-dash BEGIN, so block boundaries are found here (in
//! any line-end convention, indented, or pasted onto a single line) and each body is handed to `pem` alone.

use super::ObjectError;

/// One PEM block: its label, the line it starts on, and its decoded bytes (or why they could not be decoded).
pub struct Block {
    pub label: String,
    pub line: usize,
    pub body: Result<Body, ObjectError>,
    /// Why openssl would not read this block as it stands, when ucert does (an indented or one-line paste).
    pub framing: Option<String>,
}

pub struct Body {
    pub der: Vec<u8>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum MarkerKind {
    Begin,
    End,
}

struct Marker {
    kind: MarkerKind,
    label: String,
    /// Byte offset of the first dash, and just past the last dash.
    start: usize,
    end: usize,
}

/// The two boundary words, each with its searcher made once: every file of a batch is searched for them.
static BEGIN: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("-----BEGIN "));
static END: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("-----END "));

/// True when the text has anything that looks like a PEM boundary.
pub fn has_markers(text: &str) -> bool {
    BEGIN.find(text.as_bytes()).is_some() || END.find(text.as_bytes()).is_some()
}

/// For text without a PEM boundary: a line that was meant to be one, and what is wrong with it (typographic dashes
/// from an e-mail client or word processor, or too few hyphens), for the message that refuses the file.
pub fn near_miss(text: &str) -> Option<String> {
    let mut candidates: Vec<(usize, &str)> =
        ["BEGIN ", "END "].iter().flat_map(|w| text.match_indices(w)).take(100).collect();
    candidates.sort_unstable();
    candidates.into_iter().find_map(|(at, word)| {
        let word = word.trim_end();
        let std::ops::Range { start: line_start, end: line_end } = line_around(text, at);
        let before = text[line_start..at].trim_start();
        let dash_like = |c: char| matches!(c, '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe63}' | '\u{ff0d}');
        let what = if !before.is_empty() && before.chars().all(|c| c == '-' || dash_like(c)) {
            if before.chars().any(dash_like) {
                "its dashes are typographic, as an e-mail client or word processor writes them".to_string()
            } else {
                format!("it has {} hyphens before {word}, not five", before.len())
            }
        } else {
            return None;
        };
        let line = text[..line_start].matches('\n').count() + 1;
        let shown = text[line_start..line_end].trim();
        // the line is a stranger's and may be long: the start says enough
        let shown = match shown.char_indices().nth(80) {
            Some((cut, _)) => format!("{}…", &shown[..cut]),
            None => shown.to_string(),
        };
        let article = if word == "END" { "an" } else { "a" };
        Some(format!(
            "{article} {word} line that is not PEM's (line {line}: '{shown}'): {what}; make them five hyphens (-----) \
             on the BEGIN and END lines"
        ))
    })
}

/// All blocks in the text, in order. A BEGIN without END, an END without BEGIN, and mismatched labels are reported
/// as blocks with an error, so the good blocks around them are still read.
pub fn scan(text: &str) -> Vec<Block> {
    let markers = find_markers(text);
    // Markers come in order, so line numbers are counted in one pass over the text.
    let mut counted = (0usize, 1usize); // (offset, line there)
    let mut line_of = |offset: usize| {
        let (from, line) = counted;
        let line = if offset >= from {
            line + text.as_bytes()[from..offset].iter().filter(|&&b| b == b'\n').count()
        } else {
            1 + text.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count()
        };
        counted = (offset, line);
        line
    };
    let mut blocks = Vec::new();
    let mut open: Option<&Marker> = None;
    for m in &markers {
        match (m.kind, open) {
            (MarkerKind::Begin, Some(prev)) => {
                blocks.push(Block {
                    label: prev.label.clone(),
                    line: line_of(prev.start),
                    body: Err(ObjectError::Truncated),
                    framing: None,
                });
                open = Some(m);
            }
            (MarkerKind::Begin, None) => open = Some(m),
            (MarkerKind::End, Some(begin)) => {
                let body = if begin.label == m.label {
                    let raw = text.get(begin.end..m.start).unwrap_or("");
                    decode_body(&begin.label, raw)
                        .map_err(|e| pinpoint(e, text, begin.end..m.start, line_of(begin.start)))
                } else {
                    Err(ObjectError::Malformed {
                        what: "PEM framing".into(),
                        detail: format!("BEGIN {} is closed by END {}", begin.label, m.label),
                    })
                };
                let framing = framing(text, begin, m);
                blocks.push(Block { label: begin.label.clone(), line: line_of(begin.start), body, framing });
                open = None;
            }
            (MarkerKind::End, None) => blocks.push(Block {
                label: m.label.clone(),
                line: line_of(m.start),
                body: Err(ObjectError::Malformed {
                    what: "PEM framing".into(),
                    detail: "END line without a BEGIN line (the start of the block is missing)".into(),
                }),
                framing: None,
            }),
        }
    }
    if let Some(begin) = open {
        blocks.push(Block {
            label: begin.label.clone(),
            line: line_of(begin.start),
            body: Err(ObjectError::Truncated),
            framing: None,
        });
    }
    blocks
}

/// What openssl's PEM reader requires of a block's boundaries and ucert does not: each of the BEGIN and END lines
/// alone on its line, from its first column (after the dashes, only what openssl drops at a line end: white space,
/// control characters, bytes outside ASCII). ucert reads indented and one-line pastes; openssl, and so the tools
/// built on it, refuses the file as it stands.
fn framing(text: &str, begin: &Marker, end: &Marker) -> Option<String> {
    // openssl's lines end at a line feed: to it, a block whose lines end in a carriage return alone is one line
    let block = text.get(begin.start..end.end).unwrap_or_default();
    if block.contains('\r') && !block.contains('\n') {
        return Some(
            "openssl does not read this block as it stands (its lines end in a carriage return alone, as classic \
             Mac OS wrote them): save it with Windows or Unix line ends"
                .into(),
        );
    }
    let check = |marker: &Marker, word: &str| {
        // a marker never spans lines (its label holds no line end)
        let line = line_around(text, marker.start);
        let before = &text[line.start..marker.start];
        if !before.is_empty() {
            let how = if before.trim().is_empty() { "is indented" } else { "has text before its dashes" };
            return Some(format!("its {word} line {how}"));
        }
        // after the dashes, only what openssl drops at a line end
        let after = text.get(marker.end..line.end).unwrap_or("");
        (!trim_line(after.as_bytes()).is_empty()).then(|| format!("text follows its {word} line's dashes"))
    };
    let why = check(begin, "BEGIN").or_else(|| check(end, "END"))?;
    Some(format!(
        "openssl does not read this block as it stands ({why}): put the BEGIN and END lines each alone on a line, \
         from its first column"
    ))
}

fn find_markers(text: &str) -> Vec<Marker> {
    let mut markers = Vec::new();
    for (kind, finder) in [(MarkerKind::Begin, &*BEGIN), (MarkerKind::End, &*END)] {
        let word_len = finder.needle().len();
        // (the words are ASCII: a match starts and ends on character boundaries)
        for pos in finder.find_iter(text.as_bytes()) {
            let after = &text[pos + word_len..];
            let Some(dash) = after.find('-') else { continue };
            let label = &after[..dash];
            if label.contains(['\n', '\r']) || label.trim().is_empty() || label.len() > 64 {
                continue;
            }
            let dashes = after[dash..].bytes().take_while(|&b| b == b'-').count();
            if dashes < 5 {
                continue;
            }
            markers.push(Marker {
                kind,
                label: label.trim().to_string(),
                start: pos,
                end: pos + word_len + dash + dashes,
            });
        }
    }
    markers.sort_by_key(|m| m.start);
    // a marker inside another's dashes ("-----BEGIN X----------END X-----") is part of that one, not a new one
    let mut kept: Vec<Marker> = Vec::with_capacity(markers.len());
    for m in markers {
        if kept.last().is_none_or(|prev| m.start >= prev.end) {
            kept.push(m);
        }
    }
    kept
}

fn decode_body(label: &str, raw: &str) -> Result<Body, ObjectError> {
    let mut b64 = Vec::with_capacity(raw.len());
    if !raw.contains(':') {
        // The usual case: no RFC 1421 headers, just lines of base64 (copied whole; bytes filtered only in a
        // line with white space inside). Line ends found with memchr: `pair` decodes tens of thousands of files.
        let bytes = raw.as_bytes();
        let mut start = 0;
        for end in memchr::memchr2_iter(b'\n', b'\r', bytes).chain([bytes.len()]) {
            let line = trim_line(&bytes[start..end]);
            start = end + 1;
            // a fold rather than `any`: no early exit, so the bytes are compared many at a time
            if line.iter().fold(false, |white, b| white | b.is_ascii_whitespace()) {
                b64.extend(line.iter().filter(|b| !b.is_ascii_whitespace()));
            } else {
                b64.extend_from_slice(line);
            }
        }
        return base64_body(b64);
    }
    let lines = raw.split(['\n', '\r']).map(str::trim);
    let mut headers = Vec::new();
    let mut in_headers = true;
    for line in lines {
        if line.is_empty() {
            if !headers.is_empty() {
                in_headers = false;
            }
            continue;
        }
        if in_headers && let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
            continue;
        }
        in_headers = false;
        b64.extend(trim_line(line.as_bytes()).iter().filter(|b| !b.is_ascii_whitespace()));
    }
    if headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("Proc-Type") && v.to_ascii_uppercase().contains("ENCRYPTED"))
    {
        let cipher = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("DEK-Info")).map(|(_, v)| v.as_str());
        let cipher = cipher.and_then(|c| c.split(',').next()).unwrap_or("unknown cipher");
        return Err(ObjectError::Encrypted(format!("{label}, legacy PEM encryption with {cipher}")));
    }
    base64_body(b64)
}

/// The line of `text` that holds byte `at`, without its line end (any convention).
fn line_around(text: &str, at: usize) -> std::ops::Range<usize> {
    let start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
    start..end
}

/// A body line as openssl's PEM reader takes it: white space dropped at the start, and at the end everything it drops
/// there (white space, control characters, and any byte outside ASCII: a no-break or zero-width space pasted after
/// the base64 is ignored, as openssl ignores it; inside the base64 it is an error, for openssl too).
fn trim_line(line: &[u8]) -> &[u8] {
    let line = line.trim_ascii_start();
    let end = line.iter().rposition(|&b| b > b' ' && b.is_ascii()).map_or(0, |i| i + 1);
    &line[..end]
}

/// A body refused for a character outside base64, said with where it is and what it probably is: the usual cause is
/// text copied out of an e-mail, a chat or a web page, and the character may be invisible (a zero-width space) or
/// look like a space (a no-break space). `body` is where the body lies in `text`; `begin_line` is the line of its
/// BEGIN marker.
fn pinpoint(error: ObjectError, text: &str, body: std::ops::Range<usize>, begin_line: usize) -> ObjectError {
    if !matches!(error, ObjectError::BadBase64(_)) {
        return error;
    }
    let is_base64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=') || c.is_ascii_whitespace();
    let Some(raw) = text.get(body.clone()) else { return error };
    // the first such character in what is read of each line (see trim_line), past RFC 1421 headers if any
    let mut line_start = 0;
    let mut in_headers = raw.contains(':');
    let found = raw.split_inclusive(['\n', '\r']).find_map(|line| {
        let start = line_start;
        line_start += line.len();
        if in_headers && (line.trim().is_empty() || line.contains(':')) {
            return None;
        }
        in_headers = false;
        let kept = trim_line(line.as_bytes());
        let kept_start = line.len() - line.trim_ascii_start().len();
        let kept = &line[kept_start..kept_start + kept.len()];
        kept.char_indices().find(|&(_, c)| !is_base64(c)).map(|(i, c)| (start + kept_start + i, c))
    });
    let Some((at, c)) = found else { return error };
    let at = body.start + at;
    let line = begin_line + raw[..at - body.start].matches('\n').count();
    let line_start = line_around(text, at).start;
    let column = text[line_start..at].chars().count() + 1;
    let what = match c {
        '\u{a0}' => "a no-break space".to_string(),
        '\u{200b}' => "a zero-width space, invisible".to_string(),
        '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => "an invisible joiner or zero-width space".to_string(),
        '>' if text[line_start..at].trim().is_empty() => "'>' at the start of the line, as in quoted e-mail".into(),
        '<' | '&' => format!("'{c}', as in HTML"),
        c if c.is_ascii_graphic() => format!("'{c}'"),
        c => format!("U+{:04X}", u32::from(c)),
    };
    ObjectError::BadBase64(format!(
        "line {line}, column {column}: {what}; copied from an e-mail, chat or web page? Use the file itself, or \
         remove the character"
    ))
}

/// Strict base64 (padding, alphabet), as the `pem` crate and openssl decode block bodies.
fn base64_body(b64: Vec<u8>) -> Result<Body, ObjectError> {
    use base64::Engine;
    if b64.is_empty() {
        return Err(ObjectError::EmptyBlock);
    }
    base64::engine::general_purpose::STANDARD
        .decode(&b64)
        .map(|der| Body { der })
        .map_err(|e| ObjectError::BadBase64(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "MAMCAQA=";

    #[test]
    fn finds_blocks_with_text_around_and_between() {
        let text = format!(
            "hello\n-----BEGIN CERTIFICATE-----\n{BODY}\n-----END CERTIFICATE-----\nmiddle\n\
             -----BEGIN PUBLIC KEY-----\n{BODY}\n-----END PUBLIC KEY-----\nbye\n"
        );
        let blocks = scan(&text);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].label, "CERTIFICATE");
        assert_eq!(blocks[0].line, 2);
        assert_eq!(blocks[1].label, "PUBLIC KEY");
        assert_eq!(blocks[1].body.as_ref().unwrap().der, vec![0x30, 0x03, 0x02, 0x01, 0x00]);
    }

    #[test]
    fn six_dashes_and_single_line_paste_are_found() {
        let text = format!("------BEGIN CERTIFICATE------ {BODY} -----END CERTIFICATE-----");
        let blocks = scan(&text);
        assert_eq!(blocks.len(), 1);
        assert!(blocks[0].body.is_ok());
    }

    #[test]
    fn cr_only_and_crlf_line_ends_are_read() {
        for sep in ["\r", "\r\n"] {
            let text = format!("-----BEGIN CERTIFICATE-----{sep}{BODY}{sep}-----END CERTIFICATE-----{sep}");
            assert!(scan(&text)[0].body.is_ok(), "separator {sep:?}");
        }
    }

    #[test]
    fn white_space_anywhere_in_a_body_is_dropped() {
        // what the memchr line split must give: every ASCII white-space byte gone, whatever the line ends
        for body in ["MAMC\nAQA=", " MAMC \t\r\n AQA= \n\n", "MA MC\x0cAQ\tA=", "\r\rMAMCAQA=\r", "MAMCAQA="] {
            let text = format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n");
            let blocks = scan(&text);
            assert_eq!(blocks[0].body.as_ref().unwrap().der, vec![0x30, 0x03, 0x02, 0x01, 0x00], "body {body:?}");
        }
    }

    #[test]
    fn missing_end_is_truncated_but_next_block_survives() {
        let text = format!(
            "-----BEGIN CERTIFICATE-----\nMAMC\n-----BEGIN PUBLIC KEY-----\n{BODY}\n-----END PUBLIC KEY-----\n"
        );
        let blocks = scan(&text);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].body.as_ref().err(), Some(&ObjectError::Truncated));
        assert!(blocks[1].body.is_ok());
    }

    #[test]
    fn markers_sharing_dashes_do_not_overlap() {
        // found by the `input` fuzz target: an END starting inside the BEGIN line's dashes
        let blocks = scan("-----BEGIN X----------END X-----\n");
        assert_eq!(blocks.len(), 1);
        assert!(blocks[0].body.is_err());
        let blocks =
            scan("-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE----------BEGIN CERTIFICATE-----");
        assert!(blocks[0].body.is_ok());
    }

    #[test]
    fn bad_base64_is_reported() {
        let blocks = scan("-----BEGIN CERTIFICATE-----\nMA*C\n-----END CERTIFICATE-----\n");
        assert!(matches!(blocks[0].body, Err(ObjectError::BadBase64(_))));
    }

    #[test]
    fn legacy_encrypted_key_is_recognised_with_its_cipher() {
        let text = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\nMAMCAQA=\n\
                    -----END RSA PRIVATE KEY-----\n";
        match &scan(text)[0].body {
            Err(ObjectError::Encrypted(what)) => assert!(what.contains("AES-256-CBC")),
            _ => panic!("expected an encrypted key"),
        }
    }

    #[test]
    fn mismatched_labels_and_stray_end_are_errors() {
        let blocks = scan("-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END PUBLIC KEY-----\n-----END X509 CRL-----\n");
        assert_eq!(blocks.len(), 2);
        assert!(blocks.iter().all(|b| b.body.is_err()));
    }

    /// The error's text, for a block expected to be refused.
    fn refusal(text: &str) -> String {
        match &scan(text)[0].body {
            Err(e) => e.to_string(),
            Ok(_) => panic!("{text:?} was read"),
        }
    }

    #[test]
    fn a_pasted_character_is_named_with_its_line_and_column() {
        let zwsp = refusal("-----BEGIN CERTIFICATE-----\nMAMC\nAQ\u{200b}A=\n-----END CERTIFICATE-----\n");
        assert!(zwsp.contains("(line 3, column 3: a zero-width space, invisible; copied from an e-mail"), "{zwsp}");
        // CRLF line ends count once
        let nbsp = refusal("-----BEGIN CERTIFICATE-----\r\nMAMC\r\n\u{a0}AQA=\r\n-----END CERTIFICATE-----\r\n");
        assert!(nbsp.contains("(line 3, column 1: a no-break space;"), "{nbsp}");
        let quoted = refusal("> -----BEGIN CERTIFICATE-----\n> MAMCAQA=\n> -----END CERTIFICATE-----\n");
        assert!(quoted.contains("line 2, column 1: '>' at the start of the line, as in quoted e-mail"), "{quoted}");
        // on the BEGIN line itself, the column counts the marker
        let html = refusal("-----BEGIN CERTIFICATE-----<br>\nMAMCAQA=<br>\n-----END CERTIFICATE-----\n");
        assert!(html.contains("line 1, column 28: '<', as in HTML"), "{html}");
        let other = refusal("-----BEGIN CERTIFICATE-----\nMAMC\u{2028}AQA=\n-----END CERTIFICATE-----\n");
        assert!(other.contains("line 2, column 5: U+2028;"), "{other}");
        // RFC 1421 headers are not the body
        let headed = refusal("-----BEGIN X509 CRL-----\nComment: a, b\n\nMAMC\nAQ!A=\n-----END X509 CRL-----\n");
        assert!(headed.contains("line 5, column 3: '!';"), "{headed}");
        // a body that is base64 but the wrong length keeps base64's own words
        let short = refusal("-----BEGIN CERTIFICATE-----\nMAMCAQA\n-----END CERTIFICATE-----\n");
        assert!(short.starts_with("invalid base64 in the block body (") && !short.contains("column"), "{short}");
    }

    #[test]
    fn what_openssl_drops_at_a_line_end_is_dropped() {
        // after the base64 of a line (and after the BEGIN line's dashes): white space, control characters and
        // anything outside ASCII, as openssl's PEM reader drops them; the same characters inside the base64 are not
        let text = "-----BEGIN CERTIFICATE-----\u{a0}\nMAMC\u{200b}\u{a0}\r\nAQA=\x01\t\n-----END CERTIFICATE-----\n";
        assert_eq!(scan(text)[0].body.as_ref().map(|b| b.der.clone()).ok(), Some(vec![0x30, 0x03, 0x02, 0x01, 0x00]));
        assert_eq!(trim_line(b" \tMAMC\xe2\x80\x8b \x01"), b"MAMC");
        assert_eq!(trim_line(b"MA\xc2\xa0MC"), b"MA\xc2\xa0MC");
        assert_eq!(trim_line(b"\xc2\xa0"), b"");
    }

    #[test]
    fn a_boundary_line_with_the_wrong_dashes_is_named() {
        let typographic =
            near_miss("Hello,\n\u{2014}\u{2013}BEGIN CERTIFICATE REQUEST\u{2014}\u{2013}\nMIIB\n").unwrap();
        assert!(typographic.starts_with("a BEGIN line that is not PEM's (line 2: '"), "{typographic}");
        assert!(typographic.contains("its dashes are typographic"), "{typographic}");
        let four = near_miss("----BEGIN CERTIFICATE-----\nMIIB\n----END CERTIFICATE-----\n").unwrap();
        assert!(four.contains("(line 1: '----BEGIN CERTIFICATE-----'): it has 4 hyphens before BEGIN, not five"));
        // "END " inside a word, and BEGIN in prose, are not boundaries; the real near miss after them is found
        let prose = near_miss("I SEND the BEGIN of it\n---END CERTIFICATE---\n").unwrap();
        assert!(prose.contains("an END line that is not PEM's (line 2:") && prose.contains("3 hyphens"), "{prose}");
        assert_eq!(near_miss("Please find the certificate attached.\nBEGIN here\n"), None);
        let long = near_miss(&format!("----BEGIN CERTIFICATE {}-----\n", "X".repeat(5000))).unwrap();
        assert!(long.contains(&format!("'----BEGIN CERTIFICATE {}…'", "X".repeat(58))), "{long}");
    }

    #[test]
    fn boundaries_openssl_would_refuse_are_said() {
        let framing = |text: &str| scan(text)[0].framing.clone();
        assert_eq!(framing("-----BEGIN CERTIFICATE-----  \r\nMAMCAQA=\r\n-----END CERTIFICATE-----\u{a0}\n"), None);
        let why = |text: &str| {
            let f = framing(text).unwrap();
            assert!(f.starts_with("openssl does not read this block as it stands (") && f.ends_with("first column"));
            f
        };
        for (text, reason) in [
            ("  -----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n", "(its BEGIN line is indented)"),
            (
                "Cert: -----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n",
                "(its BEGIN line has text before its dashes)",
            ),
            (
                "-----BEGIN CERTIFICATE----- MAMCAQA= -----END CERTIFICATE-----",
                "(text follows its BEGIN line's dashes)",
            ),
            (
                "-----BEGIN CERTIFICATE-----\nMAMCAQA=-----END CERTIFICATE-----\n",
                "(its END line has text before its dashes)",
            ),
            (
                "-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE----- and more\n",
                "(text follows its END line's dashes)",
            ),
        ] {
            assert!(why(text).contains(reason), "{text:?}");
        }
        let mac = framing("-----BEGIN CERTIFICATE-----\rMAMCAQA=\r-----END CERTIFICATE-----\r").unwrap();
        assert!(mac.contains("(its lines end in a carriage return alone") && mac.ends_with("Unix line ends"), "{mac}");
        assert_eq!(framing("-----BEGIN CERTIFICATE-----\r\r\nMAMCAQA=\r\r\n-----END CERTIFICATE-----\r\r\n"), None);
    }
}
