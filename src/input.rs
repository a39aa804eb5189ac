//! Bytes to objects: every form a CA, CUCM or a user hands over (PEM with any label CUCM or Windows writes, DER,
//! PKCS#7, bare base64, CRLF or CR line ends, a BOM, text around the blocks, several blocks) is detected by its
//! content, never by its file name; everything else is refused with a message that says what it is.

mod archive;
mod detect;
mod key;
pub mod lines;
mod pem_text;
mod pkcs7;
mod read;
pub(crate) mod tls;
mod unicode;
mod zipped;

use std::fmt;

pub use detect::decode;
pub use read::{
    IdleReader, MAX_INPUT_BYTES, Reading, Source, is_kernel_interface, may_block, read_listed, read_source,
};
pub use zipped::ZipFiles;

use crate::model::{Certificate, Csr, KeyFormat, Origin, PublicKey};

/// One thing found in an input.
#[derive(Clone, Debug)]
pub enum Object {
    Certificate(Box<Certificate>),
    Csr(Box<Csr>),
    /// A PKCS#7 SignedData holding certificates (`.p7b`), in the order of the file.
    Pkcs7(Vec<Certificate>),
    /// An unencrypted private key; only its public half is kept.
    PrivateKey {
        public: PublicKey,
        format: KeyFormat,
    },
    PublicKey {
        public: PublicKey,
        format: KeyFormat,
    },
}

impl Object {
    /// What the object is, in words for messages: "a certificate", "a PKCS#7 with 3 certificates".
    pub fn describe(&self) -> String {
        match self {
            Object::Certificate(_) => "a certificate".into(),
            Object::Csr(_) => "a certificate signing request".into(),
            Object::Pkcs7(certs) if certs.len() == 1 => "a PKCS#7 with 1 certificate".into(),
            Object::Pkcs7(certs) => format!("a PKCS#7 with {} certificates", certs.len()),
            Object::PrivateKey { format, .. } => format!("a private key ({format})"),
            Object::PublicKey { format, .. } => format!("a public key ({format})"),
        }
    }

    /// The public key of a certificate, CSR or key (None for PKCS#7, which holds several).
    pub fn public_key(&self) -> Option<&PublicKey> {
        match self {
            Object::Certificate(c) => Some(&c.public_key),
            Object::Csr(c) => Some(&c.public_key),
            Object::PrivateKey { public, .. } | Object::PublicKey { public, .. } => Some(public),
            Object::Pkcs7(_) => None,
        }
    }
}

/// An object and where it came from.
#[derive(Clone, Debug)]
pub struct Located {
    pub object: Object,
    pub origin: Origin,
}

/// A part of an input left unread, and why (other parts of the same input may still be fine).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unread {
    pub origin: Origin,
    pub error: ObjectError,
}

impl fmt::Display for Unread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.origin {
            Origin::Pem { .. } | Origin::Member { .. } => write!(f, "{}: {}", self.origin, self.error),
            _ => write!(f, "{}", self.error),
        }
    }
}

/// Everything found in one input: the objects, in order, the parts that could not be read, and remarks on parts
/// that were read.
#[derive(Clone, Debug, Default)]
pub struct Decoded {
    pub objects: Vec<Located>,
    pub problems: Vec<Unread>,
    pub remarks: Vec<Remark>,
}

/// Something to know about a part that was read: ucert reads it, but other tools may not (see
/// `pem_text::framing`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Remark {
    pub origin: Origin,
    pub text: String,
}

impl fmt::Display for Remark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.text)
    }
}

impl Decoded {
    /// The objects, and what could not be read beside them (one line, see [`Decoded::problem_summary`]); an error
    /// when no object could be read. A damaged block beside readable ones does not make the input unusable: the
    /// caller says it as a warning and goes on with the rest, as `inspect` does.
    /// An encrypted key beside the objects is recognised and left alone; alone, it is what the input holds.
    pub fn into_objects(self) -> Result<(Vec<Located>, Option<String>), InputError> {
        if self.objects.is_empty() {
            let damaged: Vec<&Unread> = self.damaged().collect();
            if let Some(first) = damaged.first() {
                return Err(InputError::Unreadable { first: first.to_string(), more: damaged.len() - 1 });
            }
            return match self.encrypted_keys().next() {
                Some(key) => Err(InputError::Unreadable { first: key.to_string(), more: 0 }),
                None => Err(InputError::NothingFound),
            };
        }
        let warning = self.warning();
        Ok((self.objects, warning))
    }

    /// What to say beside the objects, as one line: the damaged parts ([`Decoded::problem_summary`]), left out, then
    /// the first remark (and how many more).
    pub fn warning(&self) -> Option<String> {
        let damaged = self.problem_summary().map(|d| format!("{d} (left out; the rest of the file was read)"));
        let remark = self.remarks.first().map(|first| match self.remarks.len() {
            1 => first.to_string(),
            n => format!("{first} (and {} more blocks so)", n - 1),
        });
        match (damaged, remark) {
            (Some(damaged), Some(remark)) => Some(format!("{damaged}; {remark}")),
            (damaged, remark) => damaged.or(remark),
        }
    }

    /// The damaged or refused parts as one line (the first one, and how many more), or None if there were none.
    /// Encrypted keys are not among them: they are recognised objects ([`Decoded::encrypted_keys`]).
    pub fn problem_summary(&self) -> Option<String> {
        let damaged: Vec<&Unread> = self.damaged().collect();
        let first = damaged.first()?;
        Some(match damaged.len() {
            1 => first.to_string(),
            n => format!("{first} (and {} more unreadable blocks)", n - 1),
        })
    }

    /// Why the input gave no object to use: its damaged part, else its encrypted key, else nothing found.
    pub fn why_nothing(&self) -> String {
        self.problem_summary()
            .or_else(|| self.encrypted_keys().next().map(|p| p.to_string()))
            .unwrap_or_else(|| InputError::NothingFound.to_string())
    }

    /// Encrypted private keys found (recognised, never decrypted).
    pub fn encrypted_keys(&self) -> impl Iterator<Item = &Unread> {
        self.problems.iter().filter(|p| matches!(p.error, ObjectError::Encrypted(_)))
    }

    /// Blocks that could not be read, encrypted keys aside.
    pub fn damaged(&self) -> impl Iterator<Item = &Unread> {
        self.problems.iter().filter(|p| !matches!(p.error, ObjectError::Encrypted(_)))
    }
}

/// Why one object (a PEM block, or the whole DER input) could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ObjectError {
    /// A kind of file ucert deliberately does not read; the text says what it is and what to do.
    #[error("{0}")]
    Refused(String),
    /// The data claims to be something but is broken.
    #[error("{what}: {detail}")]
    Malformed { what: String, detail: String },
    /// The PEM block's BEGIN line has no matching END line.
    #[error("no END line: the block is truncated")]
    Truncated,
    #[error("invalid base64 in the block body ({0})")]
    BadBase64(String),
    #[error("the block body is empty")]
    EmptyBlock,
    #[error("{0}")]
    Unrecognized(String),
    /// An encrypted private key: recognised, not read (ucert never decrypts). The text says its kind and cipher.
    #[error(
        "an encrypted private key ({0}): ucert reads only unencrypted keys; decrypt a copy with \
         'openssl pkey -in FILE -out plain.key'"
    )]
    Encrypted(String),
}

/// Why an input as a whole could not be used. Turned into `ucert: <path>: <message>` at the edge.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    #[error("no such file or directory")]
    NotFound,
    #[error("permission denied")]
    PermissionDenied,
    #[error("is a directory, not a file")]
    IsDirectory,
    #[error("larger than {} MiB: not a certificate, CSR or key (refused before reading it whole)", MAX_INPUT_BYTES / (1024 * 1024))]
    TooLarge,
    #[error("no data arrived for {0} s (a pipe or device that never closes? see --timeout)")]
    Timeout(f64),
    #[error("empty input")]
    Empty,
    #[error("cannot read: {0}")]
    Io(String),
    #[error("{0}")]
    Unrecognized(String),
    #[error("no certificate, CSR or key found")]
    NothingFound,
    #[error("{first}{}", if *more > 0 { format!(" (and {more} more unreadable blocks)") } else { String::new() })]
    Unreadable { first: String, more: usize },
}

/// Reads and decodes one input in one step.
pub fn load(source: &Source, reading: Reading) -> Result<Decoded, InputError> {
    let bytes = read_source(source, reading)?;
    decode(&bytes)
}

/// Reads and decodes a file a directory walk listed as a regular file (see [`read_listed`]).
pub fn load_listed(path: &std::path::Path, reading: Reading) -> Result<Decoded, InputError> {
    decode(&read_listed(path, reading)?)
}

/// Reads a ZIP archive and decodes only its entry `entry` (see [`crate::model::Origin::Member`]).
pub fn load_entry(source: &Source, reading: Reading, entry: u32) -> Result<Decoded, InputError> {
    let bytes = read_source(source, reading)?;
    detect::decode_entry(&bytes, entry)
}
