//! What `inspect` found: for each input, its objects with the facts a person checks by eye.

use time::OffsetDateTime;

use crate::analysis::expiry::{self, Expiry, Thresholds};
use crate::analysis::verify::Verification;
use crate::model::certificate::ValidityStatus;
use crate::model::{Certificate, Csr, KeyFormat, Origin, PublicKey};
use crate::untrusted::Untrusted;

/// The result of inspecting all inputs, in order.
pub struct InspectReport {
    pub at: OffsetDateTime,
    pub thresholds: Thresholds,
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
    /// How soon it expires, against `--warn-days` and `--critical-days` (the defaults where a command has neither).
    pub expiry: Expiry,
    /// Issuer and subject are the same name and the certificate's own key verifies its signature.
    pub self_signed: bool,
}

pub struct CsrFacts {
    pub csr: Csr,
    /// Whether the CSR's self-signature verifies with its own key (a CSR that does not is corrupt).
    pub signature: Verification,
}

impl CertificateFacts {
    pub fn new(certificate: Certificate, at: OffsetDateTime, thresholds: Thresholds) -> CertificateFacts {
        let self_signed = crate::analysis::chain::is_self_signed(&certificate);
        let expiry = expiry::judge(&certificate, at, thresholds);
        CertificateFacts { validity: certificate.validity_at(at), expiry, self_signed, certificate }
    }
}

impl InspectReport {
    /// The certificates of every file, in order (those of a PKCS#7 one by one), with the file they are in.
    pub fn certificates(&self) -> impl Iterator<Item = (&FileReport, &Origin, Option<usize>, &CertificateFacts)> {
        self.files.iter().flat_map(|file| {
            file.objects.iter().flat_map(move |o| -> Vec<(&FileReport, &Origin, Option<usize>, &CertificateFacts)> {
                match &o.item {
                    Item::Certificate(c) => vec![(file, &o.origin, None, c)],
                    Item::Pkcs7(list) => {
                        list.iter().enumerate().map(|(i, c)| (file, &o.origin, Some(i + 1), c)).collect()
                    }
                    _ => Vec::new(),
                }
            })
        })
    }

    /// The worst expiry of all certificates (None when there is no certificate).
    pub fn worst_expiry(&self) -> Option<expiry::Level> {
        self.certificates().map(|(.., c)| c.expiry.level).max()
    }
}

impl CsrFacts {
    pub fn new(csr: Csr) -> CsrFacts {
        let signature = crate::analysis::verify::csr_self_signature(&csr);
        CsrFacts { csr, signature }
    }
}
