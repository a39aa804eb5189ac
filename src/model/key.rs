//! Public keys: what a key is (algorithm, size, curve) and the three ways people compare keys: openssl's modulus
//! MD5, the MD5 of the PEM `PUBLIC KEY` block, and the SHA-256 of the SubjectPublicKeyInfo.

use x509_parser::public_key::PublicKey as X509PublicKey;
use x509_parser::x509::SubjectPublicKeyInfo;

use super::oids;
use crate::model::der;
use crate::model::digest;

/// The algorithm-specific part of a public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// RSA (also RSASSA-PSS keys, which carry the same modulus and exponent).
    Rsa {
        modulus: Vec<u8>,
        exponent: Vec<u8>,
        pss: bool,
    },
    /// An elliptic-curve key on a named curve (or explicit parameters, when `curve_oid` is None).
    Ec {
        curve_oid: Option<String>,
        point: Vec<u8>,
    },
    Ed25519 {
        key: Vec<u8>,
    },
    Ed448 {
        key: Vec<u8>,
    },
    /// Anything else: DSA, X25519, GOST, unknown algorithms. Compared by SubjectPublicKeyInfo.
    Other {
        oid: String,
        name: &'static str,
    },
}

/// See [`PublicKey::identity`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyIdentity<'a> {
    Rsa { modulus: &'a [u8], exponent: &'a [u8] },
    Ec { curve: Option<&'a str>, point: &'a [u8] },
    Spki(&'a [u8]),
}

/// A public key and its SubjectPublicKeyInfo encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    pub kind: KeyKind,
    /// The DER SubjectPublicKeyInfo, as `openssl ... -pubkey` would print it.
    pub spki: Vec<u8>,
}

/// Why a SubjectPublicKeyInfo could not be turned into a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct KeyError(pub String);

impl PublicKey {
    pub fn from_spki(spki: &SubjectPublicKeyInfo<'_>) -> Result<PublicKey, KeyError> {
        let oid = oids::dotted(&spki.algorithm.algorithm).into_owned();
        let bits = &spki.subject_public_key.data;
        let kind = match oid.as_str() {
            oids::RSA_ENCRYPTION | oids::RSASSA_PSS => match spki.parsed() {
                Ok(X509PublicKey::RSA(rsa)) => KeyKind::Rsa {
                    modulus: der::trim_leading_zeros(rsa.modulus).to_vec(),
                    exponent: der::trim_leading_zeros(rsa.exponent).to_vec(),
                    pss: oid == oids::RSASSA_PSS,
                },
                _ => return rsa_from_bits(bits, oid == oids::RSASSA_PSS, spki.raw),
            },
            oids::EC_PUBLIC_KEY => {
                let curve_oid = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .and_then(|p| p.as_oid().ok())
                    .map(|o| oids::dotted(&o).into_owned());
                KeyKind::Ec { curve_oid, point: bits.to_vec() }
            }
            oids::ED25519 => KeyKind::Ed25519 { key: bits.to_vec() },
            oids::ED448 => KeyKind::Ed448 { key: bits.to_vec() },
            oids::DSA => KeyKind::Other { oid, name: "dsa" },
            oids::X25519 => KeyKind::Other { oid, name: "x25519" },
            oids::X448 => KeyKind::Other { oid, name: "x448" },
            _ => KeyKind::Other { oid, name: "unknown" },
        };
        Ok(PublicKey { kind, spki: spki.raw.to_vec() })
    }

    /// An RSA key from its modulus and exponent (a private key's public half), encoded as openssl would.
    pub fn rsa(modulus: &[u8], exponent: &[u8]) -> PublicKey {
        PublicKey {
            kind: KeyKind::Rsa {
                modulus: der::trim_leading_zeros(modulus).to_vec(),
                exponent: der::trim_leading_zeros(exponent).to_vec(),
                pss: false,
            },
            spki: der::rsa_spki(modulus, exponent),
        }
    }

    /// The short algorithm name used in JSON and summaries: `rsa`, `rsa-pss`, `ec`, `ed25519`, ...
    pub fn algorithm(&self) -> &'static str {
        match &self.kind {
            KeyKind::Rsa { pss: false, .. } => "rsa",
            KeyKind::Rsa { pss: true, .. } => "rsa-pss",
            KeyKind::Ec { .. } => "ec",
            KeyKind::Ed25519 { .. } => "ed25519",
            KeyKind::Ed448 { .. } => "ed448",
            KeyKind::Other { name, .. } => name,
        }
    }

    pub fn is_rsa(&self) -> bool {
        matches!(self.kind, KeyKind::Rsa { .. })
    }

    pub fn is_ec(&self) -> bool {
        matches!(self.kind, KeyKind::Ec { .. })
    }

    /// Whether both keys are of one algorithm (RSA and RSA-PSS are two, as are two unknown algorithms' OIDs).
    pub fn same_type(&self, other: &PublicKey) -> bool {
        self.algorithm() == other.algorithm()
    }

    /// Key size in bits: the modulus length for RSA, the field size for a named curve.
    pub fn bits(&self) -> Option<u32> {
        match &self.kind {
            KeyKind::Rsa { modulus, .. } => Some(bit_length(modulus)),
            KeyKind::Ec { curve_oid: Some(oid), .. } => oids::curve_bits(oid),
            KeyKind::Ec { curve_oid: None, .. } => None,
            KeyKind::Ed25519 { .. } => Some(256),
            KeyKind::Ed448 { .. } => Some(456),
            KeyKind::Other { .. } => None,
        }
    }

    /// The curve's openssl name (or its OID when unnamed).
    pub fn curve(&self) -> Option<String> {
        match &self.kind {
            KeyKind::Ec { curve_oid: Some(oid), .. } => {
                Some(oids::curve_name(oid).map(str::to_string).unwrap_or_else(|| oid.clone()))
            }
            KeyKind::Ec { curve_oid: None, .. } => Some("explicit parameters".into()),
            _ => None,
        }
    }

    /// The RSA public exponent, when it fits in 64 bits.
    pub fn exponent(&self) -> Option<u64> {
        match &self.kind {
            KeyKind::Rsa { exponent, .. } if exponent.len() <= 8 => {
                Some(exponent.iter().fold(0u64, |acc, b| (acc << 8) | *b as u64))
            }
            _ => None,
        }
    }

    /// `Modulus=<UPPERCASE HEX>` as `openssl x509|req|rsa -noout -modulus` prints it (without the newline);
    /// None for keys without a modulus.
    pub fn openssl_modulus_line(&self) -> Option<String> {
        match &self.kind {
            KeyKind::Rsa { modulus, .. } => Some(format!("Modulus={}", bn_print(modulus))),
            _ => None,
        }
    }

    /// `openssl ... -noout -modulus | openssl md5`: the MD5 of the modulus line and its newline.
    pub fn modulus_md5(&self) -> Option<String> {
        self.openssl_modulus_line().map(|line| md5_of_line(&line))
    }

    /// What `openssl x509 -noout -modulus` prints for a certificate's key: the modulus of an RSA key, and for a
    /// DSA key its public value (openssl's `x509` does that; its `req` answers "Wrong Algorithm type" instead).
    pub fn openssl_x509_modulus_line(&self) -> Option<String> {
        self.openssl_modulus_line().or_else(|| self.dsa_public_value().map(|y| format!("Modulus={}", bn_print(&y))))
    }

    /// The MD5 of [`PublicKey::openssl_x509_modulus_line`], as `openssl x509 -noout -modulus | openssl md5`.
    pub fn x509_modulus_md5(&self) -> Option<String> {
        self.openssl_x509_modulus_line().map(|line| md5_of_line(&line))
    }

    /// A DSA key's public value y (the INTEGER inside the SubjectPublicKeyInfo's BIT STRING).
    fn dsa_public_value(&self) -> Option<Vec<u8>> {
        if !matches!(&self.kind, KeyKind::Other { oid, .. } if oid == super::oids::DSA) {
            return None;
        }
        let (spki, _) = crate::model::der::read_element(&self.spki).ok()?;
        let parts = crate::model::der::children(spki.content()).ok()?;
        let bits = parts.get(1)?.content().split_first()?.1;
        let (y, _) = crate::model::der::read_element(bits).ok()?;
        Some(y.content().to_vec())
    }

    /// The PEM `PUBLIC KEY` block, exactly as `openssl x509 -noout -pubkey` prints it.
    pub fn pem(&self) -> String {
        let block = pem::Pem::new("PUBLIC KEY", self.spki.clone());
        pem::encode_config(&block, pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF))
    }

    /// `openssl ... -noout -pubkey | openssl md5`: works for every key type, RSA and EC alike.
    pub fn pubkey_md5(&self) -> String {
        digest::hex_lower(&digest::md5(self.pem().as_bytes()))
    }

    /// SHA-256 of the SubjectPublicKeyInfo, in `AA:BB:..` form (the "SPKI pin").
    pub fn spki_sha256(&self) -> String {
        digest::hex_colons_upper(&digest::sha256(&self.spki))
    }

    /// Whether two keys are the same key: RSA by modulus and exponent (so an RSA-PSS and an rsaEncryption encoding
    /// of one key agree), other keys by their SubjectPublicKeyInfo.
    pub fn same_key(&self, other: &PublicKey) -> bool {
        match (&self.kind, &other.kind) {
            (KeyKind::Rsa { modulus: m1, exponent: e1, .. }, KeyKind::Rsa { modulus: m2, exponent: e2, .. }) => {
                m1 == m2 && e1 == e2
            }
            (KeyKind::Ec { curve_oid: c1, point: p1 }, KeyKind::Ec { curve_oid: c2, point: p2 }) => {
                c1 == c2 && p1 == p2
            }
            _ => self.spki == other.spki,
        }
    }

    /// What makes two keys the same key, as a borrowed value to index keys by: equal exactly when
    /// [`PublicKey::same_key`] is true.
    pub fn identity(&self) -> KeyIdentity<'_> {
        match &self.kind {
            KeyKind::Rsa { modulus, exponent, .. } => KeyIdentity::Rsa { modulus, exponent },
            KeyKind::Ec { curve_oid, point } => KeyIdentity::Ec { curve: curve_oid.as_deref(), point },
            _ => KeyIdentity::Spki(&self.spki),
        }
    }

    /// A one-line summary: `RSA 2048 bits, exponent 65537`, `EC secp384r1 (384 bits)`.
    pub fn summary(&self) -> String {
        match &self.kind {
            KeyKind::Rsa { .. } => match self.exponent() {
                Some(e) => format!("{} bits, exponent {e}", self.short()),
                None => format!("{} bits", self.short()),
            },
            KeyKind::Ec { .. } => match self.bits() {
                Some(b) if self.curve().is_some() => format!("{} ({b} bits)", self.short()),
                _ => self.short(),
            },
            KeyKind::Other { oid, .. } => format!("{} ({oid})", self.short()),
            _ => self.short(),
        }
    }

    /// The key in the fewest words, for a table column: `RSA 2048`, `EC secp384r1`, `Ed25519`.
    pub fn short(&self) -> String {
        match &self.kind {
            KeyKind::Rsa { pss, .. } => {
                format!("{} {}", if *pss { "RSA-PSS" } else { "RSA" }, self.bits().unwrap_or(0))
            }
            KeyKind::Ec { .. } => self.curve().map_or_else(|| "EC".to_string(), |c| format!("EC {c}")),
            KeyKind::Ed25519 { .. } => "Ed25519".into(),
            KeyKind::Ed448 { .. } => "Ed448".into(),
            KeyKind::Other { name, .. } => name.to_uppercase(),
        }
    }
}

fn rsa_from_bits(bits: &[u8], pss: bool, raw: &[u8]) -> Result<PublicKey, KeyError> {
    let (seq, _) = der::read_element(bits).map_err(|e| KeyError(format!("RSA public key: {e}")))?;
    let parts = der::children(seq.content()).map_err(|e| KeyError(format!("RSA public key: {e}")))?;
    match parts.as_slice() {
        [n, e] => Ok(PublicKey {
            kind: KeyKind::Rsa {
                modulus: der::trim_leading_zeros(n.content()).to_vec(),
                exponent: der::trim_leading_zeros(e.content()).to_vec(),
                pss,
            },
            spki: raw.to_vec(),
        }),
        _ => Err(KeyError("RSA public key is not a SEQUENCE of modulus and exponent".into())),
    }
}

fn bit_length(magnitude: &[u8]) -> u32 {
    let m = der::trim_leading_zeros(magnitude);
    match m.first() {
        None | Some(0) => 0,
        Some(&top) => (m.len() as u32 - 1) * 8 + (8 - top.leading_zeros()),
    }
}

/// A number as openssl's `BN_print` writes it: upper-case hex without leading zero nibbles (not just bytes).
fn bn_print(magnitude: &[u8]) -> String {
    let hex = digest::hex_upper(magnitude);
    let trimmed = hex.trim_start_matches('0');
    if trimmed.is_empty() { "0".into() } else { trimmed.into() }
}

/// The MD5 of a line and its newline, as `... | openssl md5` computes it.
fn md5_of_line(line: &str) -> String {
    digest::hex_lower(&digest::md5(format!("{line}\n").as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_the_fewest_words() {
        let key = |rel: &str| {
            let pem = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel));
            let der = pem::parse(pem.unwrap()).unwrap().into_contents();
            crate::model::Certificate::from_der(&der).unwrap().0.public_key
        };
        assert_eq!(key("cucm/tomcat.pem").short(), "RSA 2048");
        assert_eq!(key("cucm/tomcat-ECDSA.pem").short(), "EC secp384r1");
        assert_eq!(key("cucm/tomcat.pem").summary(), "RSA 2048 bits, exponent 65537");
        assert_eq!(key("cucm/tomcat-ECDSA.pem").summary(), "EC secp384r1 (384 bits)");
    }

    #[test]
    fn bit_length_counts_from_the_top_set_bit() {
        assert_eq!(bit_length(&[0x80, 0x00]), 16);
        assert_eq!(bit_length(&[0x00, 0x01, 0x00]), 9);
        assert_eq!(bit_length(&[]), 0);
    }

    #[test]
    fn modulus_line_drops_leading_zero_nibbles_like_bn_print() {
        let key = PublicKey::rsa(&[0x00, 0x0a, 0xbc], &[0x01, 0x00, 0x01]);
        assert_eq!(key.openssl_modulus_line().unwrap(), "Modulus=ABC");
        assert_eq!(key.exponent(), Some(65537));
        assert_eq!(key.bits(), Some(12));
    }

    #[test]
    fn rsa_keys_compare_by_modulus_and_exponent() {
        let a = PublicKey::rsa(&[0x00, 0xc1, 0x01], &[3]);
        let b = PublicKey::rsa(&[0xc1, 0x01], &[3]);
        let c = PublicKey::rsa(&[0xc1, 0x01], &[0x01, 0x00, 0x01]);
        assert!(a.same_key(&b));
        assert!(!a.same_key(&c));
    }
}
