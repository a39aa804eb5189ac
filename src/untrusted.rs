//! Text that came from outside: a certificate's names and SANs, a log's lines, what a server sent, a file's name,
//! text pasted by the user. Whoever wrote it may have put terminal escape sequences, carriage returns, newlines
//! or bidi overrides in it to rewrite the admin's screen or forge a line of output. [`Untrusted`] carries such text
//! exactly (JSON and comparisons see the real value) and shows it only escaped: its `Display` goes through
//! [`escape`], the one function that makes outside text safe for a terminal, so a renderer cannot print it raw by
//! forgetting a call.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::path::Path;

/// Outside text. `Display` shows it escaped; [`Untrusted::raw`] gives the exact value, for comparisons, JSON and
/// file contents, never for a terminal.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Untrusted(String);

impl Untrusted {
    /// The empty text.
    pub const EMPTY: Untrusted = Untrusted(String::new());

    pub fn new(text: impl Into<String>) -> Untrusted {
        Untrusted(text.into())
    }

    /// A path as the user gave it (lossy where it is not Unicode, as `Path::display`).
    pub fn path(path: &Path) -> Untrusted {
        Untrusted(path.to_string_lossy().into_owned())
    }

    /// The exact value: compare with it, serialise it, write it to a file; never print it to a terminal.
    pub fn raw(&self) -> &str {
        &self.0
    }

    pub fn into_raw(self) -> String {
        self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The escaped form, as `Display` writes it.
    pub fn escaped(&self) -> Cow<'_, str> {
        escape(&self.0)
    }
}

impl fmt::Display for Untrusted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad` keeps width and alignment (`{:<20}`) working on the escaped form.
        f.pad(&escape(&self.0))
    }
}

impl From<String> for Untrusted {
    fn from(text: String) -> Untrusted {
        Untrusted(text)
    }
}

impl From<&str> for Untrusted {
    fn from(text: &str) -> Untrusted {
        Untrusted(text.to_string())
    }
}

/// True for a character that must never reach a terminal as itself: C0 controls (newline, carriage return and tab
/// included: inside a field they forge lines and columns), DEL, C1 controls (U+0080..U+009F: U+009B is CSI on
/// terminals that read 8-bit controls), and the invisible Unicode format characters that reorder or hide text
/// (bidi marks, embeddings, overrides and isolates, zero-width characters, line and paragraph separators, the BOM).
/// Also the private-use characters the human renderer uses to mark its own styling, so outside text cannot style.
pub fn needs_escape(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}'
        | crate::untrusted::STYLE_MARKS_START..=crate::untrusted::STYLE_MARKS_END)
}

/// The first and last of the private-use characters reserved for the renderer's styling marks.
pub const STYLE_MARKS_START: char = '\u{10fff0}';
pub const STYLE_MARKS_END: char = '\u{10ffff}';

/// Shows every character of [`needs_escape`] visibly, as `ls` and `git` do with odd file names: `\n`, `\r`, `\t`
/// and `\e`-like controls as `\x1b`, the others as `\u{202e}`. Printable text, non-ASCII included (Japanese,
/// Korean, accented names), stays as it is. Escaping is idempotent: its output holds nothing it would escape.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !needs_escape(c) {
            out.push(c);
            continue;
        }
        let _ = match c {
            '\n' => out.write_str("\\n"),
            '\r' => out.write_str("\\r"),
            '\t' => out.write_str("\\t"),
            c if (c as u32) < 0x80 => write!(out, "\\x{:02x}", c as u32),
            c => write!(out, "\\u{{{:x}}}", c as u32),
        };
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_visibly() {
        assert_eq!(escape("a\x1b[31mb"), "a\\x1b[31mb");
        assert_eq!(escape("x\ny\rz\t"), "x\\ny\\rz\\t");
        assert_eq!(escape("\x00\x08\x7f"), "\\x00\\x08\\x7f");
        assert_eq!(escape("\u{9b}2J\u{9d}0;t"), "\\u{9b}2J\\u{9d}0;t");
        assert_eq!(escape("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
        for c in ['\u{200e}', '\u{200f}', '\u{202a}', '\u{2066}', '\u{2069}', '\u{2028}', '\u{feff}'] {
            assert!(escape(&c.to_string()).starts_with("\\u{"), "{c:?}");
        }
    }

    #[test]
    fn printable_text_is_untouched_and_borrowed() {
        for s in ["cucm-pub.example.com", "東京 本社", "서울", "Société Générale", "C:\\inetpub\\logs"] {
            assert!(matches!(escape(s), Cow::Borrowed(_)), "{s}");
        }
    }

    #[test]
    fn escaping_is_idempotent() {
        let hostile = "\x1b]0;title\x07\u{202e}\r\n\u{9b}";
        let once = escape(hostile).into_owned();
        assert_eq!(escape(&once), once);
        assert!(!once.chars().any(needs_escape));
    }

    #[test]
    fn display_escapes_and_keeps_padding_while_json_is_exact() {
        let u = Untrusted::new("a\x1bb");
        assert_eq!(format!("[{u:<8}]"), "[a\\x1bb  ]");
        assert_eq!(serde_json::to_string(&u).unwrap(), "\"a\\u001bb\"");
        assert_eq!(u.raw(), "a\x1bb");
    }

    #[test]
    fn style_marks_from_outside_are_escaped() {
        assert_eq!(escape("\u{10fff0}"), "\\u{10fff0}");
    }
}
