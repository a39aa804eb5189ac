//! The last stage before a terminal, for every byte ucert writes: human text, JSON and diagnostics all go through
//! a [`Terminal`]. Renderers never write escape codes themselves: they style text with [`Colorize`], which wraps it
//! in private-use marks, and the sink turns those marks into ANSI colour (or drops them when colour is off). Any
//! other control or bidi character that reaches the sink (outside text a renderer forgot to escape) is shown
//! escaped as [`crate::untrusted::escape`] shows it, so no byte from outside can move the cursor, retitle the
//! window or reorder a line. Only `\n`, the renderers' own line ends, passes as itself.
//!
//! In JSON the same characters become `\uXXXX` escapes: the document keeps the exact values (a JSON reader
//! decodes them back) and stays harmless on a terminal.

use std::fmt;
use std::io::{self, Write};

use crate::untrusted::{self, STYLE_MARKS_END, STYLE_MARKS_START, needs_escape};

/// What the sink writes: human text (escaped, styled or plain) or JSON (`\u` escapes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Human { color: bool },
    Json,
}

/// The style attributes a renderer may ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Attr {
    Bold,
    Dimmed,
    Red,
    Green,
    Yellow,
    Cyan,
}

impl Attr {
    const ALL: [Attr; 6] = [Attr::Bold, Attr::Dimmed, Attr::Red, Attr::Green, Attr::Yellow, Attr::Cyan];

    fn mark(self) -> char {
        let index = Attr::ALL.iter().position(|a| *a == self).unwrap_or(0) as u32;
        char::from_u32(STYLE_MARKS_START as u32 + 2 + index).unwrap_or(STYLE_MARKS_START)
    }

    fn from_mark(c: char) -> Option<Attr> {
        let offset = (c as u32).checked_sub(STYLE_MARKS_START as u32 + 2)?;
        Attr::ALL.get(offset as usize).copied()
    }

    fn sgr(self) -> &'static str {
        match self {
            Attr::Bold => "\x1b[1m",
            Attr::Dimmed => "\x1b[2m",
            Attr::Red => "\x1b[31m",
            Attr::Green => "\x1b[32m",
            Attr::Yellow => "\x1b[33m",
            Attr::Cyan => "\x1b[36m",
        }
    }
}

/// Opens a styled span; its attributes follow, then the text, then [`CLOSE`].
const OPEN: char = STYLE_MARKS_START;
const CLOSE: char = match char::from_u32(STYLE_MARKS_START as u32 + 1) {
    Some(c) => c,
    None => STYLE_MARKS_END,
};

/// Text with a style, shown through a [`Terminal`]. Built by [`Colorize`]; chains (`.red().bold()`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Styled {
    text: String,
    attrs: Vec<Attr>,
}

impl Styled {
    fn with(mut self, attr: Attr) -> Styled {
        if !self.attrs.contains(&attr) {
            self.attrs.push(attr);
        }
        self
    }
}

impl fmt::Display for Styled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        if self.attrs.is_empty() {
            return f.pad(&self.text);
        }
        f.write_char(OPEN)?;
        for attr in &self.attrs {
            f.write_char(attr.mark())?;
        }
        f.pad(&self.text)?;
        f.write_char(CLOSE)
    }
}

/// The styling renderers use, in the spelling of the `colored` crate. Only marks are added: whether they become
/// colour is the sink's decision, made once from `--color`, NO_COLOR and the terminal.
pub trait Colorize: Sized {
    fn styled(self) -> Styled;
    fn bold(self) -> Styled {
        self.styled().with(Attr::Bold)
    }
    fn dimmed(self) -> Styled {
        self.styled().with(Attr::Dimmed)
    }
    fn red(self) -> Styled {
        self.styled().with(Attr::Red)
    }
    fn green(self) -> Styled {
        self.styled().with(Attr::Green)
    }
    fn yellow(self) -> Styled {
        self.styled().with(Attr::Yellow)
    }
    fn cyan(self) -> Styled {
        self.styled().with(Attr::Cyan)
    }
    /// No style at all.
    fn normal(self) -> Styled {
        let mut s = self.styled();
        s.attrs.clear();
        s
    }
}

impl Colorize for &str {
    fn styled(self) -> Styled {
        Styled { text: self.to_string(), attrs: Vec::new() }
    }
}

impl Colorize for String {
    fn styled(self) -> Styled {
        Styled { text: self, attrs: Vec::new() }
    }
}

impl Colorize for &String {
    fn styled(self) -> Styled {
        Styled { text: self.clone(), attrs: Vec::new() }
    }
}

/// Styling outside text styles its escaped form.
impl Colorize for &crate::untrusted::Untrusted {
    fn styled(self) -> Styled {
        Styled { text: self.escaped().into_owned(), attrs: Vec::new() }
    }
}

impl Colorize for Styled {
    fn styled(self) -> Styled {
        self
    }
}

/// The sink in front of stdout or stderr. See the module documentation.
pub struct Terminal<'a> {
    inner: &'a mut dyn Write,
    mode: Mode,
    /// Styled spans open now, each with its attributes (spans nest: a bold line holding a red word).
    spans: Vec<Vec<Attr>>,
    /// The start of a UTF-8 sequence cut by the end of the previous write.
    pending: Vec<u8>,
}

impl<'a> Terminal<'a> {
    pub fn new(inner: &'a mut dyn Write, mode: Mode) -> Terminal<'a> {
        Terminal { inner, mode, spans: Vec::new(), pending: Vec::new() }
    }

    fn color(&self) -> bool {
        matches!(self.mode, Mode::Human { color: true })
    }

    fn push_text(&mut self, text: &str, out: &mut String) {
        for c in text.chars() {
            if !needs_escape(c) || c == '\n' {
                out.push(c);
                continue;
            }
            if self.mode == Mode::Json {
                json_escape(c, out);
                continue;
            }
            match c {
                OPEN => self.spans.push(Vec::new()),
                CLOSE => {
                    if self.spans.pop().is_some() && self.color() {
                        out.push_str("\x1b[0m");
                        for attr in self.spans.iter().flatten() {
                            out.push_str(attr.sgr());
                        }
                    }
                }
                c => match Attr::from_mark(c) {
                    Some(attr) => {
                        if let Some(span) = self.spans.last_mut() {
                            span.push(attr);
                            if matches!(self.mode, Mode::Human { color: true }) {
                                out.push_str(attr.sgr());
                            }
                        }
                    }
                    None => out.push_str(&untrusted::escape(c.encode_utf8(&mut [0; 4]))),
                },
            }
        }
    }
}

/// What a renderer writes, as a terminal without colour would receive it (for tests and width checks).
pub fn plain(render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<String> {
    let mut buf = Vec::new();
    {
        let mut sink = Terminal::new(&mut buf, Mode::Human { color: false });
        render(&mut sink)?;
        sink.flush()?;
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// `\u009b`, or a surrogate pair above the Basic Multilingual Plane: what a JSON reader decodes to `c`.
fn json_escape(c: char, out: &mut String) {
    use fmt::Write as _;
    let mut units = [0u16; 2];
    for unit in c.encode_utf16(&mut units) {
        let _ = write!(out, "\\u{unit:04x}");
    }
}

impl Write for Terminal<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Most output is plain ASCII text: it passes as it is, without a copy.
        if self.pending.is_empty() && buf.iter().all(|&b| (0x20..0x7f).contains(&b) || b == b'\n') {
            self.inner.write_all(buf)?;
            return Ok(buf.len());
        }
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(buf);
        let mut out = String::with_capacity(bytes.len());
        let mut rest = &bytes[..];
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    self.push_text(text, &mut out);
                    break;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    self.push_text(std::str::from_utf8(valid).unwrap_or_default(), &mut out);
                    match e.error_len() {
                        Some(n) => {
                            for b in &after[..n] {
                                use fmt::Write as _;
                                let _ = write!(out, "\\x{b:02x}");
                            }
                            rest = &after[n..];
                        }
                        None => {
                            // an incomplete sequence at the end: wait for the rest in the next write
                            self.pending = after.to_vec();
                            break;
                        }
                    }
                }
            }
        }
        self.inner.write_all(out.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let cut = std::mem::take(&mut self.pending);
            let shown: String = cut.iter().map(|b| format!("\\x{b:02x}")).collect();
            self.inner.write_all(shown.as_bytes())?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(mode: Mode, text: &str) -> String {
        let mut buf = Vec::new();
        {
            let mut t = Terminal::new(&mut buf, mode);
            t.write_all(text.as_bytes()).unwrap();
            t.flush().unwrap();
        }
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn raw_controls_are_escaped_and_newlines_kept() {
        let out = through(Mode::Human { color: true }, "CN = \x1b]0;pwned\x07\r\u{9b}2J\u{202e}\nnext\n");
        assert_eq!(out, "CN = \\x1b]0;pwned\\x07\\r\\u{9b}2J\\u{202e}\nnext\n");
    }

    #[test]
    fn styles_become_colour_only_when_asked() {
        let text = format!("{} {}\n", "MATCH".green().bold(), "plain");
        assert_eq!(through(Mode::Human { color: false }, &text), "MATCH plain\n");
        assert_eq!(through(Mode::Human { color: true }, &text), "\x1b[32m\x1b[1mMATCH\x1b[0m plain\n");
    }

    #[test]
    fn nested_spans_restore_the_outer_style() {
        let inner = format!("a {} b", "x".red());
        let text = format!("{}", inner.bold());
        assert_eq!(through(Mode::Human { color: true }, &text), "\x1b[1ma \x1b[31mx\x1b[0m\x1b[1m b\x1b[0m");
    }

    #[test]
    fn padding_applies_to_the_text_not_the_marks() {
        let text = format!("[{:<6}]", "ok".green());
        assert_eq!(through(Mode::Human { color: false }, &text), "[ok    ]");
    }

    #[test]
    fn json_keeps_exact_values_as_escapes() {
        let json = serde_json::to_string(&"a\u{9b}b\u{202e}c\x1b").unwrap();
        let out = through(Mode::Json, &json);
        assert_eq!(out, "\"a\\u009bb\\u202ec\\u001b\"");
        let back: String = serde_json::from_str(&out).unwrap();
        assert_eq!(back, "a\u{9b}b\u{202e}c\x1b");
        let mark = serde_json::to_string(&"\u{10fff3}").unwrap();
        let back: String = serde_json::from_str(&through(Mode::Json, &mark)).unwrap();
        assert_eq!(back, "\u{10fff3}");
    }

    #[test]
    fn invalid_and_split_utf8_are_handled() {
        let mut buf = Vec::new();
        {
            let mut t = Terminal::new(&mut buf, Mode::Human { color: false });
            let s = "é".as_bytes();
            t.write_all(&s[..1]).unwrap();
            t.write_all(&s[1..]).unwrap();
            t.write_all(b"\xff!").unwrap();
            t.flush().unwrap();
        }
        assert_eq!(String::from_utf8(buf).unwrap(), "é\\xff!");
    }
}
