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

/// How long a pipe or device named on the command line may stay silent before ucert gives up on it, unless
/// `--read-timeout` says otherwise (set once, at start-up).
const DEFAULT_DEVICE_IDLE_TIMEOUT: Duration = Duration::from_secs(10);
static DEVICE_IDLE_TIMEOUT: std::sync::OnceLock<Duration> = std::sync::OnceLock::new();

/// Sets how long a pipe or device may stay silent (`--read-timeout`); the first call wins.
pub fn set_device_idle_timeout(timeout: Duration) {
    let _ = DEVICE_IDLE_TIMEOUT.set(timeout);
}

fn device_idle_timeout() -> Duration {
    DEVICE_IDLE_TIMEOUT.get().copied().unwrap_or(DEFAULT_DEVICE_IDLE_TIMEOUT)
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

/// Reads the whole input, up to [`MAX_INPUT_BYTES`].
pub fn read_source(source: &Source) -> Result<Vec<u8>, InputError> {
    let bytes = match source {
        Source::Stdin => {
            let stdin = io::stdin();
            if stdin.is_terminal() {
                eprintln!("ucert: reading standard input (end with Ctrl-D)");
            }
            read_capped(stdin.lock())?
        }
        Source::Path(path) => read_path(path)?,
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::Empty);
    }
    Ok(bytes)
}

fn read_path(path: &Path) -> Result<Vec<u8>, InputError> {
    let meta = std::fs::metadata(path).map_err(open_error)?;
    if meta.is_dir() {
        return Err(InputError::IsDirectory);
    }
    if meta.is_file() {
        if meta.len() > MAX_INPUT_BYTES {
            return Err(InputError::TooLarge);
        }
        let file = File::open(path).map_err(open_error)?;
        // The size is known: one read fills the buffer, a second sees the end (batches read thousands of files).
        return read_capped_with(file, meta.len() as usize + 1);
    }
    // A FIFO or a device: opening may wait for a writer, and it may never end, so both happen on a helper thread
    // and ucert stops waiting when it goes quiet.
    read_with_idle_timeout(path.to_path_buf(), device_idle_timeout())
}

fn open_error(e: io::Error) -> InputError {
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

/// Opens and reads in chunks on a helper thread; gives up when nothing arrives within `idle`. The thread is left
/// blocked in `open` or `read` on timeout; it ends with the process.
fn read_with_idle_timeout(path: PathBuf, idle: Duration) -> Result<Vec<u8>, InputError> {
    let (tx, rx) = mpsc::sync_channel::<io::Result<Vec<u8>>>(4);
    std::thread::spawn(move || {
        let mut file = match File::open(&path) {
            Ok(f) => f,
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        };
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            match file.read(&mut chunk) {
                Ok(0) => {
                    let _ = tx.send(Ok(Vec::new()));
                    return;
                }
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
    let mut buf = Vec::new();
    loop {
        match rx.recv_timeout(idle) {
            Ok(Ok(chunk)) if chunk.is_empty() => return Ok(buf),
            Ok(Ok(chunk)) => {
                buf.extend_from_slice(&chunk);
                if buf.len() as u64 > MAX_INPUT_BYTES {
                    return Err(InputError::TooLarge);
                }
            }
            Ok(Err(e)) => return Err(open_error(e)),
            Err(mpsc::RecvTimeoutError::Timeout) => return Err(InputError::Timeout(idle.as_secs_f64())),
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(buf),
        }
    }
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
        assert!(matches!(read_source(&Source::Path(p)), Err(InputError::Empty)));
    }
}
