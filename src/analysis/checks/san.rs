//! `san`: the certificate's SANs must be the CSR's, as a set (order ignored, DNS without case, IPs by value).
//! Extra entries fail as surely as missing ones. A CSR with no SAN extension is not compared: CUCM ignores it.

use crate::untrusted::Untrusted;
use std::collections::BTreeSet;

use super::{CheckId, Detail, Finding, Pair, Request, join};
use crate::cucm;
use crate::model::extensions::SanEntry;

/// How two SAN sets differ.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SanDiff {
    pub missing_in_certificate: Vec<SanEntry>,
    pub extra_in_certificate: Vec<SanEntry>,
}

impl SanDiff {
    pub fn between(requested: &[SanEntry], issued: &[SanEntry]) -> SanDiff {
        let issued_keys: BTreeSet<SanEntry> = issued.iter().map(SanEntry::comparison_key).collect();
        let requested_keys: BTreeSet<SanEntry> = requested.iter().map(SanEntry::comparison_key).collect();
        let mut diff = SanDiff::default();
        for e in requested {
            if !issued_keys.contains(&e.comparison_key()) && !diff.missing_in_certificate.contains(e) {
                diff.missing_in_certificate.push(e.clone());
            }
        }
        for e in issued {
            if !requested_keys.contains(&e.comparison_key()) && !diff.extra_in_certificate.contains(e) {
                diff.extra_in_certificate.push(e.clone());
            }
        }
        diff
    }

    pub fn is_empty(&self) -> bool {
        self.missing_in_certificate.is_empty() && self.extra_in_certificate.is_empty()
    }
}

/// What the check compares of a list of SANs: two lists give the same digest exactly when [`SanDiff::between`] them
/// is empty (a batch keeps the digest, not the list; see [`super::facts`]).
pub(super) fn digest(entries: &[SanEntry]) -> super::facts::Digest {
    // the set's members in its order, as a `BTreeSet` would hold them, without its nodes
    let mut keys: Vec<SanEntry> = entries.iter().map(SanEntry::comparison_key).collect();
    keys.sort_unstable();
    keys.dedup();
    let mut digest = super::facts::Digester::new();
    std::hash::Hash::hash(&keys, &mut digest);
    digest.finish128()
}

pub fn check(pair: &Pair<'_>) -> Finding {
    let Request::Csr(csr) = pair.request else {
        return Finding::skip(CheckId::San, "a key has no SANs to compare");
    };
    let Some(requested) = &csr.requested_extensions.subject_alt_names else {
        return Finding::skip(
            CheckId::San,
            "the CSR requests no SAN: CUCM ignores the SAN field and installs the certificate",
        );
    };
    let empty = Vec::new();
    let issued = pair.certificate.extensions.subject_alt_names.as_ref().unwrap_or(&empty);
    let diff = SanDiff::between(requested, issued);
    if diff.is_empty() {
        return Finding::pass(CheckId::San, format!("the same {} SAN entries: {}", requested.len(), join(requested)));
    }
    let mut parts = Vec::new();
    if !diff.missing_in_certificate.is_empty() {
        parts.push(format!("missing in the certificate: {}", join(&diff.missing_in_certificate)));
    }
    if !diff.extra_in_certificate.is_empty() {
        parts.push(format!("extra in the certificate: {}", join(&diff.extra_in_certificate)));
    }
    let mut finding = Finding::fail(CheckId::San, parts.join("; "))
        .cucm(cucm::SAN_MISMATCH)
        .evidence(format!("CSR:         {}", join(requested)))
        .evidence(format!("certificate: {}", if issued.is_empty() { "no SAN".to_string() } else { join(issued) }));
    let same_key = csr.public_key.same_key(&pair.certificate.public_key);
    let cn = csr.subject.common_name().map(Untrusted::raw);
    let causes = causes(&diff, requested.len(), cn, issued.is_empty(), same_key);
    if !causes.is_empty() {
        finding = finding.cause(causes.join("; "));
    }
    finding =
        finding.remedy(format!("ask the CA to issue the certificate with exactly the CSR's SANs: {}", join(requested)));
    if domain_stripped(&diff) {
        finding = finding.remedy(
            "or, since this CA strips the domain, generate the CSR in CUCM without the domain (remove the default \
             domain while generating it) and have that signed",
        );
    }
    if csr.subject.common_name().is_some_and(|cn| cn.raw().to_ascii_lowercase().contains("-ms")) {
        finding = finding.remedy(
            "if the CA refuses \"-ms\" in a multi-server CN, it can be removed from the CSR when generating it",
        );
    }
    finding.details(Detail::San(diff))
}

/// The documented ways a CA changes SANs, as far as the difference shows them.
fn causes(diff: &SanDiff, requested: usize, cn: Option<&str>, none_issued: bool, same_key: bool) -> Vec<String> {
    let mut out = Vec::new();
    if none_issued {
        out.push("the CA issued the certificate without any SAN".to_string());
        return out;
    }
    let extra = &diff.extra_in_certificate;
    if !extra.is_empty() && diff.missing_in_certificate.len() == requested && !domain_stripped(diff) {
        // the key tells which: the CSR's key means the CA replaced the names; another key, another CSR
        out.push(if same_key {
            "the certificate names none of the CSR's entries but carries its key: the CA replaced the SANs with its own"
                .into()
        } else {
            "the certificate names none of the CSR's entries: it was issued for another CSR (another node?)".into()
        });
        return out;
    }
    if let Some(cn) = cn
        && extra.iter().any(|e| matches!(e, SanEntry::Dns(d) if d.eq_ignore_ascii_case(cn)))
    {
        out.push("the CA added the CN to the SANs".into());
    }
    if extra.iter().any(|e| matches!(e, SanEntry::Ip(_))) {
        out.push("the CA added an IP address".into());
    }
    if extra.iter().any(SanEntry::is_wildcard) {
        out.push("the CA added a wildcard".into());
    }
    if extra.iter().any(|e| matches!(e, SanEntry::Dns(d) if d.to_ascii_lowercase().starts_with("www."))) {
        out.push("the CA added www. names".into());
    }
    if domain_stripped(diff) {
        out.push("the CA stripped the domain from the names".into());
    } else if !diff.missing_in_certificate.is_empty() {
        out.push("the CA dropped entries the CSR asked for".into());
    }
    out
}

/// Every missing FQDN reappears as its short host name among the extra entries.
fn domain_stripped(diff: &SanDiff) -> bool {
    let missing: Vec<&str> = diff
        .missing_in_certificate
        .iter()
        .filter_map(|e| match e {
            SanEntry::Dns(d) if d.contains('.') => Some(d.as_str()),
            _ => None,
        })
        .collect();
    !missing.is_empty()
        && missing.iter().all(|fqdn| {
            let short = fqdn.split('.').next().unwrap_or(fqdn);
            diff.extra_in_certificate.iter().any(|e| matches!(e, SanEntry::Dns(d) if d.eq_ignore_ascii_case(short)))
        })
}

#[cfg(test)]
mod tests {
    use super::super::Status;
    use super::super::testing::{at, check_pair};
    use super::*;

    fn run(csr_file: &str, cert_file: &str) -> Finding {
        check_pair(check, csr_file, cert_file, None, at())
    }

    fn dns(s: &str) -> SanEntry {
        SanEntry::Dns(s.into())
    }

    #[test]
    fn order_and_case_do_not_matter() {
        let d = SanDiff::between(&[dns("A.example.com"), dns("b")], &[dns("B"), dns("a.example.com")]);
        assert!(d.is_empty());
    }

    #[test]
    fn ips_compare_by_address() {
        let ip = |s: &str| SanEntry::Ip(s.parse().unwrap());
        assert!(SanDiff::between(&[ip("::1")], &[ip("0:0:0:0:0:0:0:1")]).is_empty());
    }

    #[test]
    fn equal_sans_pass() {
        assert_eq!(run("cucm/tomcat.csr", "cucm/tomcat.pem").status, Status::Pass);
    }

    #[test]
    fn extra_san_in_certificate_is_a_mismatch() {
        let f = run("match/san-short.csr", "match/san-added-cn-ip.pem");
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.cucm_error.as_deref(), Some(cucm::SAN_MISMATCH));
        let Some(Detail::San(diff)) = &f.details else { panic!() };
        assert!(diff.missing_in_certificate.is_empty());
        assert_eq!(diff.extra_in_certificate.len(), 2);
        let cause = f.cause.unwrap();
        assert!(cause.contains("added the CN") && cause.contains("added an IP address"), "{cause}");
    }

    #[test]
    fn stripped_domain_is_recognised_and_the_remedy_offered() {
        let f = run("match/san-fqdn.csr", "match/san-domain-stripped.pem");
        assert_eq!(f.status, Status::Fail);
        assert!(f.cause.unwrap().contains("stripped the domain"));
        assert!(f.remedies.iter().any(|r| r.contains("without the domain")));
        assert!(f.remedies.iter().any(|r| r.contains("-ms")));
    }

    #[test]
    fn a_certificate_without_san_misses_every_entry() {
        let f = run("cucm/tomcat.csr", "match/tomcat-no-san.pem");
        assert_eq!(f.status, Status::Fail);
        let Some(Detail::San(diff)) = &f.details else { panic!() };
        assert_eq!(diff.missing_in_certificate.len(), 2);
        assert!(f.cause.unwrap().contains("without any SAN"));
    }

    #[test]
    fn a_csr_without_san_is_not_compared() {
        let f = run("cucm/ipsec.csr", "cucm/ipsec.pem");
        assert_eq!(f.status, Status::Skip);
        assert!(f.message.contains("ignores"));
    }
}
