//! What `inspect` found: for each input, its objects with the facts a person checks by eye.

use time::OffsetDateTime;

use crate::analysis::verify::Verification;
use crate::model::certificate::ValidityStatus;
use crate::model::{Certificate, Csr, KeyFormat, Origin, PublicKey};
use crate::untrusted::Untrusted;

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
