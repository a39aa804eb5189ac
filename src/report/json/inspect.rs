//! `inspect --json`: every input with its objects (certificates, CSRs, PKCS#7 chains, keys), encrypted keys and
//! the blocks that could not be read.

use std::io::{self, Write};

use serde::Serialize;

use super::common::{CertificateJson, CsrJson, PublicKeyJson, SourceJson, ThresholdsJson, key_format};
use super::{JSON_SCHEMA, rfc3339, write};
use crate::report::inspect::{InspectReport, Item};
use crate::untrusted::Untrusted;

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
enum ObjectJson<'a> {
    Certificate { source: SourceJson<'a>, certificate: CertificateJson<'a> },
    Csr { source: SourceJson<'a>, csr: CsrJson<'a> },
    Pkcs7 { source: SourceJson<'a>, certificates: Vec<CertificateJson<'a>> },
    PrivateKey { source: SourceJson<'a>, format: &'static str, public_key: PublicKeyJson },
    PublicKey { source: SourceJson<'a>, format: &'static str, public_key: PublicKeyJson },
}

#[derive(Serialize)]
struct FileJson<'a> {
    path: &'a Untrusted,
    error: Option<&'a str>,
    objects: Vec<ObjectJson<'a>>,
    /// Encrypted private keys, recognised and never decrypted.
    encrypted_keys: Vec<EncryptedJson<'a>>,
    /// Blocks that could not be read beside the objects that could.
    warnings: &'a [String],
}

#[derive(Serialize)]
struct EncryptedJson<'a> {
    source: SourceJson<'a>,
    encryption: &'a str,
}

#[derive(Serialize)]
struct InspectJson<'a> {
    schema: u32,
    at: String,
    thresholds: ThresholdsJson,
    files: Vec<FileJson<'a>>,
}

pub fn inspect(report: &InspectReport, out: &mut dyn Write) -> io::Result<()> {
    let files = report
        .files
        .iter()
        .map(|f| FileJson {
            path: &f.path,
            error: f.error.as_deref(),
            encrypted_keys: f
                .encrypted
                .iter()
                .map(|(origin, what)| EncryptedJson { source: SourceJson::new(origin), encryption: what })
                .collect(),
            warnings: &f.warnings,
            objects: f
                .objects
                .iter()
                .map(|o| {
                    let source = SourceJson::new(&o.origin);
                    match &o.item {
                        Item::Certificate(c) => {
                            ObjectJson::Certificate { source, certificate: CertificateJson::new(c) }
                        }
                        Item::Csr(c) => ObjectJson::Csr { source, csr: CsrJson::new(c) },
                        Item::Pkcs7(certs) => {
                            ObjectJson::Pkcs7 { source, certificates: certs.iter().map(CertificateJson::new).collect() }
                        }
                        Item::PrivateKey { public, format } => ObjectJson::PrivateKey {
                            source,
                            format: key_format(*format),
                            public_key: PublicKeyJson::new(public),
                        },
                        Item::PublicKey { public, format } => ObjectJson::PublicKey {
                            source,
                            format: key_format(*format),
                            public_key: PublicKeyJson::new(public),
                        },
                    }
                })
                .collect(),
        })
        .collect();
    write(
        out,
        &InspectJson {
            schema: JSON_SCHEMA,
            at: rfc3339(report.at),
            thresholds: ThresholdsJson::new(report.thresholds),
            files,
        },
    )
}
