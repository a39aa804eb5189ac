//! `wildcard`: a `*` in the certificate's CN or SANs. CUCM does not support wildcard certificates.

use super::{CheckId, Finding, Pair};
use crate::model::Certificate;

pub fn check(pair: &Pair<'_>) -> Finding {
    judge(pair.certificate)
}

/// The check on the certificate alone, which is all it reads: a batch runs it as it reads the file (see
/// [`super::facts`]).
pub(super) fn judge(cert: &Certificate) -> Finding {
    if passes(cert) {
        return Finding::pass(CheckId::Wildcard, "no wildcard in the CN or SANs");
    }
    let mut wild: Vec<String> = Vec::new();
    if let Some(cn) = wild_cn(cert) {
        wild.push(format!("CN={cn}"));
    }
    for e in wild_sans(cert) {
        wild.push(e.to_string());
    }
    Finding::fail(CheckId::Wildcard, format!("wildcard entries, which CUCM does not support: {}", wild.join(", ")))
        .cause("a wildcard certificate was requested or issued; CUCM's certificates name their nodes")
        .remedy("use a certificate that names the node (or a multi-server SAN certificate naming every node)")
}

/// True exactly when [`judge`] passes, without its words: a batch asks it of every certificate it reads.
pub(super) fn passes(cert: &Certificate) -> bool {
    wild_cn(cert).is_none() && wild_sans(cert).next().is_none()
}

fn wild_cn(cert: &Certificate) -> Option<&crate::untrusted::Untrusted> {
    cert.subject.common_name().filter(|cn| cn.raw().contains('*'))
}

fn wild_sans(cert: &Certificate) -> impl Iterator<Item = &crate::model::extensions::SanEntry> {
    cert.extensions.subject_alt_names.iter().flatten().filter(|e| e.is_wildcard())
}

#[cfg(test)]
mod tests {
    use super::super::Status;
    use super::super::testing::{at, check_pair};
    use super::*;

    #[test]
    fn wildcard_cn_fails_and_plain_names_pass() {
        let f = check_pair(check, "match/wildcard.csr", "match/wildcard.pem", None, at());
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("CN=*.example.com"));
        let f = check_pair(check, "cucm/tomcat.csr", "cucm/tomcat.pem", None, at());
        assert_eq!(f.status, Status::Pass);
    }
}
