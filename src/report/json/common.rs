//! The JSON shapes every command shares: a certificate, a CSR, a name, a key, a validity, a signature check. Each
//! is a view built from the model here, so a renamed model field cannot change what scripts read.

use crate::analysis::expiry::{Expiry, Thresholds};
use serde::Serialize;

use super::rfc3339;
use crate::analysis::verify::Verification;
use crate::cucm::PurposeSource;
use crate::model::certificate::ValidityStatus;
use crate::model::csr::CsrAttribute;
use crate::model::digest::{self, Fingerprints};
use crate::model::extensions::{BasicConstraints, ExtendedKeyUsage, ExtensionInfo, KeyId, KeyUsage, SanEntry};
use crate::model::name::NameAttribute;
use crate::model::signature::{Hash, SignatureAlgorithm, SignatureScheme};
use crate::model::{Certificate, DistinguishedName, KeyFormat, Origin, PublicKey};
use crate::report::inspect::{CertificateFacts, CsrFacts};
use crate::untrusted::Untrusted;

/// A distinguished name: openssl's one-line text, the CN, and every attribute in order.
#[derive(Serialize)]
pub struct NameJson<'a> {
    pub text: Untrusted,
    pub common_name: Option<&'a Untrusted>,
    pub attributes: Vec<NameAttributeJson<'a>>,
}

#[derive(Serialize)]
pub struct NameAttributeJson<'a> {
    /// openssl's short name (`CN`), or the dotted OID.
    pub name: &'a str,
    pub oid: &'a str,
    pub value: &'a Untrusted,
}

impl<'a> NameJson<'a> {
    pub fn new(name: &'a DistinguishedName) -> NameJson<'a> {
        NameJson {
            text: name.to_openssl_string(),
            common_name: name.common_name(),
            attributes: name.attributes().map(NameAttributeJson::new).collect(),
        }
    }
}

impl<'a> NameAttributeJson<'a> {
    fn new(a: &'a NameAttribute) -> NameAttributeJson<'a> {
        NameAttributeJson { name: &a.name, oid: &a.oid, value: &a.value }
    }
}

/// A subjectAltName entry: `{"type": "dns", "value": "cucm-pub.example.com"}`.
#[derive(Serialize)]
pub struct SanJson {
    /// dns, ip, email, uri, dirname, rid, othername or other.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub value: Untrusted,
}

impl SanJson {
    pub fn new(entry: &SanEntry) -> SanJson {
        let kind = match entry {
            SanEntry::Dns(_) => "dns",
            SanEntry::Ip(_) | SanEntry::IpInvalid(_) => "ip",
            SanEntry::Email(_) => "email",
            SanEntry::Uri(_) => "uri",
            SanEntry::DirName(_) => "dirname",
            SanEntry::RegisteredId(_) => "rid",
            SanEntry::OtherName { .. } => "othername",
            SanEntry::Other(_) => "other",
        };
        SanJson { kind, value: entry.value() }
    }

    pub fn list(entries: &[SanEntry]) -> Vec<SanJson> {
        entries.iter().map(SanJson::new).collect()
    }
}

/// A public key with the hashes TAC compares (README, "JSON": algorithm, bits, modulus_md5, pubkey_md5, spki_sha256).
#[derive(Serialize)]
pub struct PublicKeyJson {
    /// rsa, ec, dsa, ed25519, ed448 or the OID.
    pub algorithm: &'static str,
    pub bits: Option<u32>,
    pub exponent: Option<u64>,
    pub curve: Option<String>,
    /// MD5 of `Modulus=<HEX>\n`, as `openssl ... -modulus | openssl md5` (RSA only).
    pub modulus_md5: Option<String>,
    /// MD5 of the PEM public key, as `openssl ... -pubkey | openssl md5`.
    pub pubkey_md5: String,
    pub spki_sha256: String,
}

impl PublicKeyJson {
    pub fn new(key: &PublicKey) -> PublicKeyJson {
        PublicKeyJson {
            algorithm: key.algorithm(),
            bits: key.bits(),
            exponent: key.exponent(),
            curve: key.curve(),
            modulus_md5: key.modulus_md5(),
            pubkey_md5: key.pubkey_md5(),
            spki_sha256: key.spki_sha256(),
        }
    }
}

#[derive(Serialize)]
pub struct SignatureAlgorithmJson<'a> {
    pub oid: &'a str,
    /// openssl's name (`sha256WithRSAEncryption`), or the OID.
    pub name: &'a str,
    /// rsa-pkcs1, rsa-pss, ecdsa, ed25519, ed448, dsa or unknown.
    pub scheme: &'static str,
    /// md2, md5, sha1, sha224, sha256, sha384, sha512; null when the scheme has none or it is unknown.
    pub hash: Option<&'static str>,
    /// RSA-PSS only (else null): how it was made, which decides whether ucert can verify it.
    pub pss: Option<PssJson>,
}

#[derive(Serialize)]
pub struct PssJson {
    /// The hash of the mask function (MGF1); null for another mask function or an unknown hash.
    pub mask_hash: Option<&'static str>,
    pub salt_length: u32,
    pub trailer_field: u32,
}

/// A hash's name in JSON.
fn hash_id(h: Hash) -> &'static str {
    match h {
        Hash::Md2 => "md2",
        Hash::Md5 => "md5",
        Hash::Sha1 => "sha1",
        Hash::Sha224 => "sha224",
        Hash::Sha256 => "sha256",
        Hash::Sha384 => "sha384",
        Hash::Sha512 => "sha512",
    }
}

impl<'a> SignatureAlgorithmJson<'a> {
    pub fn new(alg: &'a SignatureAlgorithm) -> SignatureAlgorithmJson<'a> {
        let scheme = match alg.scheme {
            SignatureScheme::RsaPkcs1 => "rsa-pkcs1",
            SignatureScheme::RsaPss => "rsa-pss",
            SignatureScheme::Ecdsa => "ecdsa",
            SignatureScheme::Ed25519 => "ed25519",
            SignatureScheme::Ed448 => "ed448",
            SignatureScheme::Dsa => "dsa",
            SignatureScheme::Unknown => "unknown",
        };
        let pss = alg.pss.map(|p| PssJson {
            mask_hash: p.mask_hash.map(hash_id),
            salt_length: p.salt_length,
            trailer_field: p.trailer_field,
        });
        SignatureAlgorithmJson { oid: &alg.oid, name: &alg.name, scheme, hash: alg.hash.map(hash_id), pss }
    }
}

#[derive(Serialize)]
pub struct KeyUsageJson {
    pub critical: bool,
    /// openssl's names of the bits set (`digitalSignature`, `keyEncipherment`, ...).
    pub usages: Vec<&'static str>,
}

impl KeyUsageJson {
    pub fn new(ku: &KeyUsage) -> KeyUsageJson {
        KeyUsageJson { critical: ku.critical, usages: ku.usages.iter().map(|u| u.name()).collect() }
    }
}

#[derive(Serialize)]
pub struct ExtendedKeyUsageJson {
    pub critical: bool,
    /// openssl's short names (`serverAuth`), or dotted OIDs for unnamed purposes.
    pub purposes: Vec<String>,
}

impl ExtendedKeyUsageJson {
    pub fn new(eku: &ExtendedKeyUsage) -> ExtendedKeyUsageJson {
        ExtendedKeyUsageJson { critical: eku.critical, purposes: eku.purposes.iter().map(|p| p.to_string()).collect() }
    }
}

#[derive(Serialize)]
pub struct BasicConstraintsJson {
    pub critical: bool,
    pub ca: bool,
    pub path_len: Option<u32>,
}

impl BasicConstraintsJson {
    pub fn new(bc: &BasicConstraints) -> BasicConstraintsJson {
        BasicConstraintsJson { critical: bc.critical, ca: bc.ca, path_len: bc.path_len }
    }
}

/// An extension as listed: what it is and whether it is marked critical.
#[derive(Serialize)]
pub struct ExtensionJson<'a> {
    pub oid: &'a str,
    pub name: Option<&'static str>,
    pub critical: bool,
}

impl<'a> ExtensionJson<'a> {
    pub fn list(all: &'a [ExtensionInfo]) -> Vec<ExtensionJson<'a>> {
        all.iter().map(|e| ExtensionJson { oid: &e.oid, name: e.name, critical: e.critical }).collect()
    }
}

/// A key identifier in `AA:BB:..` form.
fn key_id(id: &KeyId) -> String {
    digest::hex_colons_upper(&id.0)
}

#[derive(Serialize)]
pub struct FingerprintsJson {
    pub md5: String,
    pub sha1: String,
    pub sha256: String,
}

impl FingerprintsJson {
    pub fn new(f: Fingerprints) -> FingerprintsJson {
        FingerprintsJson { md5: f.md5, sha1: f.sha1, sha256: f.sha256 }
    }
}

/// Where a certificate stands in time: `{"status": "valid", "days_left": 579}`.
#[derive(Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum ValidityJson {
    Valid {
        days_left: i64,
    },
    Expired {
        days_ago: i64,
    },
    NotYetValid {
        days_until: i64,
    },
    /// A date is unreadable.
    Unknown,
}

impl ValidityJson {
    pub fn new(v: ValidityStatus) -> ValidityJson {
        match v {
            ValidityStatus::Valid { days_left } => ValidityJson::Valid { days_left },
            ValidityStatus::Expired { days_ago } => ValidityJson::Expired { days_ago },
            ValidityStatus::NotYetValid { days_until } => ValidityJson::NotYetValid { days_until },
            ValidityStatus::Unknown => ValidityJson::Unknown,
        }
    }
}

/// A signature check: `{"status": "valid"}`, `{"status": "invalid"}`, `{"status": "unsupported", "reason": ".."}`.
#[derive(Serialize)]
#[serde(tag = "status", content = "reason", rename_all = "kebab-case")]
pub enum VerificationJson<'a> {
    Valid,
    Invalid,
    Unsupported(&'a str),
}

impl<'a> VerificationJson<'a> {
    pub fn new(v: &'a Verification) -> VerificationJson<'a> {
        match v {
            Verification::Valid => VerificationJson::Valid,
            Verification::Invalid => VerificationJson::Invalid,
            Verification::Unsupported(reason) => VerificationJson::Unsupported(reason),
        }
    }
}

/// A key container's name: pkcs1, pkcs8, sec1 or spki.
pub fn key_format(f: KeyFormat) -> &'static str {
    match f {
        KeyFormat::Pkcs1 => "pkcs1",
        KeyFormat::Pkcs8 => "pkcs8",
        KeyFormat::Sec1 => "sec1",
        KeyFormat::Spki => "spki",
    }
}

/// `{"level": "ok" | "warning" | "critical", "days_left": 580}`: days left rounded down (negative once expired,
/// null when the date cannot be read).
#[derive(Serialize)]
pub struct ExpiryJson {
    pub level: &'static str,
    pub days_left: Option<i64>,
}

impl ExpiryJson {
    pub fn new(e: &Expiry) -> ExpiryJson {
        ExpiryJson { level: e.level.as_str(), days_left: e.days_left }
    }
}

/// `{"warn_days": 30, "critical_days": 7}`: the thresholds every `expiry` was judged against.
#[derive(Serialize)]
pub struct ThresholdsJson {
    pub warn_days: u32,
    pub critical_days: u32,
}

impl ThresholdsJson {
    pub fn new(t: Thresholds) -> ThresholdsJson {
        ThresholdsJson { warn_days: t.warn_days, critical_days: t.critical_days }
    }
}

/// A certificate as every command shows it in JSON.
#[derive(Serialize)]
pub struct CertificateJson<'a> {
    pub subject: NameJson<'a>,
    pub issuer: NameJson<'a>,
    pub serial: String,
    /// null when the date is unreadable (a warning says why).
    pub not_before: Option<String>,
    pub not_after: Option<String>,
    pub validity: ValidityJson,
    /// How soon it expires against `--warn-days` and `--critical-days` (the defaults, 30 and 7, on subcommands
    /// without them).
    pub expiry: ExpiryJson,
    /// null when the certificate has no subjectAltName extension.
    pub sans: Option<Vec<SanJson>>,
    pub public_key: PublicKeyJson,
    pub signature_algorithm: SignatureAlgorithmJson<'a>,
    pub key_usage: Option<KeyUsageJson>,
    pub extended_key_usage: Option<ExtendedKeyUsageJson>,
    pub basic_constraints: Option<BasicConstraintsJson>,
    pub subject_key_id: Option<String>,
    pub authority_key_id: Option<String>,
    pub extensions: Vec<ExtensionJson<'a>>,
    pub self_signed: bool,
    pub fingerprints: FingerprintsJson,
    pub warnings: &'a [String],
}

impl<'a> CertificateJson<'a> {
    pub fn new(facts: &'a CertificateFacts) -> CertificateJson<'a> {
        CertificateJson::from_parts(&facts.certificate, facts.validity, facts.expiry, facts.self_signed)
    }

    pub fn from_parts(
        c: &'a Certificate,
        validity: ValidityStatus,
        expiry: Expiry,
        self_signed: bool,
    ) -> CertificateJson<'a> {
        let e = &c.extensions;
        CertificateJson {
            subject: NameJson::new(&c.subject),
            issuer: NameJson::new(&c.issuer),
            serial: digest::hex_colons_lower(&c.serial),
            not_before: c.not_before.map(rfc3339),
            not_after: c.not_after.map(rfc3339),
            validity: ValidityJson::new(validity),
            expiry: ExpiryJson::new(&expiry),
            sans: e.subject_alt_names.as_deref().map(SanJson::list),
            public_key: PublicKeyJson::new(&c.public_key),
            signature_algorithm: SignatureAlgorithmJson::new(&c.signature_algorithm),
            key_usage: e.key_usage.as_ref().map(KeyUsageJson::new),
            extended_key_usage: e.extended_key_usage.as_ref().map(ExtendedKeyUsageJson::new),
            basic_constraints: e.basic_constraints.as_ref().map(BasicConstraintsJson::new),
            subject_key_id: e.subject_key_id.as_ref().map(key_id),
            authority_key_id: e.authority_key_id.as_ref().map(key_id),
            extensions: ExtensionJson::list(&e.all),
            self_signed,
            fingerprints: FingerprintsJson::new(c.fingerprints()),
            warnings: &c.notes,
        }
    }
}

#[derive(Serialize)]
pub struct CsrAttributeJson<'a> {
    pub oid: &'a str,
    pub name: &'a str,
    /// null for a challenge password (present, never shown) or an undecodable value.
    pub value: Option<&'a Untrusted>,
}

impl<'a> CsrAttributeJson<'a> {
    fn list(all: &'a [CsrAttribute]) -> Vec<CsrAttributeJson<'a>> {
        all.iter().map(|a| CsrAttributeJson { oid: &a.oid, name: &a.name, value: a.value.as_ref() }).collect()
    }
}

/// A CSR as every command shows it in JSON.
#[derive(Serialize)]
pub struct CsrJson<'a> {
    pub subject: NameJson<'a>,
    /// null when the CSR requests no subjectAltName (CUCM then ignores the SAN field).
    pub sans: Option<Vec<SanJson>>,
    pub public_key: PublicKeyJson,
    pub signature_algorithm: SignatureAlgorithmJson<'a>,
    pub signature: VerificationJson<'a>,
    pub key_usage: Option<KeyUsageJson>,
    pub extended_key_usage: Option<ExtendedKeyUsageJson>,
    pub basic_constraints: Option<BasicConstraintsJson>,
    pub requested_extensions: Vec<ExtensionJson<'a>>,
    pub attributes: Vec<CsrAttributeJson<'a>>,
    pub fingerprints: FingerprintsJson,
    pub warnings: &'a [String],
}

impl<'a> CsrJson<'a> {
    pub fn new(facts: &'a CsrFacts) -> CsrJson<'a> {
        let c = &facts.csr;
        let e = &c.requested_extensions;
        CsrJson {
            subject: NameJson::new(&c.subject),
            sans: e.subject_alt_names.as_deref().map(SanJson::list),
            public_key: PublicKeyJson::new(&c.public_key),
            signature_algorithm: SignatureAlgorithmJson::new(&c.signature_algorithm),
            signature: VerificationJson::new(&facts.signature),
            key_usage: e.key_usage.as_ref().map(KeyUsageJson::new),
            extended_key_usage: e.extended_key_usage.as_ref().map(ExtendedKeyUsageJson::new),
            basic_constraints: e.basic_constraints.as_ref().map(BasicConstraintsJson::new),
            requested_extensions: ExtensionJson::list(&e.all),
            attributes: CsrAttributeJson::list(&c.attributes),
            fingerprints: FingerprintsJson::new(c.fingerprints()),
            warnings: &c.notes,
        }
    }
}

/// Where in its input an object was found.
#[derive(Serialize)]
pub struct SourceJson<'a> {
    /// "der", "base64" or "pem": how the object was written in its file (inside a ZIP archive, in the file there).
    pub form: &'static str,
    pub pem_label: Option<&'a str>,
    pub line: Option<usize>,
    /// The file inside a ZIP archive that held the object, as the archive names it; None outside archives.
    pub member: Option<&'a str>,
}

impl<'a> SourceJson<'a> {
    pub fn new(origin: &'a Origin) -> SourceJson<'a> {
        let member = origin.member().map(|m| m.raw());
        let (form, pem_label, line) = match origin.innermost() {
            Origin::Der => ("der", None, None),
            Origin::Base64 => ("base64", None, None),
            Origin::Pem { label, line } => ("pem", Some(label.as_str()), Some(*line)),
            // (a whole file inside the archive: said of what could not be read, never of an object)
            Origin::Member { .. } => ("zip", None, None),
        };
        SourceJson { form, pem_label, line, member }
    }
}

/// How a purpose was decided, in JSON's words (flag, file-name, inferred or unknown), and the reason when inferred.
pub fn purpose_source(source: &PurposeSource) -> (&'static str, Option<&str>) {
    match source {
        PurposeSource::Flag => ("flag", None),
        PurposeSource::FileName(_) => ("file-name", None),
        PurposeSource::Inferred(why) => ("inferred", Some(why.as_str())),
        PurposeSource::Unknown => ("unknown", None),
    }
}
