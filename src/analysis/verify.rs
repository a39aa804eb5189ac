//! Signature verification with ring. We map algorithms ourselves (instead of x509-parser's `verify`) so that a
//! link signed with a 1024-bit RSA key is still verified with ring's legacy algorithms, and anything ring cannot
//! check is reported as "cannot verify", never as "does not match".

use ring::signature::{self, VerificationAlgorithm};

use crate::model::key::{KeyKind, PublicKey};
use crate::model::signature::{Hash, SignatureScheme, Signed};
use crate::model::{Certificate, Csr};

/// The outcome of checking one signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verification {
    Valid,
    Invalid,
    /// The algorithm or key is one ucert cannot verify (the reason says which); not evidence of tampering.
    Unsupported(String),
}

impl Verification {
    pub fn is_valid(&self) -> bool {
        matches!(self, Verification::Valid)
    }
}

/// Whether `signer`'s key made `cert`'s signature.
pub fn certificate_signed_by(cert: &Certificate, signer: &PublicKey) -> Verification {
    verify(&cert.der, &cert.signed, signer)
}

/// Whether a CSR's self-signature verifies with its own key (a CSR whose does not is corrupt).
pub fn csr_self_signature(csr: &Csr) -> Verification {
    verify(&csr.der, &csr.signed, &csr.public_key)
}

/// Checks that `signer` made the signature in `signed`, over the bytes of `der` it points at.
fn verify(der: &[u8], signed: &Signed, signer: &PublicKey) -> Verification {
    let (Some(message), Some(signature)) = (der.get(signed.message.clone()), der.get(signed.signature.clone())) else {
        return Verification::Unsupported("the signed part lies outside the object".into());
    };
    let alg = match pick_algorithm(signed, signer) {
        Ok(alg) => alg,
        Err(reason) => return Verification::Unsupported(reason),
    };
    let key_bytes = match spki_key_bits(&signer.spki) {
        Some(bits) => bits,
        None => return Verification::Unsupported("the signer's public key could not be read".into()),
    };
    let key = signature::UnparsedPublicKey::new(alg, key_bytes);
    match key.verify(message, signature) {
        Ok(()) => Verification::Valid,
        Err(_) => Verification::Invalid,
    }
}

fn pick_algorithm(signed: &Signed, signer: &PublicKey) -> Result<&'static dyn VerificationAlgorithm, String> {
    let alg = &signed.algorithm;
    let bits = signer.bits().unwrap_or(0);
    match (alg.scheme, &signer.kind) {
        (SignatureScheme::RsaPkcs1, KeyKind::Rsa { .. }) => {
            if bits > 8192 {
                return Err(format!("RSA key of {bits} bits is larger than ring verifies (8192)"));
            }
            let legacy_ok = bits >= 1024;
            let modern_ok = bits >= 2048;
            match alg.hash {
                Some(Hash::Sha1) if legacy_ok => Ok(&signature::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY),
                Some(Hash::Sha256) if modern_ok => Ok(&signature::RSA_PKCS1_2048_8192_SHA256),
                Some(Hash::Sha256) if legacy_ok => Ok(&signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY),
                Some(Hash::Sha384) if modern_ok => Ok(&signature::RSA_PKCS1_2048_8192_SHA384),
                Some(Hash::Sha512) if modern_ok => Ok(&signature::RSA_PKCS1_2048_8192_SHA512),
                Some(Hash::Sha512) if legacy_ok => Ok(&signature::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY),
                Some(h @ (Hash::Md2 | Hash::Md5 | Hash::Sha224)) => {
                    Err(format!("{} signatures are not verified", h.name()))
                }
                _ => Err(format!("RSA key of {bits} bits is too weak to verify with {}", alg.name)),
            }
        }
        (SignatureScheme::RsaPss, KeyKind::Rsa { .. }) => {
            if !(2048..=8192).contains(&bits) {
                return Err(format!("RSA-PSS with a {bits}-bit key is not verified"));
            }
            let Some(pss) = alg.pss else { return Err("its RSA-PSS parameters could not be read".into()) };
            let (ring_alg, hash): (&'static dyn VerificationAlgorithm, Hash) = match pss.hash {
                Some(h @ Hash::Sha256) => (&signature::RSA_PSS_2048_8192_SHA256, h),
                Some(h @ Hash::Sha384) => (&signature::RSA_PSS_2048_8192_SHA384, h),
                Some(h @ Hash::Sha512) => (&signature::RSA_PSS_2048_8192_SHA512, h),
                Some(h) => return Err(format!("RSA-PSS with {} is not verified", h.name())),
                None => return Err("RSA-PSS with this hash is not verified".into()),
            };
            // ring verifies the usual form only; another is as valid, and checked by openssl
            if pss.mask_hash != Some(hash) {
                let mask =
                    pss.mask_hash.map_or("another mask function".to_string(), |m| format!("MGF1 with {}", m.name()));
                return Err(format!("RSA-PSS with {mask} under {} is not verified", hash.name()));
            }
            if pss.salt_length != hash.digest_len() {
                return Err(format!(
                    "RSA-PSS with a {}-byte salt is not verified, only with a salt as long as the hash, {} bytes",
                    pss.salt_length,
                    hash.digest_len()
                ));
            }
            if pss.trailer_field != 1 {
                return Err(format!("RSA-PSS with trailer field {} is not verified", pss.trailer_field));
            }
            Ok(ring_alg)
        }
        (SignatureScheme::Ecdsa, KeyKind::Ec { curve_oid: Some(curve), .. }) => match (curve.as_str(), alg.hash) {
            ("1.2.840.10045.3.1.7", Some(Hash::Sha256)) => Ok(&signature::ECDSA_P256_SHA256_ASN1),
            ("1.2.840.10045.3.1.7", Some(Hash::Sha384)) => Ok(&signature::ECDSA_P256_SHA384_ASN1),
            ("1.3.132.0.34", Some(Hash::Sha256)) => Ok(&signature::ECDSA_P384_SHA256_ASN1),
            ("1.3.132.0.34", Some(Hash::Sha384)) => Ok(&signature::ECDSA_P384_SHA384_ASN1),
            _ => Err(format!("{} on curve {} is not verified", alg.name, signer.curve().unwrap_or_default())),
        },
        (SignatureScheme::Ed25519, KeyKind::Ed25519 { .. }) => Ok(&signature::ED25519),
        (SignatureScheme::Unknown, _) => Err(format!("unknown signature algorithm {}", alg.oid)),
        (
            SignatureScheme::RsaPkcs1 | SignatureScheme::RsaPss | SignatureScheme::Ecdsa | SignatureScheme::Ed25519,
            _,
        ) => Err(format!("a {} signature cannot come from a {} key", alg.name, signer.algorithm())),
        (SignatureScheme::Ed448 | SignatureScheme::Dsa, _) => Err(format!("{} signatures are not verified", alg.name)),
    }
}

/// The subjectPublicKey BIT STRING content of a SubjectPublicKeyInfo (what ring takes).
fn spki_key_bits(spki: &[u8]) -> Option<&[u8]> {
    let (outer, _) = crate::model::der::read_element(spki).ok()?;
    let parts = crate::model::der::children(outer.content()).ok()?;
    let bits = parts.get(1)?.content();
    // skip the "unused bits" byte
    bits.split_first().map(|(_, rest)| rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::checks::testing::{cert, csr};

    /// RSA-PSS as openssl makes it: the usual form verifies; a longer salt or another mask hash (valid, and verified
    /// by openssl) is beyond ring and said so, never "invalid"; a changed signature of the usual form is invalid.
    #[test]
    fn rsa_pss_is_verified_in_its_usual_form_and_named_in_others() {
        let issuer = cert("ca/issuing-ca.pem").public_key;
        assert_eq!(certificate_signed_by(&cert("chain/pss-leaf.pem"), &issuer), Verification::Valid);
        let unsupported = |v: Verification| match v {
            Verification::Unsupported(reason) => reason,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            unsupported(certificate_signed_by(&cert("chain/pss-max-salt-leaf.pem"), &issuer)),
            "RSA-PSS with a 222-byte salt is not verified, only with a salt as long as the hash, 32 bytes"
        );
        assert_eq!(
            unsupported(certificate_signed_by(&cert("chain/pss-mgf1-sha1-leaf.pem"), &issuer)),
            "RSA-PSS with MGF1 with SHA-1 under SHA-256 is not verified"
        );
        assert!(unsupported(csr_self_signature(&csr("chain/tomcat-pss-max-salt.csr"))).contains("222-byte salt"));

        let mut tampered = cert("chain/pss-leaf.pem");
        let last = tampered.der.len() - 1;
        tampered.der[last] ^= 1;
        assert_eq!(certificate_signed_by(&tampered, &issuer), Verification::Invalid);
        // the usual form checked with another key: invalid, as for any other scheme
        assert_eq!(
            certificate_signed_by(&cert("chain/pss-leaf.pem"), &cert("ca/root-ca.pem").public_key),
            Verification::Invalid
        );
    }
}
