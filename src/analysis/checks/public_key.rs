//! `public-key`: the certificate must carry the CSR's key (RSA by modulus and exponent, others by
//! SubjectPublicKeyInfo). On failure, tell which documented cause the evidence points to.

use super::{CheckId, Detail, Finding, KeyEvidence, Pair, Request};
use crate::cucm;
use crate::model::extensions::SanEntry;
use crate::model::{Certificate, Csr};
use crate::untrusted::Untrusted;

pub fn check(pair: &Pair<'_>) -> Finding {
    let ours = pair.request.public_key();
    let theirs = &pair.certificate.public_key;
    let details = Detail::Keys { csr: KeyEvidence::of(ours), certificate: KeyEvidence::of(theirs) };
    // how the request is named in the sentences: "the CSR's key", "this key"
    let (slot, its_key, other_than) = match pair.request {
        Request::Csr(_) => ("CSR", "the CSR's key", "a key other than the CSR's"),
        Request::Key(_) => ("key", "this key", "a key other than this one"),
    };
    if ours.same_key(theirs) {
        let hash = ours
            .modulus_md5()
            .map(|m| format!("modulus MD5 {m}"))
            .unwrap_or_else(|| format!("pubkey MD5 {}", ours.pubkey_md5()));
        return Finding::pass(
            CheckId::PublicKey,
            format!("the certificate carries {its_key} ({}, {hash})", ours.summary()),
        )
        .details(details);
    }
    // the modulus MD5 is what TAC compares (and what the block below the checks shows); the pubkey MD5 for others
    let hashes = |k: &crate::model::PublicKey| match k.modulus_md5() {
        Some(m) => format!("modulus MD5 {m}"),
        None => format!("pubkey MD5 {}", k.pubkey_md5()),
    };
    let mut finding = Finding::fail(CheckId::PublicKey, format!("the certificate carries {other_than}"))
        .cucm(cucm::PUBLIC_KEY_MISMATCH)
        .evidence(format!("{slot}: {} ({})", ours.summary(), hashes(ours)))
        .evidence(format!("certificate: {} ({})", theirs.summary(), hashes(theirs)))
        .details(details);
    if !ours.same_type(theirs) {
        return finding
            .cause(format!(
                "the key types differ ({} against {}): the certificate was issued for a CSR of another purpose \
                 (an -ECDSA purpose has an EC key, the others RSA)",
                ours.algorithm().to_uppercase(),
                theirs.algorithm().to_uppercase()
            ))
            .remedy("upload it under the purpose whose CSR it was issued for, or have the CA sign this CSR");
    }
    let Request::Csr(csr) = pair.request else {
        return finding
            .cause("the key and the certificate do not belong together")
            .remedy("find the certificate issued for this key, or the key of this certificate");
    };
    match likely_cause(csr, pair.certificate) {
        Cause::OtherNode(name) => {
            finding = finding
                .cause(format!(
                    "the certificate belongs to another node: it names {name}, the CSR names {}",
                    csr_host(csr)
                ))
                .remedy(format!(
                    "upload this certificate on {name}, and here the certificate issued for this node's CSR"
                ));
        }
        Cause::EarlierCsr => {
            finding = finding
                .cause(
                    "the certificate was issued for an earlier CSR of this host (same subject, other key): the CSR was \
                     regenerated after it went to the CA, and generating a CSR replaces the previous one and its key",
                )
                .remedy("send the current CSR to the CA again, or upload the certificate issued for it; do not regenerate the CSR in between");
        }
        Cause::Unknown => {
            finding = finding
                .cause("the certificate was made from another CSR")
                .remedy("have the CA sign exactly this CSR, and upload the certificate it returns for it");
        }
    }
    finding
}

enum Cause {
    OtherNode(String),
    EarlierCsr,
    Unknown,
}

/// Host names a CSR or certificate speaks for: its CN and DNS SANs, lower-case, short and long forms.
fn names(cn: Option<&str>, sans: Option<&Vec<SanEntry>>) -> Vec<String> {
    let mut out: Vec<String> = cn.into_iter().map(str::to_ascii_lowercase).collect();
    for entry in sans.into_iter().flatten() {
        if let SanEntry::Dns(d) = entry {
            out.push(d.to_ascii_lowercase());
        }
    }
    let short: Vec<String> = out.iter().filter_map(|n| n.split('.').next().map(str::to_string)).collect();
    out.extend(short);
    out.sort();
    out.dedup();
    out
}

fn csr_host(csr: &Csr) -> String {
    csr.subject.common_name().map(Untrusted::to_string).unwrap_or_else(|| "(no CN)".into())
}

fn likely_cause(csr: &Csr, cert: &Certificate) -> Cause {
    if csr.subject.same_as(&cert.subject) {
        return Cause::EarlierCsr;
    }
    let ours =
        names(csr.subject.common_name().map(Untrusted::raw), csr.requested_extensions.subject_alt_names.as_ref());
    let theirs = names(cert.subject.common_name().map(Untrusted::raw), cert.extensions.subject_alt_names.as_ref());
    if !ours.is_empty() && !theirs.is_empty() && !ours.iter().any(|n| theirs.contains(n)) {
        return Cause::OtherNode(cert.display_name().to_string());
    }
    if ours.iter().any(|n| theirs.contains(n)) {
        return Cause::EarlierCsr;
    }
    Cause::Unknown
}

#[cfg(test)]
mod tests {
    use super::super::Status;
    use super::super::testing::{at, check_pair};
    use super::*;

    fn run(csr_file: &str, cert_file: &str) -> Finding {
        check_pair(check, csr_file, cert_file, None, at())
    }

    #[test]
    fn same_key_passes() {
        let f = run("cucm/tomcat.csr", "cucm/tomcat.pem");
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("RSA 2048 bits"));
    }

    #[test]
    fn another_nodes_certificate_is_named() {
        let f = run("cucm/tomcat.csr", "match/cucm-sub-tomcat.pem");
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.cucm_error.as_deref(), Some(cucm::PUBLIC_KEY_MISMATCH));
        assert!(f.cause.unwrap().contains("another node: it names cucm-sub.example.com"));
    }

    #[test]
    fn a_certificate_for_an_earlier_csr_is_recognised() {
        let f = run("cucm/tomcat.csr", "match/earlier-tomcat.pem");
        assert_eq!(f.status, Status::Fail);
        assert!(f.cause.unwrap().contains("earlier CSR"));
    }

    #[test]
    fn rsa_against_ec_says_the_key_types_differ() {
        let f = run("cucm/tomcat-ECDSA.csr", "cucm/tomcat.pem");
        assert_eq!(f.status, Status::Fail);
        assert!(f.cause.unwrap().contains("key types differ (EC against RSA)"));
    }
}
