//! Text as Windows saves it, read as plain UTF-8: UTF-16 after a byte order mark (Notepad's "Unicode", and what
//! Windows PowerShell's `>` and `Out-File` write by default) and UTF-8 after one (Notepad's "UTF-8 with BOM").
//! One decoder for whole files (certificates, CSRs) and for logs read as a stream.

use std::io::{self, Read};

/// What a text's first bytes say of its encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteOrderMark {
    Utf8,
    Utf16Le,
    Utf16Be,
}

impl ByteOrderMark {
    pub fn recognise(head: &[u8]) -> Option<ByteOrderMark> {
        if head.starts_with(&[0xef, 0xbb, 0xbf]) {
            Some(ByteOrderMark::Utf8)
        } else if head.starts_with(&[0xff, 0xfe]) {
            Some(ByteOrderMark::Utf16Le)
        } else if head.starts_with(&[0xfe, 0xff]) {
            Some(ByteOrderMark::Utf16Be)
        } else {
            None
        }
    }

    /// For UTF-16, whether it is big-endian; None for UTF-8 (read as it is once the mark is skipped).
    pub fn utf16_big_endian(self) -> Option<bool> {
        match self {
            ByteOrderMark::Utf8 => None,
            ByteOrderMark::Utf16Le => Some(false),
            ByteOrderMark::Utf16Be => Some(true),
        }
    }

    /// The mark's own length in bytes.
    pub fn len(self) -> usize {
        match self {
            ByteOrderMark::Utf8 => 3,
            ByteOrderMark::Utf16Le | ByteOrderMark::Utf16Be => 2,
        }
    }
}

/// UTF-16 read as UTF-8, a chunk at a time. Malformed UTF-16 (a lone surrogate, an odd last byte) becomes U+FFFD,
/// as invalid UTF-8 does in a log: a damaged character never stops the reading of what is around it.
pub struct Utf16Reader<R> {
    inner: R,
    big_endian: bool,
    /// Bytes read but not yet decoded: an odd byte, or the two of a high surrogate waiting for its pair.
    carry: Vec<u8>,
    /// Decoded UTF-8 not yet handed out, from `given`.
    decoded: Vec<u8>,
    given: usize,
    ended: bool,
}

/// How much of the input is decoded at once.
const CHUNK: usize = 16 * 1024;

impl<R: Read> Utf16Reader<R> {
    /// A reader of `inner`'s UTF-16 (without its byte order mark), in the byte order given.
    pub fn new(inner: R, big_endian: bool) -> Utf16Reader<R> {
        Utf16Reader { inner, big_endian, carry: Vec::new(), decoded: Vec::new(), given: 0, ended: false }
    }

    /// Decodes the next chunk into `decoded`; at the end, what is carried is damaged and becomes U+FFFD.
    fn refill(&mut self) -> io::Result<()> {
        self.decoded.clear();
        self.given = 0;
        let mut chunk = [0u8; CHUNK];
        while self.decoded.is_empty() && !self.ended {
            let n = match self.inner.read(&mut chunk) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                self.ended = true;
                if !self.carry.is_empty() {
                    self.carry.clear();
                    self.decoded.extend_from_slice(char::REPLACEMENT_CHARACTER.encode_utf8(&mut [0; 4]).as_bytes());
                }
                break;
            }
            self.carry.extend_from_slice(&chunk[..n]);
            let big_endian = self.big_endian;
            let mut units: Vec<u16> = self
                .carry
                .chunks_exact(2)
                .map(|c| if big_endian { u16::from_be_bytes([c[0], c[1]]) } else { u16::from_le_bytes([c[0], c[1]]) })
                .collect();
            // a high surrogate at the end waits for its pair in the next chunk
            if units.last().is_some_and(|u| (0xd800..0xdc00).contains(u)) {
                units.pop();
            }
            let mut text = [0u8; 4];
            for c in char::decode_utf16(units.iter().copied()) {
                let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
                self.decoded.extend_from_slice(c.encode_utf8(&mut text).as_bytes());
            }
            self.carry.drain(..units.len() * 2);
        }
        Ok(())
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.given == self.decoded.len() {
            self.refill()?;
        }
        let n = buf.len().min(self.decoded.len() - self.given);
        buf[..n].copy_from_slice(&self.decoded[self.given..self.given + n]);
        self.given += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads all of `bytes` through a reader that hands out `step` bytes at a time (chunk edges everywhere).
    fn decode(bytes: &[u8], big_endian: bool, step: usize) -> String {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = String::new();
        Utf16Reader::new(Trickle(bytes, step), big_endian).read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn utf16_in_either_order_reads_as_utf8_whatever_the_chunk_edges() {
        let text = "2026/12/03 10:00:00 [error] ciscora: Zürich \u{1f512} 東京\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for step in [1, 2, 3, 5, 4096] {
            assert_eq!(decode(&le, false, step), text, "step {step}");
            assert_eq!(decode(&be, true, step), text, "step {step}");
        }
    }

    #[test]
    fn damaged_utf16_becomes_replacement_characters_not_an_error() {
        // a lone high surrogate mid-text, a lone low one, and an odd byte at the end
        let units = [0x61u16, 0xd800, 0x62, 0xdc00, 0x63];
        let mut bytes: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
        bytes.push(0x64);
        assert_eq!(decode(&bytes, false, 1), "a\u{fffd}b\u{fffd}c\u{fffd}");
        // a high surrogate as the very last unit
        assert_eq!(decode(&[0x61, 0, 0x00, 0xd8], false, 3), "a\u{fffd}");
    }

    #[test]
    fn byte_order_marks_are_recognised() {
        assert_eq!(ByteOrderMark::recognise(b"\xef\xbb\xbf-----BEGIN"), Some(ByteOrderMark::Utf8));
        assert_eq!(ByteOrderMark::recognise(b"\xff\xfe-\0"), Some(ByteOrderMark::Utf16Le));
        assert_eq!(ByteOrderMark::recognise(b"\xfe\xff\0-"), Some(ByteOrderMark::Utf16Be));
        assert_eq!(ByteOrderMark::recognise(b"-----BEGIN"), None);
        assert_eq!(ByteOrderMark::recognise(b""), None);
    }
}
