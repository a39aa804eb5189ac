//! `ucert match CSR CERT`: gathers the two slots (and `--ca`), picks the leaf, runs every check and hands the
//! findings over as a [`MatchReport`].

use time::OffsetDateTime;

use crate::analysis::expiry::Thresholds;

use super::Problem;
use crate::analysis::chain;
use crate::analysis::checks::{self, Pair, Request};
use crate::cucm::Purpose;
use crate::cucm::PurposeSource;
use crate::input::{Object, Reading, Source};
use crate::model::{Certificate, PublicKey};
use crate::report::inspect::{CertificateFacts, CsrFacts};
use crate::report::matching::{MatchReport, RequestFacts};

/// The first slot: one CSR, or else one private or public key.
fn request_from(source: &Source, objects: Vec<Object>) -> Result<RequestFacts, Problem> {
    let csrs = objects.iter().filter(|o| matches!(o, Object::Csr(_))).count();
    let keys = objects.iter().filter(|o| matches!(o, Object::PrivateKey { .. } | Object::PublicKey { .. })).count();
    if csrs > 1 || (csrs == 0 && keys > 1) {
        return Err(Problem::about(
            source,
            format!("holds {} CSRs or keys: give one CSR (or one key) first", csrs + keys),
        ));
    }
    for object in objects {
        match object {
            Object::Csr(csr) => return Ok(RequestFacts::Csr(Box::new(CsrFacts::new(*csr)))),
            Object::PrivateKey { public, format } if csrs == 0 => {
                return Ok(RequestFacts::Key { public, format, private: true });
            }
            Object::PublicKey { public, format } if csrs == 0 => {
                return Ok(RequestFacts::Key { public, format, private: false });
            }
            Object::Certificate(_) | Object::Pkcs7(_) => {
                return Err(Problem::about(
                    source,
                    format!(
                        "holds {} where the CSR goes: give the CSR (e.g. tomcat.csr) first, then the certificate",
                        object.describe()
                    ),
                ));
            }
            _ => {}
        }
    }
    Err(Problem::about(source, "holds no CSR or key"))
}

/// The certificates of the second slot (a certificate, a bundle or a PKCS#7), in order.
fn certificates_from(source: &Source, objects: Vec<Object>, what: &str) -> Result<Vec<Certificate>, Problem> {
    let (certs, others) = super::split_certificates(objects);
    if others.iter().any(|o| matches!(o, Object::Csr(_))) {
        return Err(Problem::about(
            source,
            format!("holds a certificate signing request where {what} goes: give the CSR first, then the certificate"),
        ));
    }
    if certs.is_empty() {
        let found = others.last().map_or_else(|| "nothing usable".into(), Object::describe);
        return Err(Problem::about(source, format!("holds {found} where {what} goes")));
    }
    Ok(certs)
}

/// The leaf among several certificates: the one with the request's key, else the one that issued none of the
/// others (preferring a non-CA), else the first.
fn pick_leaf(certs: &[Certificate], key: &PublicKey) -> usize {
    if let Some(i) = certs.iter().position(|c| c.public_key.same_key(key)) {
        return i;
    }
    chain::leaves(certs).first().copied().unwrap_or(0)
}

pub fn gather(
    request_source: &Source,
    certificate_source: &Source,
    ca_sources: &[Source],
    purpose_flag: Option<Purpose>,
    at: OffsetDateTime,
    reading: Reading,
) -> Result<MatchReport, Problem> {
    let mut input_warnings = Vec::new();
    let located = super::located(request_source, reading, &mut input_warnings)?;
    // the name that may say the purpose: the file's, or inside a ZIP archive the name of the file there
    let request_name = match located.iter().find_map(|l| l.origin.member_file_name()) {
        Some(name) => Some(name.to_string()),
        None => request_source.file_name(),
    };
    let request = request_from(request_source, located.into_iter().map(|l| l.object).collect())?;
    let mut certs = certificates_from(
        certificate_source,
        super::objects(certificate_source, reading, &mut input_warnings)?,
        "the certificate",
    )?;
    let key = match &request {
        RequestFacts::Csr(c) => c.csr.public_key.clone(),
        RequestFacts::Key { public, .. } => public.clone(),
    };
    let leaf = certs.remove(pick_leaf(&certs, &key));
    let mut cas = certs;
    for source in ca_sources {
        cas.extend(certificates_from(
            source,
            super::objects(source, reading, &mut input_warnings)?,
            "a CA certificate",
        )?);
    }
    let (purpose, purpose_source) =
        match (purpose_flag, request_name.and_then(|n| Purpose::from_file_name(&n).map(|p| (p, n)))) {
            (Some(p), _) => (Some(p), PurposeSource::Flag),
            (None, Some((p, name))) => (Some(p), PurposeSource::FileName(name)),
            (None, None) => (None, PurposeSource::Unknown),
        };
    let findings = {
        let request_ref = match &request {
            RequestFacts::Csr(c) => Request::Csr(&c.csr),
            RequestFacts::Key { public, .. } => Request::Key(public),
        };
        checks::run_all(&Pair { request: request_ref, certificate: &leaf, cas: &cas, purpose, at })
    };
    Ok(MatchReport {
        request_path: request_source.display_name(),
        certificate_path: certificate_source.display_name(),
        request,
        certificate: CertificateFacts::new(leaf, at, Thresholds::default()),
        cas,
        purpose,
        purpose_source,
        at,
        findings,
        input_warnings,
    })
}
