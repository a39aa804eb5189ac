//! A certificate signing request as owned data: the subject, key and extensions CUCM put into it.

use crate::untrusted::Untrusted;
use x509_parser::asn1_rs::Tag;
use x509_parser::extensions::X509Extension;
use x509_parser::prelude::FromDer;
use x509_parser::x509::SubjectPublicKeyInfo;

use super::asn1;
use super::certificate::CertificateError;
use super::extensions::Extensions;
use super::key::PublicKey;
use super::name::DistinguishedName;
use super::signature::{SignatureAlgorithm, Signed};
use crate::model::der::{self, Element};
use crate::model::digest::Fingerprints;

/// A CSR attribute other than the extension request. Values are shown, except a challenge password's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsrAttribute {
    pub oid: String,
    pub name: String,
    /// The value as text; None for a challenge password (present, never shown) or an undecodable value.
    pub value: Option<Untrusted>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Csr {
    pub der: Vec<u8>,
    pub subject: DistinguishedName,
    pub public_key: PublicKey,
    pub signature_algorithm: SignatureAlgorithm,
    /// What the CSR asks the CA to put into the certificate (empty when it requests nothing).
    pub requested_extensions: Extensions,
    pub attributes: Vec<CsrAttribute>,
    pub signed: Signed,
    pub notes: Vec<String>,
}

const EXTENSION_REQUEST: &str = "1.2.840.113549.1.9.14";
/// Microsoft's pre-standard extension request, still written by some Windows tools.
const MS_EXTENSION_REQUEST: &str = "1.3.6.1.4.1.311.2.1.14";
const CHALLENGE_PASSWORD: &str = "1.2.840.113549.1.9.7";

fn fail(what: &str, detail: impl std::fmt::Display) -> CertificateError {
    CertificateError(format!("{what}: {detail}"))
}

impl Csr {
    /// Parses one DER CSR from the front of `input`; returns it and the number of bytes that followed it.
    ///
    /// `CertificationRequestInfo ::= SEQUENCE { version, subject, subjectPKInfo, [0] attributes }`. Attributes
    /// are read leniently (an empty value set, a non-minimal length or an odd value type is a note, not an error).
    pub fn from_der(input: &[u8]) -> Result<(Csr, usize), CertificateError> {
        let frame = asn1::signed_frame(input).map_err(CertificateError)?;
        let fields = der::children(frame.to_be_signed.content()).map_err(|e| fail("certificationRequestInfo", e))?;
        let used = frame.used;
        Ok((Csr::from_frame(frame, &fields)?, input.len() - used))
    }

    /// A CSR from its frame and the fields of its signed part, read already (see [`Certificate::from_frame`]).
    ///
    /// [`Certificate::from_frame`]: crate::model::Certificate::from_frame
    pub fn from_frame(frame: asn1::SignedFrame<'_>, fields: &[der::Element<'_>]) -> Result<Csr, CertificateError> {
        let [version, subject_el, spki_el, rest @ ..] = fields else {
            return Err(fail("certificationRequestInfo", "fewer than three fields"));
        };
        if !version.is_universal(Tag::Integer) {
            return Err(fail("version", "not an INTEGER"));
        }
        let subject = DistinguishedName::from_der(subject_el.raw).map_err(|e| fail("subject", e))?;
        let spki = SubjectPublicKeyInfo::from_der(spki_el.raw).map_err(|e| fail("public key", format!("{e:?}")))?.1;
        let public_key = PublicKey::from_spki(&spki).map_err(|e| fail("public key", e))?;
        let mut notes: Vec<String> = subject.notes.iter().map(|n| format!("subject {n}")).collect();
        let mut requested: Vec<X509Extension<'_>> = Vec::new();
        let mut attributes = Vec::new();
        if let Some(attrs) = rest.iter().find(|f| f.is_context(0)) {
            let list = der::children(attrs.content()).map_err(|e| fail("attributes", e))?;
            for attr in &list {
                read_attribute(attr, &mut requested, &mut attributes, &mut notes);
            }
        }
        let requested = Extensions::from_x509(&requested);
        notes.extend(requested.notes.iter().cloned());
        let signature_algorithm = SignatureAlgorithm::from_x509(&frame.algorithm);
        let csr = Csr {
            der: frame.der.to_vec(),
            subject,
            public_key,
            signature_algorithm: signature_algorithm.clone(),
            requested_extensions: requested,
            attributes,
            signed: Signed {
                message: frame.to_be_signed_range.clone(),
                signature: frame.signature_range.clone(),
                algorithm: signature_algorithm,
            },
            notes,
        };
        Ok(csr)
    }

    /// MD5, SHA-1 and SHA-256 of the DER (computed on demand).
    pub fn fingerprints(&self) -> Fingerprints {
        Fingerprints::of(&self.der)
    }

    pub fn has_challenge_password(&self) -> bool {
        self.attributes.iter().any(|a| a.name == "challengePassword")
    }
}

/// `Attribute ::= SEQUENCE { type OID, values SET OF ANY }`.
fn read_attribute<'a>(
    attr: &Element<'a>,
    requested: &mut Vec<X509Extension<'a>>,
    attributes: &mut Vec<CsrAttribute>,
    notes: &mut Vec<String>,
) {
    let parts = der::children(attr.content()).unwrap_or_default();
    let (Some(oid_el), Some(values)) = (parts.first(), parts.get(1)) else {
        notes.push("a CSR attribute is malformed and was not read".into());
        return;
    };
    let Ok(oid) = oid_el.any.clone().oid().map(|o| crate::model::oids::dotted(&o).into_owned()) else {
        notes.push("a CSR attribute has no type and was not read".into());
        return;
    };
    let values = der::children(values.content()).unwrap_or_default();
    let name = match oid.as_str() {
        EXTENSION_REQUEST | MS_EXTENSION_REQUEST => "extensionRequest".to_string(),
        CHALLENGE_PASSWORD => "challengePassword".to_string(),
        other => crate::model::oids::attribute_short_name(other).unwrap_or(other).to_string(),
    };
    let Some(first) = values.first() else {
        notes.push(format!("the CSR attribute {name} has no value"));
        if name != "extensionRequest" {
            attributes.push(CsrAttribute { oid, name, value: None });
        }
        return;
    };
    match oid.as_str() {
        EXTENSION_REQUEST | MS_EXTENSION_REQUEST => {
            if first.is_universal(Tag::Sequence) {
                requested.extend(asn1::extensions(first.content(), notes));
            } else {
                notes.push("the extension request is not a list of extensions".into());
            }
        }
        // A challenge password is recorded as present, its value never kept.
        CHALLENGE_PASSWORD => attributes.push(CsrAttribute { oid, name, value: None }),
        _ => {
            let (text, bad) = super::name::decode_string(first.any.header.class(), first.tag(), first.content());
            attributes.push(CsrAttribute { oid, name, value: bad.is_none().then(|| Untrusted::new(text)) });
        }
    }
}
