//! The files inside a ZIP archive: how GoDaddy, DigiCert and Sectigo deliver a certificate and its chain, and how a
//! folder of CSRs travels by e-mail. Each file inside is decoded as if given on its own, and what it holds is
//! found as in a bundle, each object's origin naming the file inside. Bounded as any input is: at most
//! [`MAX_MEMBERS`] files, and [`MAX_INPUT_BYTES`] once decompressed, all files together (a ZIP bomb stops there).

use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom};

use super::archive::Archive;
use super::{Decoded, InputError, ObjectError, Remark, Unread};
use crate::input::MAX_INPUT_BYTES;
use crate::model::Origin;
use crate::untrusted::Untrusted;

/// More files than a CA's delivery or a cluster's CSRs hold: an archive of something else.
pub const MAX_MEMBERS: usize = 1_000;

/// Decodes every file inside the ZIP archive `bytes` with `decode_one` (the decoder of a whole input, which refuses
/// archives: a ZIP inside the ZIP is named, not opened). A file that could not be read (encrypted, compressed
/// otherwise, damaged, an archive) is left out as a damaged block of a bundle is: the user has something to do. A
/// file that is no certificate, CSR or key (the CA's note, its instructions) is only remarked on, unless the
/// archive holds nothing else, when it is why nothing was found. Folders and the metadata macOS adds when it
/// compresses (`__MACOSX/`, `._*`, `.DS_Store`) are passed over in silence.
pub fn decode(bytes: &[u8], decode_one: fn(&[u8]) -> Result<Decoded, InputError>) -> Result<Decoded, InputError> {
    // counted before the directory is read: a hostile archive can list hundreds of thousands of entries
    if let Some(n) = declared_entries(bytes).filter(|&n| n > MAX_MEMBERS) {
        return Err(too_many(n, MAX_MEMBERS));
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
    if archive.is_empty() {
        return Err(InputError::Unrecognized("an empty ZIP archive".into()));
    }
    if archive.len() > MAX_MEMBERS {
        return Err(too_many(archive.len(), MAX_MEMBERS));
    }
    let mut decoded = Decoded::default();
    // the files that are no certificate, CSR or key
    let mut others = Vec::new();
    let mut budget = MAX_INPUT_BYTES;
    for i in 0..archive.len() {
        let (name, refusal) = match entry(&mut archive, i) {
            Ok(Entry::Passed) => continue,
            Ok(Entry::File { name, refusal }) => (name, refusal),
            Err(why) => return Err(damaged(why)),
        };
        // (at most MAX_MEMBERS)
        let entry = i as u32;
        let member = Untrusted::new(&name);
        let mut left_out = |error: ObjectError| {
            decoded
                .problems
                .push(Unread { origin: Origin::Member { name: member.clone(), entry, within: None }, error })
        };
        if let Some(why) = refusal {
            left_out(ObjectError::Refused(why));
            continue;
        }
        let mut content = Vec::new();
        let read = archive.by_index(i).map_err(|e| e.to_string()).and_then(|file| {
            file.take(budget + 1).read_to_end(&mut content).map_err(|e| format!("cannot be decompressed: {e}"))
        });
        match read {
            Err(why) => left_out(ObjectError::Malformed { what: "a damaged file inside the ZIP".into(), detail: why }),
            Ok(n) if n as u64 > budget => {
                return Err(InputError::Unrecognized(format!(
                    "a ZIP archive holding more than {} MiB once decompressed: extract the certificates from it",
                    MAX_INPUT_BYTES / (1024 * 1024)
                )));
            }
            Ok(n) => {
                budget -= n as u64;
                match decode_one(&content) {
                    Ok(inner) => absorb(&mut decoded, &member, entry, inner),
                    Err(e) => {
                        let origin = Origin::Member { name: member.clone(), entry, within: None };
                        let unread = Unread { origin, error: ObjectError::Unrecognized(e.to_string()) };
                        if Archive::recognise(&content).is_some() {
                            decoded.problems.push(unread);
                        } else {
                            others.push(unread);
                        }
                    }
                }
            }
        }
    }
    if decoded.objects.is_empty() {
        decoded.problems.extend(others);
    } else {
        decoded.remarks.extend(others.into_iter().map(|u| Remark { origin: u.origin, text: u.error.to_string() }));
    }
    Ok(decoded)
}

/// An entry of an archive's directory, looked at before it is read.
enum Entry {
    /// A folder, or the metadata macOS adds: passed over in silence.
    Passed,
    /// A file, and why it cannot be read, if it cannot (encrypted, compressed with a method ucert lacks).
    File { name: String, refusal: Option<String> },
}

/// Looks at entry `i` without decompressing it; an error when the directory is damaged there.
fn entry<R: Read + Seek>(archive: &mut zip::ZipArchive<R>, i: usize) -> Result<Entry, String> {
    let file = archive.by_index_raw(i).map_err(|e| e.to_string())?;
    // UTF-8 when the archive says so, else the DOS code page Windows's Explorer writes names in
    let name = file.name().map_or_else(|_| String::from_utf8_lossy(file.name_raw()).into_owned(), |n| n.into_owned());
    if file.is_dir() || is_macos_metadata(&name) {
        return Ok(Entry::Passed);
    }
    let method = file.compression();
    let refusal = if file.encrypted() {
        Some("encrypted (a password-protected ZIP): extract it with its password".to_string())
    } else if !zip::SUPPORTED_COMPRESSION_METHODS.contains(&method) {
        Some(format!(
            "compressed with {method}, which ucert does not decompress (only Deflated and Stored, what Windows, \
             macOS and zip write): extract it"
        ))
    } else {
        None
    };
    Ok(Entry::File { name, refusal })
}

/// A ZIP archive on disk whose files are read one at a time, each as a stream: logs, in constant memory however
/// large (RTMT's traces zipped to send to TAC).
pub struct ZipFiles {
    archive: zip::ZipArchive<std::io::BufReader<File>>,
}

/// More files than a cluster's traces, zipped: an archive of something else.
pub const MAX_LOG_MEMBERS: usize = 50_000;

impl ZipFiles {
    /// The archive in `file`, or the file itself, rewound, when it is no ZIP archive (to be read as it is: the file
    /// is opened once).
    pub fn from_file(mut file: File) -> Result<Result<ZipFiles, File>, InputError> {
        let mut head = Vec::with_capacity(4);
        file.by_ref().take(4).read_to_end(&mut head).map_err(|e| InputError::Io(e.to_string()))?;
        if !is_zip(&head) {
            file.seek(SeekFrom::Start(0)).map_err(|e| InputError::Io(e.to_string()))?;
            return Ok(Err(file));
        }
        // counted before the directory is read, from the end record (a ZIP64 archive's 0xFFFF is not a count)
        let length = file.seek(SeekFrom::End(0)).map_err(|e| InputError::Io(e.to_string()))?;
        let tail_length = length.min(22 + 0xFFFF);
        file.seek(SeekFrom::Start(length - tail_length)).map_err(|e| InputError::Io(e.to_string()))?;
        let mut tail = Vec::new();
        file.by_ref().take(tail_length).read_to_end(&mut tail).map_err(|e| InputError::Io(e.to_string()))?;
        if let Some(n) = declared_entries(&tail).filter(|&n| n > MAX_LOG_MEMBERS && n != 0xFFFF) {
            return Err(too_many(n, MAX_LOG_MEMBERS));
        }
        file.seek(SeekFrom::Start(0)).map_err(|e| InputError::Io(e.to_string()))?;
        let archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| damaged(e.to_string()))?;
        if archive.len() > MAX_LOG_MEMBERS {
            return Err(too_many(archive.len(), MAX_LOG_MEMBERS));
        }
        Ok(Ok(ZipFiles { archive }))
    }

    pub fn len(&self) -> usize {
        self.archive.len()
    }

    pub fn is_empty(&self) -> bool {
        self.archive.is_empty()
    }

    /// File `i`: its name, and a stream of its bytes or why it cannot be read; None for a folder or macOS's
    /// metadata. An error when the archive's directory is damaged there.
    pub fn file(&mut self, i: usize) -> Result<Option<(Untrusted, Result<impl Read + '_, String>)>, InputError> {
        let (name, refusal) = match entry(&mut self.archive, i).map_err(damaged)? {
            Entry::Passed => return Ok(None),
            Entry::File { name, refusal } => (Untrusted::new(name), refusal),
        };
        let stream = match refusal {
            Some(why) => Err(why),
            None => self.archive.by_index(i).map_err(|e| format!("a damaged file inside the ZIP: {e}")),
        };
        Ok(Some((name, stream)))
    }
}

fn damaged(why: String) -> InputError {
    InputError::Unrecognized(format!("a damaged ZIP archive ({why})"))
}

fn too_many(n: usize, most: usize) -> InputError {
    InputError::Unrecognized(format!("a ZIP archive of {n} entries (more than {most}): extract the files from it"))
}

/// Entry `entry` of the ZIP archive `bytes` alone, decoded as [`decode`] decodes it: what `pair` reads again of an
/// object it found inside an archive, without decompressing and decoding the rest of the archive each time.
pub fn decode_entry(
    bytes: &[u8],
    entry: u32,
    decode_one: fn(&[u8]) -> Result<Decoded, InputError>,
) -> Result<Decoded, InputError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
    let i = entry as usize;
    let name = match self::entry(&mut archive, i).map_err(damaged)? {
        Entry::File { name, refusal: None } => name,
        _ => return Err(InputError::Unrecognized(format!("entry {entry} of the ZIP archive is no file ucert reads"))),
    };
    let mut content = Vec::new();
    let file = archive.by_index(i).map_err(|e| damaged(e.to_string()))?;
    file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut content).map_err(|e| damaged(e.to_string()))?;
    if content.len() as u64 > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge);
    }
    let mut decoded = Decoded::default();
    absorb(&mut decoded, &Untrusted::new(name), entry, decode_one(&content)?);
    Ok(decoded)
}

/// Adds what one file inside the archive held to the archive's findings, each origin naming the file.
fn absorb(decoded: &mut Decoded, member: &Untrusted, entry: u32, inner: Decoded) {
    let within = |origin: Origin| Origin::Member { name: member.clone(), entry, within: Some(Box::new(origin)) };
    decoded.objects.extend(inner.objects.into_iter().map(|mut l| {
        l.origin = within(l.origin);
        l
    }));
    decoded.problems.extend(inner.problems.into_iter().map(|p| Unread { origin: within(p.origin), ..p }));
    decoded.remarks.extend(inner.remarks.into_iter().map(|r| Remark { origin: within(r.origin), ..r }));
}

/// How many entries the archive's end record says its directory holds (its last "PK\x05\x06" record, within the
/// 64 KiB of comment that may follow it); a ZIP64 archive's 0xFFFF counts as that many.
fn declared_entries(bytes: &[u8]) -> Option<usize> {
    let tail = &bytes[bytes.len().saturating_sub(22 + 0xFFFF)..];
    let at = memchr::memmem::rfind(tail, b"PK\x05\x06")?;
    let count = tail.get(at + 10..at + 12)?;
    Some(u16::from_le_bytes([count[0], count[1]]) as usize)
}

/// What macOS's Finder adds to an archive it makes: resource forks under `__MACOSX/`, `._` files, `.DS_Store`.
pub(super) fn is_macos_metadata(name: &str) -> bool {
    let base = crate::model::encoding::member_file_name(name);
    name.starts_with("__MACOSX/") || base.starts_with("._") || base == ".DS_Store"
}

/// Whether `bytes` are a ZIP archive this module opens (any other archive is named and refused).
pub fn is_zip(bytes: &[u8]) -> bool {
    Archive::recognise(bytes) == Some(Archive::Zip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entries_are_counted_from_the_end_record() {
        let mut record = b"PK\x05\x06\0\0\0\0\x07\0\xe9\x03".to_vec();
        record.extend_from_slice(&[0; 10]);
        assert_eq!(declared_entries(&record), Some(1001));
        let mut commented = b"PK\x03\x04junk".to_vec();
        commented.extend_from_slice(&record);
        commented.extend_from_slice(b"a comment after the record");
        assert_eq!(declared_entries(&commented), Some(1001));
        assert_eq!(declared_entries(b"PK\x05\x06\0\0"), None, "cut short");
        assert_eq!(declared_entries(b"PK\x03\x04"), None);
    }

    #[test]
    fn what_macos_adds_is_told_from_certificates() {
        for name in ["__MACOSX/certs/._tomcat.crt", "certs/._tomcat.crt", "._tomcat.crt", ".DS_Store", "a/.DS_Store"] {
            assert!(is_macos_metadata(name), "{name}");
        }
        for name in ["tomcat.crt", "certs/tomcat.crt", "_tomcat.crt", "MACOSX/tomcat.crt"] {
            assert!(!is_macos_metadata(name), "{name}");
        }
    }
}
