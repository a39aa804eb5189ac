//! An X.509 certificate as owned, plain data: what inspect shows and the checks read.

use crate::untrusted::Untrusted;
use time::OffsetDateTime;
use x509_parser::asn1_rs::Tag;
use x509_parser::prelude::FromDer;
use x509_parser::x509::SubjectPublicKeyInfo;

use super::asn1;
use super::extensions::Extensions;
use super::key::PublicKey;
use super::name::DistinguishedName;
use super::signature::{SignatureAlgorithm, Signed};
use crate::model::der;
use crate::model::digest::Fingerprints;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    /// The certificate's DER encoding (what fingerprints are taken of).
    pub der: Vec<u8>,
    pub version: u32,
    /// Serial number, big-endian, without sign padding.
    pub serial: Vec<u8>,
    pub subject: DistinguishedName,
    pub issuer: DistinguishedName,
    /// None when the date is encoded so badly that it cannot be read (a note says which).
    pub not_before: Option<OffsetDateTime>,
    pub not_after: Option<OffsetDateTime>,
    pub public_key: PublicKey,
    pub signature_algorithm: SignatureAlgorithm,
    pub extensions: Extensions,
    pub signed: Signed,
    /// Oddities found while reading it (shown as warnings, never fatal).
    pub notes: Vec<String>,
}

/// Why bytes that should be a certificate (or CSR) are not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CertificateError(pub String);

fn fail(what: &str, detail: impl std::fmt::Display) -> CertificateError {
    CertificateError(format!("{what}: {detail}"))
}

impl Certificate {
    /// Parses one DER certificate from the front of `input`; returns it and the number of bytes that followed it.
    ///
    /// `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }`, with
    /// `TBSCertificate ::= SEQUENCE { [0] version, serial, signature, issuer, validity, subject, spki, [1], [2],
    /// [3] extensions }`. Long because it reads the fields one by one in the order of that definition, each with its
    /// own error.
    pub fn from_der(input: &[u8]) -> Result<(Certificate, usize), CertificateError> {
        let frame = asn1::signed_frame(input).map_err(CertificateError)?;
        let fields = der::children(frame.to_be_signed.content()).map_err(|e| fail("tbsCertificate", e))?;
        let used = frame.used;
        Ok((Certificate::from_frame(frame, &fields)?, input.len() - used))
    }

    /// A certificate from its frame and the fields of its signed part, read already (by the reader that read them
    /// to tell a certificate from a CSR): the rest of [`Certificate::from_der`].
    pub fn from_frame(
        frame: asn1::SignedFrame<'_>,
        fields: &[der::Element<'_>],
    ) -> Result<Certificate, CertificateError> {
        let mut fields = fields.iter().peekable();
        let mut notes = Vec::new();
        let version = match fields.peek() {
            Some(f) if f.is_context(0) => {
                let f = fields.next().ok_or_else(|| fail("version", "missing"))?;
                let (inner, _) = der::read_element(f.content()).map_err(|e| fail("version", e))?;
                asn1::version(&inner).ok_or_else(|| fail("version", "not a small INTEGER"))? + 1
            }
            _ => 1,
        };
        let mut next = |what: &str| fields.next().ok_or_else(|| fail(what, "missing"));
        let serial_el = next("serial number")?;
        if !serial_el.is_universal(Tag::Integer) {
            return Err(fail("serial number", "not an INTEGER"));
        }
        if serial_el.content().first().is_some_and(|b| b & 0x80 != 0) {
            notes.push("the serial number is negative".into());
        }
        let inner_alg = asn1::algorithm_identifier(next("signature algorithm")?).map_err(|e| fail("signature", e))?;
        let issuer_el = next("issuer")?;
        let issuer = DistinguishedName::from_der(issuer_el.raw).map_err(|e| fail("issuer", e))?;
        let validity = next("validity")?;
        let times = der::children(validity.content()).map_err(|e| fail("validity", e))?;
        let [not_before, not_after] = [0, 1].map(|i| match times.get(i).map(asn1::time) {
            Some(Ok(t)) => Some(t),
            Some(Err(why)) => {
                notes.push(format!("{} is unreadable: {why}", if i == 0 { "notBefore" } else { "notAfter" }));
                None
            }
            None => {
                notes.push("the validity period is incomplete".into());
                None
            }
        });
        let subject_el = next("subject")?;
        let subject = DistinguishedName::from_der(subject_el.raw).map_err(|e| fail("subject", e))?;
        let spki_el = next("public key")?;
        let spki = SubjectPublicKeyInfo::from_der(spki_el.raw).map_err(|e| fail("public key", format!("{e:?}")))?.1;
        let mut extension_list = Vec::new();
        for f in fields {
            if f.is_context(3) {
                let (seq, _) = der::read_element(f.content()).map_err(|e| fail("extensions", e))?;
                extension_list = asn1::extensions(seq.content(), &mut notes);
            }
        }
        let public_key = PublicKey::from_spki(&spki).map_err(|e| fail("public key", e))?;
        let extensions = Extensions::from_x509(&extension_list);
        let signature_algorithm = SignatureAlgorithm::from_x509(&frame.algorithm);
        notes.extend(subject.notes.iter().map(|n| format!("subject {n}")));
        notes.extend(issuer.notes.iter().map(|n| format!("issuer {n}")));
        notes.extend(extensions.notes.iter().cloned());
        if frame.algorithm != inner_alg {
            notes.push("the signature algorithm inside and outside the signed part differ".into());
        }
        if let (Some(nb), Some(na)) = (not_before, not_after)
            && na < nb
        {
            notes.push("the validity period ends before it starts".into());
        }
        let cert = Certificate {
            der: frame.der.to_vec(),
            version,
            serial: der::trim_leading_zeros(serial_el.content()).to_vec(),
            subject,
            issuer,
            not_before,
            not_after,
            public_key,
            signature_algorithm: signature_algorithm.clone(),
            extensions,
            signed: Signed {
                message: frame.to_be_signed_range.clone(),
                signature: frame.signature_range.clone(),
                algorithm: signature_algorithm,
            },
            notes,
        };
        Ok(cert)
    }

    /// The host name a certificate is for, as people say it: the CN, else the first DNS SAN.
    pub fn display_name(&self) -> Untrusted {
        if let Some(cn) = self.subject.common_name() {
            return cn.clone();
        }
        if let Some(first) = self.extensions.subject_alt_names.as_ref().and_then(|e| e.first()) {
            return first.value();
        }
        self.subject.to_openssl_string()
    }

    /// MD5, SHA-1 and SHA-256 of the DER, as viewers show them (computed on demand: a batch of thousands of
    /// certificates needs none of them).
    pub fn fingerprints(&self) -> Fingerprints {
        Fingerprints::of(&self.der)
    }

    /// True when the certificate carries basicConstraints CA:TRUE.
    pub fn is_ca(&self) -> bool {
        self.extensions.basic_constraints.as_ref().is_some_and(|b| b.ca)
    }

    /// Subject and issuer are the same name (a root, or a self-signed server certificate).
    pub fn is_self_issued(&self) -> bool {
        self.subject.same_as(&self.issuer)
    }

    /// The certificate as a PEM block (LF line ends), for writing split chains.
    pub fn to_pem(&self) -> String {
        let block = pem::Pem::new("CERTIFICATE", self.der.clone());
        pem::encode_config(&block, pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF))
    }
}

/// Where a certificate stands in time at a given moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValidityStatus {
    /// Valid; `days_left` whole days until it expires.
    Valid {
        days_left: i64,
    },
    Expired {
        days_ago: i64,
    },
    NotYetValid {
        days_until: i64,
    },
    /// A date is unreadable, so validity cannot be judged.
    Unknown,
}

impl ValidityStatus {
    pub fn is_valid(self) -> bool {
        matches!(self, ValidityStatus::Valid { .. })
    }

    /// "expires in 580 days", "expired 3 days ago", "not valid for another 12 days".
    pub fn describe(self) -> String {
        fn days(n: i64) -> String {
            if n == 1 { "1 day".into() } else { format!("{n} days") }
        }
        match self {
            ValidityStatus::Valid { days_left: 0 } => "expires within a day".into(),
            ValidityStatus::Valid { days_left } => format!("expires in {}", days(days_left)),
            ValidityStatus::Expired { days_ago: 0 } => "expired less than a day ago".into(),
            ValidityStatus::Expired { days_ago } => format!("expired {} ago", days(days_ago)),
            ValidityStatus::NotYetValid { days_until: 0 } => "becomes valid within a day".into(),
            ValidityStatus::NotYetValid { days_until } => format!("not valid for another {}", days(days_until)),
            ValidityStatus::Unknown => "validity unknown (a date is unreadable)".into(),
        }
    }
}

impl Certificate {
    /// The certificate's standing at `at`.
    pub fn validity_at(&self, at: OffsetDateTime) -> ValidityStatus {
        ValidityStatus::between(self.not_before, self.not_after, at)
    }
}

impl ValidityStatus {
    /// The standing at `at` of a certificate valid from `not_before` until `not_after`: what a batch that keeps only
    /// the dates of a certificate judges it by.
    pub fn between(
        not_before: Option<OffsetDateTime>,
        not_after: Option<OffsetDateTime>,
        at: OffsetDateTime,
    ) -> ValidityStatus {
        let (Some(not_before), Some(not_after)) = (not_before, not_after) else {
            return ValidityStatus::Unknown;
        };
        if at < not_before {
            ValidityStatus::NotYetValid { days_until: (not_before - at).whole_days() }
        } else if at > not_after {
            ValidityStatus::Expired { days_ago: (at - not_after).whole_days() }
        } else {
            ValidityStatus::Valid { days_left: (not_after - at).whole_days() }
        }
    }
}

/// Times as the report shows them: `2026-01-01 00:00:00 UTC`; "unreadable" for a date that could not be read.
pub fn format_utc_opt(t: Option<OffsetDateTime>) -> String {
    t.map(format_utc).unwrap_or_else(|| "unreadable".into())
}

/// Times as the report shows them: `2026-01-01 00:00:00 UTC`.
pub fn format_utc(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
    t.format(&f).unwrap_or_else(|_| t.to_string())
}
