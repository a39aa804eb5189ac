//! The extensions that decide whether CUCM takes a certificate (SAN, key usage, extended key usage, basic
//! constraints) and the rest, listed with their criticality. Built from the extension list itself, never from
//! x509-parser's map, so a duplicated extension is reported instead of making the whole certificate unreadable.

use std::net::IpAddr;

use serde::Serialize;
use x509_parser::extensions::{GeneralName, ParsedExtension, X509Extension};

use super::name::DistinguishedName;
use super::oids;
use crate::model::digest;
use crate::untrusted::Untrusted;

/// One entry of a subjectAltName.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SanEntry {
    Dns(String),
    Ip(IpAddr),
    /// An iPAddress entry that is neither 4 nor 16 bytes long (shown in hex).
    IpInvalid(Vec<u8>),
    Email(String),
    Uri(String),
    DirName(String),
    RegisteredId(String),
    OtherName {
        oid: String,
        value: Option<String>,
    },
    Other(String),
}

impl SanEntry {
    /// openssl's type label: `DNS`, `IP Address`, `email`, `URI`, `DirName`, `Registered ID`, `othername`.
    pub fn type_label(&self) -> &'static str {
        match self {
            SanEntry::Dns(_) => "DNS",
            SanEntry::Ip(_) | SanEntry::IpInvalid(_) => "IP Address",
            SanEntry::Email(_) => "email",
            SanEntry::Uri(_) => "URI",
            SanEntry::DirName(_) => "DirName",
            SanEntry::RegisteredId(_) => "Registered ID",
            SanEntry::OtherName { .. } => "othername",
            SanEntry::Other(_) => "other",
        }
    }

    /// The value as written in the certificate or CSR: outside text, shown escaped.
    pub fn value(&self) -> Untrusted {
        Untrusted::new(match self {
            SanEntry::Dns(s) | SanEntry::Email(s) | SanEntry::Uri(s) | SanEntry::DirName(s) => s.clone(),
            SanEntry::RegisteredId(s) | SanEntry::Other(s) => s.clone(),
            SanEntry::Ip(ip) => ip.to_string(),
            SanEntry::IpInvalid(bytes) => format!("<invalid: {}>", digest::hex_colons_upper(bytes)),
            SanEntry::OtherName { oid, value: Some(v) } => format!("{oid};{v}"),
            SanEntry::OtherName { oid, value: None } => format!("{oid};<unsupported>"),
        })
    }

    /// The form CUCM's SAN comparison sees as equal: DNS names and e-mail addresses without case (and without a
    /// trailing dot), IP addresses by value.
    pub fn comparison_key(&self) -> SanEntry {
        match self {
            SanEntry::Dns(s) => SanEntry::Dns(s.trim_end_matches('.').to_ascii_lowercase()),
            SanEntry::Email(s) => SanEntry::Email(s.to_ascii_lowercase()),
            other => other.clone(),
        }
    }

    pub fn is_wildcard(&self) -> bool {
        matches!(self, SanEntry::Dns(s) if s.contains('*'))
    }
}

impl std::fmt::Display for SanEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.type_label(), self.value())
    }
}

impl Serialize for SanEntry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let kind = match self {
            SanEntry::Dns(_) => "dns",
            SanEntry::Ip(_) | SanEntry::IpInvalid(_) => "ip",
            SanEntry::Email(_) => "email",
            SanEntry::Uri(_) => "uri",
            SanEntry::DirName(_) => "dirname",
            SanEntry::RegisteredId(_) => "rid",
            SanEntry::OtherName { .. } => "othername",
            SanEntry::Other(_) => "other",
        };
        let mut st = s.serialize_struct("SanEntry", 2)?;
        st.serialize_field("type", kind)?;
        st.serialize_field("value", &self.value())?;
        st.end()
    }
}

/// The keyUsage bits, by their openssl configuration names, in the order of the bit string.
pub const KEY_USAGE_NAMES: [&str; 9] = [
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly",
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyUsage {
    pub critical: bool,
    /// Names from [`KEY_USAGE_NAMES`] of the bits that are set.
    pub usages: Vec<&'static str>,
}

impl KeyUsage {
    pub fn has(&self, usage: &str) -> bool {
        self.usages.contains(&usage)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExtendedKeyUsage {
    pub critical: bool,
    /// openssl short names (`serverAuth`) or dotted OIDs for unnamed purposes.
    pub purposes: Vec<String>,
}

impl ExtendedKeyUsage {
    pub fn has(&self, purpose: &str) -> bool {
        self.purposes.iter().any(|p| p == purpose) || self.purposes.iter().any(|p| p == "anyExtendedKeyUsage")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BasicConstraints {
    pub critical: bool,
    pub ca: bool,
    pub path_len: Option<u32>,
}

/// An extension as listed: what it is and whether it is marked critical.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExtensionInfo {
    pub oid: String,
    pub name: Option<&'static str>,
    pub critical: bool,
}

/// A key identifier (SKI/AKI), shown in `aa:bb` form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyId(pub Vec<u8>);

impl Serialize for KeyId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&digest::hex_colons_upper(&self.0))
    }
}

/// The extensions of a certificate, or those a CSR requests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Extensions {
    /// None when there is no subjectAltName extension at all (which CUCM treats differently from an empty one).
    pub subject_alt_names: Option<Vec<SanEntry>>,
    pub key_usage: Option<KeyUsage>,
    pub extended_key_usage: Option<ExtendedKeyUsage>,
    pub basic_constraints: Option<BasicConstraints>,
    pub subject_key_id: Option<KeyId>,
    pub authority_key_id: Option<KeyId>,
    /// Every extension in order of appearance.
    pub all: Vec<ExtensionInfo>,
    /// Oddities met while reading: duplicates, unknown critical extensions, malformed values.
    #[serde(skip)]
    pub notes: Vec<String>,
}

impl Extensions {
    pub fn from_x509(list: &[X509Extension<'_>]) -> Extensions {
        let mut ext = Extensions::default();
        let mut seen: Vec<String> = Vec::new();
        for e in list {
            let oid = oids::dotted(&e.oid).into_owned();
            let name = oids::extension_name(&oid);
            let label = name.map(str::to_string).unwrap_or_else(|| oid.clone());
            if seen.contains(&oid) {
                ext.notes.push(format!("extension {label} appears more than once (the first is used)"));
                ext.all.push(ExtensionInfo { oid, name, critical: e.critical });
                continue;
            }
            seen.push(oid.clone());
            ext.all.push(ExtensionInfo { oid: oid.clone(), name, critical: e.critical });
            match e.parsed_extension() {
                ParsedExtension::SubjectAlternativeName(san) => {
                    let entries = san.general_names.iter().map(|g| san_entry(g, &mut ext.notes)).collect();
                    ext.subject_alt_names = Some(entries);
                }
                ParsedExtension::KeyUsage(ku) => {
                    let flags = ku.flags;
                    let usages = KEY_USAGE_NAMES
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| flags & (1 << i) != 0)
                        .map(|(_, n)| *n)
                        .collect();
                    ext.key_usage = Some(KeyUsage { critical: e.critical, usages });
                }
                ParsedExtension::ExtendedKeyUsage(eku) => {
                    ext.extended_key_usage =
                        Some(ExtendedKeyUsage { critical: e.critical, purposes: eku_purposes(e.value, eku) });
                }
                ParsedExtension::BasicConstraints(bc) => {
                    ext.basic_constraints =
                        Some(BasicConstraints { critical: e.critical, ca: bc.ca, path_len: bc.path_len_constraint });
                }
                ParsedExtension::SubjectKeyIdentifier(id) => ext.subject_key_id = Some(KeyId(id.0.to_vec())),
                ParsedExtension::AuthorityKeyIdentifier(aki) => {
                    ext.authority_key_id = aki.key_identifier.as_ref().map(|id| KeyId(id.0.to_vec()));
                }
                ParsedExtension::ParseError { error } => {
                    ext.notes.push(format!("extension {label} is malformed ({error}) and was not read"));
                }
                ParsedExtension::UnsupportedExtension { .. } if e.critical => {
                    ext.notes.push(format!("unknown extension {label} is marked critical"));
                }
                _ => {}
            }
        }
        ext
    }

    /// Extensions marked critical other than keyUsage and basicConstraints (which CUCM's guide allows).
    pub fn unexpected_critical(&self) -> Vec<&ExtensionInfo> {
        self.all.iter().filter(|e| e.critical && e.oid != "2.5.29.15" && e.oid != "2.5.29.19").collect()
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }
}

/// EKU purposes in encoding order. x509-parser sorts known purposes into flags; we reread the raw SEQUENCE OF OID
/// to keep order and fall back to the flags if that fails.
fn eku_purposes(raw: &[u8], eku: &x509_parser::extensions::ExtendedKeyUsage<'_>) -> Vec<String> {
    use x509_parser::asn1_rs::{FromDer, Oid, Sequence};
    let reread = Sequence::from_der(raw).ok().and_then(|(_, seq)| {
        let mut rest: &[u8] = &seq.content;
        let mut out = Vec::new();
        while !rest.is_empty() {
            let (r, oid) = Oid::from_der(rest).ok()?;
            out.push(oids::dotted(&oid).into_owned());
            rest = r;
        }
        Some(out)
    });
    let oids_in_order = reread.unwrap_or_else(|| {
        let mut v: Vec<String> = Vec::new();
        let flags = [
            (eku.any, "2.5.29.37.0"),
            (eku.server_auth, "1.3.6.1.5.5.7.3.1"),
            (eku.client_auth, "1.3.6.1.5.5.7.3.2"),
            (eku.code_signing, "1.3.6.1.5.5.7.3.3"),
            (eku.email_protection, "1.3.6.1.5.5.7.3.4"),
            (eku.time_stamping, "1.3.6.1.5.5.7.3.8"),
            (eku.ocsp_signing, "1.3.6.1.5.5.7.3.9"),
        ];
        v.extend(flags.iter().filter(|(set, _)| *set).map(|(_, o)| o.to_string()));
        v.extend(eku.other.iter().map(|o| o.to_id_string()));
        v
    });
    oids_in_order.into_iter().map(|o| oids::eku_name(&o).map(str::to_string).unwrap_or(o)).collect()
}

fn san_entry(g: &GeneralName<'_>, notes: &mut Vec<String>) -> SanEntry {
    match g {
        GeneralName::DNSName(s) => {
            if s.is_empty() {
                notes.push("subjectAltName has an empty DNS entry".into());
            }
            SanEntry::Dns(s.to_string())
        }
        GeneralName::IPAddress(bytes) => match bytes.len() {
            4 => SanEntry::Ip(IpAddr::from([bytes[0], bytes[1], bytes[2], bytes[3]])),
            16 => {
                let mut a = [0u8; 16];
                a.copy_from_slice(bytes);
                SanEntry::Ip(IpAddr::from(a))
            }
            n => {
                notes.push(format!("subjectAltName has an IP address of {n} bytes (4 or 16 expected)"));
                SanEntry::IpInvalid(bytes.to_vec())
            }
        },
        GeneralName::RFC822Name(s) => SanEntry::Email(s.to_string()),
        GeneralName::URI(s) => SanEntry::Uri(s.to_string()),
        GeneralName::DirectoryName(name) => {
            SanEntry::DirName(DistinguishedName::from_x509(name).to_openssl_string().into_raw())
        }
        GeneralName::RegisteredID(oid) => SanEntry::RegisteredId(oid.to_id_string()),
        GeneralName::OtherName(oid, value) => {
            let oid = oid.to_id_string();
            // Microsoft's UPN (1.3.6.1.4.1.311.20.2.3) is a UTF8String inside an explicit [0].
            let value = inner_utf8(value);
            SanEntry::OtherName { oid, value }
        }
        GeneralName::Invalid(tag, bytes) => {
            notes.push(format!("subjectAltName has an undecodable entry (tag {})", tag.0));
            SanEntry::Other(format!("<invalid: {}>", String::from_utf8_lossy(bytes)))
        }
        GeneralName::X400Address(_) => SanEntry::Other("X400Address".into()),
        GeneralName::EDIPartyName(_) => SanEntry::Other("EDIPartyName".into()),
    }
}

fn inner_utf8(value: &[u8]) -> Option<String> {
    let (outer, _) = crate::model::der::read_element(value).ok()?;
    let (inner, _) = crate::model::der::read_element(outer.content()).ok()?;
    std::str::from_utf8(inner.content()).ok().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_comparison_ignores_case_and_trailing_dot() {
        assert_eq!(
            SanEntry::Dns("CUCM-Pub.Example.com.".into()).comparison_key(),
            SanEntry::Dns("cucm-pub.example.com".into()).comparison_key()
        );
    }

    #[test]
    fn san_entries_print_like_openssl() {
        assert_eq!(SanEntry::Dns("a".into()).to_string(), "DNS:a");
        assert_eq!(SanEntry::Ip("10.0.0.1".parse().unwrap()).to_string(), "IP Address:10.0.0.1");
        assert!(SanEntry::Dns("*.example.com".into()).is_wildcard());
    }
}
