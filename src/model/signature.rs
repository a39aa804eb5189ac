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

    /// The length of the digest in bytes.
    pub fn digest_len(self) -> u32 {
        match self {
            Hash::Md2 | Hash::Md5 => 16,
            Hash::Sha1 => 20,
            Hash::Sha224 => 28,
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
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
    /// RSASSA-PSS only: the parameters the signature was made with (None when they cannot be read).
    pub pss: Option<PssParameters>,
}

/// How an RSASSA-PSS signature was made (RFC 4055). PSS leaves the salt's length and the mask function to the
/// signer, and a verifier must use the same: ring verifies only the usual form (MGF1 with the signature's own hash,
/// a salt as long as that hash), so anything else must be said to be beyond it, not to be broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PssParameters {
    /// The hash of the message; None for one ucert does not know.
    pub hash: Option<Hash>,
    /// The hash of the mask function; None when it is not MGF1 or its hash is unknown.
    pub mask_hash: Option<Hash>,
    /// In bytes.
    pub salt_length: u32,
    /// 1 (the only value RFC 4055 allows, 0xBC) unless the signer wrote another.
    pub trailer_field: u32,
}

impl SignatureAlgorithm {
    pub fn from_x509(alg: &AlgorithmIdentifier<'_>) -> SignatureAlgorithm {
        let oid = super::oids::dotted(&alg.algorithm).into_owned();
        const PSS: &str = "1.2.840.113549.1.1.10";
        let pss = if oid == PSS { pss_parameters(alg) } else { None };
        let (name, scheme, hash): (&str, SignatureScheme, Option<Hash>) = match oid.as_str() {
            "1.2.840.113549.1.1.2" => ("md2WithRSAEncryption", SignatureScheme::RsaPkcs1, Some(Hash::Md2)),
            "1.2.840.113549.1.1.4" => ("md5WithRSAEncryption", SignatureScheme::RsaPkcs1, Some(Hash::Md5)),
            "1.2.840.113549.1.1.5" => ("sha1WithRSAEncryption", SignatureScheme::RsaPkcs1, Some(Hash::Sha1)),
            "1.3.14.3.2.29" => ("sha1WithRSA", SignatureScheme::RsaPkcs1, Some(Hash::Sha1)),
            "1.2.840.113549.1.1.14" => ("sha224WithRSAEncryption", SignatureScheme::RsaPkcs1, Some(Hash::Sha224)),
            "1.2.840.113549.1.1.11" => ("sha256WithRSAEncryption", SignatureScheme::RsaPkcs1, Some(Hash::Sha256)),
            "1.2.840.113549.1.1.12" => ("sha384WithRSAEncryption", SignatureScheme::RsaPkcs1, Some(Hash::Sha384)),
            "1.2.840.113549.1.1.13" => ("sha512WithRSAEncryption", SignatureScheme::RsaPkcs1, Some(Hash::Sha512)),
            // (a hash ucert does not know, or parameters it cannot read, counted as SHA-1 by the hash check)
            PSS => ("rsassaPss", SignatureScheme::RsaPss, Some(pss.and_then(|p| p.hash).unwrap_or(Hash::Sha1))),
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
        SignatureAlgorithm { oid, name, scheme, hash, pss }
    }

    /// openssl's name, and for RSA-PSS how it was made, as `openssl x509 -text` shows it: `rsassaPss (SHA-256,
    /// MGF1 with SHA-256, salt 32 bytes)`.
    pub fn described(&self) -> String {
        let Some(p) = self.pss else { return self.name.clone() };
        let name = |h: Option<Hash>| h.map_or("an unknown hash", Hash::name);
        let mask = match p.mask_hash {
            Some(h) => format!("MGF1 with {}", h.name()),
            None => "another mask function".to_string(),
        };
        let trailer = if p.trailer_field == 1 { String::new() } else { format!(", trailer field {}", p.trailer_field) };
        format!("{} ({}, {mask}, salt {} bytes{trailer})", self.name, name(p.hash), p.salt_length)
    }
}

/// The parameters of an RSASSA-PSS signature; absent ones take RFC 4055's defaults (SHA-1, MGF1 with SHA-1, a salt
/// of 20 bytes). None when they are there but cannot be read.
fn pss_parameters(alg: &AlgorithmIdentifier<'_>) -> Option<PssParameters> {
    use x509_parser::signature_algorithm::RsaSsaPssParams;
    let params = match &alg.parameters {
        None => {
            return Some(PssParameters {
                hash: Some(Hash::Sha1),
                mask_hash: Some(Hash::Sha1),
                salt_length: 20,
                trailer_field: 1,
            });
        }
        Some(p) => RsaSsaPssParams::try_from(p).ok()?,
    };
    const MGF1: &str = "1.2.840.113549.1.1.8";
    let hash = |oid: &x509_parser::der_parser::Oid<'_>| Hash::from_digest_oid(&oid.to_id_string());
    let mask = params.mask_gen_algorithm().ok()?;
    Some(PssParameters {
        hash: hash(params.hash_algorithm_oid()),
        mask_hash: (mask.mgf.to_id_string() == MGF1).then(|| hash(&mask.hash)).flatten(),
        salt_length: params.salt_length(),
        trailer_field: params.trailer_field(),
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::checks::testing::{cert, csr};

    #[test]
    fn rsa_pss_parameters_are_read_with_their_defaults() {
        let pss = |rel: &str| cert(rel).signature_algorithm.pss.unwrap();
        let usual = PssParameters {
            hash: Some(Hash::Sha256),
            mask_hash: Some(Hash::Sha256),
            salt_length: 32,
            trailer_field: 1,
        };
        assert_eq!(pss("chain/pss-leaf.pem"), usual);
        assert_eq!(pss("chain/pss-max-salt-leaf.pem"), PssParameters { salt_length: 222, ..usual });
        // openssl writes no mask parameter for MGF1 with SHA-1: the default
        assert_eq!(pss("chain/pss-mgf1-sha1-leaf.pem"), PssParameters { mask_hash: Some(Hash::Sha1), ..usual });
        assert_eq!(csr("chain/tomcat-pss-max-salt.csr").signature_algorithm.pss.unwrap().salt_length, 222);
        assert_eq!(cert("cucm/tomcat.pem").signature_algorithm.pss, None);
        assert_eq!(cert("cucm/tomcat.pem").signature_algorithm.described(), "sha256WithRSAEncryption");
        assert_eq!(
            cert("chain/pss-mgf1-sha1-leaf.pem").signature_algorithm.described(),
            "rsassaPss (SHA-256, MGF1 with SHA-1, salt 32 bytes)"
        );
    }
}
