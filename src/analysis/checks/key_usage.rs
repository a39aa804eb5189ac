//! `key-usage`: the key usages (KU) and extended key usages (EKU) the CSR requested, or else those CUCM's table
//! lists for the purpose, should be in the certificate. CUCM still accepts the upload, so gaps warn.

use super::{CheckId, Detail, Finding, Pair, Request, join};
use std::borrow::Cow;

use crate::cucm::{Purpose, Requirements};
use crate::model::extensions::{Eku, ExtendedKeyUsage, KeyUsage, KeyUsageBit};

/// Where a requirement comes from, for saying so.
enum Source {
    Csr,
    Purpose(Purpose, bool),
}

impl Source {
    fn phrase(&self) -> String {
        match self {
            Source::Csr => "requested by the CSR".into(),
            Source::Purpose(p, false) => format!("needed by {p}"),
            Source::Purpose(p, true) => format!("expected for {p} (inferred, not documented)"),
        }
    }
}

pub fn check(pair: &Pair<'_>) -> Finding {
    let requested = match pair.request {
        Request::Csr(c) => Some(&c.requested_extensions),
        Request::Key(_) => None,
    };
    let asked = Usages {
        key_usage: requested.and_then(|r| r.key_usage.as_ref()),
        extended_key_usage: requested.and_then(|r| r.extended_key_usage.as_ref()),
    };
    let ext = &pair.certificate.extensions;
    let has = Usages { key_usage: ext.key_usage.as_ref(), extended_key_usage: ext.extended_key_usage.as_ref() };
    judge(asked, pair.purpose, has, pair.certificate.is_ca())
}

/// Key usage and extended key usage, as a CSR requests them or a certificate carries them (None: no such
/// extension).
#[derive(Clone, Copy)]
pub(super) struct Usages<'a> {
    pub key_usage: Option<&'a KeyUsage>,
    pub extended_key_usage: Option<&'a ExtendedKeyUsage>,
}

/// The check on what it reads: the usages the CSR requests, the purpose, and the usages and CA flag of the
/// certificate. A batch keeps these of each object it reads (see [`super::facts`]).
pub(super) fn judge(requested: Usages<'_>, purpose: Option<Purpose>, certificate: Usages<'_>, is_ca: bool) -> Finding {
    let table = purpose.map(|p| (p, p.requirements()));
    let Wanted { key_usage: ku_req, extended_key_usage: eku_req } = wanted(requested, table.as_ref());
    let needs_ca = table.as_ref().is_some_and(|(_, t)| t.needs_ca_basic_constraints);
    if ku_req.is_none() && eku_req.is_none() && !needs_ca {
        return Finding::skip(CheckId::KeyUsage, "the CSR requests no key usage and no purpose is known (--purpose)");
    }
    let mut missing_ku = Vec::new();
    let mut missing_eku = Vec::new();
    let mut lines = Vec::new();
    if let (Some((wanted, source)), Some(ku)) = (&ku_req, certificate.key_usage) {
        missing_ku = lacking_key_usage(wanted, ku).collect();
        if !missing_ku.is_empty() {
            lines.push(format!("key usage {} ({})", join(&missing_ku), source.phrase()));
        }
    }
    if let (Some((wanted, source)), Some(eku)) = (&eku_req, certificate.extended_key_usage) {
        missing_eku = lacking_extended_key_usage(wanted.iter().cloned(), eku).collect();
        if !missing_eku.is_empty() {
            lines.push(format!("extended key usage {} ({})", join(&missing_eku), source.phrase()));
        }
    }
    let details =
        Detail::KeyUsage { missing_key_usage: missing_ku.clone(), missing_extended_key_usage: missing_eku.clone() };
    if lines.is_empty() && (!needs_ca || is_ca) {
        let mut have = Vec::new();
        if let Some(ku) = certificate.key_usage {
            have.push(format!("key usage {}", join(&ku.usages)));
        } else {
            have.push("no key usage extension (not restricted)".to_string());
        }
        if let Some(eku) = certificate.extended_key_usage {
            have.push(format!("extended key usage {}", join(&eku.purposes)));
        }
        return Finding::pass(CheckId::KeyUsage, format!("everything needed is there: {}", have.join("; ")))
            .details(details);
    }
    let mut finding = if lines.is_empty() {
        Finding::warn(CheckId::KeyUsage, "the key usages are there, but the certificate is not a CA")
    } else {
        Finding::warn(CheckId::KeyUsage, format!("missing from the certificate: {}", lines.join("; ")))
    };
    if missing_ku.contains(&KeyUsageBit::DataEncipherment) {
        finding = finding.evidence("CUCM's guide: the CA must not remove Data Encipherment from the key usage");
    }
    if needs_ca && !is_ca {
        finding = finding
            .evidence("CAPF signs phone certificates: its certificate needs Basic Constraints CA:TRUE, pathlen:0 and Certificate Sign")
            .cause("the CA issued the CAPF certificate as an end-entity certificate; TLS connections to CAPF fail with it")
            .remedy("have the CA issue the CAPF certificate from a template with CA:TRUE, pathlen:0 and keyCertSign");
    }
    if !lines.is_empty() {
        finding = finding
            .cause("the CA's template sets its own key usage instead of the requested one (e.g. AD CS \"Web Server\" issues serverAuth only)")
            .remedy("CUCM accepts the upload, but connections that need the missing usages can fail: ask the CA for a template that keeps them");
    }
    finding.details(details)
}

/// What the certificate should carry, and who says so: the CSR's request, else the purpose's row of CUCM's table.
struct Wanted<'a> {
    key_usage: Option<(Cow<'a, [KeyUsageBit]>, Source)>,
    extended_key_usage: Option<(Cow<'a, [Eku]>, Source)>,
}

fn wanted<'a>(requested: Usages<'a>, table: Option<&(Purpose, Requirements)>) -> Wanted<'a> {
    let key_usage = match (requested.key_usage, table) {
        (Some(ku), _) => Some((Cow::Borrowed(ku.usages.as_slice()), Source::Csr)),
        (None, Some((p, t))) => Some((Cow::Borrowed(t.key_usage), Source::Purpose(*p, t.inferred))),
        (None, None) => None,
    };
    let extended_key_usage = match (requested.extended_key_usage, table) {
        (Some(eku), _) => Some((Cow::Borrowed(eku.purposes.as_slice()), Source::Csr)),
        (None, Some((p, t))) => Some((
            Cow::Owned(t.extended_key_usage.iter().map(|&k| Eku::Named(k)).collect()),
            Source::Purpose(*p, t.inferred),
        )),
        (None, None) => None,
    };
    Wanted { key_usage, extended_key_usage }
}

/// True exactly when [`judge`] passes or skips, without its words: a batch asks it of every pair it reads (see
/// [`super::facts`]).
pub(super) fn passes(requested: Usages<'_>, purpose: Option<Purpose>, certificate: Usages<'_>, is_ca: bool) -> bool {
    let table = purpose.map(|p| (p, p.requirements()));
    if table.as_ref().is_some_and(|(_, t)| t.needs_ca_basic_constraints) && !is_ca {
        return false;
    }
    let wanted = wanted(requested, table.as_ref());
    let key_usage = match (&wanted.key_usage, certificate.key_usage) {
        (Some((wanted, _)), Some(ku)) => lacking_key_usage(wanted, ku).next().is_none(),
        _ => true,
    };
    let extended_key_usage = match (&wanted.extended_key_usage, certificate.extended_key_usage) {
        (Some((wanted, _)), Some(eku)) => lacking_extended_key_usage(wanted.iter().cloned(), eku).next().is_none(),
        _ => true,
    };
    key_usage && extended_key_usage
}

/// The wanted key usages the certificate's key usage extension lacks.
fn lacking_key_usage<'a>(wanted: &'a [KeyUsageBit], has: &'a KeyUsage) -> impl Iterator<Item = KeyUsageBit> + 'a {
    wanted.iter().copied().filter(|&u| !has.has(u))
}

/// The wanted extended key usages the certificate's extension does not cover.
fn lacking_extended_key_usage<'a>(
    wanted: impl Iterator<Item = Eku> + 'a,
    has: &'a ExtendedKeyUsage,
) -> impl Iterator<Item = Eku> + 'a {
    wanted.filter(|u| !has.covers(u))
}

#[cfg(test)]
mod tests {
    use super::super::Status;
    use super::super::testing::{at, check_pair};
    use super::*;

    fn run(csr_file: &str, cert_file: &str, purpose: Option<Purpose>) -> Finding {
        check_pair(check, csr_file, cert_file, purpose, at())
    }

    #[test]
    fn everything_requested_passes() {
        assert_eq!(run("cucm/tomcat.csr", "cucm/tomcat.pem", Some(Purpose::Tomcat)).status, Status::Pass);
    }

    #[test]
    fn serverauth_only_certificate_warns_about_clientauth_and_key_usages() {
        let f = run("cucm/tomcat.csr", "match/tomcat-serverauth-only.pem", Some(Purpose::Tomcat));
        assert_eq!(f.status, Status::Warn);
        let Some(Detail::KeyUsage { missing_key_usage, missing_extended_key_usage }) = &f.details else { panic!() };
        assert_eq!(missing_extended_key_usage, &[Eku::Named(crate::model::extensions::KeyPurpose::ClientAuth)]);
        assert_eq!(missing_key_usage, &[KeyUsageBit::DataEncipherment, KeyUsageBit::KeyAgreement]);
        assert!(f.message.contains("requested by the CSR"));
        assert!(f.evidence.iter().any(|e| e.contains("Data Encipherment")));
    }

    #[test]
    fn capf_certificate_without_ca_true_warns() {
        let f = run("cucm/CAPF.csr", "match/CAPF-not-ca.pem", Some(Purpose::Capf));
        assert_eq!(f.status, Status::Warn);
        assert!(f.evidence.iter().any(|e| e.contains("CA:TRUE, pathlen:0")));
        assert!(f.message.contains("keyCertSign"));
    }

    #[test]
    fn purpose_table_is_used_when_the_csr_requests_nothing() {
        let f = run("match/wildcard.csr", "match/wildcard.pem", Some(Purpose::Tomcat));
        assert_eq!(f.status, Status::Pass, "no KU/EKU in the certificate means not restricted: {}", f.message);
        let f = run("match/wildcard.csr", "match/wildcard.pem", None);
        assert_eq!(f.status, Status::Skip);
    }
}
