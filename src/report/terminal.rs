//! The last stage before a terminal, for every byte ucert writes: human text, JSON and diagnostics all go through
//! a [`Terminal`]. Renderers never write escape codes themselves: they style text with [`Colorize`], which wraps it
//! in private-use marks, and the sink turns those marks into ANSI colour (or drops them when colour is off). Any
//! other control or bidi character that reaches the sink (outside text a renderer forgot to escape) is shown
//! escaped as [`crate::untrusted::escape`] shows it, so no byte from outside can move the cursor, retitle the
//! window or reorder a line. Only `\n`, the renderers' own line ends, passes as itself.
//!
//! In JSON the same characters become `\uXXXX` escapes: the document keeps the exact values (a JSON reader
//! decodes them back) and stays harmless on a terminal.
//!
//! Human text can be wrapped to a width ([`Terminal::wrapping`]): a line longer than the width breaks at spaces,
//! never inside a word, and its continuation lines are indented to the column where the renderer put a [`HANG`]
//! mark (the start of a check's text, say), or else to the line's own indentation.

use std::borrow::Cow;
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

/// Where a wrapped line's continuation lines start: a renderer writes it (invisible) before the text that should
/// hang, e.g. `"  FAIL  san  {HANG}{message}"`.
pub const HANG: char = match char::from_u32(STYLE_MARKS_START as u32 + 14) {
    Some(c) => c,
    None => STYLE_MARKS_END,
};

/// A line that holds it is never wrapped: a command to copy and paste must stay on one line, however wide.
pub const WHOLE: char = match char::from_u32(STYLE_MARKS_START as u32 + 15) {
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

/// Whether a write failed because the reader went away (`ucert ... | head -1`): a broken pipe, or on Windows the
/// pipe being closed (232) or no longer connected (233), which Rust does not all map to `BrokenPipe`.
pub fn is_closed_pipe(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe || (cfg!(windows) && matches!(e.raw_os_error(), Some(109 | 232 | 233)))
}

/// Standard output for a run: once the reader has gone away, what is written is dropped, so that the command still
/// ends with its own exit code (a failed check stays 1 under `| head -1`) and says nothing about the pipe. Any other
/// write error (a full disk) is passed on.
pub struct UntilClosed<W: Write> {
    inner: W,
    closed: bool,
}

impl<W: Write> UntilClosed<W> {
    pub fn new(inner: W) -> UntilClosed<W> {
        UntilClosed { inner, closed: false }
    }

    /// The reader went away before everything was written.
    pub fn closed(&self) -> bool {
        self.closed
    }

    fn guard<T>(&mut self, result: io::Result<T>, dropped: T) -> io::Result<T> {
        match result {
            Err(e) if is_closed_pipe(&e) => {
                self.closed = true;
                Ok(dropped)
            }
            other => other,
        }
    }
}

impl<W: Write> Write for UntilClosed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let result = self.inner.write(buf);
        self.guard(result, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.inner.flush();
        self.guard(result, ())
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
    /// The width human text is wrapped to, if any.
    width: Option<usize>,
    /// When wrapping: the current line so far (escaped, with its colour codes and maybe a [`HANG`] mark).
    line: String,
}

impl<'a> Terminal<'a> {
    pub fn new(inner: &'a mut dyn Write, mode: Mode) -> Terminal<'a> {
        Terminal { inner, mode, spans: Vec::new(), pending: Vec::new(), width: None, line: String::new() }
    }

    /// Wraps human text at `width` columns (JSON is never wrapped).
    pub fn wrapping(mut self, width: Option<usize>) -> Terminal<'a> {
        self.width = width.filter(|_| self.mode != Mode::Json);
        self
    }

    /// Passes finished lines on, wrapped when wrapping: whole lines only, the rest waits in `line`.
    fn emit(&mut self, text: &str) -> io::Result<()> {
        let Some(width) = self.width else { return self.inner.write_all(text.as_bytes()) };
        let mut rest = text;
        while let Some(end) = memchr::memchr(b'\n', rest.as_bytes()) {
            // a line whole in this text is wrapped where it is; one begun by an earlier write, from `line`
            let line = if self.line.is_empty() {
                &rest[..end]
            } else {
                self.line.push_str(&rest[..end]);
                self.line.as_str()
            };
            if unwrapped(line, width) {
                // as it stands, less its marks: written in pieces, not copied (a table's rows, thousands of them)
                for piece in line.split([HANG, WHOLE]) {
                    self.inner.write_all(piece.as_bytes())?;
                }
            } else {
                self.inner.write_all(wrap_line(line, width).as_bytes())?;
            }
            self.inner.write_all(b"\n")?;
            self.line.clear();
            rest = &rest[end + 1..];
        }
        self.line.push_str(rest);
        Ok(())
    }

    fn color(&self) -> bool {
        matches!(self.mode, Mode::Human { color: true })
    }

    fn push_text(&mut self, text: &str, out: &mut String) {
        // runs of text that need nothing pass in one copy; only the characters between them are looked at
        let mut run = 0;
        for (at, c) in text.char_indices() {
            if !needs_escape(c) || c == '\n' {
                continue;
            }
            out.push_str(&text[run..at]);
            run = at + c.len_utf8();
            self.push_special(c, out);
        }
        out.push_str(&text[run..]);
    }

    /// A character of [`needs_escape`] other than `\n`: a style mark acted on, anything else escaped.
    fn push_special(&mut self, c: char, out: &mut String) {
        if self.mode == Mode::Json {
            json_escape(c, out);
            return;
        }
        match c {
            // kept in place for the wrapping to find (and drop) when the line is complete
            HANG | WHOLE if self.width.is_some() => out.push(c),
            HANG | WHOLE => {}
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

/// The columns a renderer's text takes on a terminal: its style marks take none.
pub fn visible_width(text: &str) -> usize {
    let shown: String = text.chars().filter(|c| !(STYLE_MARKS_START..=STYLE_MARKS_END).contains(c)).collect();
    textwrap::core::display_width(&shown)
}

/// Whether [`wrap_line`] leaves `line` as it is, less its marks: it is to be kept whole, or it fits by its bytes
/// alone (a character never takes more columns than it has bytes; each mark has four and takes none).
fn unwrapped(line: &str, width: usize) -> bool {
    const MARK_BYTES: usize = HANG.len_utf8();
    let marks = || line.matches([HANG, WHOLE]).count();
    line.len() <= width || line.contains(WHOLE) || line.len() - MARK_BYTES * marks() <= width
}

/// One line (escaped, maybe with colour codes, which count as nothing), broken at spaces to fit `width`: the
/// continuation lines start at the column of its [`HANG`] mark, or at the line's own indentation. A word longer than
/// the width stays whole.
fn wrap_line(line: &str, width: usize) -> Cow<'_, str> {
    if line.contains(WHOLE) {
        return Cow::Owned(line.replace([WHOLE, HANG], ""));
    }
    let (line, before_hang) = match line.split_once(HANG) {
        Some((before, _)) => (Cow::Owned(line.replace(HANG, "")), Some(before)),
        None => (Cow::Borrowed(line), None),
    };
    // a character never takes more columns than it has bytes; where the hang falls is measured only for a line that
    // wraps (the rows of a table made to fit do not)
    if line.len() <= width || textwrap::core::display_width(&line) <= width {
        return line;
    }
    let hang = before_hang.map(textwrap::core::display_width);
    let indent = line.len() - line.trim_start_matches(' ').len();
    // continuation lines keep at least a few words' room, and room for the longest word (a path, a hash): a word
    // is never split, and it fits if anything can
    let longest =
        line[indent..].split(' ').map(textwrap::core::display_width).filter(|&w| w <= width).max().unwrap_or(0);
    let hang = hang.unwrap_or(indent).min(width.saturating_sub(12)).min(width.saturating_sub(longest));
    let subsequent = " ".repeat(hang);
    let options = textwrap::Options::new(width)
        .initial_indent(&line[..indent])
        .subsequent_indent(&subsequent)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
    Cow::Owned(textwrap::wrap(&line[indent..], &options).join("\n"))
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
            // (plain ASCII is valid UTF-8)
            self.emit(std::str::from_utf8(buf).unwrap_or_default())?;
            return Ok(buf.len());
        }
        // the start of a character cut by the previous write goes before this one; else `buf` is read as it is
        let bytes: Cow<'_, [u8]> = match std::mem::take(&mut self.pending) {
            pending if pending.is_empty() => Cow::Borrowed(buf),
            mut pending => {
                pending.extend_from_slice(buf);
                Cow::Owned(pending)
            }
        };
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
        self.emit(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let cut = std::mem::take(&mut self.pending);
            let shown: String = cut.iter().map(|b| format!("\\x{b:02x}")).collect();
            self.emit(&shown)?;
        }
        if !self.line.is_empty() {
            // a last line without its end: wrapped as it is
            let line = std::mem::take(&mut self.line);
            let width = self.width.unwrap_or(usize::MAX);
            self.inner.write_all(wrap_line(&line, width).as_bytes())?;
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

    fn wrapped(width: usize, color: bool, text: &str) -> String {
        let mut buf = Vec::new();
        {
            let mut t = Terminal::new(&mut buf, Mode::Human { color }).wrapping(Some(width));
            t.write_all(text.as_bytes()).unwrap();
            t.flush().unwrap();
        }
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn long_lines_break_at_spaces_and_hang_under_the_mark() {
        let text = format!("  FAIL  san  {HANG}the certificate's SANs differ from the CSR's in three entries\nnext\n");
        let out = wrapped(40, false, &text);
        assert_eq!(
            out,
            "  FAIL  san  the certificate's SANs\n             differ from the CSR's in\n             three entries\nnext\n"
        );
        assert!(out.lines().all(|l| l.chars().count() <= 40));
    }

    #[test]
    fn colour_codes_take_no_room_and_a_long_word_stays_whole() {
        let text = format!("  {} {}\n", "verdict".red().bold(), "a ".repeat(20));
        let out = wrapped(20, true, &text);
        let visible = |l: &str| regex::Regex::new(r"\x1b\[[0-9]+m").unwrap().replace_all(l, "").chars().count();
        assert!(out.lines().all(|l| visible(l) <= 20), "{out:?}");
        assert!(out.starts_with("  \x1b["), "{out:?}");
        let long = wrapped(20, false, "  abcdefghijklmnopqrstuvwxyz end\n");
        assert_eq!(long, "  abcdefghijklmnopqrstuvwxyz\n  end\n");
    }

    #[test]
    fn without_a_width_nothing_is_wrapped_and_the_mark_is_dropped() {
        let out = through(Mode::Human { color: false }, &format!("a {HANG}b\n"));
        assert_eq!(out, "a b\n");
    }

    /// A line the sink passes in pieces, less its marks, is what wrapping it would give: at every width around its
    /// length, with marks anywhere, several of them, wide and combining characters, a word longer than the width.
    #[test]
    fn a_line_passed_unwrapped_is_the_line_wrapping_gives() {
        let lines = [
            format!("  match   cucm-pub  {HANG}MATCH as tomcat"),
            format!("{HANG}{HANG}x y{HANG}"),
            format!("  {HANG}{WHOLE}ucert pair --purpose tomcat certs/ csrs/ and then some words"),
            format!("東京 本社 {HANG}サーバー 証明書 の 検証"),
            format!("e\u{301} {HANG}combining and e\u{301} again"),
            "plain words without a mark at all".to_string(),
            format!("{HANG}averyveryverylongwordthatcannotbreak and more"),
            String::new(),
        ];
        let mut compared = 0;
        for line in &lines {
            for width in 0..line.len() + 8 {
                if unwrapped(line, width) {
                    let pieces: String = line.split([HANG, WHOLE]).collect();
                    assert_eq!(pieces, wrap_line(line, width), "{line:?} at {width}");
                    compared += 1;
                }
            }
        }
        assert!(compared > 100, "{compared}");
    }

    /// A writer that fails with `kind` after `room` bytes.
    struct Failing {
        room: usize,
        kind: io::ErrorKind,
    }

    impl Write for Failing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::from(self.kind));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_drops_the_rest_and_other_errors_pass() {
        let mut out = UntilClosed::new(Failing { room: 4, kind: io::ErrorKind::BrokenPipe });
        out.write_all(b"first line\nsecond line\n").unwrap();
        out.flush().unwrap();
        assert!(out.closed());
        let mut full = UntilClosed::new(Failing { room: 4, kind: io::ErrorKind::StorageFull });
        assert_eq!(full.write_all(b"first line\n").unwrap_err().kind(), io::ErrorKind::StorageFull);
        assert!(!full.closed());
    }

    #[test]
    fn a_whole_line_is_never_wrapped() {
        let mut buf = Vec::new();
        let command = "ucert connect cucm-pub.example.com:8443 --expect 'certnew (1).cer'";
        {
            let mut t = Terminal::new(&mut buf, Mode::Human { color: false }).wrapping(Some(20));
            write!(t, "  {HANG}{WHOLE}{command}\nand then some words that wrap here\n").unwrap();
        }
        let out = String::from_utf8(buf).unwrap();
        assert_eq!(out, format!("  {command}\nand then some words\nthat wrap here\n"));
        let out = through(Mode::Human { color: false }, &format!("a {WHOLE}b\n"));
        assert_eq!(out, "a b\n");
    }
}
