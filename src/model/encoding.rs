//! How an object was written in its input: where it was found (DER, bare base64, a PEM block and its line) and the
//! container a key came in. Facts about the object that messages and reports name, read once by `input`.

use std::fmt;

use crate::untrusted::Untrusted;

/// Where in an input an object was found, for messages and for `modulus`'s `#N` suffixes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The whole input was binary DER.
    Der,
    /// The whole input was base64 without BEGIN/END lines.
    Base64,
    /// A PEM block with this label, starting on this line (1-based).
    Pem { label: String, line: usize },
    /// A file inside a ZIP archive (its name as the archive spells it, and its entry's position in the archive's
    /// directory, to read it again alone), and where in that file; `within` is None for what concerns the whole
    /// file (it could not be decompressed, or holds nothing ucert reads).
    Member { name: Untrusted, entry: u32, within: Option<Box<Origin>> },
}

impl Origin {
    /// The name of the file inside a ZIP archive the object came from.
    pub fn member(&self) -> Option<&Untrusted> {
        match self {
            Origin::Member { name, .. } => Some(name),
            _ => None,
        }
    }

    /// The last part of the name of the file inside a ZIP archive (`tomcat.csr` for `cucm-pub/tomcat.csr`): what
    /// says a purpose, as a file's name does.
    pub fn member_file_name(&self) -> Option<&str> {
        self.member().map(|name| member_file_name(name.raw()))
    }

    /// The position of the ZIP archive's entry the object came from, if it came from one.
    pub fn member_entry(&self) -> Option<u32> {
        match self {
            Origin::Member { entry, .. } => Some(*entry),
            _ => None,
        }
    }

    /// Where in its own file the object was: past the ZIP archive's member, if any.
    pub fn innermost(&self) -> &Origin {
        match self {
            Origin::Member { within: Some(within), .. } => within.innermost(),
            other => other,
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Der => write!(f, "DER"),
            Origin::Base64 => write!(f, "base64 without BEGIN/END lines"),
            Origin::Pem { label, line } => write!(f, "PEM block {label} at line {line}"),
            Origin::Member { name, within: Some(within), .. } => write!(f, "{name} in the ZIP, {within}"),
            Origin::Member { name, within: None, .. } => write!(f, "{name} in the ZIP"),
        }
    }
}

/// The container a key came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyFormat {
    Pkcs1,
    Pkcs8,
    Sec1,
    Spki,
}

impl fmt::Display for KeyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyFormat::Pkcs1 => "PKCS#1",
            KeyFormat::Pkcs8 => "PKCS#8",
            KeyFormat::Sec1 => "SEC1",
            KeyFormat::Spki => "SubjectPublicKeyInfo",
        })
    }
}

/// The last part of a name inside a ZIP archive, whose folders are separated by `/` (or `\`, as some Windows tools
/// built on .NET Framework wrote them).
pub fn member_file_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::member_file_name;

    #[test]
    fn a_member_is_named_by_its_last_part() {
        assert_eq!(member_file_name("cucm-pub/tomcat.csr"), "tomcat.csr");
        assert_eq!(member_file_name("certs\\CallManager.csr"), "CallManager.csr");
        assert_eq!(member_file_name("tomcat.csr"), "tomcat.csr");
        assert_eq!(member_file_name("folder/"), "");
    }
}
