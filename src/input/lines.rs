//! Reading logs in constant memory: plain or gzip (detected by its magic bytes, as RTMT downloads are often
//! `.gz`), ZIP and tar archives of them (plain or in gzip) file by file, other archives named and refused (see
//! [`super::archive`]), UTF-16 after a byte order mark read as UTF-8 (a log saved by Notepad as "Unicode" or through
//! Windows PowerShell's `>`), line by line through one reused buffer, invalid UTF-8 replaced rather than refused,
//! and a line that never ends cut into pieces of at most [`MAX_LINE`] bytes.

use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Read};

use flate2::read::MultiGzDecoder;

use super::archive::Archive;
use super::read::open_error;
use super::unicode::{ByteOrderMark, Utf16Reader};
use super::{IdleReader, InputError, Reading, Source, ZipFiles, may_block};
use crate::untrusted::Untrusted;

/// The longest piece of a line handled at once (the log excerpts of Cisco's "Troubleshoot CAPF Online CA" fold many
/// records onto one line).
pub const MAX_LINE: usize = 1 << 20;

/// What a file of logs turned out to be: a log, or logs packed together.
pub enum Opened<'a> {
    Log(Box<dyn BufRead + 'a>),
    Packed(Packed<'a>),
}

/// Logs packed together, read one file inside at a time, each as a stream: a ZIP archive (RTMT's "Collect Files"
/// zips them) or a tar archive, plain or gzip-compressed (`.tar`, `.tgz`).
pub enum Packed<'a> {
    Zip(ZipFiles),
    Tar(Box<tar::Archive<Box<dyn Read + 'a>>>),
}

/// A file inside an archive: a stream of its bytes, or why it cannot be read (encrypted, compressed otherwise).
pub type PackedFile<'r> = Result<&'r mut dyn Read, String>;

/// More files than a cluster's traces: an archive of something else.
pub const MAX_PACKED_FILES: usize = super::zipped::MAX_LOG_MEMBERS;

impl Packed<'_> {
    /// Hands each file inside to `visit`, in the archive's order: its name, and a stream of its bytes or why it
    /// cannot be read. Folders, links and macOS's metadata are passed over. An error when the archive is damaged
    /// from some file on (the files before it were visited).
    pub fn each_file(self, visit: &mut dyn FnMut(Untrusted, PackedFile<'_>)) -> Result<(), InputError> {
        match self {
            Packed::Zip(mut zip) => {
                for i in 0..zip.len() {
                    match zip.file(i)? {
                        Some((name, Ok(mut stream))) => visit(name, Ok(&mut stream)),
                        Some((name, Err(why))) => visit(name, Err(why)),
                        None => {}
                    }
                }
            }
            Packed::Tar(mut tar) => {
                let damaged = |e: io::Error| InputError::Unrecognized(format!("a damaged tar archive ({e})"));
                let mut count = 0;
                for entry in tar.entries().map_err(damaged)? {
                    let mut entry = entry.map_err(damaged)?;
                    let kind = entry.header().entry_type();
                    let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
                    if !(kind.is_file() || kind.is_contiguous()) || super::zipped::is_macos_metadata(&name) {
                        continue;
                    }
                    count += 1;
                    if count > MAX_PACKED_FILES {
                        return Err(InputError::Unrecognized(format!(
                            "a tar archive of more than {MAX_PACKED_FILES} files: extract the logs from it"
                        )));
                    }
                    visit(Untrusted::new(name), Ok(&mut entry));
                }
            }
        }
        Ok(())
    }
}

/// Opens a log for reading, decompressing gzip transparently, or the archive that packs logs together.
pub fn open(source: &Source, reading: Reading) -> Result<Opened<'static>, InputError> {
    // A regular file is read directly, at disk speed; a pipe, a device, a /proc file or standard input from a pipe
    // through a reader that gives up when it stays silent (--timeout), as every input is.
    let raw: Box<dyn Read> = match source {
        Source::Stdin if io::stdin().is_terminal() => Box::new(io::stdin()),
        Source::Stdin => Box::new(IdleReader::for_source(source, reading)),
        Source::Path(path) => {
            let meta = std::fs::metadata(path).map_err(open_error)?;
            if meta.is_dir() {
                return Err(InputError::IsDirectory);
            }
            if may_block(path) {
                Box::new(IdleReader::for_source(source, reading))
            } else {
                // a ZIP archive is read out of order: from its file
                match ZipFiles::from_file(File::open(path).map_err(open_error)?)? {
                    Ok(zip) => return Ok(Opened::Packed(Packed::Zip(zip))),
                    Err(file) => Box::new(file),
                }
            }
        }
    };
    from_reader(raw)
}

/// A log from what is already open (a file, a file inside an archive): gzip decompressed, UTF-16 turned into UTF-8;
/// a tar archive (plain or in gzip) streamed file by file; other archives refused.
pub fn from_reader<'a>(raw: impl Read + 'a) -> Result<Opened<'a>, InputError> {
    let mut reader = BufReader::with_capacity(64 * 1024, raw);
    let head = reader.fill_buf().map_err(|e| InputError::Io(e.to_string()))?;
    match Archive::recognise(head) {
        Some(Archive::Gzip) => {
            let mut inflated = BufReader::with_capacity(64 * 1024, MultiGzDecoder::new(reader));
            // what gzip holds is a log, or a tar archive of them
            let head = inflated.fill_buf().map_err(|e| InputError::Io(format!("not valid gzip: {e}")))?;
            if Archive::recognise(head) == Some(Archive::Tar) {
                return Ok(Opened::Packed(Packed::Tar(Box::new(tar::Archive::new(Box::new(inflated))))));
            }
            Ok(Opened::Log(as_utf8(inflated)?))
        }
        Some(Archive::Tar) => Ok(Opened::Packed(Packed::Tar(Box::new(tar::Archive::new(Box::new(reader)))))),
        Some(archive) => Err(refusal(archive)),
        None => Ok(Opened::Log(as_utf8(reader)?)),
    }
}

/// The text after its byte order mark, UTF-16 turned into UTF-8 (the lines are cut and matched as UTF-8).
fn as_utf8<'a, R: BufRead + 'a>(mut reader: R) -> Result<Box<dyn BufRead + 'a>, InputError> {
    let head = reader.fill_buf().map_err(|e| InputError::Io(e.to_string()))?;
    let Some(mark) = ByteOrderMark::recognise(head) else { return Ok(Box::new(reader)) };
    reader.consume(mark.len());
    Ok(match mark.utf16_big_endian() {
        None => Box::new(reader),
        Some(big_endian) => Box::new(BufReader::with_capacity(64 * 1024, Utf16Reader::new(reader, big_endian))),
    })
}

/// Why an archive is not read as a log, and what to do. (A ZIP file is opened before it gets here, by its path: what
/// reaches this is a ZIP read from a pipe or inside another archive, which cannot be read out of order.)
fn refusal(archive: Archive) -> InputError {
    if archive == Archive::Zip {
        return InputError::Unrecognized(
            "a ZIP archive from a pipe or inside another archive: give ucert the archive's own file (it reads a ZIP \
             of logs from a file), or extract it"
                .into(),
        );
    }
    InputError::Unrecognized(format!(
        "{}, and give ucert the logs inside (it reads plain and gzip-compressed logs, and ZIP and tar archives of them)",
        archive.advice()
    ))
}

/// Lines of a log, one at a time, through a reused buffer (a line is lent, not allocated: logs have millions).
pub struct Lines<R> {
    inner: R,
    buf: Vec<u8>,
    /// The line last returned (its allocation goes back to `buf` for the next one).
    line: String,
    /// The number of the line last returned (1-based).
    pub number: usize,
}

impl<R: BufRead> Lines<R> {
    pub fn new(inner: R) -> Lines<R> {
        Lines { inner, buf: Vec::with_capacity(8 * 1024), line: String::new(), number: 0 }
    }

    /// The next line without its line end, or None at the end. A line longer than [`MAX_LINE`] comes in pieces.
    pub fn next_line(&mut self) -> io::Result<Option<&str>> {
        if self.buf.capacity() == 0 {
            self.buf = std::mem::take(&mut self.line).into_bytes();
        }
        self.buf.clear();
        let mut ended = false;
        loop {
            let available = match self.inner.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                break;
            }
            let room = MAX_LINE - self.buf.len();
            let window = &available[..available.len().min(room)];
            let (take, found) = match memchr::memchr(b'\n', window) {
                Some(i) => (i + 1, true),
                None => (available.len().min(room), false),
            };
            self.buf.extend_from_slice(&available[..take]);
            self.inner.consume(take);
            if found {
                ended = true;
                break;
            }
            if self.buf.len() >= MAX_LINE {
                break;
            }
        }
        if self.buf.is_empty() && !ended {
            return Ok(None);
        }
        while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
            self.buf.pop();
        }
        self.number += 1;
        // checked once, and no copy when it is valid UTF-8 (nearly always)
        self.line = match String::from_utf8(std::mem::take(&mut self.buf)) {
            Ok(text) => text,
            Err(e) => {
                let bytes = e.into_bytes();
                let text = String::from_utf8_lossy(&bytes).into_owned();
                self.buf = bytes;
                text
            }
        };
        Ok(Some(&self.line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_lose_their_ends_and_bad_bytes_are_replaced() {
        let data: &[u8] = b"one\r\ntwo \xff\nthree";
        let mut lines = Lines::new(data);
        assert_eq!(lines.next_line().unwrap(), Some("one"));
        assert_eq!(lines.next_line().unwrap(), Some("two \u{fffd}"));
        assert_eq!(lines.next_line().unwrap(), Some("three"));
        assert_eq!(lines.next_line().unwrap(), None);
        assert_eq!(lines.number, 3);
    }

    #[test]
    fn an_endless_line_comes_in_bounded_pieces() {
        let data = vec![b'x'; MAX_LINE * 2 + 10];
        let mut lines = Lines::new(&data[..]);
        assert_eq!(lines.next_line().unwrap().unwrap().len(), MAX_LINE);
        assert_eq!(lines.next_line().unwrap().unwrap().len(), MAX_LINE);
        assert_eq!(lines.next_line().unwrap().unwrap().len(), 10);
        assert!(lines.next_line().unwrap().is_none());
    }
}
