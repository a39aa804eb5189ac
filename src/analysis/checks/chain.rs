//! `chain`: with CA certificates at hand (from `--ca`, or carried in the certificate file), the leaf's issuer must
//! be among them and every signature up the path must verify; otherwise CUCM, whose `<purpose>-trust` will lack
//! the issuer, says "CA Certificate not available in Trust-Store".

use super::{CheckId, Finding, Pair};
use crate::analysis::chain;
use crate::analysis::verify::Verification;
use crate::cucm;
use crate::model::Certificate;

pub fn check(pair: &Pair<'_>) -> Finding {
    if pair.cas.is_empty() {
        return Finding::skip(
            CheckId::Chain,
            "no CA certificates at hand: give them with --ca (or a .p7b as the certificate) to check the chain",
        );
    }
    let trust = pair.purpose.and_then(|p| p.trust_store()).unwrap_or("<purpose>-trust");
    let mut pool: Vec<Certificate> = Vec::with_capacity(pair.cas.len() + 1);
    pool.push(pair.certificate.clone());
    pool.extend(pair.cas.iter().cloned());
    let path = chain::path_from(0, &pool);
    let name = |i: usize| pool[i].display_name();
    let Some(first) = path.links.first() else {
        return Finding::skip(CheckId::Chain, "no path could be built");
    };
    if first.issuer.is_none() {
        return issuer_missing(pair, trust);
    }
    if let Some(bad) = path.bad_signature() {
        let issuer = bad.issuer.map(name).unwrap_or_default();
        return Finding::fail(
            CheckId::Chain,
            format!("the signature on {} does not verify with the key of {issuer}", name(bad.index)),
        )
        .cucm(cucm::CA_NOT_IN_TRUST_STORE)
        .cause("a certificate on the path was altered, or a CA certificate of the same name but another key was given")
        .remedy("get the CA certificates again from the CA and check them with 'ucert chain'");
    }
    let mut finding_lines = Vec::new();
    for link in &path.links {
        if let Some(Verification::Unsupported(reason)) = &link.signature {
            finding_lines.push(format!("the signature on {} cannot be checked: {reason}", name(link.index)));
        }
    }
    let expired: Vec<String> = path
        .links
        .iter()
        .skip(1)
        .map(|l| &pool[l.index])
        .filter(|c| !c.validity_at(pair.at).is_valid())
        .map(|c| format!("{} ({})", c.display_name(), c.validity_at(pair.at).describe()))
        .collect();
    if !expired.is_empty() {
        return ca_not_valid(&expired);
    }
    let route: Vec<String> = path.links.iter().map(|l| name(l.index).to_string()).collect();
    let mut route_text = route.join(" <- ");
    if path.reaches_root {
        route_text.push_str(" (self-signed root)");
    }
    if !path.reaches_root {
        let last = path.links.last().map(|l| l.index).unwrap_or(0);
        finding_lines.push(format!(
            "the path ends at {}, whose issuer ({}) is not given: it must already be in {trust}",
            name(last),
            pool[last].issuer.to_openssl_string()
        ));
    }
    if !finding_lines.is_empty() {
        // (the message says it all: as evidence too, each line was shown twice)
        return Finding::warn(CheckId::Chain, format!("path {route_text}; {}", finding_lines.join("; ")));
    }
    let cas_in_order: Vec<String> = route.iter().skip(1).rev().cloned().collect();
    Finding::pass(CheckId::Chain, format!("path {route_text}; every signature verifies"))
        .evidence(format!("upload first, in this order, as {trust}: {}", cas_in_order.join(", then ")))
}

/// The leaf's issuer is not among the CA certificates given.
fn issuer_missing(pair: &Pair<'_>, trust: &str) -> Finding {
    Finding::fail(
        CheckId::Chain,
        format!(
            "the issuer of the certificate ({}) is not among the {} CA certificate(s) given",
            pair.certificate.issuer.to_openssl_string(),
            pair.cas.len()
        ),
    )
    .cucm(cucm::CA_NOT_IN_TRUST_STORE)
    .cause(format!("the CA that issued the certificate is not at hand, so it cannot be in {trust} either"))
    .remedy(format!(
        "get the issuing CA's certificate (the CA's certnew.p7b holds the chain) and upload it, root first, as {trust} before the certificate"
    ))
}

/// A CA certificate on the path is expired or not yet valid (each named with how).
fn ca_not_valid(expired: &[String]) -> Finding {
    Finding::fail(CheckId::Chain, format!("a CA certificate on the path is not valid: {}", expired.join(", ")))
        .cucm(cucm::CA_NOT_IN_TRUST_STORE)
        .cause("CUCM cannot take an expired CA certificate into its trust store, so the certificate's issuer will be missing")
        .remedy("get the CA's current certificate (a renewed CA certificate) and upload that instead")
}

#[cfg(test)]
mod tests {
    use super::super::testing::{at, cert, csr};
    use super::super::{Pair, Request, Status};
    use super::*;
    use crate::cucm::Purpose;

    fn run(cas: &[Certificate]) -> Finding {
        let c = csr("cucm/tomcat.csr");
        let crt = cert("cucm/tomcat.pem");
        check(&Pair { request: Request::Csr(&c), certificate: &crt, cas, purpose: Some(Purpose::Tomcat), at: at() })
    }

    #[test]
    fn full_chain_passes_and_gives_the_upload_order() {
        let f = run(&[cert("ca/root-ca.pem"), cert("ca/issuing-ca.pem")]);
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        assert!(f.message.contains("cucm-pub.example.com <- Example Issuing CA <- Example Root CA (self-signed root)"));
        assert!(f.evidence[0].contains("tomcat-trust: Example Root CA, then Example Issuing CA"));
    }

    #[test]
    fn missing_issuer_fails_with_the_trust_store_message() {
        let f = run(&[cert("ca/root-ca.pem")]);
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.cucm_error.as_deref(), Some(cucm::CA_NOT_IN_TRUST_STORE));
    }

    #[test]
    fn missing_root_warns_once() {
        let f = run(&[cert("ca/issuing-ca.pem")]);
        assert_eq!(f.status, Status::Warn);
        assert!(f.message.contains("must already be in tomcat-trust"));
        assert!(f.evidence.is_empty(), "the message says it; the report would show it twice: {:?}", f.evidence);
    }

    #[test]
    fn no_cas_skips() {
        assert_eq!(run(&[]).status, Status::Skip);
    }
}
