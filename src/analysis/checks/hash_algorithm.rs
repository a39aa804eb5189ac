//! `hash-algorithm`: a certificate signed with SHA-1 or MD5 warns (CUCM's guide asks for SHA-256).

use super::{CheckId, Finding, Pair};
use crate::model::Certificate;

pub fn check(pair: &Pair<'_>) -> Finding {
    judge(pair.certificate)
}

/// The check on the certificate alone, which is all it reads: a batch runs it as it reads the file (see
/// [`super::facts`]).
pub(super) fn judge(cert: &Certificate) -> Finding {
    let alg = &cert.signature_algorithm;
    match alg.hash {
        Some(h) if h.is_weak() => {
            Finding::warn(CheckId::HashAlgorithm, format!("signed with {} ({}), a broken hash", h.name(), alg.name))
                .cause("the CA still signs with a legacy hash")
                .remedy("ask the CA to sign with SHA-256")
        }
        Some(h) => Finding::pass(CheckId::HashAlgorithm, format!("signed with {} ({})", h.name(), alg.name)),
        None => Finding::pass(CheckId::HashAlgorithm, format!("signed with {}", alg.name)),
    }
}

/// True exactly when [`judge`] passes, without its words: a batch asks it of every certificate it reads.
pub(super) fn passes(cert: &Certificate) -> bool {
    !cert.signature_algorithm.hash.is_some_and(|h| h.is_weak())
}

#[cfg(test)]
mod tests {
    use super::super::Status;
    use super::super::testing::{at, check_pair};
    use super::*;

    #[test]
    fn sha1_warns_and_sha256_passes() {
        let f = check_pair(check, "cucm/tomcat.csr", "match/tomcat-sha1.pem", None, at());
        assert_eq!(f.status, Status::Warn);
        assert!(f.message.contains("SHA-1"));
        let f = check_pair(check, "cucm/tomcat.csr", "cucm/tomcat.pem", None, at());
        assert_eq!(f.status, Status::Pass);
    }
}
