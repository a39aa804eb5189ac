//! `ucert inspect FILE...`: reads every input and gathers, for each object, the facts a person checks by eye.

use crate::untrusted::Untrusted;
use time::OffsetDateTime;

use crate::analysis::verify::Verification;
use crate::input::{self, KeyFormat, Origin, Source};
use crate::model::certificate::ValidityStatus;
use crate::model::{Certificate, Csr, PublicKey};

/// The result of inspecting all inputs, in order.
pub struct InspectReport {
    pub at: OffsetDateTime,
    pub files: Vec<FileReport>,
}

pub struct FileReport {
    pub path: Untrusted,
    pub objects: Vec<Inspected>,
    /// Why the input could not be read (nothing in it was); exit 2.
    pub error: Option<String>,
    /// Encrypted private keys: recognised and listed, never decrypted (where it is, what it is).
    pub encrypted: Vec<(Origin, String)>,
    /// Blocks that could not be read beside the objects that could: warnings, not a failure of the file.
    pub warnings: Vec<String>,
}

pub struct Inspected {
    pub origin: Origin,
    pub item: Item,
}

pub enum Item {
    Certificate(CertificateFacts),
    Csr(CsrFacts),
    Pkcs7(Vec<CertificateFacts>),
    PrivateKey { public: PublicKey, format: KeyFormat },
    PublicKey { public: PublicKey, format: KeyFormat },
}

pub struct CertificateFacts {
    pub certificate: Certificate,
    pub validity: ValidityStatus,
    /// Issuer and subject are the same name and the certificate's own key verifies its signature.
    pub self_signed: bool,
}

pub struct CsrFacts {
    pub csr: Csr,
    /// Whether the CSR's self-signature verifies with its own key (a CSR that does not is corrupt).
    pub signature: Verification,
}

impl CertificateFacts {
    pub fn new(certificate: Certificate, at: OffsetDateTime) -> CertificateFacts {
        let self_signed = crate::analysis::chain::is_self_signed(&certificate);
        CertificateFacts { validity: certificate.validity_at(at), self_signed, certificate }
    }
}

impl CsrFacts {
    pub fn new(csr: Csr) -> CsrFacts {
        let signature = crate::analysis::verify::csr_self_signature(&csr);
        CsrFacts { csr, signature }
    }
}

pub fn inspect(inputs: &[Source], at: OffsetDateTime) -> InspectReport {
    let files = inputs.iter().map(|source| inspect_one(source, at)).collect();
    InspectReport { at, files }
}

fn inspect_one(source: &Source, at: OffsetDateTime) -> FileReport {
    let path = source.display_name();
    let decoded = match input::load(source) {
        Ok(d) => d,
        Err(e) => {
            return FileReport {
                path,
                objects: Vec::new(),
                error: Some(e.to_string()),
                encrypted: Vec::new(),
                warnings: Vec::new(),
            };
        }
    };
    let encrypted: Vec<(Origin, String)> = decoded
        .encrypted_keys()
        .map(|p| match &p.error {
            input::ObjectError::Encrypted(what) => (p.origin.clone(), what.clone()),
            other => (p.origin.clone(), other.to_string()),
        })
        .collect();
    let found = !decoded.objects.is_empty() || !encrypted.is_empty();
    let (error, warnings) = if found {
        (None, decoded.damaged().map(|p| p.to_string()).collect())
    } else {
        (Some(decoded.problem_summary().unwrap_or_else(|| input::InputError::NothingFound.to_string())), Vec::new())
    };
    let objects = decoded
        .objects
        .into_iter()
        .map(|located| Inspected {
            origin: located.origin,
            item: match located.object {
                input::Object::Certificate(c) => Item::Certificate(CertificateFacts::new(*c, at)),
                input::Object::Csr(c) => Item::Csr(CsrFacts::new(*c)),
                input::Object::Pkcs7(certs) => {
                    Item::Pkcs7(certs.into_iter().map(|c| CertificateFacts::new(c, at)).collect())
                }
                input::Object::PrivateKey { public, format } => Item::PrivateKey { public, format },
                input::Object::PublicKey { public, format } => Item::PublicKey { public, format },
            },
        })
        .collect();
    FileReport { path, objects, error, encrypted, warnings }
}
