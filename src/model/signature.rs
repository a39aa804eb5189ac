//! Signature algorithms: their openssl names, the hash they use (which decides the SHA-1/MD5 warning), and the
//! signed bytes kept for verification.

use x509_parser::x509::AlgorithmIdentifier;

/// The hash inside a signature algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hash {
    Md2,
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    /// MD2, MD5 and SHA-1 signatures are forgeable in practice; CUCM's guide asks for SHA-256.
    pub fn is_weak(self) -> bool {
        matches!(self, Hash::Md2 | Hash::Md5 | Hash::Sha1)
    }

    pub fn name(self) -> &'static str {
        match self {
            Hash::Md2 => "MD2",
            Hash::Md5 => "MD5",
            Hash::Sha1 => "SHA-1",
            Hash::Sha224 => "SHA-224",
            Hash::Sha256 => "SHA-256",
            Hash::Sha384 => "SHA-384",
            Hash::Sha512 => "SHA-512",
        }
    }

    fn from_digest_oid(oid: &str) -> Option<Hash> {
        Some(match oid {
            "1.3.14.3.2.26" => Hash::Sha1,
            "2.16.840.1.101.3.4.2.4" => Hash::Sha224,
            "2.16.840.1.101.3.4.2.1" => Hash::Sha256,
            "2.16.840.1.101.3.4.2.2" => Hash::Sha384,
            "2.16.840.1.101.3.4.2.3" => Hash::Sha512,
            "1.2.840.113549.2.5" => Hash::Md5,
            _ => return None,
        })
    }
}

/// The family of a signature algorithm, which decides how it is verified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureScheme {
    RsaPkcs1,
    RsaPss,
    Ecdsa,
    Ed25519,
    Ed448,
    Dsa,
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureAlgorithm {
    pub oid: String,
    /// openssl's name (`sha256WithRSAEncryption`, `ecdsa-with-SHA384`, `rsassaPss`), or the OID.
    pub name: String,
    pub scheme: SignatureScheme,
    /// None for schemes without a separate hash (Ed25519) and for unknown algorithms.
    pub hash: Option<Hash>,
}

impl SignatureAlgorithm {
    pub fn from_x509(alg: &AlgorithmIdentifier<'_>) -> SignatureAlgorithm {
        let oid = super::oids::dotted(&alg.algorithm).into_owned();
        let (name, scheme, hash): (&str, SignatureScheme, Option<Hash>) = match oid.as_str() {
            "1.2.840.113549.1.1.2" => ("md2WithRSAEncryption", SignatureScheme::RsaPkcs1, Some(Hash::Md2)),
            "1.2.840.113549.1.1.4" => ("md5WithRSAEncryption", SignatureScheme::RsaPkcs1, Some(Hash::Md5)),
            "1.2.840.113549.1.1.5" => ("sha1WithRSAEncryption", SignatureScheme::RsaPkcs1, Some(Hash::Sha1)),
            "1.3.14.3.2.29" => ("sha1WithRSA", SignatureScheme::RsaPkcs1, Some(Hash::Sha1)),
            "1.2.840.113549.1.1.14" => ("sha224WithRSAEncryption", SignatureScheme::RsaPkcs1, Some(Hash::Sha224)),
            "1.2.840.113549.1.1.11" => ("sha256WithRSAEncryption", SignatureScheme::RsaPkcs1, Some(Hash::Sha256)),
            "1.2.840.113549.1.1.12" => ("sha384WithRSAEncryption", SignatureScheme::RsaPkcs1, Some(Hash::Sha384)),
            "1.2.840.113549.1.1.13" => ("sha512WithRSAEncryption", SignatureScheme::RsaPkcs1, Some(Hash::Sha512)),
            "1.2.840.113549.1.1.10" => ("rsassaPss", SignatureScheme::RsaPss, Some(pss_hash(alg))),
            "1.2.840.10045.4.1" => ("ecdsa-with-SHA1", SignatureScheme::Ecdsa, Some(Hash::Sha1)),
            "1.2.840.10045.4.3.1" => ("ecdsa-with-SHA224", SignatureScheme::Ecdsa, Some(Hash::Sha224)),
            "1.2.840.10045.4.3.2" => ("ecdsa-with-SHA256", SignatureScheme::Ecdsa, Some(Hash::Sha256)),
            "1.2.840.10045.4.3.3" => ("ecdsa-with-SHA384", SignatureScheme::Ecdsa, Some(Hash::Sha384)),
            "1.2.840.10045.4.3.4" => ("ecdsa-with-SHA512", SignatureScheme::Ecdsa, Some(Hash::Sha512)),
            "1.3.101.112" => ("ED25519", SignatureScheme::Ed25519, None),
            "1.3.101.113" => ("ED448", SignatureScheme::Ed448, None),
            "1.2.840.10040.4.3" => ("dsaWithSHA1", SignatureScheme::Dsa, Some(Hash::Sha1)),
            "2.16.840.1.101.3.4.3.1" => ("dsa_with_SHA224", SignatureScheme::Dsa, Some(Hash::Sha224)),
            "2.16.840.1.101.3.4.3.2" => ("dsa_with_SHA256", SignatureScheme::Dsa, Some(Hash::Sha256)),
            _ => ("", SignatureScheme::Unknown, None),
        };
        let name = if name.is_empty() { oid.clone() } else { name.to_string() };
        SignatureAlgorithm { oid, name, scheme, hash }
    }
}

/// The hash of RSASSA-PSS parameters; absent parameters mean SHA-1 (RFC 4055).
fn pss_hash(alg: &AlgorithmIdentifier<'_>) -> Hash {
    use x509_parser::signature_algorithm::RsaSsaPssParams;
    alg.parameters
        .as_ref()
        .and_then(|p| RsaSsaPssParams::try_from(p).ok())
        .and_then(|params| Hash::from_digest_oid(&params.hash_algorithm_oid().to_id_string()))
        .unwrap_or(Hash::Sha1)
}

/// What a signature covers and the signature itself, kept so that it can be verified later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    /// Where the signed bytes (tbsCertificate or certificationRequestInfo) lie in the object's DER: a range, not
    /// a copy, as a batch holds tens of thousands of objects.
    pub message: std::ops::Range<usize>,
    /// Where the signature value lies in the object's DER (also a range, for the same reason).
    pub signature: std::ops::Range<usize>,
    pub algorithm: SignatureAlgorithm,
}
