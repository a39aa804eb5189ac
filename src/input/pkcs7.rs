//! Certificates out of a PKCS#7 SignedData (`certnew.p7b`): ContentInfo -> [0] SignedData -> [0] certificates.
//! BER is accepted, since Windows writes indefinite lengths in some exports.

use x509_parser::asn1_rs::Tag;

use super::ObjectError;
use crate::model::der::{self, Element};
use crate::model::{Certificate, oids};

/// The certificates of a ContentInfo whose children are `kids` (OID, [0] content).
pub fn certificates(kids: &[Element<'_>]) -> Result<Vec<Certificate>, ObjectError> {
    let oid = kids
        .first()
        .and_then(|el| el.any.clone().oid().ok())
        .map(|o| o.to_id_string())
        .ok_or_else(|| malformed("not a ContentInfo"))?;
    if oid != oids::PKCS7_SIGNED_DATA {
        return Err(ObjectError::Refused(format!(
            "a PKCS#7 {} structure, not a certificate chain",
            oids::pkcs7_content_name(&oid)
        )));
    }
    let explicit = kids.get(1).filter(|el| el.is_context(0)).ok_or_else(|| malformed("signedData without content"))?;
    let (signed_data, _) = der::read_element(explicit.content()).map_err(|e| malformed(&e.to_string()))?;
    if !signed_data.is_universal(Tag::Sequence) {
        return Err(malformed("SignedData is not a SEQUENCE"));
    }
    let parts = der::children(signed_data.content()).map_err(|e| malformed(&e.to_string()))?;
    let mut certs = Vec::new();
    let mut skipped = 0usize;
    // version, digestAlgorithms, encapContentInfo, then [0] IMPLICIT certificates, [1] crls, signerInfos
    for part in parts.iter().skip(3).filter(|p| p.is_context(0)) {
        for choice in der::children(part.content()).map_err(|e| malformed(&e.to_string()))? {
            if !choice.is_universal(Tag::Sequence) {
                skipped += 1; // attribute certificates and other CertificateChoices
                continue;
            }
            let (cert, _) = Certificate::from_der(choice.raw).map_err(|e| ObjectError::Malformed {
                what: format!("certificate #{} in the PKCS#7", certs.len() + 1),
                detail: e.0,
            })?;
            certs.push(cert);
        }
    }
    if certs.is_empty() {
        let extra = if skipped > 0 { format!(" ({skipped} non-X.509 entries skipped)") } else { String::new() };
        return Err(ObjectError::Refused(format!("a PKCS#7 that holds no certificates{extra}")));
    }
    Ok(certs)
}

fn malformed(detail: &str) -> ObjectError {
    ObjectError::Malformed { what: "PKCS#7".into(), detail: detail.into() }
}
