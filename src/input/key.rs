//! Private and public key containers (PKCS#1, PKCS#8, SEC1, SubjectPublicKeyInfo). Only the public half is ever
//! kept: the private numbers are read past, never copied into the model.

use x509_parser::asn1_rs::Tag;
use x509_parser::prelude::FromDer;
use x509_parser::x509::SubjectPublicKeyInfo;

use super::ObjectError;
use crate::model::der::{self, Element};
use crate::model::key::PublicKey;
use crate::model::oids;

fn malformed(what: &str, detail: impl Into<String>) -> ObjectError {
    ObjectError::Malformed { what: what.into(), detail: detail.into() }
}

/// `RSAPrivateKey ::= SEQUENCE { version, n, e, d, p, q, dp, dq, qinv, ... }`
pub fn rsa_private_pkcs1(kids: &[Element<'_>]) -> Result<PublicKey, ObjectError> {
    match kids {
        [_, n, e, ..] if kids.len() >= 9 && n.is_universal(Tag::Integer) && e.is_universal(Tag::Integer) => {
            Ok(PublicKey::rsa(n.content(), e.content()))
        }
        _ => Err(malformed("RSA private key (PKCS#1)", "not the nine integers of an RSAPrivateKey")),
    }
}

/// `RSAPublicKey ::= SEQUENCE { n, e }`
pub fn rsa_public_pkcs1(kids: &[Element<'_>]) -> Result<PublicKey, ObjectError> {
    match kids {
        [n, e] if n.is_universal(Tag::Integer) && e.is_universal(Tag::Integer) => {
            Ok(PublicKey::rsa(n.content(), e.content()))
        }
        _ => Err(malformed("RSA public key (PKCS#1)", "not a SEQUENCE of modulus and exponent")),
    }
}

/// A SubjectPublicKeyInfo, read by x509-parser exactly as inside a certificate.
pub fn spki(raw: &[u8]) -> Result<PublicKey, ObjectError> {
    let (_, info) = SubjectPublicKeyInfo::from_der(raw).map_err(|e| malformed("public key", format!("{e:?}")))?;
    PublicKey::from_spki(&info).map_err(|e| malformed("public key", e.0))
}

/// `ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, [0] parameters, [1] publicKey }`.
/// `outer_curve` is the curve named by an enclosing PKCS#8 AlgorithmIdentifier, if any.
pub fn ec_private_sec1(kids: &[Element<'_>], outer_curve: Option<&[u8]>) -> Result<PublicKey, ObjectError> {
    const WHAT: &str = "EC private key";
    if kids.len() < 2 || der::small_uint(&kids[0]) != Some(1) || !kids[1].is_universal(Tag::OctetString) {
        return Err(malformed(WHAT, "not an ECPrivateKey (version 1, private key, parameters, public key)"));
    }
    let mut curve: Option<Vec<u8>> = outer_curve.map(<[u8]>::to_vec);
    let mut point: Option<&[u8]> = None;
    for el in &kids[2..] {
        if el.is_context(0) {
            let (inner, _) = der::read_element(el.content()).map_err(|e| malformed(WHAT, e.to_string()))?;
            curve = Some(inner.raw.to_vec());
        } else if el.is_context(1) {
            let (inner, _) = der::read_element(el.content()).map_err(|e| malformed(WHAT, e.to_string()))?;
            point = inner.content().split_first().map(|(_, p)| p);
        }
    }
    let curve = curve.ok_or_else(|| malformed(WHAT, "no curve is named"))?;
    let point = point.ok_or_else(|| {
        ObjectError::Refused(
            "an EC private key stored without its public key, which ucert does not derive; write it out with \
             'openssl ec -in FILE -pubout' and give ucert that"
                .into(),
        )
    })?;
    // AlgorithmIdentifier { id-ecPublicKey, namedCurve }
    let mut alg = vec![0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    alg.extend_from_slice(&curve);
    spki(&der::spki(&der::tlv(0x30, &alg), point))
}

/// `PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, privateKey OCTET STRING, [0] attrs, [1] pub }`
pub fn private_pkcs8(kids: &[Element<'_>]) -> Result<PublicKey, ObjectError> {
    const WHAT: &str = "private key (PKCS#8)";
    let (alg, private) = match kids {
        [_, alg, private, ..] if alg.is_universal(Tag::Sequence) && private.is_universal(Tag::OctetString) => {
            (alg, private)
        }
        _ => return Err(malformed(WHAT, "not a PrivateKeyInfo")),
    };
    let alg_parts = der::children(alg.content()).map_err(|e| malformed(WHAT, e.to_string()))?;
    let oid = alg_parts
        .first()
        .and_then(|el| el.any.clone().oid().ok())
        .map(|o| o.to_id_string())
        .ok_or_else(|| malformed(WHAT, "the algorithm identifier has no OID"))?;
    let inner_kids = || -> Result<Vec<Element<'_>>, ObjectError> {
        let (inner, _) = der::read_element(private.content()).map_err(|e| malformed(WHAT, e.to_string()))?;
        der::children(inner.content()).map_err(|e| malformed(WHAT, e.to_string()))
    };
    match oid.as_str() {
        oids::RSA_ENCRYPTION => rsa_private_pkcs1(&inner_kids()?),
        oids::RSASSA_PSS => {
            let rsa = rsa_private_pkcs1(&inner_kids()?)?;
            let crate::model::key::KeyKind::Rsa { modulus, exponent, .. } = &rsa.kind else {
                return Err(malformed(WHAT, "RSA-PSS key without RSA numbers"));
            };
            let mut key = der::unsigned_integer(modulus);
            key.extend(der::unsigned_integer(exponent));
            spki(&der::spki(alg.raw, &der::tlv(0x30, &key)))
        }
        oids::EC_PUBLIC_KEY => ec_private_sec1(&inner_kids()?, alg_parts.get(1).map(|p| p.raw)),
        oids::ED25519 => {
            let (seed, _) = der::read_element(private.content()).map_err(|e| malformed(WHAT, e.to_string()))?;
            let pair = ring::signature::Ed25519KeyPair::from_seed_unchecked(seed.content())
                .map_err(|_| malformed("Ed25519 private key", "the seed is not 32 bytes"))?;
            use ring::signature::KeyPair;
            spki(&der::spki(alg.raw, pair.public_key().as_ref()))
        }
        other => {
            let name = match other {
                oids::DSA => "DSA",
                oids::ED448 => "Ed448",
                oids::X25519 => "X25519",
                oids::X448 => "X448",
                _ => other,
            };
            Err(ObjectError::Refused(format!(
                "a {name} private key, a key type CUCM does not use and ucert does not read"
            )))
        }
    }
}
