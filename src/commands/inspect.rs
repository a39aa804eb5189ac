//! `ucert inspect FILE...`: reads every input and gathers, for each object, the facts a person checks by eye.

use time::OffsetDateTime;

use crate::analysis::expiry::Thresholds;

use crate::input::{self, Reading, Source};
use crate::model::Origin;
use crate::report::inspect::{CertificateFacts, CsrFacts, FileReport, InspectReport, Inspected, Item};

pub fn inspect(inputs: &[Source], at: OffsetDateTime, thresholds: Thresholds, reading: Reading) -> InspectReport {
    let files = inputs.iter().map(|source| inspect_one(source, at, thresholds, reading)).collect();
    InspectReport { at, thresholds, files }
}

fn inspect_one(source: &Source, at: OffsetDateTime, thresholds: Thresholds, reading: Reading) -> FileReport {
    let path = source.display_name();
    let decoded = match input::load(source, reading) {
        Ok(d) => d,
        Err(e) => {
            return FileReport {
                path,
                objects: Vec::new(),
                error: Some(super::Problem::input(source, &e).message),
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
        (None, decoded.damaged().map(|p| p.to_string()).chain(decoded.remarks.iter().map(|r| r.to_string())).collect())
    } else {
        (Some(decoded.problem_summary().unwrap_or_else(|| input::InputError::NothingFound.to_string())), Vec::new())
    };
    let objects = decoded
        .objects
        .into_iter()
        .map(|located| Inspected {
            origin: located.origin,
            item: match located.object {
                input::Object::Certificate(c) => Item::Certificate(CertificateFacts::new(*c, at, thresholds)),
                input::Object::Csr(c) => Item::Csr(CsrFacts::new(*c)),
                input::Object::Pkcs7(certs) => {
                    Item::Pkcs7(certs.into_iter().map(|c| CertificateFacts::new(c, at, thresholds)).collect())
                }
                input::Object::PrivateKey { public, format } => Item::PrivateKey { public, format },
                input::Object::PublicKey { public, format } => Item::PublicKey { public, format },
            },
        })
        .collect();
    FileReport { path, objects, error, encrypted, warnings }
}
