//! The extensions that decide whether CUCM takes a certificate (SAN, key usage, extended key usage, basic
//! constraints) and the rest, listed with their criticality. Built from the extension list itself, never from
//! x509-parser's map, so a duplicated extension is reported instead of making the whole certificate unreadable.

use std::borrow::Cow;
use std::net::IpAddr;

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

/// A keyUsage bit, in the order of the bit string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyUsageBit {
    DigitalSignature,
    NonRepudiation,
    KeyEncipherment,
    DataEncipherment,
    KeyAgreement,
    KeyCertSign,
    CrlSign,
    EncipherOnly,
    DecipherOnly,
}

impl KeyUsageBit {
    /// Every bit, in the order of the bit string (bit 0 first).
    pub const ALL: [KeyUsageBit; 9] = [
        KeyUsageBit::DigitalSignature,
        KeyUsageBit::NonRepudiation,
        KeyUsageBit::KeyEncipherment,
        KeyUsageBit::DataEncipherment,
        KeyUsageBit::KeyAgreement,
        KeyUsageBit::KeyCertSign,
        KeyUsageBit::CrlSign,
        KeyUsageBit::EncipherOnly,
        KeyUsageBit::DecipherOnly,
    ];

    /// openssl's configuration name (`digitalSignature`), as admins and CA templates spell it.
    pub fn name(self) -> &'static str {
        match self {
            KeyUsageBit::DigitalSignature => "digitalSignature",
            KeyUsageBit::NonRepudiation => "nonRepudiation",
            KeyUsageBit::KeyEncipherment => "keyEncipherment",
            KeyUsageBit::DataEncipherment => "dataEncipherment",
            KeyUsageBit::KeyAgreement => "keyAgreement",
            KeyUsageBit::KeyCertSign => "keyCertSign",
            KeyUsageBit::CrlSign => "cRLSign",
            KeyUsageBit::EncipherOnly => "encipherOnly",
            KeyUsageBit::DecipherOnly => "decipherOnly",
        }
    }
}

impl std::fmt::Display for KeyUsageBit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyUsage {
    pub critical: bool,
    /// The bits that are set, in bit order.
    pub usages: Vec<KeyUsageBit>,
}

impl KeyUsage {
    pub fn has(&self, usage: KeyUsageBit) -> bool {
        self.usages.contains(&usage)
    }
}

/// An extended key usage purpose that has a name (RFC 5280's KeyPurposeId, with openssl's short names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyPurpose {
    ServerAuth,
    ClientAuth,
    CodeSigning,
    EmailProtection,
    IpsecEndSystem,
    IpsecTunnel,
    IpsecUser,
    TimeStamping,
    OcspSigning,
    IpsecIke,
    AnyExtendedKeyUsage,
    MsSmartcardLogin,
    MsEfs,
    MsDocumentSigning,
}

impl KeyPurpose {
    pub const ALL: [KeyPurpose; 14] = [
        KeyPurpose::ServerAuth,
        KeyPurpose::ClientAuth,
        KeyPurpose::CodeSigning,
        KeyPurpose::EmailProtection,
        KeyPurpose::IpsecEndSystem,
        KeyPurpose::IpsecTunnel,
        KeyPurpose::IpsecUser,
        KeyPurpose::TimeStamping,
        KeyPurpose::OcspSigning,
        KeyPurpose::IpsecIke,
        KeyPurpose::AnyExtendedKeyUsage,
        KeyPurpose::MsSmartcardLogin,
        KeyPurpose::MsEfs,
        KeyPurpose::MsDocumentSigning,
    ];

    /// openssl's short name (`serverAuth`).
    pub fn name(self) -> &'static str {
        match self {
            KeyPurpose::ServerAuth => "serverAuth",
            KeyPurpose::ClientAuth => "clientAuth",
            KeyPurpose::CodeSigning => "codeSigning",
            KeyPurpose::EmailProtection => "emailProtection",
            KeyPurpose::IpsecEndSystem => "ipsecEndSystem",
            KeyPurpose::IpsecTunnel => "ipsecTunnel",
            KeyPurpose::IpsecUser => "ipsecUser",
            KeyPurpose::TimeStamping => "timeStamping",
            KeyPurpose::OcspSigning => "OCSPSigning",
            KeyPurpose::IpsecIke => "ipsecIKE",
            KeyPurpose::AnyExtendedKeyUsage => "anyExtendedKeyUsage",
            KeyPurpose::MsSmartcardLogin => "msSmartcardLogin",
            KeyPurpose::MsEfs => "msEFS",
            KeyPurpose::MsDocumentSigning => "msDocumentSigning",
        }
    }

    /// The dotted object identifier.
    pub fn oid(self) -> &'static str {
        match self {
            KeyPurpose::ServerAuth => "1.3.6.1.5.5.7.3.1",
            KeyPurpose::ClientAuth => "1.3.6.1.5.5.7.3.2",
            KeyPurpose::CodeSigning => "1.3.6.1.5.5.7.3.3",
            KeyPurpose::EmailProtection => "1.3.6.1.5.5.7.3.4",
            KeyPurpose::IpsecEndSystem => "1.3.6.1.5.5.7.3.5",
            KeyPurpose::IpsecTunnel => "1.3.6.1.5.5.7.3.6",
            KeyPurpose::IpsecUser => "1.3.6.1.5.5.7.3.7",
            KeyPurpose::TimeStamping => "1.3.6.1.5.5.7.3.8",
            KeyPurpose::OcspSigning => "1.3.6.1.5.5.7.3.9",
            KeyPurpose::IpsecIke => "1.3.6.1.5.5.7.3.17",
            KeyPurpose::AnyExtendedKeyUsage => "2.5.29.37.0",
            KeyPurpose::MsSmartcardLogin => "1.3.6.1.4.1.311.20.2.2",
            KeyPurpose::MsEfs => "1.3.6.1.4.1.311.10.3.4",
            KeyPurpose::MsDocumentSigning => "1.3.6.1.4.1.311.10.3.12",
        }
    }

    pub fn from_oid(oid: &str) -> Option<KeyPurpose> {
        KeyPurpose::ALL.into_iter().find(|p| p.oid() == oid)
    }
}

/// One purpose of an extendedKeyUsage extension: a named one, or an unnamed one by its dotted OID.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Eku {
    Named(KeyPurpose),
    Unnamed(String),
}

impl Eku {
    /// A named purpose, else the OID kept (an owned copy made only then: most are named).
    pub fn from_oid(oid: Cow<'_, str>) -> Eku {
        match KeyPurpose::from_oid(&oid) {
            Some(p) => Eku::Named(p),
            None => Eku::Unnamed(oid.into_owned()),
        }
    }

    /// openssl's short name, or the dotted OID.
    pub fn name(&self) -> &str {
        match self {
            Eku::Named(p) => p.name(),
            Eku::Unnamed(oid) => oid,
        }
    }
}

impl std::fmt::Display for Eku {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtendedKeyUsage {
    pub critical: bool,
    /// In the order of the extension.
    pub purposes: Vec<Eku>,
}

impl ExtendedKeyUsage {
    /// Whether the purpose is allowed: listed, or covered by anyExtendedKeyUsage.
    pub fn has(&self, purpose: KeyPurpose) -> bool {
        self.lists(purpose) || self.lists(KeyPurpose::AnyExtendedKeyUsage)
    }

    /// Whether the purpose (named or not) is allowed: listed, or covered by anyExtendedKeyUsage.
    pub fn covers(&self, purpose: &Eku) -> bool {
        self.purposes.contains(purpose) || self.lists(KeyPurpose::AnyExtendedKeyUsage)
    }

    /// Whether the purpose is listed itself.
    pub fn lists(&self, purpose: KeyPurpose) -> bool {
        self.purposes.contains(&Eku::Named(purpose))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BasicConstraints {
    pub critical: bool,
    pub ca: bool,
    pub path_len: Option<u32>,
}

/// An extension as listed: what it is and whether it is marked critical.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtensionInfo {
    /// Borrowed from a static table for the usual extensions (see [`oids::dotted`]).
    pub oid: Cow<'static, str>,
    pub name: Option<&'static str>,
    pub critical: bool,
}

/// A key identifier (SKI/AKI).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyId(pub Vec<u8>);

/// The extensions of a certificate, or those a CSR requests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
    pub notes: Vec<String>,
}

impl Extensions {
    pub fn from_x509(list: &[X509Extension<'_>]) -> Extensions {
        let mut ext = Extensions { all: Vec::with_capacity(list.len()), ..Extensions::default() };
        for e in list {
            let oid = oids::dotted(&e.oid);
            let name = oids::extension_name(&oid);
            let label = name.unwrap_or(oid.as_ref());
            // every extension read so far is listed in `all`, a repeated one too
            let repeated = ext.all.iter().any(|seen| seen.oid == oid);
            ext.all.push(ExtensionInfo { oid: oid.clone(), name, critical: e.critical });
            if repeated {
                ext.notes.push(format!("extension {label} appears more than once (the first is used)"));
                continue;
            }
            match e.parsed_extension() {
                ParsedExtension::SubjectAlternativeName(san) => {
                    let entries = san.general_names.iter().map(|g| san_entry(g, &mut ext.notes)).collect();
                    ext.subject_alt_names = Some(entries);
                }
                ParsedExtension::KeyUsage(ku) => {
                    let flags = ku.flags;
                    let usages = KeyUsageBit::ALL
                        .into_iter()
                        .enumerate()
                        .filter(|(i, _)| flags & (1 << i) != 0)
                        .map(|(_, bit)| bit)
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
fn eku_purposes(raw: &[u8], eku: &x509_parser::extensions::ExtendedKeyUsage<'_>) -> Vec<Eku> {
    use x509_parser::asn1_rs::{FromDer, Oid, Sequence};
    let reread = Sequence::from_der(raw).ok().and_then(|(_, seq)| {
        let mut rest: &[u8] = &seq.content;
        let mut out = Vec::new();
        while !rest.is_empty() {
            let (r, oid) = Oid::from_der(rest).ok()?;
            out.push(oids::dotted(&oid));
            rest = r;
        }
        Some(out)
    });
    let oids_in_order = reread.unwrap_or_else(|| {
        let mut v: Vec<Cow<'static, str>> = Vec::new();
        let flags = [
            (eku.any, "2.5.29.37.0"),
            (eku.server_auth, "1.3.6.1.5.5.7.3.1"),
            (eku.client_auth, "1.3.6.1.5.5.7.3.2"),
            (eku.code_signing, "1.3.6.1.5.5.7.3.3"),
            (eku.email_protection, "1.3.6.1.5.5.7.3.4"),
            (eku.time_stamping, "1.3.6.1.5.5.7.3.8"),
            (eku.ocsp_signing, "1.3.6.1.5.5.7.3.9"),
        ];
        v.extend(flags.iter().filter(|(set, _)| *set).map(|(_, o)| Cow::Borrowed(*o)));
        v.extend(eku.other.iter().map(|o| Cow::Owned(o.to_id_string())));
        v
    });
    oids_in_order.into_iter().map(Eku::from_oid).collect()
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

    #[test]
    fn purposes_and_oids_are_inverse_and_unnamed_ones_keep_their_oid() {
        for p in KeyPurpose::ALL {
            assert_eq!(KeyPurpose::from_oid(p.oid()), Some(p));
        }
        assert_eq!(Eku::from_oid(Cow::Borrowed("1.3.6.1.5.5.7.3.5")).name(), "ipsecEndSystem");
        assert_eq!(Eku::from_oid(Cow::Borrowed("1.2.3.4")), Eku::Unnamed("1.2.3.4".into()));
        let eku = ExtendedKeyUsage { critical: false, purposes: vec![Eku::Named(KeyPurpose::AnyExtendedKeyUsage)] };
        assert!(eku.has(KeyPurpose::ServerAuth) && !eku.lists(KeyPurpose::ServerAuth));
        assert!(eku.covers(&Eku::Unnamed("1.2.3.4".into())));
    }
}
