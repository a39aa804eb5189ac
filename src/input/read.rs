//! Reading an input whole, but never more than [`MAX_INPUT_BYTES`]: a certificate, CSR, key or chain is a few
//! kilobytes, so a bigger input is refused before it fills memory (`/dev/zero`, a log picked by mistake). Inputs
//! are opened read-only; nothing here ever writes.

use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use super::InputError;
use crate::untrusted::Untrusted;

/// The largest input ucert reads (16 MiB).
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// How inputs are read, decided once from the command line and handed to whatever reads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reading {
    /// How long a pipe, device or standard input may stay silent before ucert gives up on it (`--timeout`).
    pub idle: Duration,
}

impl Default for Reading {
    fn default() -> Reading {
        Reading { idle: Duration::from_secs(10) }
    }
}

/// Where an input comes from: a path, or standard input (`-`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Path(PathBuf),
    Stdin,
}

impl Source {
    /// `-` means standard input, as in every Unix tool.
    pub fn from_arg(arg: &Path) -> Source {
        if arg.as_os_str() == "-" { Source::Stdin } else { Source::Path(arg.to_path_buf()) }
    }

    /// The name used in messages and output: the path as given (outside text: a file name may hold anything), or
    /// `-`.
    pub fn display_name(&self) -> Untrusted {
        match self {
            Source::Path(p) => Untrusted::path(p),
            Source::Stdin => Untrusted::new("-"),
        }
    }

    /// The file name without directories (what purpose inference looks at).
    pub fn file_name(&self) -> Option<String> {
        match self {
            Source::Path(p) => p.file_name().map(|n| n.to_string_lossy().into_owned()),
            Source::Stdin => None,
        }
    }
}

/// Reads the whole input, up to [`MAX_INPUT_BYTES`]. (Standard input from a terminal waits for the person typing;
/// the command says so before it reads.)
pub fn read_source(source: &Source, reading: Reading) -> Result<Vec<u8>, InputError> {
    let bytes = match source {
        Source::Stdin => {
            let stdin = io::stdin();
            if stdin.is_terminal() {
                read_capped(stdin.lock())?
            } else {
                // a pipe from a program that never writes or never ends must not hold ucert forever
                read_with_idle_timeout(source, reading)?
            }
        }
        Source::Path(path) => read_path(path, reading)?,
    };
    not_blank(bytes)
}

/// An input of nothing but white space is empty.
fn not_blank(bytes: Vec<u8>) -> Result<Vec<u8>, InputError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::Empty);
    }
    Ok(bytes)
}

fn read_path(path: &Path, reading: Reading) -> Result<Vec<u8>, InputError> {
    let meta = std::fs::metadata(path).map_err(open_error)?;
    if meta.is_dir() {
        return Err(InputError::IsDirectory);
    }
    if let Some(size) = size_to_read(&meta, path)? {
        let file = File::open(path).map_err(open_error)?;
        return read_capped_with(file, size + 1);
    }
    // A FIFO, a device, or a "file" that declares no size (as /proc's do, /proc/kmsg among them, which blocks
    // forever): opening may wait for a writer and reading may never end, so both happen on a helper thread and
    // ucert stops waiting when it goes quiet.
    read_with_idle_timeout(&Source::Path(path.to_path_buf()), reading)
}

/// Reads a file that a directory walk listed as a regular file: opened first, then its size taken from the open file
/// (one path lookup instead of two, which is a tenth of `pair`'s system time over 40,000 files). Opened without
/// waiting, so that a file replaced by a FIFO since the walk cannot hold ucert; anything that is no longer a regular
/// file of a known size is read as any path is ([`read_source`]).
pub fn read_listed(path: &Path, reading: Reading) -> Result<Vec<u8>, InputError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        if let Ok(file) = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)
            && let Ok(meta) = file.metadata()
            && let Some(size) = size_to_read(&meta, path)?
        {
            // the size is the open file's own: read that much, in one call for a small file, and stop there rather
            // than ask again for the end (40,000 fewer system calls in a batch of 20,000 pairs); a file that is
            // being written is read as it was when its size was taken
            return not_blank(read_capped_with(file.take(size as u64), size)?);
        }
    }
    read_source(&Source::Path(path.to_path_buf()), reading)
}

/// The size of a regular file, so that its buffer is made once (one read fills it), refused when over
/// [`MAX_INPUT_BYTES`]; None for what must be read with a time-out instead (a FIFO, a device, an empty size, /proc
/// and /sys).
fn size_to_read(meta: &std::fs::Metadata, path: &Path) -> Result<Option<usize>, InputError> {
    if meta.is_file() && meta.len() > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge);
    }
    Ok((meta.is_file() && meta.len() > 0 && !is_kernel_interface(path)).then_some(meta.len() as usize))
}

/// Whether `path` lies in /proc or /sys, the kernel's interfaces dressed as files: their sizes are not what reading
/// gives, and some block. Relative paths are judged by where they lead.
pub fn is_kernel_interface(path: &Path) -> bool {
    if !cfg!(unix) {
        return false;
    }
    static CWD_IN_KERNEL: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let in_kernel = |p: &Path| p.starts_with("/proc") || p.starts_with("/sys");
    if path.components().any(|c| c == std::path::Component::ParentDir) {
        return std::fs::canonicalize(path).is_ok_and(|p| in_kernel(&p));
    }
    if path.is_absolute() {
        return in_kernel(path);
    }
    // a batch reads thousands of relative paths: the working directory is resolved once
    *CWD_IN_KERNEL.get_or_init(|| std::env::current_dir().is_ok_and(|d| in_kernel(&d)))
}

/// An error of opening or reading a file, as the input error a person is told.
pub(super) fn open_error(e: io::Error) -> InputError {
    match e.kind() {
        io::ErrorKind::NotFound => InputError::NotFound,
        io::ErrorKind::PermissionDenied => InputError::PermissionDenied,
        io::ErrorKind::IsADirectory => InputError::IsDirectory,
        _ => InputError::Io(e.to_string()),
    }
}

fn read_capped<R: Read>(reader: R) -> Result<Vec<u8>, InputError> {
    read_capped_with(reader, 0)
}

fn read_capped_with<R: Read>(reader: R, capacity: usize) -> Result<Vec<u8>, InputError> {
    let mut buf = Vec::with_capacity(capacity);
    let mut limited = reader.take(MAX_INPUT_BYTES + 1);
    match limited.read_to_end(&mut buf) {
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::IsADirectory => return Err(InputError::IsDirectory),
        Err(e) => return Err(InputError::Io(e.to_string())),
    }
    if buf.len() as u64 > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge);
    }
    Ok(buf)
}

/// The whole of a source that may block, read through an [`IdleReader`], up to [`MAX_INPUT_BYTES`].
fn read_with_idle_timeout(source: &Source, reading: Reading) -> Result<Vec<u8>, InputError> {
    let idle = reading.idle;
    let reader = IdleReader::for_source(source, reading);
    let mut buf = Vec::new();
    match reader.take(MAX_INPUT_BYTES + 1).read_to_end(&mut buf) {
        Ok(_) if buf.len() as u64 > MAX_INPUT_BYTES => Err(InputError::TooLarge),
        Ok(_) => Ok(buf),
        Err(e) if e.kind() == io::ErrorKind::TimedOut => Err(InputError::Timeout(idle.as_secs_f64())),
        Err(e) => Err(open_error(e)),
    }
}

/// A reader that opens and reads its source on a helper thread and gives up (`TimedOut`) when nothing arrives for
/// `idle`: for FIFOs, devices, /proc files and pipes, which may block forever. The helper is left blocked in
/// `open` or `read` on timeout; it ends with the process.
pub struct IdleReader {
    chunks: mpsc::Receiver<io::Result<Vec<u8>>>,
    current: Vec<u8>,
    at: usize,
    idle: Duration,
    done: bool,
}

impl IdleReader {
    pub fn spawn<R: Read + 'static>(
        idle: Duration,
        open: impl FnOnce() -> io::Result<R> + Send + 'static,
    ) -> IdleReader {
        let (tx, rx) = mpsc::sync_channel::<io::Result<Vec<u8>>>(4);
        std::thread::spawn(move || {
            let mut source = match open() {
                Ok(f) => f,
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            };
            let mut chunk = vec![0u8; 64 * 1024];
            loop {
                match source.read(&mut chunk) {
                    Ok(0) => return,
                    Ok(n) => {
                        if tx.send(Ok(chunk[..n].to_vec())).is_err() {
                            return;
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                }
            }
        });
        IdleReader { chunks: rx, current: Vec::new(), at: 0, idle, done: false }
    }

    /// A source that may block: a pipe or device, a size-less or kernel file, standard input from a pipe.
    pub fn for_source(source: &Source, reading: Reading) -> IdleReader {
        let idle = reading.idle;
        match source {
            Source::Stdin => IdleReader::spawn(idle, || Ok(io::stdin())),
            Source::Path(path) => {
                let path = path.clone();
                IdleReader::spawn(idle, move || File::open(path))
            }
        }
    }
}

impl Read for IdleReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.current.len() {
            if self.done {
                return Ok(0);
            }
            match self.chunks.recv_timeout(self.idle) {
                Ok(Ok(chunk)) => {
                    self.current = chunk;
                    self.at = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!("nothing to read for {} s (see --timeout)", self.idle.as_secs_f64()),
                    ));
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => self.done = true,
            }
        }
        let n = buf.len().min(self.current.len() - self.at);
        buf[..n].copy_from_slice(&self.current[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Whether reading `path` may block: anything but a regular file that declares a size and is not a kernel file.
pub fn may_block(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() || m.len() == 0 || is_kernel_interface(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dash_means_stdin() {
        assert_eq!(Source::from_arg(Path::new("-")), Source::Stdin);
        assert_eq!(Source::from_arg(Path::new("a.pem")).display_name().raw(), "a.pem");
    }

    #[test]
    fn capped_reader_refuses_more_than_the_limit() {
        let zeros = io::repeat(0).take(MAX_INPUT_BYTES + 10);
        assert!(matches!(read_capped(zeros), Err(InputError::TooLarge)));
    }

    #[test]
    fn whitespace_only_file_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("blank");
        std::fs::write(&p, "  \n\r\n").unwrap();
        assert!(matches!(read_source(&Source::Path(p), Reading::default()), Err(InputError::Empty)));
    }

    #[test]
    fn a_listed_file_reads_as_any_path_does() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        };
        let both =
            |p: &Path| (read_listed(p, Reading::default()), read_source(&Source::Path(p.into()), Reading::default()));
        let (listed, any) = both(&write("cert.pem", b"-----BEGIN CERTIFICATE-----\n"));
        assert_eq!(listed.unwrap(), any.unwrap());
        // read to its last byte however many calls it takes (a listed file is read by its size, not to a second end)
        let bundle: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        let (listed, any) = both(&write("bundle.p7b", &bundle));
        assert_eq!((listed.unwrap(), any.unwrap()), (bundle.clone(), bundle));
        for (name, bytes) in [("empty", &b""[..]), ("blank", &b" \n\t"[..])] {
            assert!(matches!(both(&write(name, bytes)), (Err(InputError::Empty), Err(InputError::Empty))), "{name}");
        }
        let huge = std::fs::File::create(dir.path().join("huge")).unwrap();
        huge.set_len(MAX_INPUT_BYTES + 1).unwrap();
        assert!(matches!(both(&dir.path().join("huge")), (Err(InputError::TooLarge), Err(InputError::TooLarge))));
        assert!(matches!(both(&dir.path().join("gone")), (Err(InputError::NotFound), Err(InputError::NotFound))));
        assert!(matches!(both(dir.path()), (Err(InputError::IsDirectory), Err(InputError::IsDirectory))));
    }

    /// A file the walk listed that is a FIFO by the time it is read (nobody writes to it): not a wait for a writer
    /// that never comes, but the time-out of any FIFO.
    #[cfg(unix)]
    #[test]
    fn a_listed_file_that_became_a_fifo_does_not_hold_ucert() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("fifo");
        if !std::process::Command::new("mkfifo").arg(&p).status().is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        let reading = Reading { idle: Duration::from_millis(200) };
        assert!(matches!(read_listed(&p, reading), Err(InputError::Timeout(_))));
    }
}
